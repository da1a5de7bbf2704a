//! Edit Fields (Set) (`n8n-nodes-base.set`, typeVersions 3 to 3.5; 1 and 2 in `legacy`): one
//! output item per input item, built from the fields to set and, as chosen, the input's fields.
//! 3.5 differs from 3.4 only in copying values n8n may hold as live objects (Luxon dates), which
//! weft's JSON values never are.
//!
//! Modes: `manual` (typeVersion 3.3+: `assignments.assignments[] { name, value, type }`; before:
//! `fields.values[] { name, type, stringValue | numberValue | … }`), each value checked and
//! converted to its type as n8n's `validateEntry` does; `raw` (`jsonOutput`, a JSON object). Input
//! fields: from 3.3 `includeOtherFields` + `include` (`all`, `selected`, `except`), before that
//! `include` (`none` too). Names use dot notation (`a.b` sets `b` inside `a`) unless
//! `options.dotNotation` is `false`. Binary data passes when the input fields do (3.4:
//! `options.stripBinary` false; before: `options.includeBinary`). n8n duplicates items
//! (`duplicateItem`) only in the editor's manual runs, so weft, like `n8n execute`, never does.

use async_trait::async_trait;
use serde_json::{Map, Value};

use crate::description::{
    Choice, Condition, Group, Literal, NodeDescription, Parameter, ParameterKind, VERSION_KEY,
};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

use super::paths::{copy_path, get_path, remove_path, set_path};

mod legacy;

use legacy::LEGACY;

/// The Edit Fields (Set) node.
pub struct Set;

const MANUAL: Condition = Condition::Is(Literal::String("manual"));
const FROM_3_3: Condition = Condition::Gte(3.3);
const BEFORE_3_3: Condition = Condition::Lt(3.3);

/// One `fields.values` entry (typeVersions 3 to 3.2).
const FIELD: &[Parameter] = &[
    Parameter::new("name", "Name", ParameterKind::String),
    Parameter::new(
        "type",
        "Type",
        ParameterKind::Options(&[
            Choice::new("String", Literal::String("stringValue")),
            Choice::new("Number", Literal::String("numberValue")),
            Choice::new("Boolean", Literal::String("booleanValue")),
            Choice::new("Array", Literal::String("arrayValue")),
            Choice::new("Object", Literal::String("objectValue")),
        ]),
    ),
    Parameter::new("stringValue", "Value", ParameterKind::String)
        .show(&[("type", &[Condition::Is(Literal::String("stringValue"))])]),
    Parameter::new("numberValue", "Value", ParameterKind::Number)
        .show(&[("type", &[Condition::Is(Literal::String("numberValue"))])]),
    Parameter::new(
        "booleanValue",
        "Value",
        ParameterKind::Options(&[
            Choice::new("True", Literal::String("true")),
            Choice::new("False", Literal::String("false")),
        ]),
    )
    .show(&[("type", &[Condition::Is(Literal::String("booleanValue"))])]),
    Parameter::new("arrayValue", "Value", ParameterKind::String)
        .show(&[("type", &[Condition::Is(Literal::String("arrayValue"))])]),
    Parameter::new("objectValue", "Value", ParameterKind::Json)
        .default(Literal::String("={}"))
        .show(&[("type", &[Condition::Is(Literal::String("objectValue"))])]),
];

/// One `assignments.assignments` entry (typeVersion 3.3+).
const ASSIGNMENT: &[Parameter] = &[
    Parameter::new("id", "ID", ParameterKind::String),
    Parameter::new("name", "Name", ParameterKind::String),
    Parameter::new("value", "Value", ParameterKind::Json).describe(
        "The value: text or an expression; the editor writes numbers, booleans, arrays and \
         objects as JSON values",
    ),
    Parameter::new(
        "type",
        "Type",
        ParameterKind::Options(&[
            Choice::new("String", Literal::String("string")),
            Choice::new("Number", Literal::String("number")),
            Choice::new("Boolean", Literal::String("boolean")),
            Choice::new("Array", Literal::String("array")),
            Choice::new("Object", Literal::String("object")),
        ]),
    ),
];

