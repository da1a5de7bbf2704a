//! One entry of Summarize's `fieldsToSummarize`: its aggregation and a running accumulator per
//! group. Count, sum, average, min and max keep a constant-size state, count unique the distinct
//! values, append and concatenate what they output, so no aggregation holds the input items.
//!
//! The semantics are n8n's (`Summarize/utils.js`): sum and average take only the values that are
//! numbers; min and max skip `undefined`, `null` and `""` and compare as JavaScript's `<` does;
//! append, concatenate, count and count unique skip those empty values unless `includeEmpty`.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::core::conditions::js::{stringify, to_js_string, to_number};
use crate::description::number;
use crate::error::NodeError;

/// What an entry computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Append,
    Average,
    Concatenate,
    Count,
    CountUnique,
    Max,
    Min,
    Sum,
}

impl Kind {
    /// The aggregation of an `aggregation` choice.
    fn parse(name: &str) -> Option<Kind> {
        Some(match name {
            "append" => Kind::Append,
            "average" => Kind::Average,
            "concatenate" => Kind::Concatenate,
            "count" => Kind::Count,
            "countUnique" => Kind::CountUnique,
            "max" => Kind::Max,
            "min" => Kind::Min,
            "sum" => Kind::Sum,
            _ => return None,
        })
    }

    /// The prefix of the output field (n8n's `AggregationDisplayNames`).
    fn prefix(self) -> &'static str {
        match self {
            Kind::Append => "appended_",
            Kind::Average => "average_",
            Kind::Concatenate => "concatenated_",
            Kind::Count => "count_",
            Kind::CountUnique => "unique_count_",
            Kind::Max => "max_",
            Kind::Min => "min_",
            Kind::Sum => "sum_",
        }
    }
}

/// One entry of `fieldsToSummarize.values`, read from its resolved parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Aggregation {
    pub kind: Kind,
    /// The input field (a lodash path unless dot notation is off).
    pub field: String,
    /// Whether `undefined`, `null` and `""` take part (append, concatenate, count, count unique).
    pub include_empty: bool,
    /// What concatenate puts between values.
    pub separator: String,
}

impl Aggregation {
    /// The entry at `position` of the list; an unknown aggregation is refused.
    pub fn from_entry(entry: &Map<String, Value>, position: usize) -> Result<Self, NodeError> {
        let text = |key: &str, default: &str| match entry.get(key) {
            None | Some(Value::Null) => default.to_owned(),
            Some(value) => to_js_string(Some(value)),
        };
        let name = text("aggregation", "count");
        let kind = Kind::parse(&name).ok_or_else(|| {
            NodeError::operation(format!(
                "Unknown aggregation '{name}' in 'Fields to Summarize' entry {position}"
            ))
            .with_description(
                "hint: use append, average, concatenate, count, countUnique, max, min or sum",
            )
        })?;
        let separate_by = text("separateBy", ",");
        let separator = if separate_by == "other" {
            text("customSeparator", "")
        } else {
            separate_by
        };
        Ok(Aggregation {
            kind,
            field: text("field", ""),
            include_empty: entry.get("includeEmpty").and_then(Value::as_bool) == Some(true),
            separator,
        })
    }

    /// The output field's name: the prefix and field, `[`, `]` and `"` dropped, spaces and dots
    /// made `_` (n8n's `normalizeFieldName`).
    pub fn output_name(&self) -> String {
        normalize_field_name(&format!("{}{}", self.kind.prefix(), self.field))
    }

    /// A fresh accumulator for one group.
    pub fn accumulator(&self) -> Accumulator {
        match self.kind {
            Kind::Append => Accumulator::Append(Vec::new()),
            Kind::Average => Accumulator::Average {
                total: 0.0,
                count: 0,
            },
            Kind::Concatenate => Accumulator::Concatenate(None),
            Kind::Count => Accumulator::Count(0),
            Kind::CountUnique => Accumulator::CountUnique {
                primitives: HashSet::new(),
                objects: 0,
            },
            Kind::Max | Kind::Min => Accumulator::Extreme(None),
            Kind::Sum => Accumulator::Sum(0.0),
        }
    }
}

/// n8n's `normalizeFieldName`.
pub fn normalize_field_name(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '[' | ']' | '"'))
        .map(|c| if matches!(c, ' ' | '.') { '_' } else { c })
        .collect()
}

/// `undefined`, `null` or `""`: what n8n's `isEmpty` skips.
fn is_empty(value: Option<&Value>) -> bool {
    matches!(value, None | Some(Value::Null))
        || matches!(value, Some(Value::String(text)) if text.is_empty())
}

