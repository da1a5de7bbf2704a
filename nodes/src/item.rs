//! The item model: what flows between nodes, serialised exactly as n8n writes it
//! (`{ "json": {…}, "binary"?: {…}, "pairedItem"?: …, "error"?: … }`).

use std::collections::BTreeMap;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{MapAccess, SeqAccess};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::error::NodeError;

/// One execution item.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(from = "ItemFields")]
pub struct Item {
    /// The item's data: a JSON object (empty when [`Item::non_object_json`] is set).
    pub json: Map<String, Value>,
    /// Set on the rare item whose `json` is not an object: n8n's HTTP Request puts a JSON body
    /// that is an array, a number or a boolean into an item as it is (v1 and v2 a whole array,
    /// every version an element of an array it splits), against n8n's own rule. The item
    /// prints, and expressions and code read its `json`, as this value; nodes that read fields
    /// of `json` find none, as n8n's find no named property on it.
    pub non_object_json: Option<Box<Value>>,
    /// Binary properties by name (e.g. `data`).
    pub binary: Option<BTreeMap<String, BinaryData>>,
    /// The input item(s) this item came from.
    pub paired_item: Option<PairedItems>,
    /// Set on items that stand for a failed input item; the executor routes them to the error
    /// output under `onError: continueErrorOutput`.
    pub error: Option<NodeError>,
    /// n8n's item `metadata` (Execute Workflow's `subExecution` per item).
    pub metadata: Option<Map<String, Value>>,
}

/// An item as n8n writes it, read field by field; `json` may be another value than an object
/// (see [`Item::non_object_json`]).
#[derive(Deserialize)]
struct ItemFields {
    #[serde(default)]
    json: ItemJson,
    #[serde(default)]
    binary: Option<BTreeMap<String, BinaryData>>,
    #[serde(default, rename = "pairedItem")]
    paired_item: Option<PairedItems>,
    #[serde(default)]
    error: Option<NodeError>,
    #[serde(default)]
    metadata: Option<Map<String, Value>>,
}

/// An item's `json`: an object, or whatever else n8n's HTTP Request left there.
enum ItemJson {
    Object(Map<String, Value>),
    Other(Value),
}

impl Default for ItemJson {
    fn default() -> Self {
        Self::Object(Map::new())
    }
}

impl<'de> Deserialize<'de> for ItemJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // An object is read straight into a map (the common case stays as fast as a map field).
        struct ObjectOrOther;
        impl<'de> serde::de::Visitor<'de> for ObjectOrOther {
            type Value = ItemJson;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ItemJson, A::Error> {
                Map::deserialize(MapAccessDeserializer::new(map)).map(ItemJson::Object)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<ItemJson, A::Error> {
                Vec::<Value>::deserialize(SeqAccessDeserializer::new(seq))
                    .map(|list| ItemJson::Other(list.into()))
            }
            fn visit_unit<E>(self) -> Result<ItemJson, E> {
                Ok(ItemJson::default())
            }
            fn visit_bool<E>(self, value: bool) -> Result<ItemJson, E> {
                Ok(ItemJson::Other(value.into()))
            }
            fn visit_i64<E>(self, value: i64) -> Result<ItemJson, E> {
                Ok(ItemJson::Other(value.into()))
            }
            fn visit_u64<E>(self, value: u64) -> Result<ItemJson, E> {
                Ok(ItemJson::Other(value.into()))
            }
            fn visit_f64<E>(self, value: f64) -> Result<ItemJson, E> {
                Ok(ItemJson::Other(value.into()))
            }
            fn visit_str<E>(self, value: &str) -> Result<ItemJson, E> {
                Ok(ItemJson::Other(value.into()))
            }
        }
        deserializer.deserialize_any(ObjectOrOther)
    }
}

impl From<ItemFields> for Item {
    fn from(fields: ItemFields) -> Self {
        let (json, non_object_json) = match fields.json {
            ItemJson::Object(json) => (json, None),
            ItemJson::Other(value) => (Map::new(), Some(Box::new(value))),
        };
        Self {
            json,
            non_object_json,
            binary: fields.binary,
            paired_item: fields.paired_item,
            error: fields.error,
            metadata: fields.metadata,
        }
    }
}

impl Serialize for Item {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut item = serializer.serialize_struct("Item", 5)?;
        match &self.non_object_json {
            Some(value) => item.serialize_field("json", value)?,
            None => item.serialize_field("json", &self.json)?,
        }
        optional_field(&mut item, "binary", &self.binary)?;
        optional_field(&mut item, "pairedItem", &self.paired_item)?;
        optional_field(&mut item, "error", &self.error)?;
        optional_field(&mut item, "metadata", &self.metadata)?;
        item.end()
    }
}

/// Writes `value` as field `key` when it is set (n8n leaves absent keys out).
fn optional_field<S: SerializeStruct, T: Serialize>(
    item: &mut S,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), S::Error> {
    match value {
        Some(value) => item.serialize_field(key, value),
        None => item.skip_field(key),
    }
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

    /// The item n8n's HTTP Request makes of a JSON body: `json` is the body as it is (see
    /// [`Item::non_object_json`]), except that `null` becomes `{}` (n8n's `replaceNullValues`);
    /// paired to input item `index`.
    pub fn of_json_as_is(value: Value, index: usize) -> Self {
        match value {
            Value::Object(map) => Self::new(map, index),
            Value::Null => Self::new(Map::new(), index),
            other => Self {
                non_object_json: Some(Box::new(other)),
                ..Self::new(Map::new(), index)
            },
        }
    }

    /// The item's `json` as a JSON value: its object, or the other value it holds.
    pub fn json_value(&self) -> Value {
        match &self.non_object_json {
            Some(value) => Value::clone(value),
            None => Value::Object(self.json.clone()),
        }
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
    fn items_whose_json_is_not_an_object_round_trip_as_n8n_writes_them() {
        let values = [
            json!([{ "a": 1 }, 2]),
            json!(42),
            json!(true),
            json!("a"),
            json!(1.5),
        ];
        for value in values {
            let text = json!([{ "json": value, "pairedItem": { "item": 0 } }]);
            let items: Vec<Item> = serde_json::from_value(text.clone()).unwrap();
            assert_eq!(items[0], Item::of_json_as_is(value.clone(), 0));
            assert!(items[0].json.is_empty());
            assert_eq!(items[0].json_value(), value);
            assert_eq!(serde_json::to_value(&items).unwrap(), text);
            let printed = serde_json::to_string(&items).unwrap();
            assert_eq!(serde_json::from_str::<Vec<Item>>(&printed).unwrap(), items);
        }
    }

    #[test]
    fn a_null_json_is_an_empty_object() {
        let item: Item = serde_json::from_value(json!({ "json": null })).unwrap();
        assert_eq!(item, Item::default());
        assert_eq!(
            Item::of_json_as_is(Value::Null, 3),
            Item::new(Map::new(), 3)
        );
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
