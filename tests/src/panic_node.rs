//! Panic (`weft-test.panic`, typeVersion 1): a node that panics whenever it runs, for tests that
//! a panic in one run is contained (`weft start` records the run as failed and goes on). A bug
//! in a real node gets fixed, so such tests need a panic that stays. Linked into
//! `weft-with-example` with the rest of this crate; the stock `weft` does not know it.

use async_trait::async_trait;
use weft_nodes::description::NodeDescription;
use weft_nodes::{Emitter, Node, NodeContext, NodeError, register_node};

/// What the node's panic says.
pub const PANIC_MESSAGE: &str = "the Panic test node panics on purpose";

/// The Panic node.
pub struct Panic;

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "weft-test.panic",
    display_name: "Panic",
    description: "Panics when it runs (for tests of panic containment)",
    versions: &[1.0],
    versioned: true,
    trigger: false,
    outputs: &["main"],
    parameters: &[],
    credentials: &[],
};

#[async_trait]
impl Node for Panic {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    async fn execute(&self, _ctx: &NodeContext<'_>, _out: &mut Emitter) -> Result<(), NodeError> {
        panic!("{PANIC_MESSAGE}");
    }
}

register_node!(Panic);