/// A primitive as JavaScript's `Set` tells values apart (SameValueZero); objects and arrays are
/// each distinct, as distinct JavaScript objects are.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Primitive {
    Undefined,
    Null,
    Bool(bool),
    /// The number's bits, `-0` as `0`.
    Number(u64),
    String(String),
}

impl Primitive {
    /// The primitive `value` is, or `None` for an object or array.
    pub fn of(value: Option<&Value>) -> Option<Primitive> {
        Some(match value {
            None => Primitive::Undefined,
            Some(Value::Null) => Primitive::Null,
            Some(Value::Bool(flag)) => Primitive::Bool(*flag),
            Some(Value::Number(n)) => Primitive::number(n.as_f64().unwrap_or(f64::NAN)),
            Some(Value::String(text)) => Primitive::String(text.clone()),
            Some(Value::Array(_) | Value::Object(_)) => return None,
        })
    }

    /// A number, `-0` and `0` being one value.
    pub fn number(value: f64) -> Primitive {
        Primitive::Number(if value == 0.0 { 0 } else { value.to_bits() })
    }
}

/// The running state of one aggregation over one group's values.
#[derive(Clone, Debug, PartialEq)]
pub enum Accumulator {
    Append(Vec<Value>),
    Average {
        total: f64,
        count: usize,
    },
    /// The text so far; `None` before the first value.
    Concatenate(Option<String>),
    Count(usize),
    CountUnique {
        primitives: HashSet<Primitive>,
        objects: usize,
    },
    /// The least (min) or greatest (max) value so far.
    Extreme(Option<Value>),
    Sum(f64),
}

impl Accumulator {
    /// Takes one item's value of the aggregated field (`None`: the item lacks it).
    pub fn add(&mut self, aggregation: &Aggregation, value: Option<&Value>) {
        let skip_empty = !aggregation.include_empty && is_empty(value);
        match self {
            Accumulator::Sum(total) => {
                if let Some(Value::Number(n)) = value {
                    *total += n.as_f64().unwrap_or(f64::NAN);
                }
            }
            Accumulator::Average { total, count } => {
                if let Some(Value::Number(n)) = value {
                    *total += n.as_f64().unwrap_or(f64::NAN);
                    *count += 1;
                }
            }
            Accumulator::Extreme(best) => {
                let Some(value) = value.filter(|_| !is_empty(value)) else {
                    return;
                };
                let better = match best {
                    None => true,
                    Some(current) if aggregation.kind == Kind::Min => js_less(value, current),
                    Some(current) => js_less(current, value),
                };
                if better {
                    *best = Some(value.clone());
                }
            }
            _ if skip_empty => {}
            Accumulator::Append(values) => values.push(value.cloned().unwrap_or(Value::Null)),
            Accumulator::Concatenate(text) => {
                let part = match value {
                    None => "undefined".to_owned(),
                    Some(Value::String(text)) => text.clone(),
                    Some(value @ (Value::Null | Value::Array(_) | Value::Object(_))) => {
                        stringify(value)
                    }
                    Some(other) => to_js_string(Some(other)),
                };
                match text {
                    None => *text = Some(part),
                    Some(text) => {
                        text.push_str(&aggregation.separator);
                        text.push_str(&part);
                    }
                }
            }
            Accumulator::Count(count) => *count += 1,
            Accumulator::CountUnique {
                primitives,
                objects,
            } => match Primitive::of(value) {
                Some(primitive) => {
                    primitives.insert(primitive);
                }
                None => *objects += 1,
            },
        }
    }

    /// The aggregated value: an average of nothing is `null` (JavaScript's `NaN` in JSON), a
    /// min or max of nothing `null`, a sum of nothing `0`.
    pub fn finish(self) -> Value {
        match self {
            Accumulator::Append(values) => Value::Array(values),
            Accumulator::Average { total, count } => number(total / count as f64),
            Accumulator::Concatenate(text) => Value::String(text.unwrap_or_default()),
            Accumulator::Count(count) => Value::from(count),
            Accumulator::CountUnique {
                primitives,
                objects,
            } => Value::from(primitives.len() + objects),
            Accumulator::Extreme(best) => best.unwrap_or(Value::Null),
            Accumulator::Sum(total) => number(total),
        }
    }
}

/// JavaScript's `left < right` over JSON values: two strings (after objects and arrays become
/// their `String()` text) compare by UTF-16 code units, anything else as numbers (`NaN` never
/// compares).
pub fn js_less(left: &Value, right: &Value) -> bool {
    let primitive = |value: &Value| match value {
        Value::Array(_) | Value::Object(_) => Value::String(to_js_string(Some(value))),
        other => other.clone(),
    };
    match (primitive(left), primitive(right)) {
        (Value::String(a), Value::String(b)) => a.encode_utf16().lt(b.encode_utf16()),
        (a, b) => to_number(Some(&a)) < to_number(Some(&b)),
    }
}