const INCLUDE_SOME: &[Choice] = &[
    Choice::new("All", Literal::String("all")),
    Choice::new("Selected", Literal::String("selected")),
    Choice::new("All Except", Literal::String("except")),
];

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.set",
    display_name: "Edit Fields (Set)",
    description: "Modifies, adds or removes item fields",
    versions: &[1.0, 2.0, 3.0, 3.1, 3.2, 3.3, 3.4, 3.5],
    versioned: true,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        legacy::KEEP_ONLY_SET,
        legacy::VALUES,
        legacy::OPTIONS,
        Parameter::new(
            "mode",
            "Mode",
            ParameterKind::Options(&[
                Choice::new("Manual Mapping", Literal::String("manual")),
                Choice::new("JSON", Literal::String("raw")),
            ]),
        )
        .no_data_expression()
        .hide(LEGACY),
        Parameter::new("duplicateItem", "Duplicate Item", ParameterKind::Boolean)
            .hide(LEGACY)
            .describe("Only in the editor's manual runs; weft never duplicates"),
        Parameter::new(
            "duplicateCount",
            "Duplicate Item Count",
            ParameterKind::Number,
        )
        .show(&[("duplicateItem", &[Condition::Is(Literal::Bool(true))])]),
        Parameter::new("jsonOutput", "JSON", ParameterKind::Json)
            .default(Literal::String(
                "{\n  \"my_field_1\": \"value\",\n  \"my_field_2\": 1\n}\n",
            ))
            .show(&[("mode", &[Condition::Is(Literal::String("raw"))])]),
        Parameter::new(
            "fields",
            "Fields to Set",
            ParameterKind::FixedCollection {
                multiple: true,
                groups: &[Group {
                    name: "values",
                    display_name: "Values",
                    values: FIELD,
                }],
            },
        )
        .show(&[("mode", &[MANUAL]), (VERSION_KEY, &[BEFORE_3_3])]),
        Parameter::new(
            "assignments",
            "Fields to Set",
            ParameterKind::FixedCollection {
                multiple: true,
                groups: &[Group {
                    name: "assignments",
                    display_name: "Assignments",
                    values: ASSIGNMENT,
                }],
            },
        )
        .show(&[("mode", &[MANUAL]), (VERSION_KEY, &[FROM_3_3])]),
        Parameter::new(
            "includeOtherFields",
            "Include Other Input Fields",
            ParameterKind::Boolean,
        )
        .show(&[(VERSION_KEY, &[FROM_3_3])])
        .describe("Whether the input item's fields go to the output too"),
        Parameter::new(
            "include",
            "Input Fields to Include",
            ParameterKind::Options(INCLUDE_SOME),
        )
        .show(&[
            (VERSION_KEY, &[FROM_3_3]),
            ("includeOtherFields", &[Condition::Is(Literal::Bool(true))]),
        ]),
        Parameter::new(
            "include",
            "Include in Output",
            ParameterKind::Options(&[
                Choice::new("No Input Fields", Literal::String("none")),
                Choice::new("All Input Fields", Literal::String("all")),
                Choice::new("Selected Input Fields", Literal::String("selected")),
                Choice::new("All Input Fields Except", Literal::String("except")),
            ]),
        )
        .show(&[(VERSION_KEY, &[BEFORE_3_3])])
        .hide(LEGACY),
        Parameter::new("includeFields", "Fields to Include", ParameterKind::String)
            .show(&[("include", &[Condition::Is(Literal::String("selected"))])])
            .describe("Comma-separated names (dot notation reaches into objects)"),
        Parameter::new("excludeFields", "Fields to Exclude", ParameterKind::String)
            .show(&[("include", &[Condition::Is(Literal::String("except"))])])
            .describe("Comma-separated names (dot notation reaches into objects)"),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                Parameter::new(
                    "includeBinary",
                    "Include Binary File",
                    ParameterKind::Boolean,
                )
                .default(Literal::Bool(true))
                .show(&[(VERSION_KEY, &[Condition::Lt(3.4)])]),
                Parameter::new("stripBinary", "Strip Binary Data", ParameterKind::Boolean)
                    .default(Literal::Bool(true))
                    .show(&[(VERSION_KEY, &[Condition::Gte(3.4)])]),
                Parameter::new(
                    "ignoreConversionErrors",
                    "Ignore Type Conversion Errors",
                    ParameterKind::Boolean,
                ),
                Parameter::new(
                    "dotNotation",
                    "Support Dot Notation",
                    ParameterKind::Boolean,
                )
                .describe("Dot notation is on unless this option is set to false"),
            ]),
        )
        .hide(LEGACY),
    ],
    credentials: &[],
};

