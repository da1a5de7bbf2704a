//! No Operation (`n8n-nodes-base.noOp`): passes its input through, paired item for item.

use async_trait::async_trait;

use crate::description::NodeDescription;
use crate::error::NodeError;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

/// The No Operation node.
pub struct NoOp;

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.noOp",
    display_name: "No Operation, do nothing",
    description: "Passes its input items through unchanged",
    versions: &[1.0],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[],
    credentials: &[],
};

#[async_trait]
impl Node for NoOp {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    /// Item-wise: it passes each item through on its own, pairing the results to it.
    fn item_wise(&self, _version: f64, _parameters: &serde_json::Value) -> bool {
        true
    }

    fn passes_through(&self) -> bool {
        true
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let items = ctx.input().iter().enumerate();
        out.emit(0, items.map(|(index, item)| item.clone().paired_to(index)))
            .await
    }
}

register_node!(NoOp);
