//! The matching of combine-by-fields as a hash join: input 2 is indexed once by the key of its
//! match fields, and each input 1 item looks its candidates up, so the work grows with the
//! items and their matches, not with their product. The result is exactly what n8n's
//! `findMatches` (a loop over every pair) gives, in the same order: input 1 order, and input 2
//! order within each item's matches.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::item::Item;

use super::equality::{Found, fuzzy_class, fuzzy_equal, strict_equal, strict_key};
use crate::core::paths::get_path;

/// How items are matched.
#[derive(Clone, Debug, PartialEq)]
pub struct MatchRule {
    /// `(field of input 1, field of input 2)` pairs that must all be equal.
    pub fields: Vec<(String, String)>,
    /// `options.fuzzyCompare`.
    pub fuzzy: bool,
    /// `options.disableDotNotation`: field names are plain keys.
    pub disable_dot_notation: bool,
    /// `options.multipleMatches: first`: only the first match of each input 1 item.
    pub first_match_only: bool,
}

/// The matches of two inputs, as item indexes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matches {
    /// Each input 1 item that matched, with its matches in input 2 (in input 2 order).
    pub matched: Vec<(usize, Vec<usize>)>,
    /// Input 1 items without a match (a missing match field counts as none).
    pub unmatched1: Vec<usize>,
    /// Input 2 items some input 1 item matched, in input 2 order.
    pub matched2: Vec<usize>,
    /// The other input 2 items.
    pub unmatched2: Vec<usize>,
}

impl Matches {
    /// These matches with input 2's items sorted into matched and unmatched, in input order.
    fn with_input2(mut self, matched_in_2: Vec<bool>) -> Self {
        for (position, matched) in matched_in_2.into_iter().enumerate() {
            if matched {
                self.matched2.push(position);
            } else {
                self.unmatched2.push(position);
            }
        }
        self
    }
}