#[async_trait]
impl Node for Set {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    /// Item-wise: it builds each output item from one input item, pairing the results to it.
    fn item_wise(&self, _version: f64, _parameters: &Value) -> bool {
        true
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let version = ctx.node().type_version;
        if version < 3.0 {
            return legacy::execute(ctx, version, out).await;
        }
        let mode: String = ctx.parameter_as("mode", 0)?;
        for (index, input) in ctx.input().iter().enumerate() {
            match output_item(ctx, &mode, version, input, index) {
                Ok(item) => out.emit(0, [item]).await?,
                Err(error) if ctx.continue_on_fail() => {
                    out.emit(0, [Item::failed(error, index)]).await?;
                }
                Err(error) => return Err(error.for_item(index)),
            }
        }
        Ok(())
    }
}

register_node!(Set);

/// How the output item is composed besides the new fields.
#[derive(Clone, Debug, PartialEq)]
struct Composition {
    /// `all`, `selected`, `except` or `none`.
    include: String,
    /// The comma-separated names of `selected` or `except`.
    fields: String,
    binary: bool,
    dot_notation: bool,
}

/// The output item for input item `index`.
fn output_item(
    ctx: &NodeContext<'_>,
    mode: &str,
    version: f64,
    input: &Item,
    index: usize,
) -> Result<Item, NodeError> {
    let option = |name: &str| -> Result<Option<bool>, NodeError> {
        Ok(ctx
            .optional_parameter(&format!("options.{name}"), index)?
            .and_then(|value| value.as_bool()))
    };
    let text = |name: &str| -> Result<String, NodeError> {
        Ok(ctx
            .optional_parameter(name, index)?
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default())
    };
    let include = if version >= 3.3 && option_flag(ctx, "includeOtherFields", index)? != Some(true)
    {
        "none".to_owned()
    } else {
        Some(text("include")?)
            .filter(|include| !include.is_empty())
            .unwrap_or_else(|| "all".to_owned())
    };
    let fields = match include.as_str() {
        "selected" => text("includeFields")?,
        "except" => text("excludeFields")?,
        _ => String::new(),
    };
    let binary = if version >= 3.4 {
        option("stripBinary")? == Some(false) && include != "none"
    } else {
        option("includeBinary")?.unwrap_or(false)
    };
    let composition = Composition {
        include,
        fields,
        binary,
        dot_notation: option("dotNotation")? != Some(false),
    };
    let new_fields = if mode == "raw" {
        json_output(ctx.parameter("jsonOutput", index)?, index)?
    } else {
        let ignore_errors = option("ignoreConversionErrors")? == Some(true);
        let (path, typed_value): (&str, TypedValue) = if version >= 3.3 {
            ("assignments.assignments", assignment_value)
        } else {
            ("fields.values", field_value)
        };
        let list = ctx.optional_parameter(path, index)?;
        entries(list, typed_value)
            .into_iter()
            .map(|(name, kind, value)| {
                let value = typed(&name, &kind, value, index, ignore_errors, version)?;
                Ok((name, value))
            })
            .collect::<Result<Vec<_>, NodeError>>()?
    };
    compose(input, index, new_fields, &composition)
}

fn option_flag(ctx: &NodeContext<'_>, name: &str, index: usize) -> Result<Option<bool>, NodeError> {
    Ok(ctx
        .optional_parameter(name, index)?
        .and_then(|value| value.as_bool()))
}

/// From a field entry and the text of its `type`: the type n8n validates against and the value.
type TypedValue = fn(&Map<String, Value>, &str) -> (String, Option<Value>);

/// An assignment's (typeVersion 3.3+) type and `value`.
fn assignment_value(entry: &Map<String, Value>, kind: &str) -> (String, Option<Value>) {
    (kind.to_owned(), entry.get("value").cloned())
}

/// A field's (before 3.3) type, `numberValue` read as `number`, and the value under that key.
fn field_value(entry: &Map<String, Value>, kind: &str) -> (String, Option<Value>) {
    let value = entry.get(kind).cloned();
    (kind.trim_end_matches("Value").to_owned(), value)
}

