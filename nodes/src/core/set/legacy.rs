//! Set typeVersions 1 and 2 (n8n's `SetV1`): `values.boolean`, `values.number` and
//! `values.string` lists of `{ name, value }`, written in that order of types whatever order the
//! editor shows, over a copy of the input item (json and binary) unless `keepOnlySet`. Names use
//! dot notation unless `options.dotNotation` is `false`. Booleans are JavaScript's `!!value`;
//! typeVersion 2 turns a number given as numeric text into the number. An empty input gives one
//! item of just the values.

use serde_json::{Map, Value};

use crate::core::conditions::js::{string_to_number, truthy};
use crate::description::{
    Condition, Group, Literal, Parameter, ParameterKind, VERSION_KEY, number,
};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, NodeContext};

use crate::core::paths::set_path;

/// Shown for typeVersions 1 and 2 only.
pub const LEGACY: &[(&str, &[Condition])] = &[(VERSION_KEY, &[Condition::Lt(3.0)])];

const fn value_group(
    name: &'static str,
    display_name: &'static str,
    values: &'static [Parameter],
) -> Group {
    Group {
        name,
        display_name,
        values,
    }
}

const NAME: Parameter = Parameter::new("name", "Name", ParameterKind::String)
    .default(Literal::String("propertyName"))
    .describe("The property to write; dot notation (`data.person[0].name`) unless turned off");

/// `keepOnlySet`.
pub const KEEP_ONLY_SET: Parameter =
    Parameter::new("keepOnlySet", "Keep Only Set", ParameterKind::Boolean)
        .show(LEGACY)
        .describe("Whether only the values set here are kept and all others removed");

/// `values`: the lists of values by type.
pub const VALUES: Parameter = Parameter::new(
    "values",
    "Values to Set",
    ParameterKind::FixedCollection {
        multiple: true,
        groups: &[
            value_group(
                "boolean",
                "Boolean",
                &[
                    NAME,
                    Parameter::new("value", "Value", ParameterKind::Boolean),
                ],
            ),
            value_group(
                "number",
                "Number",
                &[
                    NAME,
                    Parameter::new("value", "Value", ParameterKind::Number),
                ],
            ),
            value_group(
                "string",
                "String",
                &[
                    NAME,
                    Parameter::new("value", "Value", ParameterKind::String),
                ],
            ),
        ],
    },
)
.show(LEGACY);

/// `options` of typeVersions 1 and 2.
pub const OPTIONS: Parameter = Parameter::new(
    "options",
    "Options",
    ParameterKind::Collection(&[Parameter::new(
        "dotNotation",
        "Dot Notation",
        ParameterKind::Boolean,
    )
    .default(Literal::Bool(true))
    .describe("Whether `a.b` sets `b` inside `a`; off, it sets the field `a.b`")]),
)
.show(LEGACY);

/// Runs typeVersion 1 or 2 over the input.
pub async fn execute(
    ctx: &NodeContext<'_>,
    version: f64,
    out: &mut Emitter,
) -> Result<(), NodeError> {
    let empty = [Item::new(Map::new(), 0)];
    let input = match ctx.input() {
        [] => &empty[..],
        input => input,
    };
    for (index, item) in input.iter().enumerate() {
        let output = output_item(ctx, version, item, index).map_err(|e| e.for_item(index))?;
        out.emit(0, [output]).await?;
    }
    Ok(())
}

/// The output item for input item `index`.
fn output_item(
    ctx: &NodeContext<'_>,
    version: f64,
    input: &Item,
    index: usize,
) -> Result<Item, NodeError> {
    let keep_only_set = ctx
        .optional_parameter("keepOnlySet", index)?
        .is_some_and(|value| truthy(Some(&value)));
    let dot_notation = ctx
        .optional_parameter("options.dotNotation", index)?
        .is_none_or(|value| value != Value::Bool(false));
    let mut output = Item::new(Map::new(), index);
    if !keep_only_set {
        output.json = input.json.clone();
        output.binary = input.binary.clone();
    }
    for kind in ["boolean", "number", "string"] {
        let entries = match ctx.optional_parameter(&format!("values.{kind}"), index)? {
            Some(Value::Array(entries)) => entries,
            _ => Vec::new(),
        };
        for entry in entries {
            let (name, value) = entry_value(kind, version, entry);
            if dot_notation {
                set_path(&mut output.json, &name, value)?;
            } else {
                output.json.insert(name, value);
            }
        }
    }
    Ok(output)
}

/// The name and value of one `values.<kind>` entry, the value converted as n8n does.
fn entry_value(kind: &str, version: f64, entry: Value) -> (String, Value) {
    let mut entry = match entry {
        Value::Object(entry) => entry,
        _ => Map::new(),
    };
    let name = match entry.remove("name") {
        Some(Value::String(name)) => name,
        Some(other) => other.to_string(),
        None => "propertyName".to_owned(),
    };
    let value = entry.remove("value");
    let value = match (kind, value) {
        ("boolean", value) => Value::Bool(truthy(value.as_ref())),
        ("number", Some(Value::String(text))) if version >= 2.0 => {
            let converted = string_to_number(&text);
            if converted.is_nan() {
                Value::String(text)
            } else {
                number(converted)
            }
        }
        (_, value) => value.unwrap_or(Value::Null),
    };
    (name, value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entry_values_convert_as_set_v1_does() {
        // (kind, typeVersion, value, converted)
        let cases = [
            ("boolean", 1.0, json!(true), json!(true)),
            ("boolean", 1.0, json!("false"), json!(true)),
            ("boolean", 2.0, json!(""), json!(false)),
            ("boolean", 2.0, json!(0), json!(false)),
            ("boolean", 2.0, json!([]), json!(true)),
            ("number", 1.0, json!("5"), json!("5")),
            ("number", 2.0, json!("5"), json!(5)),
            ("number", 2.0, json!(" 2.5 "), json!(2.5)),
            ("number", 2.0, json!(""), json!(0)),
            ("number", 2.0, json!("0x10"), json!(16)),
            ("number", 2.0, json!("five"), json!("five")),
            ("number", 2.0, json!(7), json!(7)),
            ("string", 1.0, json!("x"), json!("x")),
            ("string", 2.0, json!(3), json!(3)),
        ];
        for (kind, version, value, expected) in cases {
            let entry = json!({ "name": "f", "value": value });
            assert_eq!(
                entry_value(kind, version, entry),
                ("f".to_owned(), expected.clone()),
                "{kind} {version} {value}"
            );
        }
        assert_eq!(
            entry_value("boolean", 1.0, json!({ "name": "f" })),
            ("f".to_owned(), json!(false)),
            "a missing value is undefined, so false"
        );
        assert_eq!(
            entry_value("string", 1.0, json!({})),
            ("propertyName".to_owned(), Value::Null)
        );
    }
}
