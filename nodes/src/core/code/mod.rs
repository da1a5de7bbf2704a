//! Code (`n8n-nodes-base.code`, 1 and 2): runs the user's JavaScript in the runtime's sandbox,
//! once for all items or once per item, and turns what it returns into items as n8n does
//! ([`returns`]). Python is refused at check time.

mod item_wise;
mod returns;

use async_trait::async_trait;
use serde_json::Value;

use crate::description::{Choice, Condition, Literal, NodeDescription, Parameter, ParameterKind};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext, Unsupported};
use crate::register_node;
use crate::script::{ScriptKind, ScriptRequest};

pub(crate) use returns::{all_items, failure_error, normalize};

/// The Code node.
pub struct Code;

const VERSION_2: &[(&str, &[Condition])] = &[("@version", &[Condition::Gte(2.0)])];

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.code",
    display_name: "Code",
    description: "Run custom JavaScript code",
    versions: &[1.0, 2.0],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "mode",
            "Mode",
            ParameterKind::Options(&[
                Choice::new(
                    "Run Once for All Items",
                    Literal::String("runOnceForAllItems"),
                ),
                Choice::new(
                    "Run Once for Each Item",
                    Literal::String("runOnceForEachItem"),
                ),
            ]),
        )
        .default(Literal::String("runOnceForAllItems"))
        .no_data_expression(),
        Parameter::new(
            "language",
            "Language",
            ParameterKind::Options(&[
                Choice::new("JavaScript", Literal::String("javaScript")),
                Choice::new("Python", Literal::String("pythonNative")),
            ]),
        )
        .default(Literal::String("javaScript"))
        .no_data_expression()
        .show(VERSION_2)
        .describe("weft runs JavaScript only"),
        Parameter::new("jsCode", "JavaScript", ParameterKind::String)
            .default(Literal::String(""))
            .no_data_expression()
            .describe("The body of an async function; return the output items"),
    ],
    credentials: &[],
};

#[async_trait]
impl Node for Code {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    /// Item-wise when it runs once for each item and its code reads only that item.
    fn item_wise(&self, _version: f64, parameters: &Value) -> bool {
        parameters["mode"] == "runOnceForEachItem"
            && parameters["language"]
                .as_str()
                .is_none_or(|l| l == "javaScript")
            && parameters["jsCode"]
                .as_str()
                .is_some_and(item_wise::reads_only_its_item)
    }

    fn unsupported(&self, version: f64, parameters: &Value) -> Vec<Unsupported> {
        let language = parameters["language"].as_str().unwrap_or("javaScript");
        (version >= 2.0 && language != "javaScript")
            .then(|| {
                Unsupported::new(
                    "language",
                    format!("weft cannot run Code in {language}: it has no Python sandbox"),
                    "write the code in JavaScript (language: javaScript)",
                )
            })
            .into_iter()
            .collect()
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let mode: String = ctx.parameter_as("mode", 0)?;
        let code: String = ctx.parameter_as("jsCode", 0)?;
        let kind = match mode.as_str() {
            "runOnceForAllItems" => ScriptKind::CodeAllItems,
            "runOnceForEachItem" => ScriptKind::CodeEachItem,
            other => {
                return Err(NodeError::operation(format!(
                    "Parameter \"mode\" has the unknown value \"{other}\""
                ))
                .with_description("hint: use runOnceForAllItems or runOnceForEachItem"));
            }
        };
        let request = ScriptRequest {
            code: &code,
            kind,
            stop_at_failure: !ctx.continue_on_fail(),
        };
        let outcomes = ctx.script()?.run(&request)?;
        let mut items = Vec::new();
        for (index, outcome) in outcomes.into_iter().enumerate() {
            match (kind, outcome) {
                (ScriptKind::CodeEachItem, Ok(returned)) => {
                    items.extend(returns::each_item(returned, index)?);
                }
                (_, Ok(returned)) => items.extend(returns::all_items(returned)?),
                (_, Err(failure)) if ctx.continue_on_fail() => {
                    let failed = Item::failed(failure_error(&failure), index);
                    items.push(match kind {
                        ScriptKind::CodeEachItem => failed,
                        _ => Item {
                            paired_item: None,
                            ..failed
                        },
                    });
                }
                (_, Err(failure)) => return Err(failure_error(&failure)),
            }
        }
        out.emit(0, items).await
    }
}

register_node!(Code);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn python_is_refused_at_check_with_a_hint() {
        for language in ["pythonNative", "python"] {
            let refusals = Code.unsupported(2.0, &json!({ "language": language }));
            let [refusal] = refusals.as_slice() else {
                panic!("{language}: {refusals:?}");
            };
            assert_eq!(refusal.parameter, "language");
            assert!(
                refusal.reason.contains(&format!("Code in {language}")),
                "{refusal:?}"
            );
            assert!(
                refusal.hint.contains("write the code in JavaScript"),
                "{refusal:?}"
            );
        }
        assert_eq!(
            Code.unsupported(2.0, &json!({ "language": "javaScript" })),
            []
        );
        assert_eq!(Code.unsupported(2.0, &json!({})), []);
        assert_eq!(Code.unsupported(1.0, &json!({ "language": "python" })), []);
    }
}