/// `(name, type, value)` of each entry of a field list.
fn entries(list: Option<Value>, typed_value: TypedValue) -> Vec<(String, String, Option<Value>)> {
    let Some(Value::Array(list)) = list else {
        return Vec::new();
    };
    list.iter()
        .filter_map(Value::as_object)
        .map(|entry| {
            let name = match entry.get("name") {
                Some(Value::String(name)) => name.clone(),
                Some(other) => other.to_string(),
                None => String::new(),
            };
            let kind = entry.get("type").and_then(Value::as_str).unwrap_or("");
            let (kind, value) = typed_value(entry, kind);
            (name, kind, value)
        })
        .collect()
}

/// The new fields of `raw` mode: the JSON object `jsonOutput` holds (or an expression gave).
fn json_output(value: Value, index: usize) -> Result<Vec<(String, Value)>, NodeError> {
    let parsed = match value {
        Value::String(text) => serde_json::from_str(&text).map_err(|error| {
            NodeError::operation(format!(
                "The 'JSON Output' in item {index} contains invalid JSON"
            ))
            .with_description(format!(
                "{error} (hint: quote names and strings with double quotes, no trailing commas)"
            ))
        })?,
        other => other,
    };
    match parsed {
        Value::Object(object) => Ok(object.into_iter().collect()),
        _ => Err(NodeError::operation(format!(
            "The 'JSON Output' in item {index} does not contain a valid JSON object"
        ))),
    }
}

/// n8n's `validateEntry`: `value` checked and converted to `kind` (`string`, `number`,
/// `boolean`, `array`, `object`); with `ignore_errors` a value that does not convert is kept.
fn typed(
    name: &str,
    kind: &str,
    value: Option<Value>,
    index: usize,
    ignore_errors: bool,
    version: f64,
) -> Result<Value, NodeError> {
    let value = match value {
        None | Some(Value::Null) if version >= 3.2 => return Ok(Value::Null),
        None | Some(Value::Null) if kind == "string" && version > 3.0 => {
            return if ignore_errors {
                Ok(Value::Null)
            } else {
                Err(conversion_error(name, kind, &Value::Null, index))
            };
        }
        None | Some(Value::Null) => return Ok(Value::Null),
        Some(value) => value,
    };
    let value = if kind == "string" {
        Value::String(match value {
            Value::String(text) => text,
            other => other.to_string(),
        })
    } else {
        value
    };
    match convert(kind, &value) {
        Some(converted) => Ok(converted),
        None if ignore_errors => Ok(value),
        None => Err(conversion_error(name, kind, &value, index)),
    }
}

fn conversion_error(name: &str, kind: &str, value: &Value, index: usize) -> NodeError {
    let described = match value {
        Value::Null => "'null'".to_owned(),
        Value::Array(_) => "array".to_owned(),
        Value::Object(_) => "object".to_owned(),
        Value::String(text) => format!("'{text}'"),
        other => format!("'{other}'"),
    };
    NodeError::operation(format!(
        "'{name}' expects a {kind} but we got {described} [item {index}]"
    ))
    .with_description(format!(
        "To fix the error try to change the type for the field \"{name}\" or activate the \
         option “Ignore Type Conversion Errors” to apply a less strict type validation"
    ))
    .with_context("itemIndex", Value::from(index))
}

/// `value` as `kind`, or `None` when it does not convert (n8n's `validateFieldType`).
pub(crate) fn convert(kind: &str, value: &Value) -> Option<Value> {
    match (kind, value) {
        ("number", Value::Number(_)) | ("boolean", Value::Bool(_)) => Some(value.clone()),
        ("array", Value::Array(_)) | ("object", Value::Object(_)) => Some(value.clone()),
        ("number", Value::String(text)) => js_number(text).map(crate::description::number),
        ("number", Value::Bool(flag)) => Some(Value::from(u8::from(*flag))),
        ("boolean", Value::String(text)) => match text.to_lowercase().as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ if text.trim().is_empty() => None,
            _ => js_number(text).and_then(zero_or_one),
        },
        ("boolean", Value::Number(number)) => number.as_f64().and_then(zero_or_one),
        ("array", Value::String(text)) => parse_lenient(text).filter(Value::is_array),
        ("object", Value::String(text)) => parse_lenient(text).filter(Value::is_object),
        ("string", Value::String(_)) => Some(value.clone()),
        (known, _) if ["string", "number", "boolean", "array", "object"].contains(&known) => None,
        _ => Some(value.clone()),
    }
}

/// `false` for 0, `true` for 1, as n8n reads a number as a boolean.
fn zero_or_one(number: f64) -> Option<Value> {
    match number {
        0.0 => Some(Value::Bool(false)),
        1.0 => Some(Value::Bool(true)),
        _ => None,
    }
}

