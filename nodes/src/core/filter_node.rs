//! Filter (`n8n-nodes-base.filter`, typeVersions 1, 2, 2.1, 2.2, 2.3): keeps the items that pass.
//! n8n also records the discarded items as an undeclared second output, so the node has two.

use async_trait::async_trait;
use serde_json::Value;

use super::condition_parameters::legacy_conditions;
use super::if_node::{FILTER_PARAMETERS, split};
use crate::description::{
    Choice, Condition, Literal, NodeDescription, Parameter, ParameterKind, VERSION_KEY,
};
use crate::error::NodeError;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

/// The Filter node.
pub struct Filter;

const V1: &[(&str, &[Condition])] = &[(VERSION_KEY, &[Condition::Lt(2.0)])];

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.filter",
    display_name: "Filter",
    description: "Remove items matching a condition",
    versions: &[1.0, 2.0, 2.1, 2.2, 2.3],
    versioned: true,
    trigger: false,
    outputs: &["Kept"],
    parameters: &[
        legacy_conditions(V1),
        Parameter::new(
            "combineConditions",
            "Combine Conditions",
            ParameterKind::Options(&[
                Choice::new("AND", Literal::String("AND")),
                Choice::new("OR", Literal::String("OR")),
            ]),
        )
        .show(V1),
        FILTER_PARAMETERS[0],
        FILTER_PARAMETERS[1],
        FILTER_PARAMETERS[2],
    ],
    credentials: &[],
};

#[async_trait]
impl Node for Filter {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    /// Item-wise: each item is kept or discarded by its own conditions, paired to itself.
    fn item_wise(&self, _version: f64, _parameters: &Value) -> bool {
        true
    }

    /// Kept and discarded, as n8n records them.
    fn outputs(&self, _version: f64, _parameters: &Value) -> usize {
        2
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let (kept, discarded) = split(ctx, "combineConditions", "OR")?;
        out.emit(0, kept).await?;
        out.emit(1, discarded).await
    }
}

register_node!(Filter);
