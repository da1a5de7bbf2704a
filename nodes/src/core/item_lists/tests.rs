//! Item Lists' version rules, table by table, against what n8n 2.41.1's `ItemListsV1`, `V2` and
//! `V3` do with the same input: the standalone nodes' own tests cover the shared behaviour.

use serde_json::{Map, Value, json};

use super::*;
use crate::core::aggregate::FieldToAggregate;

fn item(json: Value) -> Item {
    Item::new(
        serde_json::from_value::<Map<String, Value>>(json).unwrap(),
        0,
    )
}

fn jsons(items: &[Item]) -> Value {
    Value::Array(
        items
            .iter()
            .map(|item| Value::Object(item.json.clone()))
            .collect(),
    )
}

fn order() -> Item {
    item(json!({
        "list": [{ "a": 1 }, { "a": 2 }],
        "object": { "x": 1, "y": 2 },
        "scalar": 5,
        "nothing": null,
        "keep": "k"
    }))
}

/// Split Out Items as typeVersion `version` builds it (dot notation on, no destination).
fn split(version: f64, fields: &[&str], include: &str, selected: &[&str]) -> Split {
    Split {
        fields: fields.iter().map(|field| field.to_string()).collect(),
        destinations: Vec::new(),
        include: include.to_owned(),
        fields_to_include: selected.iter().map(|field| field.to_string()).collect(),
        dot_notation: true,
        binary: false,
        rules: split_rules(version),
    }
}

#[test]
fn split_out_items_accepts_what_each_version_accepts() {
    // (typeVersion, field, the items' json or the error message)
    let cases: &[(f64, &str, Result<Value, &str>)] = &[
        (1.0, "list", Ok(json!([{ "a": 1 }, { "a": 2 }]))),
        (
            1.0,
            "object",
            Err("The provided field 'object' is not an array"),
        ),
        (
            1.0,
            "scalar",
            Err("The provided field 'scalar' is not an array"),
        ),
        (
            1.0,
            "nothing",
            Err("The provided field 'nothing' is not an array"),
        ),
        (
            1.0,
            "missing",
            Err("Couldn't find the field 'missing' in the input data"),
        ),
        (2.0, "object", Ok(json!([{ "object": 1 }, { "object": 2 }]))),
        (
            2.0,
            "scalar",
            Err("The provided field 'scalar' is not an array or object"),
        ),
        (
            2.0,
            "missing",
            Err("Couldn't find the field 'missing' in the input data"),
        ),
        (2.1, "missing", Ok(json!([]))),
        (
            2.1,
            "nothing",
            Err("The provided field 'nothing' is not an array or object"),
        ),
        (2.2, "scalar", Ok(json!([{ "scalar": 5 }]))),
        (2.2, "nothing", Ok(json!([{ "nothing": null }]))),
        (3.0, "scalar", Ok(json!([{ "scalar": 5 }]))),
        (3.1, "missing", Ok(json!([]))),
    ];
    for (version, field, expected) in cases {
        let outcome = split(*version, &[field], "noOtherFields", &[]).items(&order(), 3);
        match (outcome, expected) {
            (Ok(items), Ok(expected)) => {
                assert_eq!(&jsons(&items), expected, "v{version} {field}");
                assert!(items.iter().all(|item| item.paired_indexes() == vec![3]));
            }
            (Err(error), Err(message)) => assert_eq!(&error.message, message, "v{version} {field}"),
            (outcome, _) => panic!("v{version} {field}: {outcome:?}"),
        }
    }
}

#[test]
fn version_1_puts_selected_fields_first_and_never_the_split_field() {
    let v1 = split(
        1.0,
        &["list"],
        "selectedOtherFields",
        &["keep", "list", "absent"],
    );
    let items = v1.items(&order(), 0).unwrap();
    let keys: Vec<&String> = items[0].json.keys().collect();
    assert_eq!(keys, ["keep", "list"]);
    assert_eq!(
        jsons(&items),
        json!([{ "keep": "k", "list": { "a": 1 } }, { "keep": "k", "list": { "a": 2 } }])
    );
    let v2 = split(2.0, &["list"], "selectedOtherFields", &["keep"]);
    let items = v2.items(&order(), 0).unwrap();
    let keys: Vec<&String> = items[0].json.keys().collect();
    assert_eq!(keys, ["list", "keep"], "from 2 the split value comes first");
}

#[test]
fn a_missing_dotted_field_without_dot_notation_says_how_to_reach_it() {
    let mut v1 = split(1.0, &["list.a"], "noOtherFields", &[]);
    v1.dot_notation = false;
    let error = v1.items(&order(), 0).unwrap_err();
    assert_eq!(
        error.message,
        "Couldn't find the field 'list.a' in the input data"
    );
    assert!(
        error
            .description
            .unwrap()
            .contains("turn off 'disable dot notation'")
    );
}

