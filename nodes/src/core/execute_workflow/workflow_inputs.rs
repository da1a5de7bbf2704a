//! The items an Execute Workflow node hands its sub-workflow (n8n's
//! `getCurrentWorkflowInputData`): each input item's json with the v1.2+ `workflowInputs`
//! mapping's values over it, typed by the mapping's schema as n8n's resource mapper types them
//! (`validateFieldType`: strict unless `attemptToConvertTypes`, strings converted only with
//! `convertFieldsToString` or from v1.4 on), fields the schema marks `removed` dropped, each item
//! paired to its input item.

use serde_json::{Map, Value};

use crate::core::conditions::js::{stringify, to_js_string};
use crate::core::set::convert;
use crate::error::NodeError;
use crate::item::Item;
use crate::node::NodeContext;

/// How the mapping's values are typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Typing {
    /// No conversion between types (`attemptToConvertTypes` off).
    strict: bool,
    /// Values of string fields are converted to strings.
    parse_strings: bool,
}

/// The items for the sub-workflow's trigger, one per input item.
pub fn call_items(ctx: &NodeContext<'_>) -> Result<Vec<Item>, NodeError> {
    let flag = |key: &str| -> Result<bool, NodeError> {
        let value = ctx.optional_parameter(&format!("workflowInputs.{key}"), 0)?;
        Ok(value.and_then(|value| value.as_bool()).unwrap_or(false))
    };
    let typing = Typing {
        strict: !flag("attemptToConvertTypes")?,
        parse_strings: ctx.node().type_version >= 1.4 || flag("convertFieldsToString")?,
    };
    let schema = match ctx.optional_parameter("workflowInputs.schema", 0)? {
        Some(Value::Array(fields)) => fields,
        _ => Vec::new(),
    };
    let removed: Vec<&str> = schema
        .iter()
        .filter(|field| field.get("removed").and_then(Value::as_bool) == Some(true))
        .filter_map(|field| field.get("displayName").and_then(Value::as_str))
        .collect();
    ctx.input()
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let mut json = item.json.clone();
            json.extend(mapped_values(ctx, &schema, typing, index)?);
            json.retain(|key, _| !removed.contains(&key.as_str()));
            Ok(Item {
                binary: item.binary.clone(),
                ..Item::new(json, index)
            })
        })
        .collect()
}

/// The mapping's values for input item `index`, each typed by its schema entry.
fn mapped_values(
    ctx: &NodeContext<'_>,
    schema: &[Value],
    typing: Typing,
    index: usize,
) -> Result<Map<String, Value>, NodeError> {
    let Some(Value::Object(mut values)) = ctx.optional_parameter("workflowInputs.value", index)?
    else {
        return Ok(Map::new());
    };
    for (key, value) in values.iter_mut() {
        let kind = schema
            .iter()
            .find(|field| field.get("id").and_then(Value::as_str) == Some(key))
            .and_then(|field| field.get("type"))
            .and_then(Value::as_str);
        if let Some(kind) = kind {
            *value = typed(key, kind, value, typing).map_err(|description| {
                NodeError::expression(format!("Invalid input for '{key}' [item {index}]"))
                    .with_description(description)
                    .for_item(index)
            })?;
        }
    }
    Ok(values)
}

/// `value` as a field of type `kind`, or n8n's message when it is not one.
fn typed(key: &str, kind: &str, value: &Value, typing: Typing) -> Result<Value, String> {
    if value.is_null() {
        return Ok(Value::Null);
    }
    let refused = || format!("'{key}' expects a {kind} but we got {}", described(value));
    let already = match kind {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object() || value.is_array(),
        "array" => value.is_array(),
        _ => return Ok(value.clone()),
    };
    match kind {
        "string" if !typing.parse_strings => Ok(value.clone()),
        _ if typing.strict && !already => Err(refused()),
        "string" => Ok(Value::String(match value {
            Value::Array(_) | Value::Object(_) => stringify(value),
            other => to_js_string(Some(other)),
        })),
        _ => convert(kind, value).ok_or_else(refused),
    }
}

/// How n8n names a value in a type error (`getValueDescription`).
fn described(value: &Value) -> String {
    match value {
        Value::Array(_) => "array".to_owned(),
        Value::Object(_) => "object".to_owned(),
        other => format!("'{}'", to_js_string(Some(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const STRICT: Typing = Typing {
        strict: true,
        parse_strings: false,
    };
    const LOOSE: Typing = Typing {
        strict: false,
        parse_strings: true,
    };

    #[test]
    fn values_are_typed_as_n8n_types_them() {
        let cases = [
            ("number", json!(5), STRICT, Ok(json!(5))),
            (
                "number",
                json!("5"),
                STRICT,
                Err("'f' expects a number but we got '5'"),
            ),
            ("number", json!("5"), LOOSE, Ok(json!(5))),
            ("boolean", json!("true"), LOOSE, Ok(json!(true))),
            (
                "boolean",
                json!("maybe"),
                LOOSE,
                Err("'f' expects a boolean but we got 'maybe'"),
            ),
            ("string", json!(7), STRICT, Ok(json!(7))),
            ("string", json!(7), LOOSE, Ok(json!("7"))),
            ("string", json!({"a": 1}), LOOSE, Ok(json!("{\"a\":1}"))),
            ("array", json!("[1,2]"), LOOSE, Ok(json!([1, 2]))),
            (
                "array",
                json!({}),
                STRICT,
                Err("'f' expects a array but we got object"),
            ),
            ("object", json!("{'a': 1}"), LOOSE, Ok(json!({"a": 1}))),
            ("number", Value::Null, STRICT, Ok(Value::Null)),
            ("any", json!([1]), STRICT, Ok(json!([1]))),
        ];
        for (kind, value, typing, want) in cases {
            let got = typed("f", kind, &value, typing);
            assert_eq!(
                got,
                want.map_err(str::to_owned),
                "{kind} {value} {typing:?}"
            );
        }
    }
}
