//! Summarize against n8n 2.41.1's recorded output and its `utils.js`, table by table, and a
//! property test of grouping against a naive reference.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::description::number;

fn settings(entries: Value, split: &str) -> Settings {
    let aggregations = entries
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(at, entry)| Aggregation::from_entry(entry.as_object().unwrap(), at).unwrap())
        .collect();
    Settings {
        aggregations,
        split_fields: split
            .split(',')
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(str::to_owned)
            .collect(),
        dot_notation: true,
        single_item: false,
        skip_empty_split_fields: false,
        field_must_exist: false,
        keys_as_text: false,
    }
}

fn items(jsons: Value) -> Vec<Item> {
    jsons
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(at, json)| Item::from_value(json.clone(), at))
        .collect()
}

/// Each output item as `{ json, pairs }`.
fn run(settings: &Settings, input: Value) -> Value {
    let output = summarize(settings, &items(input)).unwrap();
    Value::Array(
        output
            .into_iter()
            .map(|item| json!({ "json": item.json, "pairs": item.paired_indexes() }))
            .collect(),
    )
}

/// The single output item's json, no split.
fn one(entry: Value, input: Value) -> Value {
    run(&settings(json!([entry]), ""), input)[0]["json"].clone()
}

#[test]
fn the_recorded_all_aggregations_case() {
    let orders = json!([
        { "orderId": "SO-1001", "customer": "Acme Corporation", "region": "AMER", "amount": 1250.5,
          "qty": 5, "orderDate": "2024-01-05T09:30:00Z", "note": "call back before friday" },
        { "orderId": "SO-1002", "customer": "Globex Ltd", "region": "EMEA", "amount": 80,
          "qty": 1, "orderDate": "2024-01-12T14:00:00Z", "note": "" },
        { "orderId": "SO-1003", "customer": "Acme Corporation", "region": "AMER", "amount": 430.25,
          "qty": 2, "orderDate": "2024-02-01T08:15:00Z", "note": "gift wrap" },
        { "orderId": "SO-1004", "customer": "Initech", "region": "AMER", "amount": 15.99,
          "qty": 3, "orderDate": "2024-02-29T23:59:59Z", "note": "tps reports attached" },
        { "orderId": "SO-1005", "customer": "Umbrella O'Hara Holdings", "region": "APAC",
          "amount": 9999, "qty": 12, "orderDate": "2024-03-10T02:00:00Z", "note": "ship by sea" }
    ]);
    let entries = json!([
        { "aggregation": "count", "field": "orderId" },
        { "aggregation": "countUnique", "field": "customer" },
        { "aggregation": "sum", "field": "amount" },
        { "aggregation": "min", "field": "qty" },
        { "aggregation": "max", "field": "orderDate" },
        { "aggregation": "average", "field": "amount" },
        { "aggregation": "append", "field": "region" },
        { "aggregation": "concatenate", "field": "note", "separateBy": ", " }
    ]);
    assert_eq!(
        run(&settings(entries, ""), orders),
        json!([{ "json": {
            "count_orderId": 5, "unique_count_customer": 4, "sum_amount": 11775.74, "min_qty": 1,
            "max_orderDate": "2024-03-10T02:00:00Z", "average_amount": 2355.148,
            "appended_region": ["AMER", "EMEA", "AMER", "AMER", "APAC"],
            "concatenated_note": "call back before friday, gift wrap, tps reports attached, ship by sea"
        }, "pairs": [0, 1, 2, 3, 4] }])
    );
}

