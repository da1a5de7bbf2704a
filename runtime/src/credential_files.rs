//! Credential files as users bring them: an n8n `export:credentials --decrypted` file (an array
//! of rows or one row) or, with an explicit type, a bare data object.

use serde_json::Value;
use weft_credentials::FieldError;

/// One credential found in a file.
#[derive(Debug)]
pub struct CredentialEntry {
    /// JSON path of the entry in the file (`[2]`, or empty for the whole file).
    pub path: String,
    /// n8n's credential id, kept so workflows' references resolve.
    pub id: Option<String>,
    /// The display name.
    pub name: Option<String>,
    /// The credential type name.
    pub type_name: String,
    /// The credential data.
    pub data: Value,
}

impl CredentialEntry {
    /// The JSON path of the entry's data, as field errors are reported under.
    pub fn data_path(&self) -> String {
        if self.is_row() {
            self.field_path("data")
        } else {
            self.path.clone()
        }
    }

    /// The JSON path of one of the entry's own fields (`id`, `name`, ...).
    pub fn field_path(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// True for a row of an export file, false for a bare data object given with a type.
    pub fn is_row(&self) -> bool {
        self.id.is_some() || self.name.is_some() || !self.path.is_empty()
    }
}

/// Finds the credentials in `document`: the rows that can be read, and a problem for each row
/// that cannot. `forced_type` (from `--type`) lets a bare data object stand for one credential,
/// and must match the `type` of every row.
pub fn read_entries(
    document: &Value,
    forced_type: Option<&str>,
) -> (Vec<CredentialEntry>, Vec<FieldError>) {
    let rows: Vec<(String, &Value)> = match document {
        Value::Array(rows) => rows
            .iter()
            .enumerate()
            .map(|(index, row)| (format!("[{index}]"), row))
            .collect(),
        Value::Object(_) if is_export(document) => vec![(String::new(), document)],
        Value::Object(_) => {
            return match forced_type {
                Some(type_name) => (
                    vec![CredentialEntry {
                        path: String::new(),
                        id: None,
                        name: None,
                        type_name: type_name.to_owned(),
                        data: document.clone(),
                    }],
                    Vec::new(),
                ),
                None => (
                    Vec::new(),
                    vec![FieldError::new(
                        "",
                        "is neither an n8n credential export nor typed data",
                        "pass --type <type> for a bare data object, or use a file from `n8n export:credentials --decrypted`",
                    )],
                ),
            };
        }
        _ => {
            return (
                Vec::new(),
                vec![FieldError::new(
                    "",
                    "must be a JSON object or an array of credential rows",
                    "use a file from `n8n export:credentials --decrypted`, or a data object with --type",
                )],
            );
        }
    };
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for (path, row) in rows {
        match read_row(&path, row, forced_type) {
            Ok(entry) => entries.push(entry),
            Err(error) => errors.push(error),
        }
    }
    (entries, errors)
}

/// True when `document` is shaped like an export (an array of rows, or one row with `type` and
/// `data`) rather than a bare data object.
pub fn is_export(document: &Value) -> bool {
    match document {
        Value::Array(_) => true,
        Value::Object(object) => object.contains_key("data") && object.contains_key("type"),
        _ => false,
    }
}

fn read_row(
    path: &str,
    row: &Value,
    forced_type: Option<&str>,
) -> Result<CredentialEntry, FieldError> {
    let text = |key: &str| row.get(key).and_then(Value::as_str).map(str::to_owned);
    let type_name = text("type").ok_or_else(|| {
        FieldError::new(
            join(path, "type"),
            "is required and must be a string",
            "every row of an n8n export names its credential type",
        )
    })?;
    if let Some(forced) = forced_type.filter(|forced| *forced != type_name) {
        return Err(FieldError::new(
            join(path, "type"),
            format!("is `{type_name}`, not `{forced}` as --type says"),
            "drop --type to validate each row by its own type",
        ));
    }
    let data = match row.get("data") {
        Some(data @ Value::Object(_)) => data.clone(),
        Some(Value::String(_)) => {
            return Err(FieldError::new(
                join(path, "data"),
                "is encrypted",
                "re-export with `n8n export:credentials --decrypted`",
            ));
        }
        _ => {
            return Err(FieldError::new(
                join(path, "data"),
                "is required and must be an object",
                "every row of an n8n export carries its data object",
            ));
        }
    };
    Ok(CredentialEntry {
        path: path.to_owned(),
        id: text("id"),
        name: text("name"),
        type_name,
        data,
    })
}

fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_owned()
    } else {
        format!("{parent}.{child}")
    }
}
