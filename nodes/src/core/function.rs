//! The legacy code nodes, superseded by Code: Function (`n8n-nodes-base.function`, 1) runs its
//! code once with `items` (copies it may change) and outputs the items it returns; Function Item
//! (`n8n-nodes-base.functionItem`, 1) runs its code once per item with `item` being the item's
//! json, and outputs the object it returns. Both read `functionCode` and report thrown errors
//! with n8n's `[Line N]`.

use async_trait::async_trait;
use serde_json::{Map, Value};

use crate::core::code::normalize;
use crate::description::{Literal, NodeDescription, Parameter, ParameterKind};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;
use crate::script::{ScriptFailure, ScriptKind, ScriptRequest};

/// The Function node.
pub struct Function;

/// The Function Item node.
pub struct FunctionItem;

const FUNCTION_DEFAULT: &str =
    "// Code here will run only once, no matter how many input items there are.
// More info and help:https://docs.n8n.io/integrations/builtin/core-nodes/n8n-nodes-base.function/
// Tip: You can use luxon for dates and $jmespath for querying JSON structures

// Loop over inputs and add a new field called 'myNewField' to the JSON of each one
for (item of items) {
  item.json.myNewField = 1;
}

// You can write logs to the browser console
console.log('Done!');

return items;";

const FUNCTION_ITEM_DEFAULT: &str = "// Code here will run once per input item.
// More info and help: https://docs.n8n.io/integrations/builtin/core-nodes/n8n-nodes-base.functionitem/
// Tip: You can use luxon for dates and $jmespath for querying JSON structures

// Add a new field called 'myNewField' to the JSON of the item
item.myNewField = 1;

// You can write logs to the browser console
console.log('Done!');

return item;";

static FUNCTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.function",
    display_name: "Function",
    description: "Run custom function code once for all items (legacy: use Code)",
    versions: &[1.0],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new("functionCode", "JavaScript Code", ParameterKind::String)
            .default(Literal::String(FUNCTION_DEFAULT))
            .no_data_expression()
            .describe("The JavaScript code to execute"),
    ],
    credentials: &[],
};

static FUNCTION_ITEM: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.functionItem",
    display_name: "Function Item",
    description: "Run custom function code once per item (legacy: use Code)",
    versions: &[1.0],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new("functionCode", "JavaScript Code", ParameterKind::String)
            .default(Literal::String(FUNCTION_ITEM_DEFAULT))
            .no_data_expression()
            .describe("The JavaScript code to execute for each item"),
    ],
    credentials: &[],
};

/// Runs the node's code as `kind`.
fn run(
    ctx: &NodeContext<'_>,
    kind: ScriptKind,
) -> Result<Vec<Result<Option<Value>, ScriptFailure>>, NodeError> {
    let code: String = ctx.parameter_as("functionCode", 0)?;
    let request = ScriptRequest {
        code: &code,
        kind,
        stop_at_failure: !ctx.continue_on_fail(),
    };
    ctx.script()?.run(&request)
}

/// The legacy nodes' text of a thrown error: the message, then `[Line N` and what `detail`
/// adds, then `]`.
fn thrown(failure: &ScriptFailure, detail: &str) -> NodeError {
    NodeError::operation(match failure.line {
        Some(line) => format!("{} [Line {line}{detail}]", failure.message),
        None => failure.message.clone(),
    })
}

/// An item that stands for the failed run: `{ error: message }`.
fn error_item(message: String) -> Item {
    Item {
        json: Map::from_iter([("error".to_owned(), Value::String(message))]),
        ..Item::default()
    }
}

/// The items Function's code returned, checked as n8n's Function node does.
fn function_items(returned: Option<Value>) -> Result<Vec<Item>, NodeError> {
    let values = match returned {
        None => {
            return Err(NodeError::operation(
                "No data got returned. Always return an Array of items!",
            ));
        }
        Some(Value::Array(values)) if values.iter().all(Value::is_object) => values,
        Some(object @ Value::Object(_)) => vec![object],
        Some(_) => {
            return Err(NodeError::operation(
                "Always an Array of items has to be returned!",
            ));
        }
    };
    normalize(values)?
        .into_iter()
        .map(|value| {
            let mut object = match value {
                Value::Object(object) => object,
                _ => Map::new(),
            };
            match object.get("json") {
                None => Err(NodeError::operation(
                    "All returned items have to contain a property named \"json\"!",
                )),
                Some(json) if !json.is_object() => Err(NodeError::operation(
                    "The json-property has to be an object!",
                )),
                _ if object
                    .get("binary")
                    .is_some_and(|binary| !binary.is_object()) =>
                {
                    Err(NodeError::operation(
                        "The binary-property has to be an object!",
                    ))
                }
                _ => {
                    object.remove("index");
                    object.remove("error");
                    serde_json::from_value(Value::Object(object)).map_err(|error| {
                        NodeError::operation("A returned item could not be read")
                            .with_description(format!("hint: check its binary data ({error})"))
                    })
                }
            }
        })
        .collect()
}