#[test]
fn each_aggregation_over_awkward_values() {
    // (entry, the values of `v`, item by item (`"MISSING"`: the item lacks `v`), result)
    let cases = [
        (
            json!({ "aggregation": "count" }),
            json!([1, null, "", "a", "MISSING", 0, false]),
            json!(4),
        ),
        (
            json!({ "aggregation": "count", "includeEmpty": true }),
            json!([1, null, "", "MISSING"]),
            json!(4),
        ),
        (
            json!({ "aggregation": "countUnique" }),
            json!(["a", "a", 1, "1", 1.0, null, "", {}, {}, [1], "MISSING"]),
            json!(6),
        ),
        (
            json!({ "aggregation": "countUnique", "includeEmpty": true }),
            json!(["a", null, null, "", "MISSING", "MISSING"]),
            json!(4),
        ),
        (
            json!({ "aggregation": "sum" }),
            json!([1, "2", 2.5, null, true, "MISSING"]),
            json!(3.5),
        ),
        (
            json!({ "aggregation": "sum" }),
            json!(["1", "MISSING"]),
            json!(0),
        ),
        (
            json!({ "aggregation": "sum" }),
            json!([0.1, 0.2]),
            json!(0.30000000000000004),
        ),
        (
            json!({ "aggregation": "average" }),
            json!([1, 2, "x", null]),
            json!(1.5),
        ),
        (
            json!({ "aggregation": "average" }),
            json!(["x"]),
            Value::Null,
        ),
        (
            json!({ "aggregation": "min" }),
            json!([3, "10", 2, null, "", "MISSING"]),
            json!(2),
        ),
        (
            json!({ "aggregation": "min" }),
            json!(["b", "a", "c"]),
            json!("a"),
        ),
        (
            json!({ "aggregation": "min" }),
            json!([null, ""]),
            Value::Null,
        ),
        (
            json!({ "aggregation": "max" }),
            json!(["10", 9]),
            json!("10"),
        ),
        (
            json!({ "aggregation": "max" }),
            json!([9, "10"]),
            json!("10"),
        ),
        (
            json!({ "aggregation": "max" }),
            json!(["b", "abc", "B"]),
            json!("b"),
        ),
        (
            json!({ "aggregation": "max" }),
            json!([false, true, 0]),
            json!(true),
        ),
        (
            json!({ "aggregation": "max" }),
            json!([[2], [10]]),
            json!([2]),
        ),
        (
            json!({ "aggregation": "append" }),
            json!(["a", null, "", 1, "MISSING", [1]]),
            json!(["a", 1, [1]]),
        ),
        (
            json!({ "aggregation": "append", "includeEmpty": true }),
            json!(["a", null, "", "MISSING"]),
            json!(["a", null, "", null]),
        ),
        (
            json!({ "aggregation": "concatenate" }),
            json!(["a", 1.5, { "k": 1 }, [1, "x"], true, null, ""]),
            json!("a,1.5,{\"k\":1},[1,\"x\"],true"),
        ),
        (
            json!({ "aggregation": "concatenate", "separateBy": "other", "customSeparator": " | " }),
            json!(["a", "b"]),
            json!("a | b"),
        ),
        (
            json!({ "aggregation": "concatenate", "separateBy": "other" }),
            json!(["a", "b"]),
            json!("ab"),
        ),
        (
            json!({ "aggregation": "concatenate", "separateBy": "\n", "includeEmpty": true }),
            json!(["a", null, "", "MISSING"]),
            json!("a\nnull\n\nundefined"),
        ),
        (
            json!({ "aggregation": "concatenate" }),
            json!([]),
            json!(""),
        ),
    ];
    for (mut entry, values, expected) in cases {
        entry["field"] = json!("v");
        let input: Vec<Value> = values
            .as_array()
            .unwrap()
            .iter()
            .map(|value| match value.as_str() {
                Some("MISSING") => json!({ "other": 1 }),
                _ => json!({ "v": value }),
            })
            .collect();
        let name = Aggregation::from_entry(entry.as_object().unwrap(), 0)
            .unwrap()
            .output_name();
        assert_eq!(
            one(entry.clone(), Value::Array(input))[&name],
            expected,
            "{entry} over {values}"
        );
    }
}

#[test]
fn output_names_and_field_reading() {
    let input = json!([{ "address": { "city": "X" }, "a.b": 7, "list": [{ "n": 1 }] }]);
    let cases = [
        (
            json!({ "field": "address.city" }),
            "count_address_city",
            json!(1),
        ),
        (
            json!({ "field": "a.b", "aggregation": "sum" }),
            "sum_a_b",
            json!(7),
        ),
        (
            json!({ "field": "list[0].n", "aggregation": "max" }),
            "max_list0_n",
            json!(1),
        ),
        (
            json!({ "field": "my field", "aggregation": "append", "includeEmpty": true }),
            "appended_my_field",
            json!([null]),
        ),
        (
            json!({ "field": "_itemIndex", "aggregation": "sum" }),
            "sum__itemIndex",
            json!(0),
        ),
        (
            json!({ "field": "_itemIndex.x" }),
            "count__itemIndex_x",
            json!(0),
        ),
    ];
    for (entry, name, expected) in cases {
        assert_eq!(one(entry.clone(), input.clone())[name], expected, "{entry}");
    }
    let mut flat = settings(json!([{ "field": "address.city" }]), "");
    flat.dot_notation = false;
    assert_eq!(
        run(&flat, input)[0]["json"],
        json!({ "count_address_city": 0 })
    );
    assert_eq!(
        Aggregation::from_entry(json!({ "aggregation": "median" }).as_object().unwrap(), 2)
            .unwrap_err()
            .message,
        "Unknown aggregation 'median' in 'Fields to Summarize' entry 2"
    );
}

