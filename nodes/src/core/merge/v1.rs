//! Merge typeVersion 1: append, pass-through, wait, merge by index, multiplex, and the key modes
//! (merge by key, keep key matches, remove key matches) exactly as n8n's MergeV1 runs them,
//! including that a key of input 2 that appears twice keeps its last item, and that keys are
//! compared as JavaScript property names (`1` and `"1"` are the same key).

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::core::paths::get_path;
use crate::item::{Item, PairedItem, PairedItems};
use crate::js_number::format_js_number;

use super::combined::paired_list;
use super::settings::{IndexJoin, KeyMode, KeySettings, V1Mode};

/// The items of a v1 Merge node.
pub fn run(mode: &V1Mode, input1: &[Item], input2: &[Item]) -> Vec<Item> {
    match mode {
        V1Mode::Append => input1.iter().chain(input2).cloned().collect(),
        V1Mode::PassThrough(0) => input1.to_vec(),
        V1Mode::PassThrough(_) => input2.to_vec(),
        V1Mode::Wait => vec![Item {
            paired_item: Some(PairedItems::Many(
                (0..input1.len()).map(PairedItem::new).collect(),
            )),
            ..Item::default()
        }],
        V1Mode::ByIndex(join) => by_index(*join, input1, input2),
        V1Mode::Multiplex => input1
            .iter()
            .flat_map(|one| {
                input2.iter().map(move |two| {
                    let mut json = one.json.clone();
                    json.extend(two.json.clone());
                    Item {
                        json,
                        paired_item: Some(paired_list([one, two])),
                        ..Item::default()
                    }
                })
            })
            .collect(),
        V1Mode::ByKey(settings) => by_key(settings, input1, input2),
    }
}

fn by_index(join: IndexJoin, input1: &[Item], input2: &[Item]) -> Vec<Item> {
    if input1.is_empty() {
        return match join {
            IndexJoin::Outer => input2.to_vec(),
            IndexJoin::Inner | IndexJoin::Left => Vec::new(),
        };
    }
    if input2.is_empty() {
        return match join {
            IndexJoin::Inner => Vec::new(),
            IndexJoin::Left | IndexJoin::Outer => input1.to_vec(),
        };
    }
    let count = match join {
        IndexJoin::Left => input1.len(),
        IndexJoin::Inner => input1.len().min(input2.len()),
        IndexJoin::Outer => input1.len().max(input2.len()),
    };
    (0..count)
        .map(|index| match (input1.get(index), input2.get(index)) {
            (Some(one), Some(two)) => {
                let mut json = one.json.clone();
                json.extend(two.json.clone());
                let binary = match (&one.binary, &two.binary) {
                    (None, None) => None,
                    (first, second) => {
                        let mut binary = first.clone().unwrap_or_default();
                        binary.extend(second.clone().unwrap_or_default());
                        Some(binary)
                    }
                };
                Item {
                    json,
                    binary,
                    paired_item: Some(paired_list([one, two])),
                    ..Item::default()
                }
            }
            (Some(alone), None) | (None, Some(alone)) => alone.clone(),
            (None, None) => unreachable!("index below the longer input's length"),
        })
        .collect()
}

fn by_key(settings: &KeySettings, input1: &[Item], input2: &[Item]) -> Vec<Item> {
    if settings.property1.is_empty() || settings.property2.is_empty() {
        return match settings.kind {
            KeyMode::Keep => Vec::new(),
            KeyMode::Merge | KeyMode::Remove => input1.to_vec(),
        };
    }
    // n8n's `copyData`: input 2 by key, a later item replacing an earlier one of the same key.
    let mut by_key: HashMap<String, &Item> = HashMap::new();
    for item in input2 {
        if let Some(key) = get_path(&item.json, &settings.property2).and_then(key_of) {
            by_key.insert(key, item);
        }
    }
    let mut output = Vec::new();
    for item in input1 {
        let reference = match get_path(&item.json, &settings.property1) {
            Some(Value::String(text)) => Some(text.clone()),
            Some(Value::Number(number)) => {
                Some(format_js_number(number.as_f64().unwrap_or(f64::NAN)))
            }
            Some(Value::Null) => Some("null".to_owned()),
            // A missing or non-comparable value matches nothing.
            _ => None,
        };
        let found = reference.and_then(|key| by_key.get(&key).copied());
        match (settings.kind, found) {
            (KeyMode::Remove, None) | (KeyMode::Keep, Some(_)) => output.push(item.clone()),
            (KeyMode::Merge, Some(other)) => {
                let mut merged = item.clone();
                overwrite(&mut merged.json, &other.json, settings);
                output.push(merged);
            }
            (KeyMode::Merge, None)
                if get_path(&item.json, &settings.property1).is_some_and(comparable) =>
            {
                output.push(item.clone());
            }
            _ => {}
        }
    }
    output
}

/// A value input 1 compares by (a string, a number or null).
fn comparable(value: &Value) -> bool {
    matches!(value, Value::String(_) | Value::Number(_) | Value::Null)
}

/// Copies `other`'s fields (but its key field) into `json` as `overwrite` allows.
fn overwrite(json: &mut Map<String, Value>, other: &Map<String, Value>, settings: &KeySettings) {
    for (key, value) in other {
        if *key == settings.property2 {
            continue;
        }
        let write = match settings.overwrite.as_str() {
            "always" => true,
            "undefined" => !json.contains_key(key),
            "blank" => json
                .get(key)
                .is_none_or(|current| current.is_null() || current.as_str() == Some("")),
            _ => false,
        };
        if write {
            json.insert(key.clone(), value.clone());
        }
    }
}

/// The JavaScript property name of an input 2 key value; `None` for the falsy ones n8n skips.
fn key_of(value: &Value) -> Option<String> {
    match value {
        Value::Null | Value::Bool(false) => None,
        Value::String(text) if text.is_empty() => None,
        Value::Number(number) if number.as_f64() == Some(0.0) => None,
        other => Some(property_name(other)),
    }
}

/// JavaScript's `String(value)`.
fn property_name(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => format_js_number(number.as_f64().unwrap_or(f64::NAN)),
        Value::String(text) => text.clone(),
        Value::Array(list) => list.iter().map(property_name).collect::<Vec<_>>().join(","),
        Value::Object(_) => "[object Object]".to_owned(),
    }
}
