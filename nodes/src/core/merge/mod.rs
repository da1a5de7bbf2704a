//! Merge (`n8n-nodes-base.merge`, typeVersions 1, 2, 2.1, 3, 3.1, 3.2): combines the items of
//! two inputs (v3: `numberInputs`, 2 to 10) by appending them, by matching fields (a hash join),
//! by position, as every combination, or by choosing one input.
//!
//! Everything n8n's recordings show is kept: the order of the output, clash handling
//! (`preferInput1` swaps the inputs), `"binary": {}` on combined items only, and the pairing of
//! combined items (`[{item, input?}, …]`), built from the lineage pairing the executor puts on
//! each input item. The SQL Query mode (`combineBySql`) is refused when the workflow is checked
//! ([`Node::unsupported`]).

mod by_fields;
mod combined;
mod description;
mod equality;
mod join;
mod objects;
mod positions;
mod settings;
mod v1;

use async_trait::async_trait;
use serde_json::Value;

use crate::description::NodeDescription;
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext, RequiredInputs};
use crate::register_node;

use settings::{Branch, Generation, Settings};

/// The Merge node.
pub struct Merge;

register_node!(Merge);

/// The items a Merge node of typeVersion `version` outputs for `inputs` (one slice per input
/// of the node; an input that got no data is empty), reading its parameters through
/// `parameter` (resolved, expressions evaluated for item 0; `None` when absent).
pub fn merge_items(
    version: f64,
    parameter: &dyn Fn(&str) -> Result<Option<Value>, NodeError>,
    inputs: &[&[Item]],
) -> Result<Vec<Item>, NodeError> {
    let input = |index: usize| inputs.get(index).copied().unwrap_or_default();
    Ok(match Settings::read(version, parameter)? {
        Settings::V1(mode) => v1::run(&mode, input(0), input(1)),
        Settings::Append => inputs
            .iter()
            .flat_map(|items| items.iter().cloned())
            .collect(),
        Settings::ByFields(fields) => by_fields::combine_by_fields(&fields, input(0), input(1))?,
        Settings::ByPosition {
            generation: Generation::V2,
            clash,
            include_unpaired,
        } => positions::merge_by_position_v2(&clash, include_unpaired, input(0), input(1)),
        Settings::ByPosition {
            generation: Generation::V3,
            clash,
            include_unpaired,
        } => positions::combine_by_position_v3(&clash, include_unpaired, inputs)?,
        Settings::CrossJoin { clash } => positions::cross_join(&clash, input(0), input(1)),
        Settings::ChooseBranch(Branch::Input(index)) => {
            if index >= inputs.len() {
                return Err(
                    NodeError::operation(format!("Input {} doesn't exist", index + 1))
                        .with_description(format!(
                            "The node has only {} inputs, so selecting input {} is not possible.",
                            inputs.len(),
                            index + 1
                        )),
                );
            }
            input(index).to_vec()
        }
        Settings::ChooseBranch(Branch::Empty) => vec![Item {
            paired_item: Some(combined::paired_list(input(0).iter().chain(input(1)))),
            ..Item::default()
        }],
        Settings::ChooseBranch(Branch::Nothing) => Vec::new(),
    })
}

/// The `mode` of resolved parameters (`append` when absent, n8n's default).
fn mode(parameters: &Value) -> &str {
    parameters
        .get("mode")
        .and_then(Value::as_str)
        .unwrap_or("append")
}

#[async_trait]
impl Node for Merge {
    fn description(&self) -> &'static NodeDescription {
        &description::DESCRIPTION
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let version = ctx.node().type_version;
        let declared = match ctx.optional_parameter("numberInputs", 0)? {
            Some(count) => serde_json::json!({ "numberInputs": count }),
            None => Value::Null,
        };
        let count = ctx.input_count().max(self.inputs(version, &declared));
        let inputs: Vec<&[Item]> = (0..count).map(|index| ctx.input_at(index)).collect();
        let parameter = |path: &str| ctx.optional_parameter(path, 0);
        let items = merge_items(version, &parameter, &inputs)?;
        out.emit(0, items).await
    }

    fn inputs(&self, version: f64, parameters: &Value) -> usize {
        if version < 3.0 {
            return 2;
        }
        parameters
            .get("numberInputs")
            .and_then(Value::as_f64)
            .filter(|count| *count >= 1.0)
            .map_or(2, |count| count as usize)
    }

    fn required_inputs(&self, version: f64, parameters: &Value) -> RequiredInputs {
        if version < 2.0 {
            RequiredInputs::Any
        } else if mode(parameters) == "chooseBranch" {
            RequiredInputs::All(vec![0, 1])
        } else {
            RequiredInputs::AtLeast(1)
        }
    }

    fn unsupported(&self, version: f64, parameters: &Value) -> Option<String> {
        (version >= 3.0 && mode(parameters) == "combineBySql").then(|| {
            "weft cannot run the Merge node's SQL Query mode (combineBySql): it has no SQL engine; \
             combine by matching fields (mode combine) makes the same joins, and a Code node can do the rest"
                .to_owned()
        })
    }
}
