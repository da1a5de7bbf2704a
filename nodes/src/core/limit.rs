//! Limit (`n8n-nodes-base.limit`, typeVersion 1): keeps at most `maxItems` items, the first
//! (`keep: firstItems`) or the last (`lastItems`), each still paired to its input item.
//! `maxItems` is used as n8n's `Array.prototype.slice` uses it: fractions truncate, a negative
//! count drops that many from the other end.

use async_trait::async_trait;

use crate::description::{Choice, Literal, NodeDescription, Parameter, ParameterKind};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

use super::conditions::js::to_number;

/// The Limit node.
pub struct Limit;

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.limit",
    display_name: "Limit",
    description: "Restrict the number of items",
    versions: &[1.0],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new("maxItems", "Max Items", ParameterKind::Number)
            .default(Literal::Number(1.0))
            .describe("If there are more items than this number, some are removed"),
        Parameter::new(
            "keep",
            "Keep",
            ParameterKind::Options(&[
                Choice::new("First Items", Literal::String("firstItems")),
                Choice::new("Last Items", Literal::String("lastItems")),
            ]),
        )
        .default(Literal::String("firstItems"))
        .describe("When removing items, whether to keep the ones at the start or the ending"),
    ],
    credentials: &[],
};

#[async_trait]
impl Node for Limit {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        out.emit(0, limited(ctx)?).await
    }
}

register_node!(Limit);

/// The input items `maxItems` and `keep` keep (also Item Lists' `limit`, whose parameters are
/// the same in every typeVersion).
pub(super) fn limited(ctx: &NodeContext<'_>) -> Result<Vec<Item>, NodeError> {
    let max_items = to_number(Some(&ctx.parameter("maxItems", 0)?));
    let keep: String = ctx.parameter_as("keep", 0)?;
    let input = ctx.input();
    let kept = kept_range(input.len(), max_items, keep == "firstItems");
    Ok(input[kept].to_vec())
}

/// The indexes of the items kept out of `length`.
fn kept_range(length: usize, max_items: f64, first: bool) -> std::ops::Range<usize> {
    let total = length as f64;
    if max_items > total {
        return 0..length;
    }
    if first {
        0..slice_index(max_items, length)
    } else {
        slice_index(total - max_items, length)..length
    }
}

/// `slice`'s reading of an index: truncated, NaN as 0, negative from the end, clamped.
fn slice_index(index: f64, length: usize) -> usize {
    let index = if index.is_nan() { 0.0 } else { index.trunc() };
    let total = length as f64;
    let clamped = if index < 0.0 {
        (total + index).max(0.0)
    } else {
        index.min(total)
    };
    clamped as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_n8n_keeps() {
        // (items, maxItems, first, kept range)
        let cases = [
            (5, 2.0, true, 0..2),
            (5, 2.0, false, 3..5),
            (5, 5.0, true, 0..5),
            (5, 9.0, false, 0..5),
            (0, 1.0, true, 0..0),
            (5, 2.5, true, 0..2),
            (5, 2.5, false, 2..5),
            (5, 0.0, true, 0..0),
            (5, 0.0, false, 5..5),
            (5, -1.0, true, 0..4),
            (5, -1.0, false, 5..5),
            (5, f64::NAN, true, 0..0),
            (5, f64::NAN, false, 0..5),
        ];
        for (length, max_items, first, expected) in cases {
            assert_eq!(
                kept_range(length, max_items, first),
                expected,
                "{length} items, max {max_items}, first {first}"
            );
        }
    }
}
