//! lodash's path helpers (`get`, `set`, `unset`) over item JSON, as n8n's Set and Split Out
//! nodes use them: `a.b[0].c` reaches `c` inside the first element of `b` inside `a`.

use serde_json::{Map, Value};

/// The keys of a lodash path: `a.b[0].c` is `a`, `b`, `0`, `c`.
fn path_keys(path: &str) -> Vec<String> {
    path.split('.')
        .flat_map(|part| part.split(['[', ']']))
        .filter(|key| !key.is_empty())
        .map(|key| key.trim_matches(['"', '\'']).to_owned())
        .collect()
}

/// lodash's `get`.
pub fn get_path<'v>(json: &'v Map<String, Value>, path: &str) -> Option<&'v Value> {
    let keys = path_keys(path);
    let (first, rest) = keys.split_first()?;
    rest.iter()
        .try_fold(json.get(first)?, |value, key| match value {
            Value::Object(map) => map.get(key),
            Value::Array(list) => key.parse::<usize>().ok().and_then(|at| list.get(at)),
            _ => None,
        })
}

/// lodash's `set`: steps that are missing or not containers become objects, or arrays before
/// an index.
pub fn set_path(json: &mut Map<String, Value>, path: &str, value: Value) {
    let keys = path_keys(path);
    if keys.is_empty() {
        json.insert(path.to_owned(), value);
        return;
    }
    let mut root = Value::Object(std::mem::take(json));
    set_in(&mut root, &keys, value);
    if let Value::Object(map) = root {
        *json = map;
    }
}

fn set_in(slot: &mut Value, keys: &[String], value: Value) {
    let Some((key, rest)) = keys.split_first() else {
        *slot = value;
        return;
    };
    let entry = match (slot, key.parse::<usize>()) {
        (Value::Object(map), _) => map.entry(key.clone()).or_insert(Value::Null),
        (Value::Array(list), Ok(at)) => {
            if list.len() <= at {
                list.resize(at + 1, Value::Null);
            }
            &mut list[at]
        }
        (other, Ok(at)) => {
            *other = Value::Array(vec![Value::Null; at + 1]);
            &mut other[at]
        }
        (other, Err(_)) => {
            *other = Value::Object(Map::new());
            &mut other[key.as_str()]
        }
    };
    set_in(entry, rest, value);
}

/// lodash's `unset`.
pub fn remove_path(json: &mut Map<String, Value>, path: &str) {
    let keys = path_keys(path);
    let Some((last, steps)) = keys.split_last() else {
        return;
    };
    let Some((first, rest)) = steps.split_first() else {
        json.remove(last);
        return;
    };
    let mut current = json.get_mut(first);
    for key in rest {
        current = match current {
            Some(Value::Object(map)) => map.get_mut(key),
            Some(Value::Array(list)) => key.parse::<usize>().ok().and_then(|at| list.get_mut(at)),
            _ => None,
        };
    }
    if let Some(Value::Object(map)) = current {
        map.remove(last);
    }
}
