//! How Merge compares the values of matched fields: lodash's `isEqual` (strict), or n8n's
//! `fuzzyCompare` (version 1) when `options.fuzzyCompare` is on, plus the hash keys that let a
//! join find its candidates without comparing every pair of items.
//!
//! A strict key is a canonical text of the value (object keys sorted, numbers by value), so two
//! values have the same key exactly when `isEqual` holds. Fuzzy equality is not transitive
//! (`""` matches `[]` and `[]` matches `"[]"`, but `""` does not match `"[]"`), so no key can be
//! exact for it: [`fuzzy_class`] is a coarser key that every fuzzy-equal pair shares, and each
//! candidate of a bucket is then checked with [`fuzzy_equal`].

use serde_json::Value;

use crate::js_number::format_js_number;

/// A value as lodash's `get` found it; `None` is JavaScript's `undefined` (no such field).
pub type Found<'v> = Option<&'v Value>;

/// The canonical text of `value`: equal for two values exactly when lodash's `isEqual` is true.
pub fn strict_key(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push('n'),
        Value::Bool(flag) => out.push(if *flag { 't' } else { 'f' }),
        Value::Number(number) => {
            out.push('#');
            out.push_str(&format_js_number(number.as_f64().unwrap_or(f64::NAN)));
            out.push(';');
        }
        Value::String(text) => string_key(text, out),
        Value::Array(list) => {
            out.push('[');
            for element in list {
                strict_key(element, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (key, element) in entries {
                string_key(key, out);
                strict_key(element, out);
            }
            out.push('}');
        }
    }
}

/// A string, length-prefixed so that no two sequences of keys run together.
fn string_key(text: &str, out: &mut String) {
    out.push('"');
    out.push_str(&text.len().to_string());
    out.push(':');
    out.push_str(text);
}

/// A key shared by every pair of values [`fuzzy_equal`] calls equal (and by some that are not).
pub fn fuzzy_class(value: Found<'_>, out: &mut String) {
    match value {
        Some(value) => value_class(value, out),
        None => out.push('F'),
    }
    out.push('|');
}

fn value_class(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push('F'),
        Value::Bool(flag) => number_class(if *flag { 1.0 } else { 0.0 }, out),
        Value::Number(number) => number_class(number.as_f64().unwrap_or(f64::NAN), out),
        Value::String(text) if text.is_empty() => out.push('F'),
        Value::String(text) if text.eq_ignore_ascii_case("true") => number_class(1.0, out),
        Value::String(text) if text.eq_ignore_ascii_case("false") => number_class(0.0, out),
        Value::String(text) => match serde_json::from_str::<Value>(text) {
            // What a string means to a number, an object or a boolean is what it parses to.
            Ok(parsed @ (Value::Number(_) | Value::Array(_) | Value::Object(_))) => {
                value_class(&parsed, out);
            }
            _ => {
                out.push('S');
                string_key(text, out);
            }
        },
        Value::Array(list) if list.is_empty() => out.push('F'),
        Value::Array(_) | Value::Object(_) => {
            out.push('O');
            strict_key(value, out);
        }
    }
}

fn number_class(number: f64, out: &mut String) {
    out.push('N');
    out.push_str(&format_js_number(number));
}

/// n8n's `fuzzyCompare(true)` (compare version 1) of `expected` (an input 1 value, never
/// undefined) with `actual` (an input 2 value, maybe undefined).
pub fn fuzzy_equal(expected: &Value, actual: Found<'_>) -> bool {
    let Some(actual) = actual else {
        return is_falsy(expected);
    };
    match (expected, actual) {
        (Value::Null, _) | (_, Value::Null) => is_falsy(expected) && is_falsy(actual),
        _ if same_type(expected, actual) => expected == actual || strict_equal(expected, actual),
        _ if is_falsy(expected) && is_falsy(actual) => true,
        (Value::Number(number), Value::String(text))
        | (Value::String(text), Value::Number(number)) => {
            number.as_f64().map(format_js_number).as_deref() == Some(text.as_str())
        }
        (container @ (Value::Array(_) | Value::Object(_)), Value::String(text))
        | (Value::String(text), container @ (Value::Array(_) | Value::Object(_))) => {
            serde_json::from_str::<Value>(text).is_ok_and(|parsed| strict_equal(&parsed, container))
        }
        (Value::Bool(flag), Value::String(text)) | (Value::String(text), Value::Bool(flag)) => {
            let word = if *flag { "true" } else { "false" };
            let digit = if *flag { "1" } else { "0" };
            text.to_lowercase() == word || text == digit
        }
        (Value::Bool(flag), Value::Number(number)) | (Value::Number(number), Value::Bool(flag)) => {
            number.as_f64() == Some(if *flag { 1.0 } else { 0.0 })
        }
        _ => false,
    }
}

/// lodash's `isEqual` for JSON values (numbers by value, object keys in any order).
pub fn strict_equal(left: &Value, right: &Value) -> bool {
    let (mut left_key, mut right_key) = (String::new(), String::new());
    strict_key(left, &mut left_key);
    strict_key(right, &mut right_key);
    left_key == right_key
}

/// JavaScript's `typeof` agrees (arrays and objects are both `object`).
fn same_type(left: &Value, right: &Value) -> bool {
    let kind = |value: &Value| match value {
        Value::Null | Value::Array(_) | Value::Object(_) => 0,
        Value::Bool(_) => 1,
        Value::Number(_) => 2,
        Value::String(_) => 3,
    };
    kind(left) == kind(right)
}

/// n8n's `isFalsy`: `null`, `""` or `[]`.
fn is_falsy(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.is_empty(),
        Value::Array(list) => list.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn class(value: Found<'_>) -> String {
        let mut out = String::new();
        fuzzy_class(value, &mut out);
        out
    }

    #[test]
    fn strict_keys_follow_is_equal() {
        assert!(strict_equal(
            &json!({"a": 1, "b": [1.0]}),
            &json!({"b": [1], "a": 1.0})
        ));
        assert!(!strict_equal(&json!("1"), &json!(1)));
        assert!(!strict_equal(&json!(["ab", "c"]), &json!(["a", "bc"])));
        assert!(!strict_equal(&json!({}), &json!([])));
    }

    #[test]
    fn fuzzy_compare_tolerates_n8ns_type_differences() {
        let equal = [
            (json!(3), json!("3")),
            (json!("3"), json!(3)),
            (json!(null), json!("")),
            (json!([]), json!(null)),
            (json!({"a": 1}), json!("{\"a\":1}")),
            (json!([]), json!("[]")),
            (json!(true), json!("TRUE")),
            (json!(false), json!("0")),
            (json!(true), json!(1)),
            (json!(1e21), json!("1e+21")),
        ];
        for (expected, actual) in &equal {
            assert!(fuzzy_equal(expected, Some(actual)), "{expected} ~ {actual}");
            assert_eq!(
                class(Some(expected)),
                class(Some(actual)),
                "{expected} ~ {actual}"
            );
        }
        let different = [
            (json!(3), json!("3.0")),
            (json!(""), json!("[]")),
            (json!(null), json!("null")),
            (json!(0), json!("")),
            (json!("a"), json!("A")),
            (json!(2), json!(true)),
        ];
        for (expected, actual) in &different {
            assert!(
                !fuzzy_equal(expected, Some(actual)),
                "{expected} !~ {actual}"
            );
        }
        assert!(
            fuzzy_equal(&json!(""), None),
            "a missing field matches an empty one"
        );
        assert!(!fuzzy_equal(&json!(0), None));
        assert_eq!(class(None), class(Some(&json!([]))));
    }
}
