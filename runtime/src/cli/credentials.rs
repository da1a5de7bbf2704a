//! `weft credentials ...`: the credential types, and checking credential files.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use serde_json::{Value, json};
use weft_credentials::Registry;

use crate::credential_files::read_entries;

/// `weft credentials types`: a table, or JSON with `--json`.
pub fn types(as_json: bool) -> anyhow::Result<ExitCode> {
    let registry = Registry::global()?;
    if as_json {
        let list: Vec<Value> = registry
            .types()
            .map(|t| {
                json!({
                    "name": t.name,
                    "displayName": t.display_name,
                    "grant": format!("{:?}", t.scheme.grant()),
                    "documentationUrl": t.documentation_url,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
    } else {
        let width = registry.types().map(|t| t.name.len()).max().unwrap_or(4);
        let display_width = registry
            .types()
            .map(|t| t.display_name.len())
            .max()
            .unwrap_or(12);
        println!(
            "{:width$}  {:display_width$}  GRANT",
            "NAME", "DISPLAY NAME"
        );
        for t in registry.types() {
            println!(
                "{:width$}  {:display_width$}  {:?}",
                t.name,
                t.display_name,
                t.scheme.grant()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `weft credentials validate`: every problem of every credential in `file`, each with its JSON
/// path and a hint.
pub fn validate(file: &Path, forced_type: Option<&str>) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let document: Value = match serde_json::from_str(&text) {
        Ok(document) => document,
        Err(error) => {
            eprintln!(
                "{}: line {}, column {}: not valid JSON ({})\n  hint: check the file is the JSON that n8n or weft wrote",
                file.display(),
                error.line(),
                error.column(),
                json_error_kind(&error)
            );
            return Ok(ExitCode::from(1));
        }
    };
    let registry = Registry::global()?;
    let (entries, mut problems) = read_entries(&document, forced_type);
    let mut valid = Vec::new();
    for entry in entries {
        let checked = registry
            .require(&entry.type_name)
            .map_err(|error| vec![error.under(&entry.path)])
            .and_then(|credential_type| {
                weft_credentials::validate(credential_type, &entry.data).map_err(|errors| {
                    let prefix = entry.data_path();
                    errors.into_iter().map(|e| e.under(&prefix)).collect()
                })
            });
        match checked {
            Ok(()) => valid.push(entry),
            Err(errors) => problems.extend(errors),
        }
    }
    for entry in &valid {
        let label = entry
            .name
            .as_deref()
            .map(|name| format!(" \"{name}\""))
            .unwrap_or_default();
        println!(
            "{}: valid {} credential{label}",
            file.display(),
            entry.type_name
        );
    }
    for problem in &problems {
        let path = if problem.path.is_empty() {
            "(root)"
        } else {
            &problem.path
        };
        eprintln!(
            "{}: {path}: {}\n  hint: {}",
            file.display(),
            problem.message,
            problem.hint
        );
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn json_error_kind(error: &serde_json::Error) -> &'static str {
    match error.classify() {
        serde_json::error::Category::Io => "read error",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data => "unexpected data",
        serde_json::error::Category::Eof => "the file ends too early",
    }
}
