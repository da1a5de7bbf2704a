//! IF (`n8n-nodes-base.if`, typeVersions 1, 2, 2.1, 2.2, 2.3): routes each item to `true` or
//! `false`. v1 evaluates the legacy conditions (`combineOperation` all/any), v2+ the filter
//! parameter with the options the editor stored.

use async_trait::async_trait;

use super::condition_parameters::{
    FilterNode, legacy_conditions, legacy_passes, loose_type_validation,
};
use crate::description::{
    Choice, Condition, Literal, NodeDescription, Parameter, ParameterKind, VERSION_KEY,
};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

/// The IF node.
pub struct If;

const V1: &[(&str, &[Condition])] = &[(VERSION_KEY, &[Condition::Lt(2.0)])];
const V2: &[(&str, &[Condition])] = &[(VERSION_KEY, &[Condition::Gte(2.0)])];
const FROM_2_1: &[(&str, &[Condition])] = &[(VERSION_KEY, &[Condition::Gte(2.1)])];
const BEFORE_2_1: &[(&str, &[Condition])] = &[(VERSION_KEY, &[Condition::Lt(2.1)])];

/// IF v2+ and Filter v2+: the filter parameter, `looseTypeValidation` and the options.
pub(super) const FILTER_PARAMETERS: [Parameter; 3] = [
    Parameter::new("conditions", "Conditions", ParameterKind::Filter).show(V2),
    loose_type_validation().show(FROM_2_1),
    Parameter::new(
        "options",
        "Options",
        ParameterKind::Collection(&[
            Parameter::new("ignoreCase", "Ignore Case", ParameterKind::Boolean)
                .default(Literal::Bool(true))
                .describe("Whether to ignore letter case when evaluating conditions"),
            loose_type_validation().show(BEFORE_2_1),
        ]),
    )
    .show(V2),
];

/// How IF v2+ and Filter v2+ derive their filter options.
pub(super) const FILTER_NODE: FilterNode = FilterNode {
    top_level_loose_since: 2.1,
    filter_versions: &[(2.0, 1), (2.2, 2), (2.3, 3)],
};

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.if",
    display_name: "If",
    description: "Route items to different branches (true/false)",
    versions: &[1.0, 2.0, 2.1, 2.2, 2.3],
    versioned: true,
    trigger: false,
    outputs: &["true", "false"],
    parameters: &[
        legacy_conditions(V1),
        Parameter::new(
            "combineOperation",
            "Combine",
            ParameterKind::Options(&[
                Choice::new("ALL", Literal::String("all")),
                Choice::new("ANY", Literal::String("any")),
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
impl Node for If {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    /// Item-wise: each item goes to `true` or `false` by its own conditions, paired to itself.
    fn item_wise(&self, _version: f64, _parameters: &serde_json::Value) -> bool {
        true
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let (kept, discarded) = split(ctx, "combineOperation", "any")?;
        out.emit(0, kept).await?;
        out.emit(1, discarded).await
    }
}

/// The input split into items that pass and items that do not, each paired to its input item.
/// The legacy combination reads `combine_parameter` (`any_value` means "any"). An item whose
/// conditions fail to evaluate stops the node, or goes with the failing items under
/// continue-on-fail.
pub(super) fn split(
    ctx: &NodeContext<'_>,
    combine_parameter: &str,
    any_value: &str,
) -> Result<(Vec<Item>, Vec<Item>), NodeError> {
    let legacy = ctx.node().type_version < 2.0;
    let (mut kept, mut discarded) = (Vec::new(), Vec::new());
    for (index, item) in ctx.input().iter().enumerate() {
        let passed = if legacy {
            ctx.parameter(combine_parameter, index)
                .and_then(|combine| legacy_passes(ctx, index, combine == any_value))
        } else {
            FILTER_NODE.passes(ctx, "conditions", index)
        };
        let target = match passed {
            Ok(true) => &mut kept,
            Ok(false) => &mut discarded,
            Err(_) if ctx.continue_on_fail() => &mut discarded,
            Err(error) => return Err(error),
        };
        target.push(item.clone().paired_to(index));
    }
    Ok((kept, discarded))
}

register_node!(If);
