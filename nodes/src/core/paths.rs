//! lodash's path helpers (`get`, `set`, `unset`) over item JSON, as n8n's Set and Split Out
//! nodes use them: `a.b[0].c` reaches `c` inside the first element of `b` inside `a`.

use serde_json::{Map, Value};

use crate::NodeError;

/// The keys of a lodash path: `a.b[0].c` is `a`, `b`, `0`, `c`.
fn path_keys(path: &str) -> Vec<String> {
    path.split('.')
        .flat_map(|part| part.split(['[', ']']))
        .filter(|key| !key.is_empty())
        .map(|key| key.trim_matches(['"', '\'']).to_owned())
        .collect()
}

/// lodash's `get`: a key written exactly as `path` wins over the path's steps.
pub fn get_path<'v>(json: &'v Map<String, Value>, path: &str) -> Option<&'v Value> {
    if let Some(value) = json.get(path) {
        return Some(value);
    }
    let keys = path_keys(path);
    let (first, rest) = keys.split_first()?;
    rest.iter()
        .try_fold(json.get(first)?, |value, key| match value {
            Value::Object(map) => map.get(key),
            Value::Array(list) => array_index(key).and_then(|at| list.get(at as usize)),
            _ => None,
        })
}

/// How far past an array's end `set` may write: lodash leaves a sparse hole, JSON has a `null` per
/// missing element, so an index from data could otherwise ask for gigabytes.
pub const MAX_INDEX_GAP: usize = 100_000;

/// lodash treats a key as an array index when it is a canonical decimal below 2^53.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// A `set` that would grow an array further than [`MAX_INDEX_GAP`] past its end.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the field name \"{path}\" asks for array index {index}, more than {MAX_INDEX_GAP} past the end of its array (length {length})"
)]
pub struct IndexTooFar {
    /// The field's path as written.
    pub path: String,
    /// The index asked for.
    pub index: u64,
    /// The array's length before the write.
    pub length: usize,
}

/// lodash's `set`: steps that are missing or not containers become objects, or arrays before
/// an index. An index too far past its array's end is refused ([`IndexTooFar`]) and leaves
/// `json` as it was.
pub fn set_path(
    json: &mut Map<String, Value>,
    path: &str,
    value: Value,
) -> Result<(), IndexTooFar> {
    let keys = path_keys(path);
    if !keys.is_empty() {
        check_indexes(json, &keys, path)?;
    }
    write(json, &keys, path, value);
    Ok(())
}

/// lodash's `set` of a value read with [`get_path`] at the same `path` of another item: every
/// index on the path exists there, so the holes it leaves are no larger than that item, and no
/// bound applies.
pub fn copy_path(json: &mut Map<String, Value>, path: &str, value: Value) {
    write(json, &path_keys(path), path, value);
}

/// Sets `value` at `keys` (the keys of `path`; none: `path` itself is the key).
fn write(json: &mut Map<String, Value>, keys: &[String], path: &str, value: Value) {
    if keys.is_empty() {
        json.insert(path.to_owned(), value);
        return;
    }
    let mut root = Value::Object(std::mem::take(json));
    set_in(&mut root, keys, value);
    if let Value::Object(map) = root {
        *json = map;
    }
}

impl From<IndexTooFar> for NodeError {
    fn from(error: IndexTooFar) -> Self {
        NodeError::operation(error.to_string()).with_description(
            "hint: check the field name; an index in it (often from an expression over record data) may point at most that far past its array's end",
        )
    }
}

/// `key` as lodash's array index: `0` or a decimal without a leading zero or sign, below 2^53.
fn array_index(key: &str) -> Option<u64> {
    let canonical = key == "0"
        || (!key.is_empty() && !key.starts_with('0') && key.bytes().all(|b| b.is_ascii_digit()));
    canonical
        .then(|| key.parse::<u64>().ok())
        .flatten()
        .filter(|index| *index < MAX_SAFE_INTEGER)
}

/// Walks `keys` as [`set_in`] will, refusing the first index too far past its array's end.
fn check_indexes(
    json: &Map<String, Value>,
    keys: &[String],
    path: &str,
) -> Result<(), IndexTooFar> {
    let mut current = json.get(&keys[0]);
    for key in &keys[1..] {
        let Some(index) = array_index(key) else {
            current = current.and_then(|value| value.get(key));
            continue;
        };
        let length = match current {
            Some(Value::Array(list)) => list.len(),
            Some(Value::Object(_)) => {
                current = current.and_then(|value| value.get(key));
                continue;
            }
            _ => 0,
        };
        if index > (length + MAX_INDEX_GAP) as u64 {
            return Err(IndexTooFar {
                path: path.to_owned(),
                index,
                length,
            });
        }
        current = current.and_then(|value| value.get(index as usize));
    }
    Ok(())
}

