//! One side of a condition after n8n's type validation (`validateFieldType` with
//! `parseStrings`): the value converted to the operator's type, or the reason it cannot be.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value};

use super::js;

/// The type an operator expects of a side (n8n's `FilterOperatorType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperandType {
    /// `any`: the value as it is.
    Any,
    /// `string`.
    String,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `dateTime`.
    DateTime,
    /// `array`.
    Array,
    /// `object`.
    Object,
}

impl OperandType {
    /// The type named `name`; an unknown name validates nothing, as in n8n.
    pub fn from_name(name: &str) -> Self {
        match name {
            "string" => Self::String,
            "number" => Self::Number,
            "boolean" => Self::Boolean,
            "dateTime" => Self::DateTime,
            "array" => Self::Array,
            "object" => Self::Object,
            _ => Self::Any,
        }
    }
}

/// A side's value once validated.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// JavaScript's `undefined` (no value, or a single-value operator's unused right side).
    Undefined,
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (never NaN: a value that converts to NaN is a type error).
    Number(f64),
    /// A string.
    String(String),
    /// A point in time, as milliseconds since the epoch.
    DateTime(f64),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Map<String, Value>),
    /// A value of type `any`, unconverted.
    Any(Value),
}

/// How the filter validates types: `options.typeValidation` and `options.version`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Validation {
    /// `strict`: no conversion between types.
    pub strict: bool,
    /// The filter version (1, 2 or 3).
    pub version: u8,
}

impl Operand {
    /// `value` converted to `kind`, or `None` when it is not (strict) or cannot be (loose) one.
    pub fn parse(value: Option<&Value>, kind: OperandType, rules: Validation) -> Option<Operand> {
        let Some(value) = value else {
            return Some(Operand::Undefined);
        };
        if value.is_null() {
            return Some(Operand::Null);
        }
        match kind {
            OperandType::Any => Some(Operand::Any(value.clone())),
            OperandType::Boolean if !rules.strict => {
                let parsed = (rules.version >= 2).then(|| loose_boolean(value)).flatten();
                Some(Operand::Bool(
                    parsed.unwrap_or_else(|| js::truthy(Some(value))),
                ))
            }
            OperandType::Boolean => value.as_bool().map(Operand::Bool),
            OperandType::Number => {
                let empty = match value {
                    Value::String(text) => text.trim().is_empty(),
                    Value::Array(elements) => elements.is_empty(),
                    _ => false,
                };
                if empty && rules.version >= 3 {
                    return Some(Operand::Null);
                }
                if rules.strict && !value.is_number() {
                    return None;
                }
                let number = js::to_number(Some(value));
                (!number.is_nan()).then_some(Operand::Number(number))
            }
            OperandType::String => match value {
                Value::String(text) => Some(Operand::String(text.clone())),
                _ if rules.strict => None,
                Value::Array(_) | Value::Object(_) => Some(Operand::String(js::stringify(value))),
                other => Some(Operand::String(js::to_js_string(Some(other)))),
            },
            OperandType::DateTime => {
                parse_date_time(js::to_js_string(Some(value)).trim()).map(Operand::DateTime)
            }
            OperandType::Array => {
                match value {
                    Value::Array(elements) => Some(Operand::Array(elements.clone())),
                    _ if rules.strict => None,
                    other => parse_json_text(&js::to_js_string(Some(other))).and_then(|parsed| {
                        match parsed {
                            Value::Array(elements) => Some(Operand::Array(elements)),
                            _ => None,
                        }
                    }),
                }
            }
            OperandType::Object => {
                match value {
                    Value::Object(fields) => Some(Operand::Object(fields.clone())),
                    Value::Array(_) => None,
                    _ if rules.strict => None,
                    other => parse_json_text(&js::to_js_string(Some(other))).and_then(|parsed| {
                        match parsed {
                            Value::Object(fields) => Some(Operand::Object(fields)),
                            _ => None,
                        }
                    }),
                }
            }
        }
    }

    /// False for `undefined`, `null` (n8n's `exists`).
    pub fn exists(&self) -> bool {
        !matches!(self, Operand::Undefined | Operand::Null)
    }

