//! lodash's `get`, `isEqual`, `lt` and `pick`, and n8n's `flattenKeys` and `prepareFieldsArray`,
//! over item JSON, as n8n's data nodes (Sort, Remove Duplicates, Aggregate) use them.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::conditions::js::to_number;
use super::merge::equality::strict_equal;
use super::paths::{copy_path, get_path};
use crate::error::NodeError;

/// n8n's description of a dotted field not found while dot notation is off.
pub const NESTED_FIELD_HINT: &str = "If you're trying to use a nested field, make sure you turn off 'disable dot notation' in the node options";

/// lodash's `get`: a key present as written wins, else the dot/bracket path.
pub fn get<'v>(json: &'v Map<String, Value>, path: &str) -> Option<&'v Value> {
    json.get(path).or_else(|| get_path(json, path))
}

/// A field read with dot notation (lodash's `get`) or as a plain key.
pub fn field<'v>(
    json: &'v Map<String, Value>,
    name: &str,
    dot_notation: bool,
) -> Option<&'v Value> {
    if dot_notation {
        get(json, name)
    } else {
        json.get(name)
    }
}

/// lodash's `isEqual` (`None` is `undefined`).
pub fn is_equal(left: Option<&Value>, right: Option<&Value>) -> bool {
    match (left, right) {
        (None, None) => true,
        (Some(Value::String(left)), Some(Value::String(right))) => left == right,
        (Some(Value::Number(left)), Some(Value::Number(right))) => left.as_f64() == right.as_f64(),
        (Some(left @ (Value::Array(_) | Value::Object(_))), Some(right)) => {
            strict_equal(left, right)
        }
        (Some(left), Some(right)) => left == right,
        _ => false,
    }
}

/// lodash's `lt`: two strings compare by UTF-16 code units, anything else as numbers (so
/// `undefined`, objects and text that is not a number are NaN, and never less).
pub fn lt(left: Option<&Value>, right: Option<&Value>) -> bool {
    match (left, right) {
        (Some(Value::String(left)), Some(Value::String(right))) => {
            left.encode_utf16().cmp(right.encode_utf16()) == Ordering::Less
        }
        _ => to_number(left) < to_number(right),
    }
}

/// lodash's `pick` of `paths` from `json` (a path's value lands at the same path).
pub fn pick(json: &Map<String, Value>, paths: &[String]) -> Map<String, Value> {
    let mut picked = Map::new();
    for path in paths {
        if let Some(value) = json.get(path) {
            picked.insert(path.clone(), value.clone());
        } else if let Some(value) = get_path(json, path) {
            copy_path(&mut picked, path, value.clone());
        }
    }
    picked
}

/// `Object.keys` of n8n's `flattenKeys(json)`: the dotted path of every leaf (array elements by
/// index; an empty object or array has none), each once, in JavaScript's key order.
pub fn flattened_keys(json: &Map<String, Value>) -> Vec<String> {
    let mut keys = Vec::new();
    for key in js_key_order(json.keys().cloned().collect()) {
        flatten_into(&json[&key], key, &mut keys);
    }
    js_key_order(dedup(keys))
}

fn flatten_into(value: &Value, prefix: String, keys: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            for key in js_key_order(fields.keys().cloned().collect()) {
                flatten_into(&fields[&key], format!("{prefix}.{key}"), keys);
            }
        }
        Value::Array(elements) => {
            for (index, value) in elements.iter().enumerate() {
                flatten_into(value, format!("{prefix}.{index}"), keys);
            }
        }
        _ => keys.push(prefix),
    }
}

fn dedup(keys: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    keys.into_iter()
        .filter(|key| seen.insert(key.clone()))
        .collect()
}

/// `Object.keys` order: array-index keys (`0`, `17`) first in numeric order, then the rest as
/// inserted.
pub fn js_key_order(keys: Vec<String>) -> Vec<String> {
    let index = |key: &str| {
        (key == "0" || !key.starts_with('0'))
            .then(|| key.parse::<u32>().ok())
            .flatten()
            .filter(|index| *index < u32::MAX && key.bytes().all(|b| b.is_ascii_digit()))
    };
    let (mut indexes, names): (Vec<String>, Vec<String>) =
        keys.into_iter().partition(|key| index(key).is_some());
    indexes.sort_by_key(|key| index(key));
    indexes.extend(names);
    indexes
}

/// n8n's `prepareFieldsArray`: a comma-separated string's trimmed, non-empty names, or an
/// array as it is; anything else is refused, naming the parameter (`label`).
pub fn fields_list(value: Option<Value>, label: &str) -> Result<Vec<String>, NodeError> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::String(text)) => Ok(text
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .collect()),
        Some(Value::Array(names)) => Ok(names
            .iter()
            .map(|name| match name {
                Value::String(text) => text.clone(),
                other => super::conditions::js::to_js_string(Some(other)),
            })
            .collect()),
        Some(_) => Err(NodeError::operation(format!(
            "The '{label}' parameter must be a string of fields separated by commas or an array of strings."
        ))
        .with_description("hint: write the field names separated by commas, e.g. `email, name`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn lt_compares_strings_as_text_and_the_rest_as_numbers() {
        let cases = [
            (json!("a"), json!("b"), true),
            (json!("B"), json!("a"), true),
            (json!("10"), json!("9"), true),
            (json!(10), json!("9"), false),
            (json!(null), json!(1), true),
            (json!(true), json!(2), true),
            (json!([1]), json!(2), true),
            (json!({}), json!(2), false),
            (json!("x"), json!(2), false),
            (json!("\u{ff61}"), json!("\u{1F600}"), false),
        ];
        for (left, right, expected) in cases {
            assert_eq!(lt(Some(&left), Some(&right)), expected, "{left} < {right}");
        }
        assert!(!lt(None, Some(&json!(1))));
        assert!(!lt(Some(&json!(1)), None));
    }

    #[test]
    fn flattened_keys_follow_n8n() {
        let json = object(json!({
            "b": 1, "a": {"x": [1, {"y": 2}], "e": {}, "l": []}, "7": true, "c": null
        }));
        assert_eq!(flattened_keys(&json), ["7", "b", "a.x.0", "a.x.1.y", "c"]);
    }

    #[test]
    fn get_and_pick_prefer_a_key_written_with_a_dot() {
        let json = object(json!({"a.b": 1, "a": {"b": 2, "c": 3}, "d": 4}));
        assert_eq!(get(&json, "a.b"), Some(&json!(1)));
        assert_eq!(get(&json, "a.c"), Some(&json!(3)));
        assert_eq!(
            Value::Object(pick(&json, &["a.c".into(), "d".into(), "zz".into()])),
            json!({"a": {"c": 3}, "d": 4})
        );
    }

    #[test]
    fn field_lists_are_split_or_refused() {
        assert_eq!(
            fields_list(Some(json!(" a, ,b.c ")), "Fields").unwrap(),
            ["a", "b.c"]
        );
        assert_eq!(fields_list(Some(json!(["x"])), "Fields").unwrap(), ["x"]);
        let error = fields_list(Some(json!(3)), "Fields To Exclude").unwrap_err();
        assert!(error.message.contains("'Fields To Exclude' parameter"));
    }
}
