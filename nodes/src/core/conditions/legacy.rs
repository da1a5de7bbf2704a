//! The conditions of IF v1, Filter v1 and Switch v1/v2: `value1 operation value2` per data type
//! (boolean, dateTime, number, string), compared with plain JavaScript semantics.

use std::cmp::Ordering;

use serde_json::Value;

use super::error::ConditionError;
use super::js;
use super::operand::parse_date_time;
use super::regex;

/// The data types of legacy conditions, in the order n8n checks them.
pub const DATA_TYPES: [&str; 4] = ["boolean", "dateTime", "number", "string"];

/// Whether `value1 operation value2` holds for conditions of `data_type`.
pub fn compare(
    data_type: &str,
    operation: &str,
    value1: Option<&Value>,
    value2: Option<&Value>,
) -> Result<bool, ConditionError> {
    if data_type == "dateTime" {
        let (left, right) = (date_time(value1)?, date_time(value2)?);
        return compare_values(operation, Some(&number(left)), Some(&number(right)));
    }
    compare_values(operation, value1, value2)
}

/// Whether the legacy `conditions` (`{boolean: [...], number: [...], ...}`, resolved for the
/// item) pass: all of them, or with `any` one of them. Checking stops as soon as the answer
/// is known, as in n8n.
pub fn conditions_pass(conditions: &Value, any: bool) -> Result<bool, ConditionError> {
    for data_type in DATA_TYPES {
        let Some(entries) = conditions.get(data_type).and_then(Value::as_array) else {
            continue;
        };
        for entry in entries {
            let operation = entry
                .get("operation")
                .and_then(Value::as_str)
                .unwrap_or(default_operation(data_type));
            let held = compare(
                data_type,
                operation,
                entry.get("value1"),
                entry.get("value2"),
            )?;
            if held == any {
                return Ok(any);
            }
        }
    }
    Ok(!any)
}

/// The operation a legacy condition of `data_type` has when the workflow leaves it out.
pub fn default_operation(data_type: &str) -> &'static str {
    match data_type {
        "dateTime" => "after",
        "number" => "smaller",
        _ => "equal",
    }
}

fn number(value: f64) -> Value {
    serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)
}

/// n8n's `convertDateTime`: a string parsed as a date, a number as milliseconds.
fn date_time(value: Option<&Value>) -> Result<f64, ConditionError> {
    let parsed = match value {
        Some(Value::String(text)) => parse_date_time(text.trim()),
        Some(Value::Number(number)) => number.as_f64(),
        _ => None,
    };
    parsed.ok_or_else(|| ConditionError::InvalidDateTime(js::to_js_string(value)))
}

/// `value || fallback`.
fn or<'v>(value: Option<&'v Value>, fallback: &'v Value) -> &'v Value {
    match value {
        Some(value) if js::truthy(Some(value)) => value,
        _ => fallback,
    }
}

/// JavaScript's `a < b` ordering: two strings by UTF-16 code units, anything else by number.
fn js_order(left: &Value, right: &Value) -> Option<Ordering> {
    match (left, right) {
        (Value::String(a), Value::String(b)) => Some(a.encode_utf16().cmp(b.encode_utf16())),
        _ => js::to_number(Some(left)).partial_cmp(&js::to_number(Some(right))),
    }
}

fn is_empty(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(text)) => text.is_empty(),
        Some(Value::Array(elements)) => elements.is_empty(),
        Some(Value::Object(fields)) => fields.is_empty(),
        Some(_) => false,
    }
}

fn strictly_equal(left: Option<&Value>, right: Option<&Value>) -> bool {
    match (left, right) {
        (None, None) => true,
        (Some(left), Some(right)) => js::same_value_zero(left, right),
        _ => false,
    }
}

/// `value1.startsWith(value2)` and friends need a string on the left, as in JavaScript.
fn text_of<'v>(value: Option<&'v Value>, operation: &str) -> Result<&'v str, ConditionError> {
    value
        .and_then(Value::as_str)
        .ok_or_else(|| ConditionError::NotText(operation.to_owned()))
}

fn compare_values(
    operation: &str,
    value1: Option<&Value>,
    value2: Option<&Value>,
) -> Result<bool, ConditionError> {
    let zero = Value::from(0);
    let empty = Value::String(String::new());
    let ordered = |accept: fn(Ordering) -> bool| {
        js_order(or(value1, &zero), or(value2, &zero)).is_some_and(accept)
    };
    let haystack = || js::to_js_string(Some(or(value1, &empty)));
    let needle = || js::to_js_string(Some(or(value2, &empty)));
    let matches = || -> Result<bool, ConditionError> {
        let pattern = needle();
        let regex = regex::compile(&pattern, false)?;
        Ok(regex::test(&regex, &haystack()))
    };
    Ok(match operation {
        "after" | "larger" => ordered(Ordering::is_gt),
        "before" | "smaller" => ordered(Ordering::is_lt),
        "largerEqual" => ordered(Ordering::is_ge),
        "smallerEqual" => ordered(Ordering::is_le),
        "contains" => haystack().contains(&needle()),
        "notContains" => !haystack().contains(&needle()),
        "startsWith" => text_of(value1, operation)?.starts_with(&js::to_js_string(value2)),
        "notStartsWith" => !text_of(value1, operation)?.starts_with(&js::to_js_string(value2)),
        "endsWith" => text_of(value1, operation)?.ends_with(&js::to_js_string(value2)),
        "notEndsWith" => !text_of(value1, operation)?.ends_with(&js::to_js_string(value2)),
        "equal" => strictly_equal(value1, value2),
        "notEqual" => !strictly_equal(value1, value2),
        "isEmpty" => is_empty(value1),
        "isNotEmpty" => !is_empty(value1),
        "regex" => matches()?,
        "notRegex" => !matches()?,
        other => return Err(ConditionError::UnknownOperation(other.to_owned())),
    })
}