    /// `Number(operand)` for a relational comparison (`null` is 0, `undefined` NaN).
    pub fn relational_number(&self) -> f64 {
        match self {
            Operand::Undefined | Operand::Object(_) => f64::NAN,
            Operand::Null => 0.0,
            Operand::Bool(flag) => f64::from(u8::from(*flag)),
            Operand::Number(number) | Operand::DateTime(number) => *number,
            Operand::String(text) => js::string_to_number(text),
            Operand::Array(elements) => js::to_number(Some(&Value::Array(elements.clone()))),
            Operand::Any(value) => js::to_number(Some(value)),
        }
    }

    /// `left === right` for primitive operands (arrays and objects are never equal).
    pub fn strictly_equals(&self, other: &Operand) -> bool {
        match (self, other) {
            (Operand::Undefined, Operand::Undefined) | (Operand::Null, Operand::Null) => true,
            (Operand::Bool(a), Operand::Bool(b)) => a == b,
            (Operand::Number(a), Operand::Number(b)) => a == b,
            (Operand::String(a), Operand::String(b)) => a == b,
            (Operand::Any(a), Operand::Any(b)) => js::same_value_zero(a, b),
            _ => false,
        }
    }

    /// The value as JSON (for `Array.prototype.includes`); `undefined` is `None`.
    pub fn to_json(&self) -> Option<Value> {
        match self {
            Operand::Undefined => None,
            Operand::Null => Some(Value::Null),
            Operand::Bool(flag) => Some(Value::Bool(*flag)),
            Operand::Number(number) | Operand::DateTime(number) => {
                serde_json::Number::from_f64(*number).map(Value::Number)
            }
            Operand::String(text) => Some(Value::String(text.clone())),
            Operand::Array(elements) => Some(Value::Array(elements.clone())),
            Operand::Object(fields) => Some(Value::Object(fields.clone())),
            Operand::Any(value) => Some(value.clone()),
        }
    }
}

/// n8n's `tryToParseBoolean`: `true`/`false` in any case, and anything whose number is 0 or 1.
pub fn loose_boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(flag) => Some(*flag),
        Value::String(text) if text.eq_ignore_ascii_case("true") => Some(true),
        Value::String(text) if text.eq_ignore_ascii_case("false") => Some(false),
        Value::String(text) if text.trim().is_empty() => None,
        other => match js::to_number(Some(other)) {
            0.0 => Some(false),
            1.0 => Some(true),
            _ => None,
        },
    }
}

/// JSON text, or failing that the same text with single quotes made double (n8n's
/// `tryToParseArray` / `tryToParseObject`).
fn parse_json_text(text: &str) -> Option<Value> {
    serde_json::from_str(text)
        .ok()
        .or_else(|| serde_json::from_str(&text.replace('\'', "\"")).ok())
}

/// A date in one of the forms n8n accepts (ISO 8601, RFC 2822, SQL), as epoch milliseconds.
/// A date without an offset is read as UTC.
pub fn parse_date_time(text: &str) -> Option<f64> {
    parse_date_time_in(text, Tz::UTC).map(|moment| moment.timestamp_millis() as f64)
}

/// A date in one of the forms n8n accepts (ISO 8601, RFC 2822, SQL); one without an offset is
/// read in `zone` (n8n's `tryToParseDateTime(value, zone)`). A local time that a daylight-saving
/// change skips is `None`; one it repeats is the earlier instant.
pub fn parse_date_time_in(text: &str, zone: Tz) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(moment) = DateTime::parse_from_rfc3339(text) {
        return Some(moment.to_utc());
    }
    if let Ok(moment) = DateTime::parse_from_rfc2822(text) {
        return Some(moment.to_utc());
    }
    const WITH_OFFSET: &[&str] = &["%Y-%m-%dT%H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M%#z"];
    for format in WITH_OFFSET {
        if let Ok(moment) = DateTime::parse_from_str(text, format) {
            return Some(moment.to_utc());
        }
    }
    const NAIVE: &[&str] = &[
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ];
    let local = NAIVE
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .or_else(|| {
            let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d"))
                .ok()?;
            date.and_hms_opt(0, 0, 0)
        })?;
    local
        .and_local_timezone(zone)
        .earliest()
        .map(|moment| moment.to_utc())
}
