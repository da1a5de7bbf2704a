//! Field values as the fake stores them, their JSON form in records, their ordering, and the
//! conversion of request-body JSON into them (Salesforce is lenient: numeric strings for numbers,
//! `"true"` for booleans, numbers for text, dateTimes without an offset taken as UTC).

use super::clock;
use super::error::ApiError;
use super::schema::{Field, FieldType};
use serde::ser::{Serialize, Serializer};
use serde_json::Value as Json;
use std::cmp::Ordering;

/// A stored field value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Num(f64),
    Str(String),
    /// Days since 1970-01-01.
    Date(i64),
    /// Epoch milliseconds.
    DateTime(i64),
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_none(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Num(n) => s.serialize_f64(*n),
            Value::Str(text) => s.serialize_str(text),
            Value::Date(d) => s.serialize_str(&clock::format_date(*d)),
            Value::DateTime(ms) => s.serialize_str(&clock::format_datetime(*ms)),
        }
    }
}

impl Value {
    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Num(n) => Some(*n),
            _ => None,
        }
    }

    /// Orders two non-null values of the same field (text case-insensitively); `None` when either is
    /// null or the kinds do not compare.
    pub fn compare(&self, other: &Value) -> Option<Ordering> {
        match (self, other) {
            (Value::Str(a), Value::Str(b)) => Some(cmp_ignore_case(a, b)),
            (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
            (Value::Date(a), Value::Date(b)) | (Value::DateTime(a), Value::DateTime(b)) => {
                Some(a.cmp(b))
            }
            (Value::Date(d), Value::DateTime(ms)) => Some((d * clock::DAY_MS).cmp(ms)),
            (Value::DateTime(ms), Value::Date(d)) => Some(ms.cmp(&(d * clock::DAY_MS))),
            _ => self.as_f64()?.partial_cmp(&other.as_f64()?),
        }
    }

    /// Ordering for ORDER BY: nulls first, then [`Value::compare`].
    pub fn sort_cmp(&self, other: &Value) -> Ordering {
        match (self, other) {
            (Value::Null, Value::Null) => Ordering::Equal,
            (Value::Null, _) => Ordering::Less,
            (_, Value::Null) => Ordering::Greater,
            _ => self.compare(other).unwrap_or(Ordering::Equal),
        }
    }

    /// Converts request-body JSON for `field`. Errors are `JSON_PARSER_ERROR`s or field errors.
    pub fn from_input(field: &Field, json: &Json) -> Result<Value, ApiError> {
        let mismatch = || {
            ApiError::bad(
                "JSON_PARSER_ERROR",
                format!(
                    "Cannot deserialize instance of {} from {} value {json} or request may be missing a required field",
                    field.kind.name(),
                    json_kind(json)
                ),
            )
        };
        let text = match json {
            Json::Null => return Ok(Value::Null),
            Json::Array(_) | Json::Object(_) => return Err(mismatch()),
            Json::String(s) => s.clone(),
            other => other.to_string(),
        };
        Ok(match field.kind {
            FieldType::Boolean => match json {
                Json::Bool(b) => Value::Bool(*b),
                _ if text.eq_ignore_ascii_case("true") => Value::Bool(true),
                _ if text.eq_ignore_ascii_case("false") => Value::Bool(false),
                _ => return Err(mismatch()),
            },
            FieldType::Int => match text.trim().parse::<f64>() {
                Ok(n) if n.fract() == 0.0 => Value::Int(n as i64),
                _ => return Err(mismatch()),
            },
            FieldType::Double | FieldType::Currency | FieldType::Percent => {
                Value::Num(text.trim().parse().map_err(|_| mismatch())?)
            }
            FieldType::Date if json.is_string() => Value::Date(
                clock::parse_date(&text)
                    .or_else(|| clock::parse_datetime(&text).map(|ms| ms.div_euclid(clock::DAY_MS)))
                    .ok_or_else(mismatch)?,
            ),
            FieldType::DateTime if json.is_string() => Value::DateTime(
                clock::parse_datetime(&text)
                    .or_else(|| clock::parse_date(&text).map(|d| d * clock::DAY_MS))
                    .ok_or_else(mismatch)?,
            ),
            FieldType::Date | FieldType::DateTime | FieldType::Base64 if !json.is_string() => {
                return Err(mismatch());
            }
            FieldType::Email if !text.is_empty() && !is_email(&text) => {
                return Err(ApiError::field(
                    "INVALID_EMAIL_ADDRESS",
                    format!("{}: invalid email address: {text}", field.label),
                    vec![field.name.clone()],
                ));
            }
            _ if text.is_empty() => Value::Null,
            _ => Value::Str(text),
        })
    }
}

fn json_kind(json: &Json) -> &'static str {
    match json {
        Json::Array(_) => "START_ARRAY",
        Json::Object(_) => "START_OBJECT",
        Json::String(_) => "VALUE_STRING",
        Json::Bool(_) => "VALUE_BOOLEAN",
        Json::Number(_) => "VALUE_NUMBER",
        Json::Null => "VALUE_NULL",
    }
}

fn is_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => !local.is_empty() && domain.contains('.') && !domain.contains('@'),
        None => false,
    }
}

/// Case-insensitive (ASCII) ordering of two strings without allocating.
pub fn cmp_ignore_case(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_is_coerced_like_salesforce() {
        let number = Field::parse("N;double").unwrap();
        assert_eq!(
            Value::from_input(&number, &Json::from("12.5")),
            Ok(Value::Num(12.5))
        );
        let flag = Field::parse("B;boolean").unwrap();
        assert_eq!(
            Value::from_input(&flag, &Json::from("TRUE")),
            Ok(Value::Bool(true))
        );
        let when = Field::parse("D;datetime").unwrap();
        let v = Value::from_input(&when, &Json::from("2025-01-01T00:00:00")).unwrap();
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            "\"2025-01-01T00:00:00.000+0000\""
        );
        let email = Field::parse("Email;email").unwrap();
        assert_eq!(
            Value::from_input(&email, &Json::from("nope"))
                .unwrap_err()
                .code,
            "INVALID_EMAIL_ADDRESS"
        );
        assert!(Value::from_input(&number, &serde_json::json!([1])).is_err());
    }

    #[test]
    fn text_compares_case_insensitively() {
        let a = Value::Str("acme".into());
        assert_eq!(a.compare(&Value::Str("ACME".into())), Some(Ordering::Equal));
        assert_eq!(Value::Null.sort_cmp(&a), Ordering::Less);
    }
}