/// JavaScript's `Number(text)` for decimal text: blank is 0; not finite is no number.
fn js_number(text: &str) -> Option<f64> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Some(0.0);
    }
    trimmed
        .parse::<f64>()
        .ok()
        .filter(|number| number.is_finite())
}

/// JSON text, or JSON written with single quotes.
fn parse_lenient(text: &str) -> Option<Value> {
    serde_json::from_str(text)
        .ok()
        .or_else(|| serde_json::from_str(&text.replace('\'', "\"")).ok())
}

/// The output item: the chosen input fields, then each new field (at its path with dot
/// notation), the input's binary data when it passes.
fn compose(
    input: &Item,
    index: usize,
    new_fields: Vec<(String, Value)>,
    composition: &Composition,
) -> Result<Item, NodeError> {
    let names = || {
        composition
            .fields
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
    };
    let mut json = match composition.include.as_str() {
        "all" => input.json.clone(),
        "selected" => {
            let mut picked = Map::new();
            for name in names() {
                if let Some(value) = get_path(&input.json, name) {
                    copy_path(&mut picked, name, value.clone());
                }
            }
            picked
        }
        "except" => {
            let mut kept = input.json.clone();
            names().for_each(|name| remove_path(&mut kept, name));
            kept
        }
        _ => Map::new(),
    };
    for (name, value) in new_fields {
        if composition.dot_notation {
            set_path(&mut json, &name, value)
                .map_err(|error| NodeError::from(error).for_item(index))?;
        } else {
            json.insert(name, value);
        }
    }
    let mut item = Item::new(json, index);
    if composition.binary {
        item.binary = input.binary.clone();
    }
    Ok(item)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn composition(include: &str, fields: &str) -> Composition {
        Composition {
            include: include.to_owned(),
            fields: fields.to_owned(),
            binary: false,
            dot_notation: true,
        }
    }

    fn input() -> Item {
        serde_json::from_value(json!({
            "json": { "a": 1, "b": { "c": 2, "d": 3 }, "e": "x" },
            "binary": { "data": { "data": "aGk=", "mimeType": "text/plain" } }
        }))
        .unwrap()
    }

    #[test]
    fn values_convert_to_their_types_as_n8n_does() {
        let ok = |kind: &str, value: Value| typed("f", kind, Some(value), 0, false, 3.4).unwrap();
        assert_eq!(ok("string", json!(5)), json!("5"));
        assert_eq!(ok("string", json!({ "k": 1 })), json!("{\"k\":1}"));
        assert_eq!(ok("number", json!(" 42 ")), json!(42));
        assert_eq!(ok("number", json!("1.5")), json!(1.5));
        assert_eq!(ok("boolean", json!("TRUE")), json!(true));
        assert_eq!(ok("boolean", json!("0")), json!(false));
        assert_eq!(ok("array", json!("['a', 'b']")), json!(["a", "b"]));
        assert_eq!(ok("object", json!("{\"k\": [1]}")), json!({ "k": [1] }));
        assert_eq!(ok("number", Value::Null), Value::Null, "3.2+: null stays");

        let error = typed("count", "number", Some(json!("ten")), 2, false, 3.4).unwrap_err();
        assert_eq!(
            error.message,
            "'count' expects a number but we got 'ten' [item 2]"
        );
        assert!(
            error
                .description
                .unwrap()
                .contains("Ignore Type Conversion Errors")
        );
        assert_eq!(
            typed("count", "number", Some(json!("ten")), 0, true, 3.4).unwrap(),
            json!("ten"),
            "ignored errors keep the value"
        );
        assert_eq!(
            typed("o", "object", Some(json!([1])), 0, false, 3.4)
                .unwrap_err()
                .message,
            "'o' expects a object but we got array [item 0]"
        );
        assert_eq!(
            typed("s", "string", None, 0, false, 3.1)
                .unwrap_err()
                .message,
            "'s' expects a string but we got 'null' [item 0]"
        );
    }

    #[test]
    fn include_modes_pick_the_input_fields() {
        let new = || vec![("n".to_owned(), json!(true))];
        let json_of = |include: &str, fields: &str| {
            Value::Object(
                compose(&input(), 3, new(), &composition(include, fields))
                    .unwrap()
                    .json,
            )
        };
        assert_eq!(json_of("none", ""), json!({ "n": true }));
        assert_eq!(
            json_of("all", ""),
            json!({ "a": 1, "b": { "c": 2, "d": 3 }, "e": "x", "n": true })
        );
        assert_eq!(
            json_of("selected", "a, b.c,missing"),
            json!({ "a": 1, "b": { "c": 2 }, "n": true })
        );
        assert_eq!(
            json_of("except", "e,b.d"),
            json!({ "a": 1, "b": { "c": 2 }, "n": true })
        );
        let item = compose(&input(), 3, new(), &composition("all", "")).unwrap();
        assert_eq!((item.paired_indexes(), item.binary), (vec![3], None));
        let with_binary = Composition {
            binary: true,
            ..composition("all", "")
        };
        assert!(
            compose(&input(), 0, new(), &with_binary)
                .unwrap()
                .binary
                .is_some()
        );
    }

    #[test]
    fn dot_notation_builds_nested_fields_unless_turned_off() {
        let fields = vec![
            ("b.x".to_owned(), json!(1)),
            ("list[1].name".to_owned(), json!("n")),
            ("e.f".to_owned(), json!(2)),
        ];
        let nested = compose(&input(), 0, fields.clone(), &composition("all", "")).unwrap();
        assert_eq!(
            Value::Object(nested.json),
            json!({
                "a": 1, "b": { "c": 2, "d": 3, "x": 1 },
                "e": { "f": 2 }, "list": [null, { "name": "n" }]
            })
        );
        let flat = Composition {
            dot_notation: false,
            ..composition("none", "")
        };
        assert_eq!(
            Value::Object(compose(&input(), 0, fields, &flat).unwrap().json),
            json!({ "b.x": 1, "list[1].name": "n", "e.f": 2 })
        );
    }

    #[test]
    fn json_output_must_be_an_object() {
        assert_eq!(
            json_output(json!("{\"a\": [1]}"), 0).unwrap(),
            vec![("a".to_owned(), json!([1]))]
        );
        assert_eq!(
            json_output(json!({ "b": 2 }), 0).unwrap(),
            vec![("b".to_owned(), json!(2))],
            "an expression may give the object itself"
        );
        assert_eq!(
            json_output(json!("{a: 1}"), 1).unwrap_err().message,
            "The 'JSON Output' in item 1 contains invalid JSON"
        );
        assert_eq!(
            json_output(json!("[1]"), 0).unwrap_err().message,
            "The 'JSON Output' in item 0 does not contain a valid JSON object"
        );
    }

    #[test]
    fn entries_read_both_field_forms() {
        let assignments = json!([{ "id": "1", "name": "a", "value": "1", "type": "number" }]);
        assert_eq!(
            entries(Some(assignments), assignment_value),
            vec![("a".to_owned(), "number".to_owned(), Some(json!("1")))]
        );
        let fields = json!([{ "name": "b", "type": "booleanValue", "booleanValue": "false" }]);
        assert_eq!(
            entries(Some(fields), field_value),
            vec![("b".to_owned(), "boolean".to_owned(), Some(json!("false")))]
        );
        assert!(entries(None, assignment_value).is_empty());
    }

    #[test]
    fn typeversion_3_5_converts_values_as_3_4() {
        let values = [
            json!("7"),
            json!(" 1.5 "),
            json!("TRUE"),
            json!("[1, 2]"),
            json!("{\"k\": {\"n\": [1]}}"),
            json!({ "k": 1 }),
            json!("ten"),
            Value::Null,
        ];
        for kind in ["string", "number", "boolean", "array", "object"] {
            for value in &values {
                for ignore in [false, true] {
                    let convert = |version| {
                        typed("f", kind, Some(value.clone()), 1, ignore, version)
                            .map_err(|error| error.message)
                    };
                    assert_eq!(convert(3.5), convert(3.4), "{kind} {value} {ignore}");
                }
            }
        }
    }

    #[test]
    fn each_typeversion_resolves_only_its_own_parameters() {
        let names = |version: f64| {
            DESCRIPTION
                .parameters
                .iter()
                .filter(|parameter| parameter.display.allows(version, |_| None))
                .map(|parameter| parameter.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(names(1.0), ["keepOnlySet", "values", "options"]);
        assert_eq!(names(2.0), names(1.0));
        assert_eq!(names(3.5), names(3.4));
        assert_eq!(
            names(3.4),
            ["mode", "duplicateItem", "includeOtherFields", "options"]
        );
    }
}
