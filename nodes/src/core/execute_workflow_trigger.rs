//! Execute Workflow Trigger (`n8n-nodes-base.executeWorkflowTrigger` 1, 1.1, 1.2): where a
//! sub-workflow starts. It puts out the items the calling Execute Workflow node gave it; in a
//! plain `weft run` of a workflow that starts with it, that is n8n's manual input, one empty
//! item. With a declared input schema (v1.1+: fields below, or a JSON example) each item keeps
//! only the declared fields, a field the caller did not send being `null`.

use async_trait::async_trait;
use serde_json::{Map, Value};

use crate::description::{
    Choice, Condition, Group, Literal, NodeDescription, Parameter, ParameterKind, VERSION_KEY,
};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

/// The node's type name.
pub const TYPE_NAME: &str = "n8n-nodes-base.executeWorkflowTrigger";

/// The Execute Workflow Trigger node.
pub struct ExecuteWorkflowTrigger;

const V1_1: &[(&str, &[Condition])] = &[(VERSION_KEY, &[Condition::Gte(1.1)])];
const JSON_EXAMPLE: &[(&str, &[Condition])] = &[
    (VERSION_KEY, &[Condition::Gte(1.1)]),
    (
        "inputSource",
        &[Condition::Is(Literal::String("jsonExample"))],
    ),
];
const FIELDS: &[(&str, &[Condition])] = &[
    (VERSION_KEY, &[Condition::Gte(1.1)]),
    (
        "inputSource",
        &[Condition::Is(Literal::String("workflowInputs"))],
    ),
];
const BEFORE_1_2: &[(&str, &[Condition])] = &[(VERSION_KEY, &[Condition::Lt(1.2)])];

/// The types a declared input may have (n8n's `TYPE_OPTIONS`).
const TYPES: &[Choice] = &[
    Choice::new("Allow Any Type", Literal::String("any")),
    Choice::new("String", Literal::String("string")),
    Choice::new("Number", Literal::String("number")),
    Choice::new("Boolean", Literal::String("boolean")),
    Choice::new("Array", Literal::String("array")),
    Choice::new("Object", Literal::String("object")),
];

/// n8n's default JSON example (`JSON.stringify(…, null, 2)`).
const EXAMPLE: &str = "{\n  \"aField\": \"a string\",\n  \"aNumber\": 123,\n  \"thisFieldAcceptsAnyType\": null,\n  \"anArray\": []\n}";

static DESCRIPTION: NodeDescription = NodeDescription {
    name: TYPE_NAME,
    display_name: "Execute Workflow Trigger",
    description: "Starts a workflow that another workflow's Execute Workflow node calls",
    versions: &[1.0, 1.1, 1.2],
    versioned: false,
    trigger: true,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "inputSource",
            "Input data mode",
            ParameterKind::Options(&[
                Choice::new(
                    "Define using fields below",
                    Literal::String("workflowInputs"),
                ),
                Choice::new("Define using JSON example", Literal::String("jsonExample")),
                Choice::new("Accept all data", Literal::String("passthrough")),
            ]),
        )
        .no_data_expression()
        .show(V1_1),
        Parameter::new("jsonExample", "JSON Example", ParameterKind::Json)
            .default(Literal::String(EXAMPLE))
            .no_data_expression()
            .show(JSON_EXAMPLE)
            .describe(
                "An example object: its fields and their types are the inputs (null: any type)",
            ),
        Parameter::new(
            "workflowInputs",
            "Workflow Input Schema",
            ParameterKind::FixedCollection {
                multiple: true,
                groups: &[Group {
                    name: "values",
                    display_name: "Values",
                    values: &[
                        Parameter::new("name", "Name", ParameterKind::String)
                            .required()
                            .no_data_expression(),
                        Parameter::new("type", "Type", ParameterKind::Options(TYPES))
                            .default(Literal::String("string"))
                            .required()
                            .no_data_expression(),
                    ],
                }],
            },
        )
        .show(FIELDS)
        .describe("The input fields; items keep only these"),
        Parameter::new(
            "returnOutput",
            "Items to Return",
            ParameterKind::Options(&[
                Choice::new("All Items From Every Run", Literal::String("allRuns")),
                Choice::new(
                    "Items From the Last Run Only",
                    Literal::String("lastRunOnly"),
                ),
            ]),
        )
        .default(Literal::String("lastRunOnly"))
        .no_data_expression()
        .show(BEFORE_1_2)
        .describe("What the caller gets when the last node ran several times"),
    ],
    credentials: &[],
};