#[test]
fn only_version_3_splits_binary_properties() {
    assert!(!split_rules(2.2).binary_field);
    assert_eq!(split_rules(3.0), SplitRules::CURRENT);
    assert_eq!(split_rules(3.1), SplitRules::CURRENT);
}

fn aggregate_entries(value: Value) -> Vec<FieldToAggregate> {
    serde_json::from_value(value).unwrap()
}

#[test]
fn aggregate_items_checks_fields_before_typeversion_2_1() {
    let items = [item(json!({ "a": 1 })), item(json!({ "a": 2, "b": null }))];
    let options = |require_found, keep_missing| FieldOptions {
        dot_notation: true,
        merge_lists: false,
        keep_missing,
        require_found,
    };
    // (entries, require found, keep missing, the item's json or the error message)
    let cases: &[(Value, bool, bool, Result<Value, &str>)] = &[
        (
            json!([{ "fieldToAggregate": "a" }]),
            true,
            false,
            Ok(json!({ "a": [1, 2] })),
        ),
        (
            json!([{ "fieldToAggregate": "c" }]),
            true,
            false,
            Err("Couldn't find the field 'c' in the input data"),
        ),
        (
            json!([{ "fieldToAggregate": "c" }]),
            true,
            true,
            Ok(json!({ "c": [null, null] })),
        ),
        (
            json!([{ "fieldToAggregate": "c" }]),
            false,
            false,
            Ok(json!({ "c": [] })),
        ),
        (
            json!([{ "fieldToAggregate": "" }]),
            true,
            false,
            Err("Field to aggregate is blank"),
        ),
        (
            json!([{ "fieldToAggregate": "" }]),
            false,
            false,
            Ok(json!({})),
        ),
        (
            json!([{ "fieldToAggregate": "b" }]),
            true,
            false,
            Ok(json!({ "b": [] })),
        ),
    ];
    for (entries, require_found, keep_missing, expected) in cases {
        let outcome = aggregate_fields(
            &items,
            &aggregate_entries(entries.clone()),
            &options(*require_found, *keep_missing),
        );
        match (outcome, expected) {
            (Ok(item), Ok(expected)) => {
                assert_eq!(&Value::Object(item.json), expected, "{entries}")
            }
            (Err(error), Err(message)) => assert_eq!(&error.message, message, "{entries}"),
            (outcome, _) => panic!("{entries}: {outcome:?}"),
        }
    }
}

#[test]
fn all_item_data_is_unpaired_in_version_1_only() {
    let items = [item(json!({ "a": 1 })), item(json!({ "a": 2 }))];
    let v1 = aggregate_all(&items, "data", &[], &[], false);
    assert_eq!(
        Value::Object(v1.json.clone()),
        json!({ "data": [{ "a": 1 }, { "a": 2 }] })
    );
    assert!(v1.paired_item.is_none());
    let v2 = aggregate_all(&items, "data", &[], &[], true);
    assert_eq!(v2.paired_indexes(), vec![0, 1]);
}

fn dedupe(version: f64, compare: &str, fields: &[&str]) -> Dedupe {
    Dedupe {
        compare: compare.to_owned(),
        fields_to_exclude: Vec::new(),
        fields_to_compare: fields.iter().map(|field| field.to_string()).collect(),
        dot_notation: true,
        remove_other_fields: false,
        skip_nulls: false,
        check_types: version < 3.1,
        types_first: version >= 3.1,
    }
}

#[test]
fn remove_duplicates_accepts_mixed_types_from_3_1() {
    let items = [
        item(json!({ "v": "1" })),
        item(json!({ "v": 1 })),
        item(json!({ "v": "1" })),
        item(json!({ "v": null })),
        item(json!({ "v": 1 })),
    ];
    for version in [1.0, 2.0, 2.2, 3.0] {
        let error = dedupe(version, "selectedFields", &["v"])
            .apply(&items)
            .unwrap_err();
        assert_eq!(
            error.message, "'v' isn't always the same type",
            "v{version}"
        );
    }
    let kept = dedupe(3.1, "selectedFields", &["v"]).apply(&items).unwrap();
    assert_eq!(
        jsons(&kept),
        json!([{ "v": "1" }, { "v": 1 }, { "v": null }])
    );
    let only_nulls = [item(json!({ "v": null })), item(json!({ "v": 2 }))];
    let error = dedupe(3.0, "allFields", &[])
        .apply(&only_nulls)
        .unwrap_err();
    assert_eq!(
        error.message, "'v' isn't always the same type",
        "Item Lists never skips nulls, unlike Remove Duplicates 1.1"
    );
    let missing = [item(json!({ "v": 1 })), item(json!({ "w": 1 }))];
    let error = dedupe(3.1, "selectedFields", &["v"])
        .apply(&missing)
        .unwrap_err();
    assert_eq!(error.message, "'v' field is missing from some input items");
}
