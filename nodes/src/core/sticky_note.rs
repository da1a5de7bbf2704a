//! Sticky Note (`n8n-nodes-base.stickyNote`): a note on the canvas. It has no input and no
//! output, so it never runs and never appears in a run's data; its parameters are kept as written.

use async_trait::async_trait;

use crate::description::{Literal, NodeDescription, Parameter, ParameterKind};
use crate::error::NodeError;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

/// The Sticky Note node.
pub struct StickyNote;

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.stickyNote",
    display_name: "Sticky Note",
    description: "A note on the canvas; it never runs",
    versions: &[1.0],
    versioned: false,
    trigger: false,
    outputs: &[],
    parameters: &[
        Parameter::new("content", "Content", ParameterKind::String).default(Literal::String(
            "## I'm a note \n**Double click** to edit me. [Guide](https://docs.n8n.io/workflows/components/sticky-notes/)",
        )),
        Parameter::new("height", "Height", ParameterKind::Number)
            .default(Literal::Number(160.0))
            .required(),
        Parameter::new("width", "Width", ParameterKind::Number)
            .default(Literal::Number(240.0))
            .required(),
        Parameter::new("color", "Color", ParameterKind::Number)
            .default(Literal::Number(1.0))
            .required(),
    ],
    credentials: &[],
};

#[async_trait]
impl Node for StickyNote {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    fn inputs(&self, _version: f64, _parameters: &serde_json::Value) -> usize {
        0
    }

    /// Never called (nothing can connect to a note); emits nothing.
    async fn execute(&self, _ctx: &NodeContext<'_>, _out: &mut Emitter) -> Result<(), NodeError> {
        Ok(())
    }
}

register_node!(StickyNote);