fn regions() -> Value {
    json!([
        { "region": "AMER", "tier": 1, "amount": 10 },
        { "region": "EMEA", "tier": "1", "amount": 5 },
        { "region": "AMER", "tier": 2, "amount": 1 },
        { "region": "", "amount": 7 },
        { "region": "AMER", "tier": 1, "amount": 2 }
    ])
}

#[test]
fn split_by_gives_one_item_per_group_in_order_of_appearance() {
    let sum = json!([{ "aggregation": "sum", "field": "amount" }]);
    assert_eq!(
        run(&settings(sum.clone(), "region"), regions()),
        json!([
            { "json": { "sum_amount": 13, "region": "AMER" }, "pairs": [0, 2, 4] },
            { "json": { "sum_amount": 5, "region": "EMEA" }, "pairs": [1] },
            { "json": { "sum_amount": 7, "region": "" }, "pairs": [3] }
        ])
    );
    // Nested: groups of the first field, then of the second within each; the inner field's value
    // is set first. Typed keys (1.1): 1 and "1" differ, a missing field is a group without it.
    assert_eq!(
        run(&settings(sum.clone(), "region, tier"), regions()),
        json!([
            { "json": { "sum_amount": 12, "tier": 1, "region": "AMER" }, "pairs": [0, 4] },
            { "json": { "sum_amount": 1, "tier": 2, "region": "AMER" }, "pairs": [2] },
            { "json": { "sum_amount": 5, "tier": "1", "region": "EMEA" }, "pairs": [1] },
            { "json": { "sum_amount": 7, "region": "" }, "pairs": [3] }
        ])
    );
    // typeVersion 1: keys are text, so 1 and "1" are one group and a missing field is "undefined".
    let mut v1 = settings(sum.clone(), "tier");
    v1.keys_as_text = true;
    assert_eq!(
        run(&v1, regions()),
        json!([
            { "json": { "sum_amount": 17, "tier": "1" }, "pairs": [0, 1, 4] },
            { "json": { "sum_amount": 1, "tier": "2" }, "pairs": [2] },
            { "json": { "sum_amount": 7, "tier": "undefined" }, "pairs": [3] }
        ])
    );
    let mut skipping = settings(sum.clone(), "tier");
    skipping.skip_empty_split_fields = true;
    assert_eq!(run(&skipping, regions()).as_array().unwrap().len(), 3);
    let mut skipping_v1 = settings(sum, "region");
    (
        skipping_v1.skip_empty_split_fields,
        skipping_v1.keys_as_text,
    ) = (true, true);
    assert_eq!(
        run(&skipping_v1, regions())
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["json"]["region"].clone())
            .collect::<Vec<_>>(),
        vec![json!("AMER"), json!("EMEA")],
        "typeVersion 1 skips only the empty text"
    );
}

#[test]
fn split_by_objects_groups_by_their_json() {
    let input = json!([{ "k": { "a": 1 } }, { "k": { "a": 1 } }, { "k": [1, 2] }, { "k": null }]);
    assert_eq!(
        run(&settings(json!([{ "field": "k" }]), "k"), input),
        json!([
            { "json": { "count_k": 2, "k": "{\"a\":1}" }, "pairs": [0, 1] },
            { "json": { "count_k": 1, "k": "[1,2]" }, "pairs": [2] },
            { "json": { "count_k": 0, "k": null }, "pairs": [3] }
        ])
    );
}

#[test]
fn single_item_nests_the_groups_by_key_text() {
    let mut single = settings(
        json!([{ "aggregation": "sum", "field": "amount" }]),
        "region, tier",
    );
    single.single_item = true;
    let output = run(&single, regions());
    assert_eq!(
        output,
        json!([{ "json": {
            "AMER": { "1": { "sum_amount": 12 }, "2": { "sum_amount": 1 } },
            "EMEA": { "1": { "sum_amount": 5 } },
            "": { "undefined": { "sum_amount": 7 } }
        }, "pairs": [0, 1, 2, 3, 4] }])
    );
    // Keys that are array indexes come first, ascending, as in a JavaScript object.
    let mut by_tier = settings(json!([{ "field": "amount" }]), "amount");
    by_tier.single_item = true;
    let keys: Vec<String> = run(&by_tier, regions())[0]["json"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, ["1", "2", "5", "7", "10"]);
    let mut none = settings(json!([{ "field": "amount" }]), "");
    none.single_item = true;
    assert_eq!(
        run(&none, json!([])),
        json!([{ "json": { "count_amount": 0 }, "pairs": [] }])
    );
}

