//! The generated JSON Schemas committed under `schemas/`: produced here for `weft schema --write`
//! and for the drift test, so the two cannot disagree.

use std::path::Path;

use serde_json::{Value, json};
use weft_credentials::{CredentialType, Registry};
use weft_nodes::NodeRegistry;

use crate::workflow::parameter_schema;

/// One generated schema file: its path under `schemas/` and its text.
#[derive(Debug, PartialEq, Eq)]
pub struct SchemaFile {
    /// Relative path, e.g. `credentials/httpHeaderAuth.schema.json`.
    pub path: String,
    /// Pretty-printed JSON with a final newline.
    pub text: String,
}

/// Every schema weft generates, in path order: credential types, then each node typeVersion's
/// parameters.
pub fn generated() -> anyhow::Result<Vec<SchemaFile>> {
    let credentials = Registry::global()?
        .types()
        .map(|credential_type| SchemaFile {
            path: format!("credentials/{}.schema.json", credential_type.name),
            text: pretty((credential_type.schema)().as_value()),
        });
    let nodes = NodeRegistry::global()?.nodes().flat_map(|node| {
        let description = node.description();
        description.versions.iter().map(move |&version| SchemaFile {
            path: format!("nodes/{}@{version}.schema.json", description.name),
            text: pretty(&parameter_schema(description, version)),
        })
    });
    Ok(credentials.chain(nodes).collect())
}

/// What `weft credentials types --json` and `weft serve` tell of a credential type: name, n8n's
/// display name, grant and documentation address.
pub fn describe_type(credential_type: &CredentialType) -> Value {
    json!({
        "name": credential_type.name,
        "displayName": credential_type.display_name,
        "grant": credential_type.authenticate.label(),
        "documentationUrl": credential_type.documentation_url,
    })
}

/// Pretty JSON with a trailing newline, as the committed files are written.
pub fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values always serialise");
    text.push('\n');
    text
}

/// Writes every generated schema under `dir`, removing stale `*.schema.json` files.
pub fn write_all(dir: &Path) -> anyhow::Result<usize> {
    let files = generated()?;
    for stale in drift(dir)?.into_iter().filter_map(|drift| drift.stale) {
        std::fs::remove_file(dir.join(stale))?;
    }
    for file in &files {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, &file.text)?;
    }
    Ok(files.len())
}

/// A difference between the generated schemas and the files under `dir`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// A generated file that is missing or differs.
    pub changed: Option<String>,
    /// A file on disk that nothing generates any more.
    pub stale: Option<String>,
}

/// Every difference between the generated schemas and the files under `dir`.
pub fn drift(dir: &Path) -> anyhow::Result<Vec<Drift>> {
    let files = generated()?;
    let mut drifts: Vec<Drift> = files
        .iter()
        .filter(|file| {
            std::fs::read_to_string(dir.join(&file.path))
                .ok()
                .as_deref()
                != Some(file.text.as_str())
        })
        .map(|file| Drift {
            changed: Some(file.path.clone()),
            stale: None,
        })
        .collect();
    for subdir in ["credentials", "nodes"] {
        let Ok(listing) = std::fs::read_dir(dir.join(subdir)) else {
            continue;
        };
        for entry in listing {
            let path = format!("{subdir}/{}", entry?.file_name().to_string_lossy());
            if path.ends_with(".schema.json") && !files.iter().any(|file| file.path == path) {
                drifts.push(Drift {
                    changed: None,
                    stale: Some(path),
                });
            }
        }
    }
    Ok(drifts)
}