#[async_trait]
impl Node for ExecuteWorkflowTrigger {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let manual = [Item::new(Map::new(), 0)];
        let input = match ctx.input() {
            [] => &manual[..],
            given => given,
        };
        let source = ctx
            .optional_parameter("inputSource", 0)?
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_else(|| "passthrough".to_owned());
        if source == "passthrough" {
            return out.emit(0, input.iter().cloned()).await;
        }
        let fields = declared_fields(ctx, &source)?;
        let items = input.iter().enumerate().map(|(index, item)| {
            let json = fields
                .iter()
                .map(|name| {
                    let value = item.json.get(name).cloned().unwrap_or(Value::Null);
                    (name.clone(), value)
                })
                .collect();
            Item {
                binary: item.binary.clone(),
                ..Item::new(json, index)
            }
        });
        out.emit(0, items.collect::<Vec<_>>()).await
    }
}

/// The names of the inputs the trigger declares for input source `source` (n8n's
/// `getFieldEntries`; their types only guide the caller's editor).
fn declared_fields(ctx: &NodeContext<'_>, source: &str) -> Result<Vec<String>, NodeError> {
    let fields = match source {
        "workflowInputs" => Ok(listed_fields(
            ctx.optional_parameter("workflowInputs.values", 0)?,
        )),
        "jsonExample" => {
            let example = ctx
                .optional_parameter("jsonExample", 0)?
                .unwrap_or(Value::String(String::new()));
            example_fields(&example)
        }
        _ => Err("Internal Error: Invalid input source".to_owned()),
    };
    fields.map_err(NodeError::operation)
}

/// The field names of the fixedCollection `workflowInputs.values`.
fn listed_fields(values: Option<Value>) -> Vec<String> {
    let Some(Value::Array(entries)) = values else {
        return Vec::new();
    };
    entries
        .iter()
        .map(|entry| {
            entry
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

/// The fields of a JSON example: its top-level keys, or n8n's message for an example that is
/// not an object.
fn example_fields(example: &Value) -> Result<Vec<String>, String> {
    let parsed = match example {
        Value::String(text) => serde_json::from_str(text)
            .map_err(|error| format!("The JSON example is not valid JSON: {error}"))?,
        other => other.clone(),
    };
    let Value::Object(fields) = parsed else {
        return Err(format!(
            "Invalid JSON schema type. Only object type is supported, but got {}",
            json_type(&parsed)
        ));
    };
    Ok(fields.keys().cloned().collect())
}

/// A JSON value's type as generate-schema names it.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

register_node!(ExecuteWorkflowTrigger);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_json_example_declares_its_keys() {
        assert_eq!(
            example_fields(&json!(EXAMPLE)).unwrap(),
            ["aField", "aNumber", "thisFieldAcceptsAnyType", "anArray"]
        );
    }

    #[test]
    fn an_example_that_is_not_an_object_is_refused_as_n8n_does() {
        assert_eq!(
            example_fields(&json!("[1]")).unwrap_err(),
            "Invalid JSON schema type. Only object type is supported, but got array"
        );
        assert!(
            example_fields(&json!("{oops"))
                .unwrap_err()
                .starts_with("The JSON example is not valid JSON")
        );
    }

    #[test]
    fn listed_fields_are_named_in_order() {
        let fields = listed_fields(Some(
            json!([{ "name": "a" }, { "name": "b", "type": "any" }]),
        ));
        assert_eq!(fields, ["a", "b"]);
    }
}
