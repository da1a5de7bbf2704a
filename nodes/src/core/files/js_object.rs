//! JavaScript's own-key order for objects: keys that are array indexes (`"0"`, `"17"`) come first
//! in ascending order, then the other keys in insertion order. n8n builds rows as JavaScript
//! objects, so a header row `b,1,0` gives `{"0", "1", "b"}`.

use serde_json::{Map, Value};

/// `object` with its keys in the order a JavaScript object would list them.
pub(crate) fn ordered_as_in_javascript(object: Map<String, Value>) -> Map<String, Value> {
    if !object.keys().any(|key| array_index(key).is_some()) {
        return object;
    }
    let (mut indexed, named): (Vec<_>, Vec<_>) = object
        .into_iter()
        .partition(|(key, _)| array_index(key).is_some());
    indexed.sort_by_key(|(key, _)| array_index(key));
    indexed.into_iter().chain(named).collect()
}

/// The array index a key spells canonically (no sign, no leading zero, below 2³² − 1).
fn array_index(key: &str) -> Option<u32> {
    let canonical =
        key == "0" || (!key.starts_with('0') && key.bytes().all(|b| b.is_ascii_digit()));
    if !canonical || key.is_empty() {
        return None;
    }
    key.parse::<u32>().ok().filter(|index| *index != u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn index_keys_come_first_in_ascending_order() {
        let object: Map<String, Value> = [
            ("b", 1),
            ("10", 2),
            ("01", 3),
            ("2", 4),
            ("-1", 5),
            ("4294967295", 6),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_owned(), json!(value)))
        .collect();
        let keys: Vec<String> = ordered_as_in_javascript(object).keys().cloned().collect();
        assert_eq!(keys, ["2", "10", "b", "01", "-1", "4294967295"]);
    }
}
