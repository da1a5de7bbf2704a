//! What a Code node's JavaScript returned, turned into items as n8n does: its result checks
//! (`Code doesn't return items properly`, reserved and unknown top-level keys, `json` and
//! `binary` that are not objects) and `normalizeItems` (plain objects wrapped into `{json}`,
//! a single object as one item, `null` as no output). Thrown errors get ` [line N]`.

use serde_json::{Map, Value};

use crate::core::conditions::js::truthy;
use crate::error::NodeError;
use crate::item::Item;
use crate::script::ScriptFailure;

/// The keys n8n reads as an item's own, not as its data.
const ITEM_KEYS: [&str; 5] = ["json", "binary", "pairedItem", "error", "index"];

const NOT_ITEMS: &str = "Code doesn't return items properly";
const NOT_ITEMS_HINT: &str =
    "Please return an array of objects, one for each item you would like to output.";

/// n8n's `ValidationError`: `[item N]` after the message and `context.itemIndex` when it
/// concerns one item.
fn invalid(message: &str, description: String, item: Option<usize>) -> NodeError {
    match item {
        Some(index) => NodeError::operation(format!("{message} [item {index}]"))
            .with_description(description)
            .with_context("itemIndex", Value::from(index)),
        None => NodeError::operation(message).with_description(description),
    }
}

/// The text of a thrown error as the Code node reports it: the message, then `[line N]`.
fn failure_message(failure: &ScriptFailure) -> String {
    match failure.line {
        Some(line) => format!("{} [line {line}]", failure.message),
        None => failure.message.clone(),
    }
}

/// The node error for a thrown error: n8n's `WrappedExecutionError`, its description the
/// error's type unless it is a plain `Error`.
pub(crate) fn failure_error(failure: &ScriptFailure) -> NodeError {
    let error = NodeError::execution(failure_message(failure));
    match &failure.error_type {
        Some(error_type) => error.with_description(error_type.clone()),
        None => error,
    }
}

/// The items of a `runOnceForAllItems` run that returned `returned` (`None`: `undefined`).
pub(crate) fn all_items(returned: Option<Value>) -> Result<Vec<Item>, NodeError> {
    let not_items = || invalid(NOT_ITEMS, NOT_ITEMS_HINT.to_owned(), None);
    let values = match returned {
        Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(values)) => {
            if values.iter().any(|value| !value.is_object()) {
                return Err(not_items());
            }
            let strict = values.iter().any(|value| has_item_key(as_object(value)));
            if strict {
                for (index, value) in values.iter().enumerate() {
                    check_top_level_keys(as_object(value), index)?;
                }
            }
            values
        }
        Some(object @ Value::Object(_)) => vec![object],
        _ => return Err(not_items()),
    };
    normalize(values)?
        .into_iter()
        .enumerate()
        .map(|(index, value)| into_item(value, Some(index)))
        .collect()
}

/// The item of a `runOnceForEachItem` run for input item `index` that returned `returned`:
/// `None` when it returned nothing (a falsy value), as n8n skips those. As n8n's task runner,
/// anything but an object with `json` or `binary` becomes the item's `json` (so an array or a
/// string fails the check that `json` is an object), and the item is paired to `index`.
pub(super) fn each_item(returned: Option<Value>, index: usize) -> Result<Option<Item>, NodeError> {
    let Some(returned) = returned.filter(|value| truthy(Some(value))) else {
        return Ok(None);
    };
    let mut item = Map::new();
    let json = match returned {
        Value::Object(mut object) => match object.remove("json") {
            Some(json) => {
                if let Some(binary) = object.remove("binary") {
                    item.insert("binary".to_owned(), binary);
                }
                json
            }
            None if object.contains_key("binary") => {
                item.insert(
                    "binary".to_owned(),
                    object.remove("binary").unwrap_or_default(),
                );
                Value::Object(Map::new())
            }
            None => Value::Object(object),
        },
        other => other,
    };
    item.insert("json".to_owned(), json);
    into_item(Value::Object(item), Some(index)).map(|item| Some(item.paired_to(index)))
}

