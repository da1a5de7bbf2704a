//! The item model: what flows between nodes, serialised exactly as n8n writes it
//! (`{ "json": {…}, "binary"?: {…}, "pairedItem"?: …, "error"?: … }`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::NodeError;

/// One execution item.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// The item's data: always a JSON object.
    #[serde(default)]
    pub json: Map<String, Value>,
    /// Binary properties by name (e.g. `data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binary: Option<BTreeMap<String, BinaryData>>,
    /// The input item(s) this item came from.
    #[serde(
        default,
        rename = "pairedItem",
        skip_serializing_if = "Option::is_none"
    )]
    pub paired_item: Option<PairedItems>,
    /// Set on items that stand for a failed input item; the executor routes them to the error
    /// output under `onError: continueErrorOutput`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<NodeError>,
    /// n8n's item `metadata` (Execute Workflow's `subExecution` per item).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
}

impl Item {
    /// An item with this JSON, paired to input item `index`.
    pub fn new(json: Map<String, Value>, index: usize) -> Self {
        Self {
            json,
            paired_item: Some(PairedItems::One(PairedItem::new(index))),
            ..Self::default()
        }
    }

    /// An item from any JSON value: objects are kept, anything else is wrapped as n8n does
    /// (`{ "data": value }`).
    pub fn from_value(value: Value, index: usize) -> Self {
        let json = match value {
            Value::Object(map) => map,
            other => Map::from_iter([("data".to_owned(), other)]),
        };
        Self::new(json, index)
    }

    /// The error item n8n emits for a failed input item when the node continues on fail:
    /// `{ "error": message }`, the error attached, paired to input item `index`.
    pub fn failed(error: NodeError, index: usize) -> Self {
        let json = Map::from_iter([("error".to_owned(), Value::String(error.message.clone()))]);
        Self {
            error: Some(error),
            ..Self::new(json, index)
        }
    }

    /// The same item, paired to input item `index` (replacing any earlier pairing).
    pub fn paired_to(mut self, index: usize) -> Self {
        self.paired_item = Some(PairedItems::One(PairedItem::new(index)));
        self
    }

    /// Moves the item's pairing `offset` input items on: what a pairing made within a batch of
    /// the input means in the whole input when the batch started at item `offset`.
    pub fn offset_pairing(&mut self, offset: usize) {
        match &mut self.paired_item {
            Some(PairedItems::Index(item)) | Some(PairedItems::One(PairedItem { item, .. })) => {
                *item += offset;
            }
            Some(PairedItems::Many(items)) => {
                for paired in items {
                    paired.item += offset;
                }
            }
            None => {}
        }
    }

    /// The input items this item is paired to, each with its input (a bare index is input 0's).
    pub fn paired_list(&self) -> Vec<PairedItem> {
        match &self.paired_item {
            None => Vec::new(),
            Some(PairedItems::Index(index)) => vec![PairedItem::new(*index)],
            Some(PairedItems::One(paired)) => vec![paired.clone()],
            Some(PairedItems::Many(list)) => list.clone(),
        }
    }

    /// The input indexes this item is paired to (input 0 only).
    pub fn paired_indexes(&self) -> Vec<usize> {
        match &self.paired_item {
            None => Vec::new(),
            Some(PairedItems::Index(index)) => vec![*index],
            Some(PairedItems::One(paired)) => vec![paired.item],
            Some(PairedItems::Many(list)) => list.iter().map(|paired| paired.item).collect(),
        }
    }
}

/// n8n's `pairedItem`: a number, one `{ item, input? }`, or a list of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PairedItems {
    /// A bare input index (old n8n exports).
    Index(usize),
    /// One input item.
    One(PairedItem),
    /// Several input items (an item built from many).
    Many(Vec<PairedItem>),
}

/// One input item an output item came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairedItem {
    /// The index of the input item.
    pub item: usize,
    /// The input it came through; absent means input 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<usize>,
    /// The node run to trace the item through instead of the run's own source (Loop Over
    /// Items points its batches at the node that fed its first run).
    #[serde(
        default,
        rename = "sourceOverwrite",
        skip_serializing_if = "Option::is_none"
    )]
    pub source_overwrite: Option<TaskSource>,
}

impl PairedItem {
    /// Input item `item` of input 0.
    pub fn new(item: usize) -> Self {
        Self {
            item,
            input: None,
            source_overwrite: None,
        }
    }

    /// Input item `item` of input `input` (`None` for input 0).
    pub fn of_input(item: usize, input: Option<usize>) -> Self {
        Self {
            input,
            ..Self::new(item)
        }
    }
}

/// Where a node run's input came from, as n8n writes it in a run's `source` and in
/// `sourceOverwrite`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskSource {
    /// The node that produced the input.
    pub previous_node: String,
    /// Its output index.
    pub previous_node_output: usize,
    /// Its run index.
    pub previous_node_run: usize,
}

/// A binary property, as n8n keeps it in its default (in-memory) mode: `data` is base64.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BinaryData {
    /// The content, base64-encoded.
    pub data: String,
    /// The MIME type, e.g. `text/plain`.
    pub mime_type: String,
    /// The file name, e.g. `hello.txt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// The extension without the dot, e.g. `txt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_extension: Option<String>,
    /// n8n's other keys (`fileType`, `fileSize`, `directory`, `id`, …), kept as they came.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn items_round_trip_through_n8n_json() {
        let text = json!([
            { "json": { "a": 1 }, "pairedItem": { "item": 0 } },
            { "json": {}, "pairedItem": [{ "item": 0, "input": 0 }, { "item": 1, "input": 0 }] },
            { "json": { "b": true }, "pairedItem": 3 },
            { "json": {}, "binary": { "data": { "data": "aGk=", "mimeType": "text/plain", "fileName": "hi.txt", "fileSize": "2 B" } } }
        ]);
        let items: Vec<Item> = serde_json::from_value(text.clone()).unwrap();
        assert_eq!(items[1].paired_indexes(), vec![0, 1]);
        assert_eq!(items[2].paired_indexes(), vec![3]);
        assert_eq!(serde_json::to_value(&items).unwrap(), text);
    }

    #[test]
    fn non_objects_are_wrapped_in_data() {
        let item = Item::from_value(json!([1, 2]), 4);
        assert_eq!(
            serde_json::to_value(item).unwrap(),
            json!({ "json": { "data": [1, 2] }, "pairedItem": { "item": 4 } })
        );
    }
}
