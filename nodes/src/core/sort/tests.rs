//! Sort's simple mode against orders n8n's comparator (lodash `get`/`isEqual`/`lt` under V8's
//! sort) gives, including mixed types and missing fields, its errors, and the comparator's
//! properties.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;

fn items(values: Vec<Value>) -> Vec<Item> {
    values
        .into_iter()
        .enumerate()
        .map(|(index, value)| Item::from_value(value, index))
        .collect()
}

fn ids(items: &[Item]) -> Vec<i64> {
    items
        .iter()
        .map(|item| item.json["id"].as_i64().unwrap())
        .collect()
}

fn fields(list: &[(&str, &str)]) -> Vec<SortField> {
    list.iter()
        .map(|(name, order)| SortField {
            field_name: (*name).to_owned(),
            order: (*order).to_owned(),
        })
        .collect()
}

/// Values of every JSON type, text that is and is not a number, and missing fields (`None`).
fn mixed() -> Vec<Item> {
    let values = [
        Some(json!(3)),
        Some(json!("b")),
        Some(json!(null)),
        None,
        Some(json!("10")),
        Some(json!(2)),
        Some(json!({"x": 1})),
        Some(json!([1])),
        Some(json!(true)),
        Some(json!("A")),
        Some(json!("")),
        Some(json!(2.5)),
        Some(json!("a")),
        None,
        Some(json!(0)),
    ];
    items(
        values
            .into_iter()
            .enumerate()
            .map(|(id, value)| match value {
                Some(value) => json!({"id": id, "v": value}),
                None => json!({"id": id}),
            })
            .collect(),
    )
}

fn nested() -> Vec<Item> {
    items(vec![
        json!({"id": 0, "a": {"b": "x"}}),
        json!({"id": 1, "a": {"b": "X"}}),
        json!({"id": 2, "a": {}}),
        json!({"id": 3, "a": {"b": "w"}}),
        json!({"id": 4, "a.b": "a"}),
    ])
}

/// Input, fields, dot notation, and n8n's order of the ids.
type Case = (Vec<Item>, Vec<SortField>, bool, Vec<i64>);

#[test]
fn orders_match_n8n() {
    let cases: Vec<Case> = vec![
        (
            mixed(),
            fields(&[("v", "ascending")]),
            true,
            vec![0, 1, 2, 3, 10, 14, 7, 8, 5, 11, 4, 6, 9, 12, 13],
        ),
        (
            mixed(),
            fields(&[("v", "descending")]),
            true,
            vec![13, 9, 12, 6, 4, 11, 5, 8, 7, 14, 3, 2, 1, 0, 10],
        ),
        (
            nested(),
            fields(&[("a.b", "ascending"), ("id", "descending")]),
            true,
            vec![4, 3, 1, 0, 2],
        ),
        (
            nested(),
            fields(&[("a.b", "ascending"), ("id", "descending")]),
            false,
            vec![3, 2, 1, 0, 4],
        ),
    ];
    for (mut input, fields, dot_notation, expected) in cases {
        sort_by_fields(&mut input, &fields, dot_notation).unwrap();
        assert_eq!(ids(&input), expected);
    }
}

#[test]
fn sorted_items_keep_their_pairing() {
    let mut input = items(vec![json!({"id": 1}), json!({"id": 0})]);
    sort_by_fields(&mut input, &fields(&[("id", "ascending")]), true).unwrap();
    assert_eq!(input[0].paired_indexes(), vec![1]);
    assert_eq!(input[1].paired_indexes(), vec![0]);
}

#[test]
fn missing_fields_and_no_fields_are_refused_as_n8n_does() {
    let cases = [
        (
            fields(&[]),
            true,
            "No sorting specified. Please add a field to sort by",
            false,
        ),
        (
            fields(&[("nope", "ascending")]),
            true,
            "Couldn't find the field 'nope' in the input data",
            false,
        ),
        (
            fields(&[("a.c", "ascending")]),
            true,
            "Couldn't find the field 'a.c' in the input data",
            false,
        ),
        (
            fields(&[("a.x", "ascending")]),
            false,
            "Couldn't find the field 'a.x' in the input data",
            true,
        ),
    ];
    for (fields, dot_notation, message, hint) in cases {
        let error = sort_by_fields(&mut nested(), &fields, dot_notation).unwrap_err();
        assert_eq!(error.message, message);
        assert_eq!(error.description.is_some(), hint, "{message}");
    }
}

#[test]
fn code_must_return() {
    assert!(returns("return a.json.x - b.json.x"));
    assert!(returns("if (x) {return;}"));
    assert!(!returns("const returned = 1; returns()"));
    assert!(!returns("a.json.x - b.json.x"));
}

#[test]
fn shuffling_gives_a_permutation() {
    let mut input = items((0..50).map(|id| json!({"id": id})).collect());
    shuffle(&mut input);
    let mut order = ids(&input);
    order.sort_unstable();
    assert_eq!(order, (0..50).collect::<Vec<_>>());
}

fn value() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        Just(Some(Value::Null)),
        any::<bool>().prop_map(|flag| Some(json!(flag))),
        (-5i64..5).prop_map(|n| Some(json!(n))),
        "[a-cA-C1-3]{0,2}".prop_map(|text| Some(json!(text))),
    ]
}

proptest! {
    /// Whatever the values, the result is a permutation of the input (or, when no item has the
    /// field, n8n's error).
    #[test]
    fn sorting_mixed_values_gives_a_permutation(values in proptest::collection::vec(value(), 0..80)) {
        let input = items(values.iter().enumerate().map(|(id, value)| match value {
            Some(value) => json!({"id": id, "v": value}),
            None => json!({"id": id}),
        }).collect());
        let mut sorted = input.clone();
        if sort_by_fields(&mut sorted, &fields(&[("v", "ascending")]), true).is_err() {
            prop_assert!(values.iter().all(Option::is_none));
            return Ok(());
        }
        let mut order = ids(&sorted);
        order.sort_unstable();
        prop_assert_eq!(order, (0..values.len() as i64).collect::<Vec<_>>());
    }

    /// Numbers come out in order, items with equal keys keep their input order (few distinct
    /// values, so ties are common), and sorting again changes nothing.
    #[test]
    fn sorting_numbers_is_ordered_stable_and_idempotent(values in proptest::collection::vec(-4i64..4, 1..80)) {
        let mut sorted = items(values.iter().enumerate().map(|(id, v)| json!({"id": id, "v": v})).collect());
        let keys = fields(&[("v", "ascending")]);
        sort_by_fields(&mut sorted, &keys, true).unwrap();
        for pair in sorted.windows(2) {
            let (a, b) = (&pair[0].json, &pair[1].json);
            prop_assert!(a["v"].as_i64() <= b["v"].as_i64());
            if a["v"] == b["v"] {
                prop_assert!(a["id"].as_i64() < b["id"].as_i64());
            }
        }
        let mut again = sorted.clone();
        sort_by_fields(&mut again, &keys, true).unwrap();
        prop_assert_eq!(ids(&again), ids(&sorted));
    }
}