/// n8n's `normalizeItems`: items as they are when each has `json`, else each wrapped as
/// `{json}` (`binary` kept beside it when every one has `binary`).
pub(crate) fn normalize(values: Vec<Value>) -> Result<Vec<Value>, NodeError> {
    let has = |key: &str| {
        let count = values
            .iter()
            .filter(|value| as_object(value).contains_key(key))
            .count();
        (count == values.len(), count > 0)
    };
    let inconsistent = || NodeError::operation("Inconsistent item format");
    match (has("json"), has("binary")) {
        ((true, _), _) => Ok(values),
        ((false, true), _) => Err(inconsistent()),
        (_, (true, _)) => Ok(values
            .into_iter()
            .map(|value| {
                let mut json = as_object(&value).clone();
                let binary = json.remove("binary").unwrap_or_default();
                Value::Object(Map::from_iter([
                    ("json".to_owned(), Value::Object(json)),
                    ("binary".to_owned(), binary),
                ]))
            })
            .collect()),
        (_, (false, true)) => Err(inconsistent()),
        _ => Ok(values
            .into_iter()
            .map(|json| Value::Object(Map::from_iter([("json".to_owned(), json)])))
            .collect()),
    }
}

/// One normalised item, after n8n's checks that `json` and `binary` are objects.
fn into_item(mut value: Value, index: Option<usize>) -> Result<Item, NodeError> {
    let object = as_object(&value);
    let not_object = |key: &str| {
        invalid(
            &format!("A '{key}' property isn't an object"),
            format!("In the returned data, every key named '{key}' must point to an object."),
            index,
        )
    };
    if !object.get("json").is_some_and(Value::is_object) {
        return Err(not_object("json"));
    }
    if object
        .get("binary")
        .is_some_and(|binary| !binary.is_object())
    {
        return Err(not_object("binary"));
    }
    if let Some(object) = value.as_object_mut() {
        object.remove("index");
        object.remove("error");
    }
    serde_json::from_value(value).map_err(|error| {
        invalid(
            "The returned item could not be read",
            format!("hint: check its binary data and pairedItem ({error})"),
            index,
        )
    })
}

/// n8n's check that an item has no keys besides its own, when one of them is its own.
fn check_top_level_keys(object: &Map<String, Value>, index: usize) -> Result<(), NodeError> {
    let Some(unknown) = object.keys().find(|key| !ITEM_KEYS.contains(&key.as_str())) else {
        return Ok(());
    };
    match object.keys().find(|key| ITEM_KEYS.contains(&key.as_str())) {
        Some(reserved) => Err(invalid(
            "Invalid output format",
            format!(
                "An output item contains the reserved key <code>{reserved}</code>. To get around this, please wrap each item in an object, under a key called <code>json</code>. <a href=\"https://docs.n8n.io/data/data-structure/#data-structure\" target=\"_blank\">Example</a>"
            ),
            Some(index),
        )),
        None => Err(invalid(
            &format!("Unknown top-level item key: {unknown}"),
            "Access the properties of an item under `.json`, e.g. `item.json`".to_owned(),
            Some(index),
        )),
    }
}

fn has_item_key(object: &Map<String, Value>) -> bool {
    object.keys().any(|key| ITEM_KEYS.contains(&key.as_str()))
}

