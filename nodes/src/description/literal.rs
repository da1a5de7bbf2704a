//! `Literal`: a JSON value that can live in a `static` node description (defaults, option values,
//! displayOptions conditions).

use serde_json::{Map, Number, Value};

/// A constant JSON value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Literal {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number; whole numbers become JSON integers.
    Number(f64),
    /// A string.
    String(&'static str),
    /// An object with these entries, in order.
    Object(&'static [(&'static str, Literal)]),
    /// An array.
    Array(&'static [Literal]),
}

impl Literal {
    /// The empty object `{}`.
    pub const EMPTY_OBJECT: Literal = Literal::Object(&[]);
    /// The empty array `[]`.
    pub const EMPTY_ARRAY: Literal = Literal::Array(&[]);

    /// The JSON value.
    pub fn to_value(&self) -> Value {
        match *self {
            Literal::Null => Value::Null,
            Literal::Bool(value) => Value::Bool(value),
            Literal::Number(value) => number(value),
            Literal::String(value) => Value::String(value.to_owned()),
            Literal::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(key, value)| ((*key).to_owned(), value.to_value()))
                    .collect::<Map<_, _>>(),
            ),
            Literal::Array(values) => Value::Array(values.iter().map(Literal::to_value).collect()),
        }
    }

    /// True when `value` is this literal (numbers compare by value, so `1` matches `1.0`).
    pub fn matches(&self, value: &Value) -> bool {
        match (self, value) {
            (Literal::Number(expected), Value::Number(actual)) => {
                actual.as_f64() == Some(*expected)
            }
            _ => self.to_value() == *value,
        }
    }
}

/// A JSON number for `value`: an integer when it is whole, as JavaScript would print it.
pub fn number(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        Value::Number(Number::from(value as i64))
    } else {
        Number::from_f64(value).map_or(Value::Null, Value::Number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn literals_become_json() {
        const NESTED: Literal = Literal::Object(&[
            ("mode", Literal::String("list")),
            ("n", Literal::Number(2.0)),
            ("x", Literal::Number(1.5)),
            (
                "list",
                Literal::Array(&[Literal::Bool(true), Literal::Null]),
            ),
        ]);
        assert_eq!(
            NESTED.to_value(),
            json!({ "mode": "list", "n": 2, "x": 1.5, "list": [true, null] })
        );
        assert!(Literal::Number(1.0).matches(&json!(1.0)));
        assert!(Literal::Number(1.0).matches(&json!(1)));
        assert!(!Literal::String("1").matches(&json!(1)));
    }
}