#[test]
fn missing_fields_stop_typeversion_1_only() {
    let entries = json!([{ "field": "amount" }, { "aggregation": "sum", "field": "nowhere" }]);
    let mut v1 = settings(entries.clone(), "");
    v1.field_must_exist = true;
    assert_eq!(
        summarize(&v1, &items(regions())).unwrap_err().message,
        "The field 'nowhere' does not exist in any items"
    );
    assert_eq!(
        run(&settings(entries, ""), regions())[0]["json"],
        json!({ "count_amount": 5, "sum_nowhere": 0 })
    );
    let empty = settings(
        json!([{ "field": "" }, { "aggregation": "sum", "field": "" }]),
        "",
    );
    assert_eq!(
        summarize(&empty, &[]).unwrap_err().message,
        "You need to add at least one aggregation to 'Fields to Summarize' with non empty 'Field'"
    );
    assert_eq!(
        run(
            &settings(json!([{ "field": "" }, { "field": "amount" }]), ""),
            json!([])
        )[0]["json"],
        json!({ "count_": 0, "count_amount": 0 }),
        "an entry without a field still gives its output field; no items give one summary"
    );
}

/// A value of the aggregated field in the property test: a number, text, `null` or missing.
fn value_strategy() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        (-1000i64..1000).prop_map(|n| Some(json!(n))),
        (-1000.0f64..1000.0).prop_map(|n| Some(json!(n))),
        "[a-c]{0,2}".prop_map(|s| Some(json!(s))),
        Just(Some(Value::Null)),
        Just(None),
    ]
}

/// The naive reference: each group's values collected, then aggregated by plain loops.
fn reference(rows: &[(Value, Option<Value>)]) -> Vec<Value> {
    let mut groups: Vec<(Value, Vec<Option<Value>>)> = Vec::new();
    for (key, value) in rows {
        match groups.iter_mut().find(|(k, _)| k == key) {
            Some((_, values)) => values.push(value.clone()),
            None => groups.push((key.clone(), vec![value.clone()])),
        }
    }
    groups
        .into_iter()
        .map(|(key, values)| {
            let numbers: Vec<f64> = values.iter().flatten().filter_map(Value::as_f64).collect();
            let present: Vec<&Value> = values
                .iter()
                .flatten()
                .filter(|v| !v.is_null() && *v != "")
                .collect();
            let sum = numbers.iter().fold(0.0, |total, n| total + n);
            let only_numbers = present.iter().all(|v| v.is_number());
            let extreme = |pick_less: bool| {
                let mut best: Option<f64> = None;
                for n in present.iter().filter_map(|v| v.as_f64()) {
                    if best.is_none_or(|b| if pick_less { n < b } else { n > b }) {
                        best = Some(n);
                    }
                }
                best.map_or(Value::Null, number)
            };
            json!({
                "key": key,
                "count": present.len(),
                "sum": number(sum),
                "average": number(sum / numbers.len() as f64),
                "min": extreme(true),
                "max": extreme(false),
                "items": values.len(),
                // Text among the values compares as JavaScript does: covered by the tables.
                "comparable": only_numbers,
            })
        })
        .collect()
}

proptest! {
    #[test]
    fn grouping_then_aggregating_equals_the_naive_reference(
        rows in prop::collection::vec(
            (prop_oneof![Just(json!("x")), Just(json!("y")), Just(json!(1)), Just(json!(2))],
             value_strategy()),
            0..40,
        )
    ) {
        let input: Vec<Value> = rows
            .iter()
            .map(|(key, value)| match value {
                Some(value) => json!({ "g": key, "v": value }),
                None => json!({ "g": key }),
            })
            .collect();
        let entries = json!([
            { "aggregation": "count", "field": "v" },
            { "aggregation": "sum", "field": "v" },
            { "aggregation": "average", "field": "v" },
            { "aggregation": "min", "field": "v" },
            { "aggregation": "max", "field": "v" },
        ]);
        let output = run(&settings(entries, "g"), Value::Array(input));
        let expected = reference(&rows);
        prop_assert_eq!(output.as_array().unwrap().len(), expected.len());
        for (row, want) in output.as_array().unwrap().iter().zip(&expected) {
            let json = &row["json"];
            prop_assert_eq!(&json["g"], &want["key"]);
            prop_assert_eq!(&json["count_v"], &want["count"]);
            prop_assert_eq!(&json["sum_v"], &want["sum"]);
            prop_assert_eq!(&json["average_v"], &want["average"]);
            if want["comparable"] == true {
                prop_assert_eq!(&json["min_v"], &want["min"]);
                prop_assert_eq!(&json["max_v"], &want["max"]);
            }
            prop_assert_eq!(row["pairs"].as_array().unwrap().len() as u64, want["items"].as_u64().unwrap());
        }
    }
}
