//! Reading a credential file and checking every credential in it against its type, shared by
//! `validate`, `import` and `add`; and printing problems as `<file>: <json path>: <message>` with a
//! hint, the one format every credential command uses.

use std::path::Path;

use anyhow::Context;
use serde_json::Value;
use weft_credentials::{FieldError, Registry};

use crate::bounded_read;
use crate::credential_files::{CredentialEntry, read_entries};

/// The credentials of a file: those that passed their type's validation, and every problem.
#[derive(Debug)]
pub struct CheckedFile {
    /// The credentials whose data is valid.
    pub valid: Vec<CredentialEntry>,
    /// Every problem found, with paths relative to the file.
    pub problems: Vec<FieldError>,
}

/// Reads `file` and validates each credential in it (see [`read_entries`] for `forced_type`).
/// `None` when the file is not JSON; that has been reported on stderr already.
pub fn check_file(file: &Path, forced_type: Option<&str>) -> anyhow::Result<Option<CheckedFile>> {
    read_json(file)?
        .map(|document| check_document(&document, forced_type))
        .transpose()
}

/// The JSON document in `file`, or `None` when it is not JSON (reported on stderr). A UTF-8 byte
/// order mark, which Windows editors write, is skipped; files over 64 MiB are refused.
pub fn read_json(file: &Path) -> anyhow::Result<Option<Value>> {
    let text = bounded_read::file_text(file, bounded_read::MAX_JSON_FILE)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let document: Value = match serde_json::from_str(text) {
        Ok(document) => document,
        Err(error) => {
            eprintln!(
                "{}: line {}, column {}: not valid JSON ({})\n  hint: check the file is the JSON that n8n or weft wrote",
                file.display(),
                error.line(),
                error.column(),
                json_error_kind(&error)
            );
            return Ok(None);
        }
    };
    Ok(Some(document))
}

/// Validates each credential in `document` (see [`read_entries`] for `forced_type`).
pub fn check_document(document: &Value, forced_type: Option<&str>) -> anyhow::Result<CheckedFile> {
    let registry = Registry::global()?;
    let (entries, mut problems) = read_entries(document, forced_type);
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
    Ok(CheckedFile { valid, problems })
}

/// Prints each problem on stderr as `<file>: <json path>: <message>` and its hint.
pub fn print_problems(file: &Path, problems: &[FieldError]) {
    for problem in problems {
        eprintln!("{}", problem_text(file, "", problem));
    }
}

/// `<file>: <label><json path>: <message>` and the hint on a second line.
pub fn problem_text(file: &Path, label: &str, problem: &FieldError) -> String {
    let path = if problem.path.is_empty() {
        "(root)"
    } else {
        &problem.path
    };
    format!(
        "{}: {label}{path}: {}\n  hint: {}",
        file.display(),
        problem.message,
        problem.hint
    )
}

fn json_error_kind(error: &serde_json::Error) -> &'static str {
    match error.classify() {
        serde_json::error::Category::Io => "read error",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data => "unexpected data",
        serde_json::error::Category::Eof => "the file ends too early",
    }
}
