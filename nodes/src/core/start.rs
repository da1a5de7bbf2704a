//! Start (`n8n-nodes-base.start`): n8n's legacy trigger. n8n 2.x no longer starts a workflow at
//! it ("Missing node to start execution"); weft runs it as a Manual Trigger, as n8n 1.x did, so
//! old workflows keep working.

use async_trait::async_trait;

use super::ManualTrigger;
use crate::description::NodeDescription;
use crate::error::NodeError;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

/// The legacy Start node.
pub struct Start;

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.start",
    display_name: "Start",
    description: "n8n's legacy trigger, run as a Manual Trigger",
    versions: &[1.0],
    versioned: true,
    trigger: true,
    outputs: &["main"],
    parameters: &[],
    credentials: &[],
};

#[async_trait]
impl Node for Start {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        ManualTrigger.execute(ctx, out).await
    }
}

register_node!(Start);
