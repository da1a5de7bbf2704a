//! Stop and Error (`n8n-nodes-base.stopAndError`): fails with a message or an error object,
//! read for the first input item.

use async_trait::async_trait;
use serde_json::Value;

use crate::description::{Choice, Condition, Literal, NodeDescription, Parameter, ParameterKind};
use crate::error::NodeError;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

/// The Stop and Error node.
pub struct StopAndError;

const MESSAGE: &[(&str, &[Condition])] = &[(
    "errorType",
    &[Condition::Is(Literal::String("errorMessage"))],
)];
const OBJECT: &[(&str, &[Condition])] = &[(
    "errorType",
    &[Condition::Is(Literal::String("errorObject"))],
)];

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.stopAndError",
    display_name: "Stop and Error",
    description: "Throws an error in the workflow",
    versions: &[1.0],
    versioned: false,
    trigger: false,
    outputs: &[],
    parameters: &[
        Parameter::new(
            "errorType",
            "Error Type",
            ParameterKind::Options(&[
                Choice::new("Error Message", Literal::String("errorMessage")),
                Choice::new("Error Object", Literal::String("errorObject")),
            ]),
        )
        .no_data_expression(),
        Parameter::new("errorMessage", "Error Message", ParameterKind::String)
            .required()
            .show(MESSAGE),
        Parameter::new("errorObject", "Error Object", ParameterKind::Json)
            .default(Literal::String("{}"))
            .required()
            .show(OBJECT)
            .describe("An object with at least a `message`"),
    ],
    credentials: &[],
};

#[async_trait]
impl Node for StopAndError {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    async fn execute(&self, ctx: &NodeContext<'_>, _out: &mut Emitter) -> Result<(), NodeError> {
        let error_type: String = ctx.parameter_as("errorType", 0)?;
        if error_type == "errorObject" {
            return Err(from_object(ctx.parameter("errorObject", 0)?));
        }
        let message: String = ctx.parameter_as("errorMessage", 0)?;
        Err(NodeError::operation(message))
    }
}

/// The error for an error object (JSON text or, through an expression, an object): its
/// `message`, with `description` when present.
fn from_object(value: Value) -> NodeError {
    let object = match value {
        Value::String(text) => serde_json::from_str(&text).unwrap_or(Value::String(text)),
        other => other,
    };
    let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
    let message = text("message").unwrap_or_else(|| match &object {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    });
    match text("description") {
        Some(description) => NodeError::operation(message).with_description(description),
        None => NodeError::operation(message),
    }
}

register_node!(StopAndError);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn error_objects_give_message_and_description() {
        let error = from_object(json!("{\"message\":\"boom\",\"description\":\"why\"}"));
        assert_eq!(
            (error.message.as_str(), error.description.as_deref()),
            ("boom", Some("why"))
        );
        assert_eq!(from_object(json!({ "code": 1 })).message, "{\"code\":1}");
        assert_eq!(from_object(json!("not json")).message, "not json");
    }
}
