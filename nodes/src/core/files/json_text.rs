//! JavaScript's `JSON.stringify(value)` and `JSON.stringify(value, null, 2)` for item JSON:
//! numbers as JavaScript prints them (`1`, not `1.0`; `1e+21`), two-space indentation.

use serde_json::Value;

use crate::js_number::format_js_number;

/// `value` as `JSON.stringify` writes it, indented by two spaces per level when `pretty`.
pub(crate) fn stringify(value: &Value, pretty: bool) -> String {
    let mut text = String::new();
    write(&mut text, value, pretty.then_some(0));
    text
}

fn write(text: &mut String, value: &Value, depth: Option<usize>) {
    let newline = |text: &mut String, depth: usize| {
        text.push('\n');
        text.push_str(&"  ".repeat(depth));
    };
    match value {
        Value::Number(number) => {
            text.push_str(&format_js_number(number.as_f64().unwrap_or(f64::NAN)))
        }
        Value::Array(elements) if !elements.is_empty() => {
            text.push('[');
            for (index, element) in elements.iter().enumerate() {
                if index > 0 {
                    text.push(',');
                }
                if let Some(depth) = depth {
                    newline(text, depth + 1);
                }
                write(text, element, depth.map(|depth| depth + 1));
            }
            if let Some(depth) = depth {
                newline(text, depth);
            }
            text.push(']');
        }
        Value::Object(fields) if !fields.is_empty() => {
            text.push('{');
            for (index, (key, field)) in fields.iter().enumerate() {
                if index > 0 {
                    text.push(',');
                }
                if let Some(depth) = depth {
                    newline(text, depth + 1);
                }
                text.push_str(&Value::String(key.clone()).to_string());
                text.push(':');
                if depth.is_some() {
                    text.push(' ');
                }
                write(text, field, depth.map(|depth| depth + 1));
            }
            if let Some(depth) = depth {
                newline(text, depth);
            }
            text.push('}');
        }
        other => text.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn output_matches_json_stringify() {
        let value =
            json!({"a": 1.0, "b": [1, {"c": null}], "d": {}, "e": [], "f": "x\"y", "g": 1e21});
        assert_eq!(
            stringify(&value, false),
            r#"{"a":1,"b":[1,{"c":null}],"d":{},"e":[],"f":"x\"y","g":1e+21}"#
        );
        assert_eq!(
            stringify(&value, true),
            "{\n  \"a\": 1,\n  \"b\": [\n    1,\n    {\n      \"c\": null\n    }\n  ],\n  \"d\": {},\n  \"e\": [],\n  \"f\": \"x\\\"y\",\n  \"g\": 1e+21\n}"
        );
    }
}
