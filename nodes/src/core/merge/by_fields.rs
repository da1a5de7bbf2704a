//! Combine by matching fields (v2 `mergeByFields`, v3 `combineByFields`): the join modes over
//! the [`Matches`] of the hash join, with n8n's clash handling, its early answers for empty
//! inputs and the items' pairing (`[input 1 item, input 2 item]`, or the other way round when
//! input 1's values are preferred).

use crate::error::NodeError;
use crate::item::Item;

use super::combined::{combined, paired_list, suffixed};
use super::join::{MatchRule, Matches};
use super::settings::{FieldsSettings, Generation, JoinMode, OutputFrom};
use crate::core::paths::get_path;

/// The items combine-by-fields outputs for `input1` and `input2`.
pub fn combine_by_fields(
    settings: &FieldsSettings,
    input1: &[Item],
    input2: &[Item],
) -> Result<Vec<Item>, NodeError> {
    if settings.check_presence {
        check_presence(settings, input1, true)?;
        check_presence(settings, input2, false)?;
    }
    if input1.is_empty() || input2.is_empty() {
        return Ok(one_input_empty(settings, input1, input2));
    }
    let rule = MatchRule {
        fields: settings.fields.clone(),
        fuzzy: settings.fuzzy,
        disable_dot_notation: settings.disable_dot_notation,
        first_match_only: settings.first_match_only,
    };
    let matches = rule.find(input1, input2);
    Ok(assemble(settings, input1, input2, &matches))
}

/// n8n's answer when an input has no items: nothing, or the items there are.
fn one_input_empty(settings: &FieldsSettings, input1: &[Item], input2: &[Item]) -> Vec<Item> {
    let nothing = match settings.join {
        JoinMode::KeepNonMatches => {
            (input1.is_empty() && settings.output_from == OutputFrom::Input1)
                || (input2.is_empty() && settings.output_from == OutputFrom::Input2)
        }
        JoinMode::KeepMatches => true,
        JoinMode::EnrichInput1 => input1.is_empty(),
        JoinMode::EnrichInput2 => input2.is_empty(),
        JoinMode::KeepEverything => false,
    };
    if nothing {
        Vec::new()
    } else {
        input1.iter().chain(input2).cloned().collect()
    }
}

/// v2.0's `checkInput`: every match field must be in some item of its input.
fn check_presence(settings: &FieldsSettings, input: &[Item], first: bool) -> Result<(), NodeError> {
    for (field1, field2) in &settings.fields {
        let field = if first { field1 } else { field2 };
        let present = input.iter().any(|item| {
            if settings.disable_dot_notation {
                item.json.contains_key(field.as_str())
            } else {
                item.json.contains_key(field.as_str()) || get_path(&item.json, field).is_some()
            }
        });
        if !present {
            let label = if first { "Input 1" } else { "Input 2" };
            return Err(NodeError::operation(format!(
                "Field '{field}' is not present in any of items in '{label}'"
            ))
            .with_description("check the field name, or that the input has items with it"));
        }
    }
    Ok(())
}

/// The output of the join mode from the matches.
pub fn assemble(
    settings: &FieldsSettings,
    input1: &[Item],
    input2: &[Item],
    matches: &Matches,
) -> Vec<Item> {
    let pick = |input: &[Item], indexes: &[usize]| -> Vec<Item> {
        indexes.iter().map(|index| input[*index].clone()).collect()
    };
    let suffix_if = |items: Vec<Item>, suffix| {
        if settings.clash.adds_suffix() {
            suffixed(items, suffix)
        } else {
            items
        }
    };
    match settings.join {
        JoinMode::KeepMatches | JoinMode::KeepEverything => {
            let mut output = match settings.output_from {
                OutputFrom::Input1 => matches
                    .matched
                    .iter()
                    .map(|(entry, _)| input1[*entry].clone())
                    .collect(),
                OutputFrom::Input2 => pick(input2, &matches.matched2),
                OutputFrom::Both => merge_matched(settings, input1, input2, matches),
            };
            if settings.join == JoinMode::KeepEverything {
                output.extend(suffix_if(pick(input1, &matches.unmatched1), 1));
                output.extend(suffix_if(pick(input2, &matches.unmatched2), 2));
            }
            output
        }
        JoinMode::KeepNonMatches => match settings.output_from {
            OutputFrom::Input1 => pick(input1, &matches.unmatched1),
            OutputFrom::Input2 => pick(input2, &matches.unmatched2),
            OutputFrom::Both => {
                let sourced = |items: Vec<Item>, source: &'static str| {
                    items.into_iter().map(move |mut item| {
                        item.json.insert("_source".to_owned(), source.into());
                        item
                    })
                };
                sourced(pick(input1, &matches.unmatched1), "input1")
                    .chain(sourced(pick(input2, &matches.unmatched2), "input2"))
                    .collect()
            }
        },
        JoinMode::EnrichInput1 => {
            let mut output = merge_matched(settings, input1, input2, matches);
            output.extend(suffix_if(pick(input1, &matches.unmatched1), 1));
            output
        }
        JoinMode::EnrichInput2 => {
            let mut output = merge_matched(settings, input1, input2, matches);
            output.extend(suffix_if(pick(input2, &matches.unmatched2), 2));
            output
        }
    }
}

