//! Manual Trigger (`n8n-nodes-base.manualTrigger`): starts a run with one empty item.

use async_trait::async_trait;
use serde_json::Map;

use crate::description::NodeDescription;
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

/// The Manual Trigger node.
pub struct ManualTrigger;

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.manualTrigger",
    display_name: "Manual Trigger",
    description: "Runs the workflow on request (n8n's \"Execute workflow\" button, `weft run`)",
    versions: &[1.0],
    versioned: false,
    trigger: true,
    outputs: &["main"],
    parameters: &[],
    credentials: &[],
};

#[async_trait]
impl Node for ManualTrigger {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    async fn execute(&self, _ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        out.emit(0, [Item::new(Map::new(), 0)]).await
    }
}

register_node!(ManualTrigger);