fn as_object(value: &Value) -> &Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    value
        .as_object()
        .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// What the code returned (`None`: `undefined`).
    type Returned = Option<Value>;
    /// The items, or the error's message and (when checked) description.
    type AllExpected = Result<Value, (&'static str, Option<&'static str>)>;
    /// The item (`None`: skipped), or the error's message.
    type EachExpected = Result<Option<Value>, &'static str>;

    #[test]
    fn all_items_returns_are_normalised_and_checked_as_n8n_does() {
        let cases: Vec<(Returned, AllExpected)> = vec![
            (None, Err((NOT_ITEMS, Some(NOT_ITEMS_HINT)))),
            (Some(json!("done")), Err((NOT_ITEMS, Some(NOT_ITEMS_HINT)))),
            (Some(json!([1, 2])), Err((NOT_ITEMS, Some(NOT_ITEMS_HINT)))),
            (Some(json!(null)), Ok(json!([]))),
            (Some(json!([])), Ok(json!([]))),
            (Some(json!({ "a": 1 })), Ok(json!([{ "json": { "a": 1 } }]))),
            (
                Some(json!({ "json": { "a": 1 } })),
                Ok(json!([{ "json": { "a": 1 } }])),
            ),
            (
                Some(json!([{ "a": 1 }, { "b": 2 }])),
                Ok(json!([{ "json": { "a": 1 } }, { "json": { "b": 2 } }])),
            ),
            (
                Some(json!([{ "json": { "a": 1 }, "pairedItem": { "item": 3 } }])),
                Ok(json!([{ "json": { "a": 1 }, "pairedItem": { "item": 3 } }])),
            ),
            (
                Some(json!([{ "json": {}, "extra": 1 }])),
                Err(("Invalid output format [item 0]", None)),
            ),
            (
                Some(json!([{ "json": {} }, { "a": 1 }])),
                Err(("Unknown top-level item key: a [item 1]", None)),
            ),
            (
                Some(json!([{ "json": [1] }])),
                Err((
                    "A 'json' property isn't an object [item 0]",
                    Some("In the returned data, every key named 'json' must point to an object."),
                )),
            ),
            (
                Some(json!([{ "json": {}, "binary": 3 }])),
                Err(("A 'binary' property isn't an object [item 0]", None)),
            ),
        ];
        for (returned, expected) in cases {
            let got = all_items(returned.clone());
            match expected {
                Ok(items) => assert_eq!(
                    serde_json::to_value(got.unwrap()).unwrap(),
                    items,
                    "{returned:?}"
                ),
                Err((message, description)) => {
                    let error = got.unwrap_err();
                    assert_eq!(error.message, message, "{returned:?}");
                    if let Some(description) = description {
                        assert_eq!(error.description.as_deref(), Some(description));
                    }
                }
            }
        }
    }

    #[test]
    fn each_item_returns_are_paired_to_their_input_item() {
        let cases: Vec<(Returned, EachExpected)> = vec![
            (None, Ok(None)),
            (Some(json!(null)), Ok(None)),
            (Some(json!(0)), Ok(None)),
            (Some(json!("")), Ok(None)),
            (
                Some(json!({ "a": 1 })),
                Ok(Some(
                    json!({ "json": { "a": 1 }, "pairedItem": { "item": 2 } }),
                )),
            ),
            (
                Some(json!({ "json": { "a": 1 }, "pairedItem": { "item": 0 } })),
                Ok(Some(
                    json!({ "json": { "a": 1 }, "pairedItem": { "item": 2 } }),
                )),
            ),
            (
                Some(json!("done")),
                Err("A 'json' property isn't an object [item 2]"),
            ),
            (
                Some(json!([{ "a": 1 }])),
                Err("A 'json' property isn't an object [item 2]"),
            ),
        ];
        for (returned, expected) in cases {
            let got = each_item(returned.clone(), 2)
                .map(|item| item.map(|item| serde_json::to_value(item).unwrap()));
            match expected {
                Ok(item) => assert_eq!(got.unwrap(), item, "{returned:?}"),
                Err(message) => assert_eq!(got.unwrap_err().message, message),
            }
        }
    }

    #[test]
    fn thrown_errors_name_the_line_and_their_type() {
        let failure = ScriptFailure {
            message: "Order SO-1004 has no email".to_owned(),
            error_type: None,
            line: Some(3),
        };
        let error = failure_error(&failure);
        assert_eq!(error.message, "Order SO-1004 has no email [line 3]");
        assert_eq!(error.description, None);
        assert_eq!(error.kind.name(), "WrappedExecutionError");
        let typed = ScriptFailure {
            error_type: Some("TypeError".to_owned()),
            line: None,
            ..failure
        };
        assert_eq!(
            failure_error(&typed).description.as_deref(),
            Some("TypeError")
        );
    }
}
