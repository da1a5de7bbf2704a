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
pub(crate) mod equality;
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
use crate::node::{Emitter, Node, NodeContext, RequiredInputs, Unsupported};
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

    fn unsupported(&self, version: f64, parameters: &Value) -> Vec<Unsupported> {
        (version >= 3.0 && mode(parameters) == "combineBySql")
            .then(|| {
                Unsupported::new(
                    "mode",
                    "weft cannot run the Merge node's SQL Query mode (combineBySql): it has no \
                     SQL engine",
                    "combine by matching fields (mode combine) makes the same joins, and a Code \
                     node can do the rest",
                )
            })
            .into_iter()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use crate::item::{PairedItem, PairedItems};

    /// Items as the executor delivers them to input `input`.
    fn input(input: usize, values: &[Value]) -> Vec<Item> {
        values
            .iter()
            .enumerate()
            .map(|(index, value)| Item {
                paired_item: Some(PairedItems::One(PairedItem::of_input(
                    index,
                    (input > 0).then_some(input),
                ))),
                ..Item::from_value(value.clone(), index)
            })
            .collect()
    }

    fn run(version: f64, parameters: Value, inputs: &[Vec<Item>]) -> Result<Vec<Value>, NodeError> {
        let read = |path: &str| -> Result<Option<Value>, NodeError> {
            Ok(path
                .split('.')
                .try_fold(&parameters, |value, key| value.get(key))
                .cloned())
        };
        let slices: Vec<&[Item]> = inputs.iter().map(Vec::as_slice).collect();
        Ok(merge_items(version, &read, &slices)?
            .iter()
            .map(|item| serde_json::to_value(item).unwrap())
            .collect())
    }

    #[test]
    fn v1_merge_by_key_keeps_the_last_duplicate_of_input_2() {
        let inputs = [
            input(
                0,
                &[
                    json!({"id": 1, "a": "x"}),
                    json!({"id": 2}),
                    json!({"a": "no key"}),
                ],
            ),
            input(
                1,
                &[
                    json!({"key": "1", "b": "first"}),
                    json!({"key": 1, "b": "last"}),
                ],
            ),
        ];
        let parameters = json!({"mode": "mergeByKey", "propertyName1": "id", "propertyName2": "key", "overwrite": "always"});
        let output = run(1.0, parameters, &inputs).unwrap();
        assert_eq!(
            output,
            [
                json!({"json": {"id": 1, "a": "x", "b": "last"}, "pairedItem": {"item": 0}}),
                json!({"json": {"id": 2}, "pairedItem": {"item": 1}}),
            ]
        );
        let remove =
            json!({"mode": "removeKeyMatches", "propertyName1": "id", "propertyName2": "key"});
        let kept: Vec<Value> = run(1.0, remove, &inputs)
            .unwrap()
            .into_iter()
            .map(|item| item["json"].clone())
            .collect();
        assert_eq!(kept, [json!({"id": 2}), json!({"a": "no key"})]);
    }

    #[test]
    fn v1_wait_and_multiplex_pair_with_both_inputs() {
        let inputs = [
            input(0, &[json!({"a": 1}), json!({"a": 2})]),
            input(1, &[json!({"b": 1})]),
        ];
        let wait = run(1.0, json!({"mode": "wait"}), &inputs).unwrap();
        assert_eq!(
            wait,
            [json!({"json": {}, "pairedItem": [{"item": 0}, {"item": 1}]})]
        );
        let multiplex = run(1.0, json!({"mode": "multiplex"}), &inputs).unwrap();
        assert_eq!(
            multiplex[1],
            json!({"json": {"a": 2, "b": 1}, "pairedItem": [{"item": 1}, {"item": 0, "input": 1}]})
        );
    }

    #[test]
    fn v2_multiplex_preferring_input_1_puts_input_2_first() {
        let inputs = [
            input(0, &[json!({"k": "one", "a": 1})]),
            input(1, &[json!({"k": "two", "b": 2})]),
        ];
        let parameters = json!({"mode": "combine", "combinationMode": "multiplex",
            "options": {"clashHandling": {"values": {"resolveClash": "preferInput1"}}}});
        assert_eq!(
            run(2.0, parameters, &inputs).unwrap(),
            [json!({"json": {"k": "one", "b": 2, "a": 1}, "binary": {},
                "pairedItem": [{"item": 0, "input": 1}, {"item": 0}]})]
        );
    }

    #[test]
    fn v2_0_refuses_a_match_field_no_item_has() {
        let inputs = [
            input(0, &[json!({"id": 1})]),
            input(1, &[json!({"other": 1})]),
        ];
        let parameters = json!({"mode": "combine", "combinationMode": "mergeByFields",
            "mergeByFields": {"values": [{"field1": "id", "field2": "id"}]}, "joinMode": "keepMatches", "options": {}});
        let error = run(2.0, parameters.clone(), &inputs).unwrap_err();
        assert_eq!(
            error.message,
            "Field 'id' is not present in any of items in 'Input 2'"
        );
        assert_eq!(
            run(2.1, parameters, &inputs).unwrap(),
            Vec::<Value>::new(),
            "2.1 only finds no match"
        );
    }

    #[test]
    fn v3_enrich_input_2_with_the_first_match_leaves_later_matches_plain() {
        let inputs = [
            input(0, &[json!({"c": "a", "tier": 1})]),
            input(1, &[json!({"c": "a", "n": 1}), json!({"c": "a", "n": 2})]),
        ];
        let parameters = json!({"mode": "combine", "combineBy": "combineByFields", "advanced": false,
            "fieldsToMatchString": "c", "joinMode": "enrichInput2", "options": {"multipleMatches": "first"}});
        assert_eq!(
            run(3.0, parameters, &inputs).unwrap(),
            [
                json!({"json": {"c": "a", "n": 1, "tier": 1}, "binary": {},
                    "pairedItem": [{"item": 0, "input": 1}, {"item": 0}]}),
                json!({"json": {"c": "a", "n": 2}, "pairedItem": {"item": 1, "input": 1}}),
            ]
        );
    }

    #[test]
    fn v3_keep_everything_with_suffixes_suffixes_the_unmatched_too() {
        let inputs = [
            input(0, &[json!({"id": 1}), json!({"id": 2})]),
            input(1, &[json!({"id": 1, "x": 1}), json!({"id": 3})]),
        ];
        let parameters = json!({"mode": "combine", "combineBy": "combineByFields", "advanced": false,
            "fieldsToMatchString": "id", "joinMode": "keepEverything", "outputDataFrom": "both",
            "options": {"clashHandling": {"values": {"resolveClash": "addSuffix"}}}});
        let jsons: Vec<Value> = run(3.1, parameters, &inputs)
            .unwrap()
            .into_iter()
            .map(|item| item["json"].clone())
            .collect();
        assert_eq!(
            jsons,
            [
                json!({"id_1": 1, "id_2": 1, "x_2": 1}),
                json!({"id_1": 2}),
                json!({"id_2": 3})
            ]
        );
    }

    #[test]
    fn v3_combine_by_position_merges_every_input_and_pairs_the_preferred_one_again() {
        let inputs = [
            input(0, &[json!({"a": 1, "s": "one"})]),
            input(1, &[json!({"b": 2, "s": "two"})]),
            input(2, &[json!({"c": 3, "s": "three"}), json!({"c": 4})]),
        ];
        let parameters = json!({"mode": "combine", "combineBy": "combineByPosition", "numberInputs": 3, "options": {}});
        assert_eq!(
            run(3.2, parameters, &inputs).unwrap(),
            [
                json!({"json": {"a": 1, "s": "three", "b": 2, "c": 3}, "binary": {},
                "pairedItem": [{"item": 0}, {"item": 0, "input": 1}, {"item": 0, "input": 2}, {"item": 0, "input": 2}]})
            ]
        );
    }

    #[test]
    fn v3_choose_branch_names_a_missing_input() {
        let inputs = [input(0, &[json!({"a": 1})]), input(1, &[json!({"b": 1})])];
        let parameters = json!({"mode": "chooseBranch", "numberInputs": 2, "chooseBranchMode": "waitForAll",
            "output": "specifiedInput", "useDataOfInput": 3});
        let error = run(3.2, parameters, &inputs).unwrap_err();
        assert_eq!(error.message, "Input 3 doesn't exist");
        let append = run(3.2, json!({"mode": "append", "numberInputs": 2}), &inputs).unwrap();
        assert_eq!(
            append[1],
            json!({"json": {"b": 1}, "pairedItem": {"item": 0, "input": 1}})
        );
    }

    #[test]
    fn inputs_required_inputs_and_the_sql_mode_follow_the_parameters() {
        assert_eq!(Merge.inputs(3.2, &json!({"numberInputs": 5})), 5);
        assert_eq!(Merge.inputs(2.1, &json!({"numberInputs": 5})), 2);
        assert_eq!(Merge.required_inputs(1.0, &json!({})), RequiredInputs::Any);
        assert_eq!(
            Merge.required_inputs(3.0, &json!({"mode": "chooseBranch"})),
            RequiredInputs::All(vec![0, 1])
        );
        assert_eq!(
            Merge.required_inputs(2.0, &json!({})),
            RequiredInputs::AtLeast(1)
        );
        assert!(
            Merge
                .unsupported(3.1, &json!({"mode": "combineBySql"}))
                .iter()
                .any(|refusal| refusal.parameter == "mode")
        );
        assert!(
            Merge
                .unsupported(3.1, &json!({"mode": "combine"}))
                .is_empty()
        );
    }
}
