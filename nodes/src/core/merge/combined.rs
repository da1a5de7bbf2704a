//! Items Merge builds from several input items: their fields merged, their binary data merged
//! (always present, `{}` when there is none, as in n8n), and a `pairedItem` list naming every
//! part in order. Also n8n's `addSuffixToEntriesKeys` over whole items.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::item::{BinaryData, Item, PairedItems};

use super::objects::{MergeMethod, with_suffix};

/// One part of a combined item: the item, and the suffix its field names get, if any.
pub type Part<'a> = (&'a Item, Option<usize>);

/// The item combined from `parts` (later parts win clashes): fields merged with `json_method`,
/// binary data with `binary_method`, paired with every part.
pub fn combined(
    json_method: &MergeMethod,
    binary_method: &MergeMethod,
    parts: &[Part<'_>],
) -> Item {
    let jsons: Vec<Map<String, Value>> = parts
        .iter()
        .map(|(item, suffix)| match suffix {
            Some(suffix) => with_suffix(&item.json, *suffix),
            None => item.json.clone(),
        })
        .collect();
    let binaries: Vec<Map<String, Value>> = parts
        .iter()
        .map(|(item, _)| binary_object(item.binary.as_ref()))
        .collect();
    let binary = binary_method
        .merge(&binaries)
        .into_iter()
        .filter_map(|(key, value)| Some((key, serde_json::from_value::<BinaryData>(value).ok()?)))
        .collect::<BTreeMap<_, _>>();
    Item {
        json: json_method.merge(&jsons),
        binary: Some(binary),
        paired_item: Some(paired_list(parts.iter().map(|(item, _)| *item))),
        ..Item::default()
    }
}

/// The binary data of an item as a JSON object (empty when it has none).
fn binary_object(binary: Option<&BTreeMap<String, BinaryData>>) -> Map<String, Value> {
    binary
        .into_iter()
        .flatten()
        .filter_map(|(key, data)| Some((key.clone(), serde_json::to_value(data).ok()?)))
        .collect()
}

/// n8n's `preparePairedItemDataArray` over several items, flattened into one list.
pub fn paired_list<'a>(items: impl IntoIterator<Item = &'a Item>) -> PairedItems {
    PairedItems::Many(items.into_iter().flat_map(Item::paired_list).collect())
}

/// n8n's `addSuffixToEntriesKeys`: the items with `_<suffix>` on every field name.
pub fn suffixed(items: Vec<Item>, suffix: usize) -> Vec<Item> {
    items
        .into_iter()
        .map(|item| Item {
            json: with_suffix(&item.json, suffix),
            ..item
        })
        .collect()
}