#[async_trait]
impl Node for Function {
    fn description(&self) -> &'static NodeDescription {
        &FUNCTION
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let outcome = run(ctx, ScriptKind::Function)?.into_iter().next();
        let items = match outcome.unwrap_or(Ok(None)) {
            Ok(returned) => function_items(returned),
            Err(failure) if !ctx.continue_on_fail() => Err(thrown(&failure, "")),
            Err(failure) => Ok(vec![error_item(failure.message)]),
        };
        let items = match items {
            Err(error) if ctx.continue_on_fail() => vec![error_item(error.message)],
            other => other?,
        };
        out.emit(0, items).await
    }
}

#[async_trait]
impl Node for FunctionItem {
    fn description(&self) -> &'static NodeDescription {
        &FUNCTION_ITEM
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let mut items = Vec::new();
        for (index, outcome) in run(ctx, ScriptKind::FunctionItem)?.into_iter().enumerate() {
            let item = match outcome {
                Ok(Some(Value::Object(json))) => Ok(Item {
                    binary: ctx.input().get(index).and_then(|item| item.binary.clone()),
                    ..Item::new(json, index)
                }),
                Ok(None) => Err(NodeError::operation(
                    "No data got returned. Always an object has to be returned!",
                )),
                Ok(Some(_)) => Err(NodeError::operation(
                    "The returned value has to be an object!",
                )),
                Err(failure) if ctx.continue_on_fail() => {
                    Err(NodeError::operation(failure.message))
                }
                Err(failure) => Err(thrown(&failure, &format!(" | Item Index: {index}"))),
            };
            match item {
                Ok(item) => items.push(item),
                Err(error) if ctx.continue_on_fail() => {
                    items.push(error_item(error.message).paired_to(index));
                }
                Err(error) => return Err(error),
            }
        }
        out.emit(0, items).await
    }
}

register_node!(Function);
register_node!(FunctionItem);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn function_returns_are_checked_as_n8n_does() {
        let cases: Vec<(Option<Value>, Result<Value, &str>)> = vec![
            (
                None,
                Err("No data got returned. Always return an Array of items!"),
            ),
            (
                Some(json!("done")),
                Err("Always an Array of items has to be returned!"),
            ),
            (
                Some(json!([{ "json": 1 }])),
                Err("The json-property has to be an object!"),
            ),
            (
                Some(json!([{ "json": {}, "binary": [] }])),
                Err("The binary-property has to be an object!"),
            ),
            (
                Some(json!([{ "json": { "a": 1 }, "index": 0 }])),
                Ok(json!([{ "json": { "a": 1 } }])),
            ),
            (Some(json!({ "a": 1 })), Ok(json!([{ "json": { "a": 1 } }]))),
            (Some(json!([])), Ok(json!([]))),
        ];
        for (returned, expected) in cases {
            let got = function_items(returned.clone());
            match expected {
                Ok(items) => assert_eq!(
                    serde_json::to_value(got.unwrap()).unwrap(),
                    items,
                    "{returned:?}"
                ),
                Err(message) => assert_eq!(got.unwrap_err().message, message, "{returned:?}"),
            }
        }
    }

    #[test]
    fn thrown_errors_name_the_line_as_the_legacy_nodes_do() {
        let failure = ScriptFailure {
            message: "boom".to_owned(),
            error_type: None,
            line: Some(4),
        };
        assert_eq!(thrown(&failure, "").message, "boom [Line 4]");
        assert_eq!(
            thrown(&failure, " | Item Index: 2").message,
            "boom [Line 4 | Item Index: 2]"
        );
    }
}
