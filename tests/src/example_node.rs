//! The worked example of `docs/nodes.md`: a node that lives outside `weft-nodes` and registers
//! itself with one `register_node!` line, with no edit to the runtime or the nodes crate.
//!
//! Upper Case (`weft-example.uppercase`, typeVersion 1) upper-cases one string field of every
//! input item. The field is a parameter, so an expression can choose it per item. An item
//! without that string field fails the node, or becomes an error item when the node continues on
//! failure. `src/bin/weft-with-example.rs` links it into a `weft` binary.

use async_trait::async_trait;
use serde_json::Value;
use weft_nodes::description::{Literal, NodeDescription, Parameter, ParameterKind};
use weft_nodes::{Emitter, Item, Node, NodeContext, NodeError, register_node};

/// The Upper Case node.
pub struct UpperCase;

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "weft-example.uppercase",
    display_name: "Upper Case",
    description: "Upper-cases a string field of each item",
    versions: &[1.0],
    versioned: true,
    trigger: false,
    outputs: &["main"],
    parameters: &[Parameter::new("field", "Field", ParameterKind::String)
        .default(Literal::String("name"))
        .required()
        .describe("The name of the string field to upper-case")],
    credentials: &[],
};

#[async_trait]
impl Node for UpperCase {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        for (index, item) in ctx.input().iter().enumerate() {
            match upper_case(ctx, item, index) {
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

/// Input item `index` with its field upper-cased, paired to that input item.
fn upper_case(ctx: &NodeContext<'_>, item: &Item, index: usize) -> Result<Item, NodeError> {
    let field: String = ctx.parameter_as("field", index)?;
    let Some(Value::String(text)) = item.json.get(&field) else {
        return Err(
            NodeError::operation(format!("The item has no text field \"{field}\""))
                .with_description("Upper Case works on string fields only"),
        );
    };
    let mut output = item.clone().paired_to(index);
    output
        .json
        .insert(field, Value::String(text.to_uppercase()));
    Ok(output)
}

register_node!(UpperCase);