/// n8n's `mergeMatched`: one item per (input 1 item, match) pair, merged by the clash handling.
fn merge_matched(
    settings: &FieldsSettings,
    input1: &[Item],
    input2: &[Item],
    matches: &Matches,
) -> Vec<Item> {
    let prefer_last = match settings.generation {
        Generation::V2 => "preferInput2",
        Generation::V3 => "preferLast",
    };
    let resolve =
        settings
            .clash
            .resolve
            .as_deref()
            .unwrap_or(if settings.join == JoinMode::EnrichInput2 {
                "preferInput1"
            } else {
                prefer_last
            });
    let method = settings.clash.method;
    let pairs = matches
        .matched
        .iter()
        .flat_map(|(entry, found)| found.iter().map(move |other| (*entry, *other)));
    pairs
        .map(|(entry, other)| {
            let (first, second) = (&input1[entry], &input2[other]);
            match resolve {
                "addSuffix" => combined(&method, &method, &[(first, Some(1)), (second, Some(2))]),
                "preferInput1" => combined(&method, &method, &[(second, None), (first, None)]),
                chosen if chosen == prefer_last => {
                    combined(&method, &method, &[(first, None), (second, None)])
                }
                // Any other choice merges nothing in n8n: an empty item.
                _ => Item {
                    binary: Some(Default::default()),
                    paired_item: Some(paired_list(std::iter::empty())),
                    ..Item::default()
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::merge::settings::Clash;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    fn items(keys: &[Option<u8>]) -> Vec<Item> {
        keys.iter()
            .enumerate()
            .map(|(index, key)| {
                let json = match key {
                    Some(key) => json!({ "k": key, "n": index }),
                    None => json!({ "n": index }),
                };
                Item::from_value(json, index)
            })
            .collect()
    }

    proptest! {
        #[test]
        fn every_join_mode_gives_the_same_items_from_the_hash_join_as_from_nested_loops(
            keys1 in proptest::collection::vec(proptest::option::of(0..4u8), 1..10),
            keys2 in proptest::collection::vec(proptest::option::of(0..4u8), 1..10),
            join in prop_oneof![
                Just(JoinMode::KeepMatches), Just(JoinMode::KeepNonMatches),
                Just(JoinMode::KeepEverything), Just(JoinMode::EnrichInput1), Just(JoinMode::EnrichInput2),
            ],
            output_from in prop_oneof![Just(OutputFrom::Both), Just(OutputFrom::Input1), Just(OutputFrom::Input2)],
            resolve in prop_oneof![Just(None), Just(Some("addSuffix")), Just(Some("preferInput1"))],
            first_match_only in any::<bool>(),
            fuzzy in any::<bool>(),
        ) {
            let (input1, input2) = (items(&keys1), items(&keys2));
            let settings = FieldsSettings {
                generation: Generation::V3,
                check_presence: false,
                fields: vec![("k".into(), "k".into())],
                join,
                output_from,
                clash: Clash { resolve: resolve.map(str::to_owned), method: Default::default() },
                fuzzy,
                disable_dot_notation: false,
                first_match_only,
            };
            let rule = MatchRule {
                fields: settings.fields.clone(),
                fuzzy,
                disable_dot_notation: false,
                first_match_only,
            };
            let reference = assemble(&settings, &input1, &input2, &rule.find_by_nested_loops(&input1, &input2));
            let hashed = combine_by_fields(&settings, &input1, &input2).unwrap();
            let as_json = |items: &[Item]| -> Vec<Value> {
                items.iter().map(|item| serde_json::to_value(item).unwrap()).collect()
            };
            prop_assert_eq!(as_json(&hashed), as_json(&reference));
        }
    }
}
