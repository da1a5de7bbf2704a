//! `weft credentials import|add|list|remove`: credentials in the encrypted store
//! (`$WEFT_HOME/weft.db`, key from `WEFT_ENCRYPTION_KEY` or the key file).
//!
//! Every credential is validated against its type before anything is stored, and an import stores
//! all of a file or nothing. Output shows ids, names, types and timestamps, never data.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use weft_credentials::FieldError;

use super::credential_check::{check_document, check_file, print_problems, read_json};
use super::credential_form;
use super::table;
use super::terminal_text::escaped;
use crate::credential_files::{CredentialEntry, is_export};
use crate::store::{CredentialSummary, NewCredential, Store, StoreError};

/// `weft credentials import`: every credential of an n8n `export:credentials --decrypted` file or
/// a weft export, keeping ids and names; a stored credential with the same id is replaced.
pub fn import(file: &Path, forced_type: Option<&str>) -> anyhow::Result<ExitCode> {
    let Some(checked) = check_file(file, forced_type)? else {
        return Ok(ExitCode::from(1));
    };
    let (new, identity_problems) = with_ids(checked.valid);
    let problems: Vec<FieldError> = checked
        .problems
        .into_iter()
        .chain(identity_problems)
        .collect();
    if !problems.is_empty() {
        print_problems(file, &problems);
        eprintln!("weft: nothing was imported (hint: fix the problems above and import again)");
        return Ok(ExitCode::from(1));
    }
    match Store::open_default()?.upsert_credentials(new) {
        Ok(imported) => {
            for summary in &imported {
                println!("imported {}", describe(summary));
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => refused(error),
    }
}

/// `weft credentials add`: one credential from a file holding its data object or, without one,
/// from the interactive form.
pub fn add(
    type_name: Option<&str>,
    name: Option<&str>,
    data_file: Option<&Path>,
    id: Option<String>,
) -> anyhow::Result<ExitCode> {
    match (data_file, type_name, name) {
        (Some(data_file), Some(type_name), Some(name)) => add_file(type_name, name, data_file, id),
        (None, ..) => credential_form::add(type_name, name, id),
        _ => unreachable!("clap requires --type and --name with --data"),
    }
}

/// `weft credentials add --data <file>`.
fn add_file(
    type_name: &str,
    name: &str,
    data_file: &Path,
    id: Option<String>,
) -> anyhow::Result<ExitCode> {
    let Some(document) = read_json(data_file)? else {
        return Ok(ExitCode::from(1));
    };
    if is_export(&document) {
        let problem = FieldError::new(
            "",
            "is a credential export, not a data object",
            format!(
                "use `weft credentials import {}`, which keeps the ids and names in the file",
                data_file.display()
            ),
        );
        print_problems(data_file, &[problem]);
        return Ok(ExitCode::from(1));
    }
    let checked = check_document(&document, Some(type_name))?;
    let Some(entry) = checked.valid.into_iter().next() else {
        print_problems(data_file, &checked.problems);
        return Ok(ExitCode::from(1));
    };
    insert(
        Store::open_default()?,
        NewCredential {
            id,
            name: name.to_owned(),
            type_name: entry.type_name,
            data: entry.data,
        },
    )
}

/// Stores a new, validated credential and prints its id: the end of every `add`.
pub(super) fn insert(store: Store, new: NewCredential) -> anyhow::Result<ExitCode> {
    match store.insert_credential(new) {
        Ok(summary) => {
            println!("{}", summary.id);
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => refused(error),
    }
}

/// `weft credentials list`: id, name, type and timestamps of every stored credential.
pub fn list(as_json: bool) -> anyhow::Result<ExitCode> {
    let credentials = Store::open_default()?.list_credentials()?;
    if as_json {
        println!("{}", serde_json::to_string_pretty(&credentials)?);
    } else {
        let rows: Vec<Vec<String>> = credentials
            .into_iter()
            .map(|c| vec![c.id, c.name, c.type_name, c.created_at, c.updated_at])
            .collect();
        table::print(&["ID", "NAME", "TYPE", "CREATED", "UPDATED"], &rows);
    }
    Ok(ExitCode::SUCCESS)
}

/// `weft credentials remove`: the credential with this id (or unique name) and its session.
pub fn remove(id_or_name: &str) -> anyhow::Result<ExitCode> {
    match Store::open_default()?.remove_credential(id_or_name) {
        Ok(true) => {
            println!("removed {}", escaped(id_or_name));
            Ok(ExitCode::SUCCESS)
        }
        Ok(false) => refused(StoreError::UnknownCredential {
            id: id_or_name.to_owned(),
        }),
        Err(error) => refused(error),
    }
}

/// Reports a store error. When the request named something wrong (an unknown or ambiguous
/// credential, an invalid or taken id) it is printed and the exit status is 1; anything else (a
/// wrong key, an unreadable database) is returned for the caller to report with status 2.
pub(super) fn refused(error: StoreError) -> anyhow::Result<ExitCode> {
    match error {
        StoreError::UnknownCredential { .. }
        | StoreError::AmbiguousName { .. }
        | StoreError::InvalidId { .. }
        | StoreError::DuplicateId { .. }
        | StoreError::DataNotObject { .. } => {
            eprintln!("weft: {error}");
            Ok(ExitCode::from(1))
        }
        other => Err(other.into()),
    }
}

/// `<id> <type> "<name>"`, how the commands name a stored credential.
pub(super) fn describe(summary: &CredentialSummary) -> String {
    format!(
        "{} {} \"{}\"",
        escaped(&summary.id),
        summary.type_name,
        escaped(&summary.name)
    )
}

/// The credentials to store for the valid entries of an import file, and a problem for each entry
/// without an id (or with the id of an earlier entry): imports keep ids, so workflows' references
/// resolve. A missing name falls back to the id.
fn with_ids(entries: Vec<CredentialEntry>) -> (Vec<NewCredential>, Vec<FieldError>) {
    let mut new = Vec::new();
    let mut problems = Vec::new();
    let mut first_path_of: HashMap<String, String> = HashMap::new();
    for entry in entries {
        let Some(id) = entry.id.clone() else {
            problems.push(missing_id(&entry));
            continue;
        };
        if let Some(first) = first_path_of.get(&id) {
            problems.push(FieldError::new(
                entry.field_path("id"),
                format!("repeats the id of {first}"),
                "give every credential its own id, or drop the duplicate row",
            ));
            continue;
        }
        first_path_of.insert(id.clone(), entry.path.clone());
        new.push(NewCredential {
            name: entry.name.unwrap_or_else(|| id.clone()),
            id: Some(id),
            type_name: entry.type_name,
            data: entry.data,
        });
    }
    (new, problems)
}

fn missing_id(entry: &CredentialEntry) -> FieldError {
    if entry.is_row() {
        FieldError::new(
            entry.field_path("id"),
            "is required",
            "import keeps n8n's ids so workflows find their credentials; export with `n8n export:credentials --decrypted`, or use `weft credentials add` for a credential without an id",
        )
    } else {
        FieldError::new(
            "",
            "is a bare data object, which has no id or name",
            "use `weft credentials add --type <type> --name <name> --data <file>` for one credential's data",
        )
    }
}