impl MatchRule {
    /// A field of an item, as lodash's `get` (or a plain key) reads it.
    fn field<'v>(&self, json: &'v Map<String, Value>, name: &str) -> Found<'v> {
        if self.disable_dot_notation {
            return json.get(name);
        }
        json.get(name).or_else(|| get_path(json, name))
    }

    /// n8n's `lookup` of an input 1 item: each input 2 field with the value it must have (a
    /// later pair naming the same input 2 field replaces an earlier one), or `None` when a
    /// value is missing.
    fn lookup<'v>(&self, json: &'v Map<String, Value>) -> Option<Vec<(&str, &'v Value)>> {
        let mut lookup: Vec<(&str, Found<'v>)> = Vec::new();
        for (field1, field2) in &self.fields {
            let value = self.field(json, field1);
            match lookup.iter_mut().find(|(name, _)| name == field2) {
                Some(entry) => entry.1 = value,
                None => lookup.push((field2, value)),
            }
        }
        lookup
            .into_iter()
            .map(|(name, value)| value.map(|value| (name, value)))
            .collect()
    }

    /// True when the input 2 item has every value of `lookup`.
    fn fits(&self, lookup: &[(&str, &Value)], json: &Map<String, Value>) -> bool {
        lookup.iter().all(|(name, expected)| {
            let actual = self.field(json, name);
            if self.fuzzy {
                fuzzy_equal(expected, actual)
            } else {
                actual.is_some_and(|actual| strict_equal(expected, actual))
            }
        })
    }

    /// The hash key of `values` (one per lookup field), or `None` when no item with them can
    /// match strictly (a missing field).
    fn key<'v>(&self, values: impl Iterator<Item = Found<'v>>) -> Option<String> {
        let mut key = String::new();
        for value in values {
            if self.fuzzy {
                fuzzy_class(value, &mut key);
            } else {
                strict_key(value?, &mut key);
            }
        }
        Some(key)
    }

    /// n8n's `findMatches` of `input1` against `input2`.
    pub fn find(&self, input1: &[Item], input2: &[Item]) -> Matches {
        let mut matches = Matches::default();
        let mut matched_in_2 = vec![false; input2.len()];
        // Input 2 is indexed by the fields each lookup names: those of the pairs, in order.
        let mut names: Vec<&str> = Vec::new();
        for (_, field2) in &self.fields {
            if !names.contains(&field2.as_str()) {
                names.push(field2);
            }
        }
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for (position, item) in input2.iter().enumerate() {
            if let Some(key) = self.key(names.iter().map(|name| self.field(&item.json, name))) {
                index.entry(key).or_default().push(position);
            }
        }
        for (position, item) in input1.iter().enumerate() {
            let Some(lookup) = self.lookup(&item.json) else {
                matches.unmatched1.push(position);
                continue;
            };
            let candidates = self
                .key(lookup.iter().map(|(_, value)| Some(*value)))
                .and_then(|key| index.get(&key));
            let mut found = candidates
                .into_iter()
                .flatten()
                .copied()
                .filter(|candidate| self.fits(&lookup, &input2[*candidate].json));
            let found: Vec<usize> = if self.first_match_only {
                found.next().into_iter().collect()
            } else {
                found.collect()
            };
            if found.is_empty() {
                matches.unmatched1.push(position);
                continue;
            }
            for candidate in &found {
                matched_in_2[*candidate] = true;
            }
            matches.matched.push((position, found));
        }
        matches.with_input2(matched_in_2)
    }

    /// The same result by comparing every pair, as n8n does: the reference the hash join is
    /// tested against.
    #[cfg(test)]
    pub fn find_by_nested_loops(&self, input1: &[Item], input2: &[Item]) -> Matches {
        let mut matches = Matches::default();
        let mut matched_in_2 = vec![false; input2.len()];
        for (position, item) in input1.iter().enumerate() {
            let Some(lookup) = self.lookup(&item.json) else {
                matches.unmatched1.push(position);
                continue;
            };
            let mut found = Vec::new();
            for (candidate, other) in input2.iter().enumerate() {
                if self.fits(&lookup, &other.json) {
                    found.push(candidate);
                    if self.first_match_only {
                        break;
                    }
                }
            }
            if found.is_empty() {
                matches.unmatched1.push(position);
            } else {
                found
                    .iter()
                    .for_each(|candidate| matched_in_2[*candidate] = true);
                matches.matched.push((position, found));
            }
        }
        matches.with_input2(matched_in_2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn items(values: &[Value]) -> Vec<Item> {
        values
            .iter()
            .enumerate()
            .map(|(index, value)| Item::from_value(value.clone(), index))
            .collect()
    }

    fn rule(fields: &[(&str, &str)], fuzzy: bool, first: bool) -> MatchRule {
        MatchRule {
            fields: fields
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect(),
            fuzzy,
            disable_dot_notation: false,
            first_match_only: first,
        }
    }

    #[test]
    fn duplicate_keys_match_every_partner_in_input_2_order() {
        let input1 = items(&[
            json!({"k": 1}),
            json!({"k": 2}),
            json!({"x": 1}),
            json!({"k": 1}),
        ]);
        let input2 = items(&[
            json!({"k": 1, "n": "a"}),
            json!({"k": 3}),
            json!({"k": 1, "n": "b"}),
        ]);
        let found = rule(&[("k", "k")], false, false).find(&input1, &input2);
        assert_eq!(found.matched, vec![(0, vec![0, 2]), (3, vec![0, 2])]);
        assert_eq!(found.unmatched1, vec![1, 2]);
        assert_eq!((found.matched2, found.unmatched2), (vec![0, 2], vec![1]));
        let first = rule(&[("k", "k")], false, true).find(&input1, &input2);
        assert_eq!(first.matched, vec![(0, vec![0]), (3, vec![0])]);
        assert_eq!(
            first.unmatched2,
            vec![1, 2],
            "a second match is not matched"
        );
    }

    #[test]
    fn dot_notation_reaches_nested_fields_unless_disabled() {
        let input1 = items(&[json!({"a": {"b": 1}, "a.b": 2})]);
        let input2 = items(&[json!({"id": 1}), json!({"id": 2})]);
        let dotted = rule(&[("a.b", "id")], false, false);
        assert_eq!(
            dotted.find(&input1, &input2).matched,
            vec![(0, vec![1])],
            "a literal key wins"
        );
        let nested = items(&[json!({"a": {"b": 1}})]);
        assert_eq!(dotted.find(&nested, &input2).matched, vec![(0, vec![0])]);
        let plain = MatchRule {
            disable_dot_notation: true,
            ..dotted
        };
        assert_eq!(plain.find(&nested, &input2).unmatched1, vec![0]);
    }

    fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (0..4i64).prop_map(|n| json!(n)),
            prop_oneof![
                Just(""),
                Just("1"),
                Just("a"),
                Just("true"),
                Just("[]"),
                Just("{\"x\":1}")
            ]
            .prop_map(|text| json!(text)),
            Just(json!([])),
            Just(json!({"x": 1})),
            Just(json!([1, "a"])),
        ]
    }

    fn record() -> impl Strategy<Value = Value> {
        (
            proptest::option::of(value()),
            proptest::option::of(value()),
            0..3u8,
        )
            .prop_map(|(a, b, tag)| {
                let mut json = Map::new();
                if let Some(a) = a {
                    json.insert("a".into(), a);
                }
                if let Some(b) = b {
                    json.insert("nested".into(), json!({ "b": b }));
                }
                json.insert("tag".into(), json!(tag));
                Value::Object(json)
            })
    }

    proptest! {
        #[test]
        fn the_hash_join_finds_what_comparing_every_pair_finds(
            input1 in proptest::collection::vec(record(), 0..12),
            input2 in proptest::collection::vec(record(), 0..12),
            fields in prop_oneof![
                Just(vec![("a", "a")]),
                Just(vec![("a", "nested.b")]),
                Just(vec![("a", "a"), ("nested.b", "nested.b")]),
                Just(vec![("a", "a"), ("tag", "a")]),
            ],
            fuzzy in any::<bool>(),
            first in any::<bool>(),
        ) {
            let (input1, input2) = (items(&input1), items(&input2));
            let rule = rule(&fields, fuzzy, first);
            prop_assert_eq!(
                rule.find(&input1, &input2),
                rule.find_by_nested_loops(&input1, &input2)
            );
        }
    }
}
