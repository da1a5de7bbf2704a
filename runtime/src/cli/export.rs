//! `weft credentials export`: stored credentials as a JSON array of n8n `export:credentials` rows
//! (`id`, `name`, `type`, `data`, `createdAt`, `updatedAt`, `isManaged`), which both
//! `n8n import:credentials` and `weft credentials import` read back.
//!
//! The caller chooses what happens to secrets, there is no default: `--decrypted` writes the data
//! as stored (the only form that can be imported again), `--without-secrets` writes a copy to read
//! or share that keeps only the fields the type's JSON Schema describes and does not mark
//! `"x-secret": true`.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use serde_json::{Value, json};
use weft_credentials::Registry;

use super::credential_store::{describe, refused};
use crate::schemas::pretty;
use crate::secret_fields::public_fields;
use crate::store::{Store, StoreError, StoredCredential};

/// What an export does with secret fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Secrets {
    /// Export the data as stored, secrets in plain text.
    Decrypted,
    /// Drop every field that is or may be secret.
    Without,
}

/// `weft credentials export`: the credentials named in `selected` (ids or unique names; all when
/// empty) to `output`, else to stdout.
pub fn export(
    secrets: Option<Secrets>,
    output: Option<&Path>,
    selected: &[String],
) -> anyhow::Result<ExitCode> {
    let Some(secrets) = secrets else {
        eprintln!(
            "weft: say what to do with secrets: an export without them cannot be imported again, by weft or by n8n\n  hint: pass --decrypted for a complete export (keep the file private), or --without-secrets for a copy to read or share"
        );
        return Ok(ExitCode::from(2));
    };
    if secrets == Secrets::Decrypted && output.is_none() && std::io::stdout().is_terminal() {
        eprintln!(
            "weft: not printing decrypted secrets to a terminal\n  hint: pass --output <file>, or redirect the output to a file"
        );
        return Ok(ExitCode::from(2));
    }
    let store = Store::open_default()?;
    let credentials = match chosen(&store, selected) {
        Ok(credentials) => credentials,
        Err(error) => return refused(error),
    };
    let registry = Registry::global()?;
    let rows: Vec<Value> = credentials
        .iter()
        .map(|credential| {
            let summary = &credential.summary;
            let data = match secrets {
                Secrets::Decrypted => credential.data.clone(),
                Secrets::Without => {
                    let schema = registry
                        .get(&summary.type_name)
                        .map(|credential_type| (credential_type.schema)().as_value().clone());
                    public_fields(schema.as_ref().unwrap_or(&Value::Null), &credential.data)
                }
            };
            json!({
                "id": summary.id,
                "name": summary.name,
                "type": summary.type_name,
                "data": data,
                "createdAt": summary.created_at,
                "updatedAt": summary.updated_at,
                "isManaged": false,
            })
        })
        .collect();
    let text = pretty(&Value::Array(rows));
    match output {
        Some(path) => {
            write_private(path, &text)?;
            for credential in &credentials {
                println!("exported {}", describe(&credential.summary));
            }
        }
        None => std::io::stdout().write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The credentials named in `selected`, each once, in the order given; every stored credential
/// (by name, then id) when `selected` is empty.
fn chosen(store: &Store, selected: &[String]) -> Result<Vec<StoredCredential>, StoreError> {
    let wanted: Vec<String> = if selected.is_empty() {
        store
            .list_credentials()?
            .into_iter()
            .map(|summary| summary.id)
            .collect()
    } else {
        selected.to_vec()
    };
    let mut credentials: Vec<StoredCredential> = Vec::new();
    for id_or_name in wanted {
        let credential = store
            .get_credential(&id_or_name)?
            .ok_or(StoreError::UnknownCredential { id: id_or_name })?;
        if !credentials
            .iter()
            .any(|known| known.summary.id == credential.summary.id)
        {
            credentials.push(credential);
        }
    }
    Ok(credentials)
}

/// Writes `text` to `path` readable by the owner only (an export may hold secrets), replacing
/// the file at once so a reader never sees half of it.
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".weft-export-");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600));
    let mut file = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", file.path().display()))?;
    file.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
