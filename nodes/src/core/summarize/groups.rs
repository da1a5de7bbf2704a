//! Summarize's "fields to split by": items grouped by the value of each split field in turn
//! (a tree, each level in order of first appearance, as n8n's nested `Map`s), one set of
//! accumulators per group, and the two output shapes.
//!
//! Group keys are typed from typeVersion 1.1 (`1` and `"1"` are two groups, a missing field is
//! its own group), and `String(value)` in 1; objects and arrays group by their JSON text.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::core::conditions::js::{number_to_string, stringify};
use crate::description::number;

use super::aggregation::{Accumulator, Aggregation, normalize_field_name};

/// The value of a split field that names a group.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum GroupKey {
    Undefined,
    Null,
    Bool(bool),
    /// The number's bits (`-0` as `0`), and the number.
    Number(u64),
    String(String),
}

impl GroupKey {
    /// The key of an item whose split field holds `value`; `as_text`: n8n 1's `String(value)`.
    pub fn of(value: Option<&Value>, as_text: bool) -> GroupKey {
        let key = match value {
            None => GroupKey::Undefined,
            Some(Value::Null) => GroupKey::Null,
            Some(Value::Bool(flag)) => GroupKey::Bool(*flag),
            Some(Value::Number(n)) => {
                let n = n.as_f64().unwrap_or(f64::NAN);
                GroupKey::Number(if n == 0.0 { 0 } else { n.to_bits() })
            }
            Some(Value::String(text)) => GroupKey::String(text.clone()),
            Some(object) => GroupKey::String(stringify(object)),
        };
        if as_text {
            GroupKey::String(key.text())
        } else {
            key
        }
    }

    /// n8n's `skipEmptySplitFields` test: not a number and falsy.
    pub fn is_empty(&self) -> bool {
        match self {
            GroupKey::Undefined | GroupKey::Null | GroupKey::Bool(false) => true,
            GroupKey::String(text) => text.is_empty(),
            GroupKey::Bool(true) | GroupKey::Number(_) => false,
        }
    }

    /// `String(key)`: the property name of the key in a single-item output.
    pub fn text(&self) -> String {
        match self {
            GroupKey::Undefined => "undefined".to_owned(),
            GroupKey::Null => "null".to_owned(),
            GroupKey::Bool(flag) => flag.to_string(),
            GroupKey::Number(bits) => number_to_string(f64::from_bits(*bits)),
            GroupKey::String(text) => text.clone(),
        }
    }

    /// The key as a field value (`None`: `undefined`, which JSON leaves out).
    pub fn value(&self) -> Option<Value> {
        match self {
            GroupKey::Undefined => None,
            GroupKey::Null => Some(Value::Null),
            GroupKey::Bool(flag) => Some(Value::Bool(*flag)),
            GroupKey::Number(bits) => Some(number(f64::from_bits(*bits))),
            GroupKey::String(text) => Some(Value::String(text.clone())),
        }
    }
}

/// A group: its sub-groups by the next split field, or (at the last level) its accumulators.
#[derive(Debug, Default)]
pub struct Group {
    /// The sub-groups in order of first appearance, and where each key's is.
    children: Vec<(GroupKey, Group)>,
    positions: HashMap<GroupKey, usize>,
    accumulators: Vec<Accumulator>,
    /// The indexes of the input items in this group.
    items: Vec<usize>,
}

impl Group {
    /// The sub-group of `key`, made empty when it is new.
    pub fn child(&mut self, key: GroupKey) -> &mut Group {
        let position = match self.positions.get(&key) {
            Some(position) => *position,
            None => {
                self.positions.insert(key.clone(), self.children.len());
                self.children.push((key, Group::default()));
                self.children.len() - 1
            }
        };
        &mut self.children[position].1
    }

    /// Adds item `index`, whose aggregated fields hold `values`, to this last-level group.
    pub fn add(&mut self, index: usize, aggregations: &[Aggregation], values: &[Option<&Value>]) {
        if self.accumulators.is_empty() {
            self.accumulators = aggregations.iter().map(Aggregation::accumulator).collect();
        }
        self.items.push(index);
        for ((accumulator, aggregation), value) in
            self.accumulators.iter_mut().zip(aggregations).zip(values)
        {
            accumulator.add(aggregation, *value);
        }
    }

    /// The aggregated fields of a last-level group.
    fn fields(self, aggregations: &[Aggregation]) -> Map<String, Value> {
        let accumulators = if self.accumulators.is_empty() {
            aggregations.iter().map(Aggregation::accumulator).collect()
        } else {
            self.accumulators
        };
        let mut fields = Map::new();
        for (aggregation, accumulator) in aggregations.iter().zip(accumulators) {
            fields.insert(aggregation.output_name(), accumulator.finish());
        }
        fields
    }

    /// One object for all groups (`singleItem`): nested by key text, level by level.
    pub fn into_object(self, depth: usize, aggregations: &[Aggregation]) -> Map<String, Value> {
        if depth == 0 {
            return in_js_key_order(self.fields(aggregations));
        }
        let mut object = Map::new();
        for (key, group) in self.children {
            let inner = group.into_object(depth - 1, aggregations);
            object.insert(key.text(), Value::Object(inner));
        }
        in_js_key_order(object)
    }

    /// One `(fields, item indexes)` per last-level group (`separateItems`), each with the split
    /// fields' values set after the aggregated fields, innermost first (n8n's order).
    pub fn into_rows(
        self,
        split_fields: &[String],
        aggregations: &[Aggregation],
    ) -> Vec<(Map<String, Value>, Vec<usize>)> {
        let Some((field, rest)) = split_fields.split_first() else {
            let items = self.items.clone();
            return vec![(self.fields(aggregations), items)];
        };
        let name = normalize_field_name(field);
        let mut rows = Vec::new();
        for (key, group) in self.children {
            for (mut fields, items) in group.into_rows(rest, aggregations) {
                match key.value() {
                    Some(value) => fields.insert(name.clone(), value),
                    None => fields.shift_remove(&name),
                };
                rows.push((fields, items));
            }
        }
        rows.into_iter()
            .map(|(fields, items)| (in_js_key_order(fields), items))
            .collect()
    }
}

/// A JavaScript object's key order: keys that are array indexes (`0` … `4294967294`, written
/// canonically) first, ascending, then the others in insertion order.
pub fn in_js_key_order(object: Map<String, Value>) -> Map<String, Value> {
    let index = |key: &str| -> Option<u32> {
        let canonical = key == "0" || (!key.starts_with('0') && !key.is_empty());
        key.parse::<u32>()
            .ok()
            .filter(|n| canonical && *n < u32::MAX && key.bytes().all(|b| b.is_ascii_digit()))
    };
    if !object.keys().any(|key| index(key).is_some()) {
        return object;
    }
    let (mut indexes, others): (Vec<_>, Vec<_>) = object
        .into_iter()
        .partition(|(key, _)| index(key).is_some());
    indexes.sort_by_key(|(key, _)| index(key));
    indexes.into_iter().chain(others).collect()
}
