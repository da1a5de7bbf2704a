//! The filter's operators over validated sides, with JavaScript's comparison semantics where n8n
//! uses them (`null <= 1500000` holds, `undefined` compares false).

use serde_json::Value;

use super::error::ConditionError;
use super::filter::Operator;
use super::js;
use super::operand::Operand;
use super::regex;

/// Whether `operator` holds for `left` and `right`; an unknown operator does not hold.
pub fn evaluate(
    operator: &Operator,
    left: Operand,
    right: Operand,
    ignore_case: bool,
) -> Result<bool, ConditionError> {
    let operation = operator.operation.as_str();
    match operation {
        "exists" => return Ok(left.exists()),
        "notExists" => return Ok(!left.exists()),
        _ => {}
    }
    let held = match operator.type_name.as_str() {
        "string" => return string(operation, left, right, ignore_case),
        "number" => number(operation, &left, &right),
        "dateTime" => date_time(operation, &left, &right),
        "boolean" => boolean(operation, &left, &right),
        "array" => array(operation, &left, &right, ignore_case),
        "object" => object(operation, &left),
        _ => None,
    };
    Ok(held.unwrap_or_else(|| {
        tracing::warn!(
            "Unknown filter parameter operator \"{}:{operation}\"",
            operator.type_name
        );
        false
    }))
}

/// A side as the string n8n's string operators see: `null`/`undefined` become `""`.
fn text(operand: Operand) -> String {
    match operand {
        Operand::Undefined | Operand::Null => String::new(),
        Operand::String(text) => text,
        other => js::to_js_string(other.to_json().as_ref()),
    }
}

fn string(
    operation: &str,
    left: Operand,
    right: Operand,
    ignore_case: bool,
) -> Result<bool, ConditionError> {
    let is_regex = matches!(operation, "regex" | "notRegex");
    let fold = |operand: Operand| {
        let text = text(operand);
        if ignore_case && !is_regex {
            text.to_lowercase()
        } else {
            text
        }
    };
    let (left, right) = (fold(left), fold(right));
    Ok(match operation {
        "empty" => left.is_empty(),
        "notEmpty" => !left.is_empty(),
        "equals" => left == right,
        "notEquals" => left != right,
        "contains" => left.contains(&right),
        "notContains" => !left.contains(&right),
        "startsWith" => left.starts_with(&right),
        "notStartsWith" => !left.starts_with(&right),
        "endsWith" => left.ends_with(&right),
        "notEndsWith" => !left.ends_with(&right),
        "regex" => regex::test(&regex::compile(&right, ignore_case)?, &left),
        "notRegex" => !regex::test(&regex::compile(&right, ignore_case)?, &left),
        _ => {
            tracing::warn!("Unknown filter parameter operator \"string:{operation}\"");
            false
        }
    })
}

/// JavaScript's `<`, `<=`, `>`, `>=` after `ToNumber` (NaN compares false).
fn relational(operation: &str, left: f64, right: f64) -> Option<bool> {
    Some(match operation {
        "gt" | "after" => left > right,
        "lt" | "before" => left < right,
        "gte" | "afterOrEquals" => left >= right,
        "lte" | "beforeOrEquals" => left <= right,
        _ => return None,
    })
}

fn number(operation: &str, left: &Operand, right: &Operand) -> Option<bool> {
    match operation {
        "empty" => Some(!left.exists()),
        "notEmpty" => Some(left.exists()),
        "equals" => Some(left.strictly_equals(right)),
        "notEquals" => Some(!left.strictly_equals(right)),
        _ => relational(
            operation,
            left.relational_number(),
            right.relational_number(),
        ),
    }
}

fn date_time(operation: &str, left: &Operand, right: &Operand) -> Option<bool> {
    match operation {
        "empty" => return Some(!left.exists()),
        "notEmpty" => return Some(left.exists()),
        _ => {}
    }
    let (Operand::DateTime(left), Operand::DateTime(right)) = (left, right) else {
        return matches!(
            operation,
            "equals" | "notEquals" | "after" | "before" | "afterOrEquals" | "beforeOrEquals"
        )
        .then_some(false);
    };
    match operation {
        "equals" => Some(left == right),
        "notEquals" => Some(left != right),
        _ => relational(operation, *left, *right),
    }
}

fn boolean(operation: &str, left: &Operand, right: &Operand) -> Option<bool> {
    let truthy = matches!(left, Operand::Bool(true));
    Some(match operation {
        "empty" => !left.exists(),
        "notEmpty" => left.exists(),
        "true" => truthy,
        "false" => !truthy,
        "equals" => left.strictly_equals(right),
        "notEquals" => !left.strictly_equals(right),
        _ => return None,
    })
}

fn array(operation: &str, left: &Operand, right: &Operand, ignore_case: bool) -> Option<bool> {
    let elements: &[Value] = match left {
        Operand::Array(elements) => elements,
        _ => &[],
    };
    let length = elements.len() as f64;
    let contains = || {
        let Some(needle) = right.to_json() else {
            return false;
        };
        match (&needle, ignore_case) {
            (Value::String(needle), true) => elements.iter().any(|element| {
                element
                    .as_str()
                    .is_some_and(|element| element.to_lowercase() == needle.to_lowercase())
            }),
            _ => elements
                .iter()
                .any(|element| js::same_value_zero(element, &needle)),
        }
    };
    let wanted = right.relational_number();
    Some(match operation {
        "contains" => contains(),
        "notContains" => !contains(),
        "lengthEquals" => matches!(right, Operand::Number(n) if *n == length),
        "lengthNotEquals" => !matches!(right, Operand::Number(n) if *n == length),
        "lengthGt" => length > wanted,
        "lengthLt" => length < wanted,
        "lengthGte" => length >= wanted,
        "lengthLte" => length <= wanted,
        "empty" => elements.is_empty(),
        "notEmpty" => !elements.is_empty(),
        _ => return None,
    })
}

fn object(operation: &str, left: &Operand) -> Option<bool> {
    let empty = match left {
        Operand::Object(fields) => fields.is_empty(),
        _ => true,
    };
    Some(match operation {
        "empty" => empty,
        "notEmpty" => !empty,
        _ => return None,
    })
}
