//! `weft credentials ...`: the credential types, and checking credential files.

use std::path::Path;
use std::process::ExitCode;

use serde_json::Value;
use weft_credentials::Registry;

use super::credential_check::{check_file, print_problems};
use super::table;
use crate::schemas::describe_type;

/// `weft credentials types`: a table, or JSON with `--json`.
pub fn types(as_json: bool) -> anyhow::Result<ExitCode> {
    let registry = Registry::global()?;
    if as_json {
        let list: Vec<Value> = registry.types().map(describe_type).collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
    } else {
        let rows: Vec<Vec<String>> = registry
            .types()
            .map(|t| {
                vec![
                    t.name.to_owned(),
                    t.display_name.to_owned(),
                    t.authenticate.label(),
                ]
            })
            .collect();
        table::print(&["NAME", "DISPLAY NAME", "GRANT"], &rows);
    }
    Ok(ExitCode::SUCCESS)
}

/// `weft credentials validate`: every problem of every credential in `file`, each with its JSON
/// path and a hint.
pub fn validate(file: &Path, forced_type: Option<&str>) -> anyhow::Result<ExitCode> {
    let Some(checked) = check_file(file, forced_type)? else {
        return Ok(ExitCode::from(1));
    };
    for entry in &checked.valid {
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
    print_problems(file, &checked.problems);
    Ok(if checked.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