fn set_in(slot: &mut Value, keys: &[String], value: Value) {
    let Some((key, rest)) = keys.split_first() else {
        *slot = value;
        return;
    };
    let index = array_index(key).map(|index| index as usize);
    let entry = match (slot, index) {
        (Value::Object(map), _) => map.entry(key.clone()).or_insert(Value::Null),
        (Value::Array(list), Some(at)) => {
            if list.len() <= at {
                list.resize(at + 1, Value::Null);
            }
            &mut list[at]
        }
        (other, Some(at)) => {
            *other = Value::Array(vec![Value::Null; at + 1]);
            &mut other[at]
        }
        (other, None) => {
            *other = Value::Object(Map::new());
            &mut other[key.as_str()]
        }
    };
    set_in(entry, rest, value);
}

/// lodash's `unset` (the other keys keep their order, as in a JavaScript object).
pub fn remove_path(json: &mut Map<String, Value>, path: &str) {
    let keys = path_keys(path);
    let Some((last, steps)) = keys.split_last() else {
        return;
    };
    let Some((first, rest)) = steps.split_first() else {
        json.shift_remove(last);
        return;
    };
    let mut current = json.get_mut(first);
    for key in rest {
        current = match current {
            Some(Value::Object(map)) => map.get_mut(key),
            Some(Value::Array(list)) => array_index(key).and_then(|at| list.get_mut(at as usize)),
            _ => None,
        };
    }
    if let Some(Value::Object(map)) = current {
        map.shift_remove(last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set(start: Value, path: &str) -> Result<Value, IndexTooFar> {
        let mut json = start.as_object().unwrap().clone();
        set_path(&mut json, path, json!("v"))?;
        Ok(Value::Object(json))
    }

    #[test]
    fn sane_paths_set_as_lodash_does() {
        let cases = [
            (json!({}), "a", json!({ "a": "v" })),
            (
                json!({}),
                "a.b[0].c",
                json!({ "a": { "b": [{ "c": "v" }] } }),
            ),
            (json!({}), "a[2]", json!({ "a": [null, null, "v"] })),
            (json!({ "a": [1] }), "a[1]", json!({ "a": [1, "v"] })),
            (json!({}), "a[01]", json!({ "a": { "01": "v" } })),
            (json!({}), "a[+1]", json!({ "a": { "+1": "v" } })),
            (
                json!({ "a": { "7": 1 } }),
                "a[7]",
                json!({ "a": { "7": "v" } }),
            ),
            (
                json!({}),
                "a[18446744073709551615]",
                json!({ "a": { "18446744073709551615": "v" } }),
            ),
            (json!({}), "a[100000]", {
                let mut list = vec![Value::Null; 100_000];
                list.push(json!("v"));
                json!({ "a": list })
            }),
        ];
        for (start, path, expected) in cases {
            assert_eq!(set(start, path).unwrap(), expected, "{path}");
        }
    }

    #[test]
    fn an_index_far_past_the_end_is_refused_and_changes_nothing() {
        for (start, path, index, length) in [
            (json!({}), "a[4000000000]", 4_000_000_000, 0),
            (json!({}), "a[100001]", 100_001, 0),
            (json!({ "a": [1, 2] }), "a[100003]", 100_003, 2),
            (
                json!({ "a": [[]] }),
                "a[0][9007199254740990]",
                9_007_199_254_740_990,
                0,
            ),
        ] {
            let mut json = start.as_object().unwrap().clone();
            let error = set_path(&mut json, path, json!("v")).unwrap_err();
            assert_eq!((error.index, error.length), (index, length), "{path}");
            assert_eq!(Value::Object(json), start, "{path}");
        }
    }

    #[test]
    fn get_reads_a_key_written_as_the_whole_path_first_as_lodash_does() {
        let json = json!({ "a.b": 1, "a": { "b": 2 }, "c": { "d": [5] } });
        let json = json.as_object().unwrap();
        for (path, expected) in [
            ("a.b", Some(json!(1))),
            ("a[b]", Some(json!(2))),
            ("c.d[0]", Some(json!(5))),
            ("c.e", None),
        ] {
            assert_eq!(get_path(json, path).cloned(), expected, "{path}");
        }
    }

    #[test]
    fn unset_keeps_the_order_of_the_other_keys() {
        let mut json = json!({ "a": 1, "b": { "x": 1, "y": 2, "z": 3 }, "c": 3 })
            .as_object()
            .unwrap()
            .clone();
        remove_path(&mut json, "a");
        remove_path(&mut json, "b.x");
        let keys = |map: &Map<String, Value>| map.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&json), ["b", "c"]);
        assert_eq!(keys(json["b"].as_object().unwrap()), ["y", "z"]);
    }
}
