//! How Merge puts the fields of several items into one object, as n8n's `selectMergeMethod`
//! does with lodash: `merge` (deep: nested objects and arrays merged key by key and index by
//! index) or `assign` (shallow: top-level keys replaced), each optionally keeping a value that a
//! later source would replace with `null` or `""` ("Minimize Empty Fields").

use serde_json::{Map, Value};

/// One of n8n's merge methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MergeMethod {
    /// `mergeMode: shallowMerge` (lodash `assign`); otherwise deep (`merge`).
    pub shallow: bool,
    /// `overrideEmpty`: an empty later value (`null`, `""`) keeps the earlier one.
    pub keep_earlier_over_empty: bool,
}

impl MergeMethod {
    /// lodash's `merge({}, target, ...sources)`: deep, later sources win.
    pub const DEEP: MergeMethod = MergeMethod {
        shallow: false,
        keep_earlier_over_empty: false,
    };

    /// The objects merged in order over an empty object.
    pub fn merge<'a>(
        &self,
        objects: impl IntoIterator<Item = &'a Map<String, Value>>,
    ) -> Map<String, Value> {
        let mut merged = Map::new();
        for object in objects {
            for (key, value) in object {
                let existing = merged.get_mut(key);
                if self.keep_earlier_over_empty && is_empty(value) && existing.is_some() {
                    continue;
                }
                match existing {
                    Some(slot) if !self.shallow => merge_value(slot, value, self),
                    _ => {
                        let mut fresh = Value::Null;
                        if self.shallow {
                            fresh = value.clone();
                        } else {
                            merge_value(&mut fresh, value, self);
                        }
                        merged.insert(key.clone(), fresh);
                    }
                }
            }
        }
        merged
    }
}

impl Default for MergeMethod {
    fn default() -> Self {
        MergeMethod::DEEP
    }
}

/// A value lodash's customizer treats as empty.
fn is_empty(value: &Value) -> bool {
    value.is_null() || value.as_str().is_some_and(str::is_empty)
}

/// lodash's `baseMergeDeep` of `source` into `slot`.
fn merge_value(slot: &mut Value, source: &Value, method: &MergeMethod) {
    match source {
        Value::Object(fields) => {
            if !slot.is_object() && !slot.is_array() {
                *slot = Value::Object(Map::new());
            }
            for (key, value) in fields {
                match slot {
                    Value::Object(target) => merge_entry(target, key, value, method),
                    Value::Array(list) => merge_into_array(list, key, value, method),
                    _ => unreachable!("made a container above"),
                }
            }
        }
        Value::Array(elements) => {
            if !slot.is_array() {
                *slot = Value::Array(Vec::new());
            }
            if let Value::Array(list) = slot {
                for (index, value) in elements.iter().enumerate() {
                    merge_into_array(list, &index.to_string(), value, method);
                }
            }
        }
        scalar => *slot = scalar.clone(),
    }
}

fn merge_entry(target: &mut Map<String, Value>, key: &str, value: &Value, method: &MergeMethod) {
    match target.get_mut(key) {
        Some(_) if method.keep_earlier_over_empty && is_empty(value) => {}
        Some(slot) => merge_value(slot, value, method),
        None => {
            let mut fresh = Value::Null;
            merge_value(&mut fresh, value, method);
            target.insert(key.to_owned(), fresh);
        }
    }
}

/// A key merged into an array: an index sets (or appends) that element; any other key is a
/// property JSON does not keep.
fn merge_into_array(list: &mut Vec<Value>, key: &str, value: &Value, method: &MergeMethod) {
    let Ok(index) = key.parse::<usize>() else {
        return;
    };
    if index.to_string() != key || index > list.len() {
        return;
    }
    match list.get_mut(index) {
        Some(_) if method.keep_earlier_over_empty && is_empty(value) => {}
        Some(slot) => merge_value(slot, value, method),
        None => {
            let mut fresh = Value::Null;
            merge_value(&mut fresh, value, method);
            list.push(fresh);
        }
    }
}

/// n8n's `addSuffixToEntriesKeys` for one object: every key becomes `<key>_<suffix>`.
pub fn with_suffix(json: &Map<String, Value>, suffix: usize) -> Map<String, Value> {
    json.iter()
        .map(|(key, value)| (format!("{key}_{suffix}"), value.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn merged(method: MergeMethod, objects: &[Value]) -> Value {
        Value::Object(method.merge(objects.iter().map(|object| object.as_object().unwrap())))
    }

    #[test]
    fn deep_merge_merges_nested_objects_and_arrays_by_index() {
        let result = merged(
            MergeMethod::DEEP,
            &[
                json!({"a": {"x": 1, "y": 2}, "list": [1, 2, 3], "keep": "k", "n": "v"}),
                json!({"a": {"y": 3, "z": 4}, "list": [9], "n": null, "new": [{"q": 1}]}),
            ],
        );
        assert_eq!(
            result,
            json!({"a": {"x": 1, "y": 3, "z": 4}, "list": [9, 2, 3], "keep": "k", "n": null, "new": [{"q": 1}]})
        );
    }

    #[test]
    fn shallow_merge_replaces_top_level_values() {
        let method = MergeMethod {
            shallow: true,
            keep_earlier_over_empty: false,
        };
        let result = merged(
            method,
            &[json!({"a": {"x": 1}, "b": 1}), json!({"a": {"y": 2}})],
        );
        assert_eq!(result, json!({"a": {"y": 2}, "b": 1}));
    }

    #[test]
    fn minimize_empty_fields_keeps_earlier_values_over_empty_ones() {
        for shallow in [false, true] {
            let method = MergeMethod {
                shallow,
                keep_earlier_over_empty: true,
            };
            let result = merged(
                method,
                &[
                    json!({"a": "x", "b": "y"}),
                    json!({"a": "", "b": null, "c": null}),
                ],
            );
            assert_eq!(
                result,
                json!({"a": "x", "b": "y", "c": null}),
                "shallow {shallow}"
            );
        }
    }

    #[test]
    fn suffixes_go_on_every_key() {
        let json = json!({"a": 1, "b": {"c": 2}});
        assert_eq!(
            Value::Object(with_suffix(json.as_object().unwrap(), 2)),
            json!({"a_2": 1, "b_2": {"c": 2}})
        );
    }
}
