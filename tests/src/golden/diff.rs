//! The first difference between two JSON values, in plain words
//! (`runData.Salesforce[0].data.main[0][0].json.Name: expected "Acme", got "Acme Corp"`).
//!
//! Numbers are equal when their values are (`1` = `1.0`); object key order does not matter.

use std::fmt;

use serde_json::Value;

/// How strictly objects are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Same keys, same values.
    Exact,
    /// Every expected key with an equal value (compared exactly below it); more keys are fine.
    Subset,
}

/// Where two values differ and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// Dotted path from the compared root (`json.Name`, `main[0][1]`), empty at the root.
    pub path: String,
    /// What differs, e.g. `expected "Acme", got "Globex"`.
    pub message: String,
}

impl Difference {
    /// A difference at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }

    /// `expected X, got Y` at `path`.
    pub fn values(path: &str, expected: &Value, actual: &Value) -> Self {
        Self::new(
            path,
            format!("expected {}, got {}", show(expected), show(actual)),
        )
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// `path.key`, or `key` at the root.
pub fn key_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// `path[index]`.
pub fn index_path(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

/// Compact JSON, cut at 120 characters.
pub fn show(value: &Value) -> String {
    const LIMIT: usize = 120;
    let text = value.to_string();
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// The first place where `actual` differs from `expected`, or `None` when they match.
pub fn first_difference(
    expected: &Value,
    actual: &Value,
    path: &str,
    mode: Mode,
) -> Option<Difference> {
    match (expected, actual) {
        (Value::Object(want), Value::Object(got)) => {
            for (key, value) in want {
                let here = key_path(path, key);
                match got.get(key) {
                    None => {
                        return Some(Difference::new(
                            here,
                            format!("missing (expected {})", show(value)),
                        ));
                    }
                    Some(other) => {
                        if let Some(found) = first_difference(value, other, &here, Mode::Exact) {
                            return Some(found);
                        }
                    }
                }
            }
            if mode == Mode::Exact
                && let Some((key, value)) = got.iter().find(|(key, _)| !want.contains_key(*key))
            {
                return Some(Difference::new(
                    key_path(path, key),
                    format!("not expected (got {})", show(value)),
                ));
            }
            None
        }
        (Value::Array(want), Value::Array(got)) => {
            if want.len() != got.len() {
                return Some(Difference::new(
                    path,
                    format!("expected {} entries, got {}", want.len(), got.len()),
                ));
            }
            want.iter()
                .zip(got)
                .enumerate()
                .find_map(|(index, (w, g))| {
                    first_difference(w, g, &index_path(path, index), Mode::Exact)
                })
        }
        (Value::Number(want), Value::Number(got)) if want.as_f64() == got.as_f64() => None,
        _ if expected == actual => None,
        _ => Some(Difference::values(path, expected, actual)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equal_values_and_numbers_by_value() {
        let a = json!({"a": 1, "b": [1, {"c": null}]});
        let b = json!({"b": [1.0, {"c": null}], "a": 1.0});
        assert_eq!(first_difference(&a, &b, "", Mode::Exact), None);
    }

    #[test]
    fn names_the_first_changed_value() {
        let want = json!({"json": {"Name": "Acme", "Id": "1"}});
        let got = json!({"json": {"Name": "Globex", "Id": "2"}});
        let found = first_difference(&want, &got, "item", Mode::Exact).unwrap();
        assert_eq!(
            found.to_string(),
            r#"item.json.Name: expected "Acme", got "Globex""#
        );
    }

    #[test]
    fn missing_and_extra_keys() {
        let want = json!({"a": 1, "b": 2});
        let found = first_difference(&want, &json!({"a": 1}), "", Mode::Exact).unwrap();
        assert_eq!(found.to_string(), "b: missing (expected 2)");
        let found = first_difference(&want, &json!({"a": 1, "b": 2, "c": 3}), "", Mode::Exact);
        assert_eq!(found.unwrap().to_string(), "c: not expected (got 3)");
        assert_eq!(
            first_difference(&want, &json!({"a": 1, "b": 2, "c": 3}), "", Mode::Subset),
            None
        );
    }

    #[test]
    fn subset_applies_to_the_top_object_only() {
        let want = json!({"context": {"errorCode": "X"}});
        let got = json!({"context": {"errorCode": "X", "more": 1}, "extra": true});
        let found = first_difference(&want, &got, "error", Mode::Subset).unwrap();
        assert_eq!(found.path, "error.context.more");
    }

    #[test]
    fn array_lengths_and_indexes() {
        let found = first_difference(&json!([1, 2]), &json!([1]), "main[0]", Mode::Exact);
        assert_eq!(
            found.unwrap().to_string(),
            "main[0]: expected 2 entries, got 1"
        );
        let found = first_difference(&json!([1, 2]), &json!([1, 3]), "m", Mode::Exact);
        assert_eq!(found.unwrap().to_string(), "m[1]: expected 2, got 3");
    }

    #[test]
    fn long_values_are_cut() {
        let long = Value::String("x".repeat(500));
        assert!(show(&long).ends_with('…'));
        assert_eq!(show(&long).chars().count(), 121);
    }
}
