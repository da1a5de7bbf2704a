//! Validation of record bodies for create and update, with Salesforce's error codes: unknown field
//! (`INVALID_FIELD`), read-only field (`INVALID_FIELD_FOR_INSERT_UPDATE`), bad values
//! (`JSON_PARSER_ERROR`, `INVALID_EMAIL_ADDRESS`), bad references (`MALFORMED_ID`,
//! `INVALID_CROSS_REFERENCE_KEY`), missing required fields (`REQUIRED_FIELD_MISSING`) and unique
//! duplicates (`DUPLICATE_VALUE`).

use crate::fake::error::ApiError;
use crate::fake::ids;
use crate::fake::schema::FieldType;
use crate::fake::store::Store;
use crate::fake::value::Value;
use serde_json::{Map, Value as Json};

/// What the values are for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Create,
    /// Update of record number `n`.
    Update(u64),
}

/// Checks `body` for table `t` and returns the `(field index, value)` pairs to write.
pub fn prepare(
    store: &Store,
    t: usize,
    body: &Map<String, Json>,
    mode: Mode,
    now: i64,
) -> Result<Vec<(usize, Value)>, ApiError> {
    let def = &store.get(t).def;
    let mut values = Vec::new();
    let mut read_only = Vec::new();
    for (key, json) in body {
        if key == "attributes" {
            continue;
        }
        let (idx, field) = def.field(key).ok_or_else(|| {
            ApiError::bad(
                "INVALID_FIELD",
                format!("No such column '{key}' on sobject of type {}", def.name),
            )
        })?;
        let writable = match mode {
            Mode::Create => field.createable,
            Mode::Update(_) => field.updateable,
        };
        if !writable {
            read_only.push(field.name.clone());
            continue;
        }
        let mut value = Value::from_input(field, json)?;
        if field.kind == FieldType::Reference
            && let Value::Str(text) = &value
        {
            let id = ids::normalize(text).ok_or_else(|| {
                ApiError::field(
                    "MALFORMED_ID",
                    format!("{}: id value of incorrect type: {text}", field.label),
                    vec![field.name.clone()],
                )
            })?;
            let target_ok = store.record(&id, now).is_some_and(|(pt, _, row)| {
                !row.is_deleted() && field.reference_to.contains(&store.get(pt).def.name)
            });
            if !target_ok {
                return Err(ApiError::field(
                    "INVALID_CROSS_REFERENCE_KEY",
                    "invalid cross reference id",
                    vec![field.name.clone()],
                ));
            }
            value = Value::Str(id);
        }
        values.push((idx, value));
    }
    if !read_only.is_empty() {
        let verb = if mode == Mode::Create {
            "create"
        } else {
            "update"
        };
        return Err(ApiError::field(
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            format!(
                "Unable to {verb} fields: {}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                read_only.join(", ")
            ),
            read_only,
        ));
    }
    let missing: Vec<String> = def
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.required && f.createable)
        .filter(|(i, _)| {
            let given = values.iter().find(|(j, _)| j == i).map(|(_, v)| v);
            match mode {
                Mode::Create => given.is_none_or(|v| *v == Value::Null),
                Mode::Update(_) => given.is_some_and(|v| *v == Value::Null),
            }
        })
        .map(|(_, f)| f.name.clone())
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::field(
            "REQUIRED_FIELD_MISSING",
            format!("Required fields are missing: [{}]", missing.join(", ")),
            missing,
        ));
    }
    for (idx, value) in &values {
        let field = &def.fields[*idx];
        if !field.unique || *value == Value::Null {
            continue;
        }
        let clash = store
            .find(t, *idx, value, now)
            .into_iter()
            .find(|&n| mode != Mode::Update(n));
        if let Some(n) = clash {
            let other = ids::make(&def.key_prefix, n);
            return Err(ApiError::field(
                "DUPLICATE_VALUE",
                format!(
                    "duplicate value found: {} duplicates value on record with id: {other}",
                    field.name
                ),
                vec![field.name.clone()],
            ));
        }
    }
    Ok(values)
}
