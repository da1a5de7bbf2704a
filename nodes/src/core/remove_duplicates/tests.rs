//! Remove Duplicates against n8n's own `removeDuplicateInputItems`: `n8n_cases.json` holds its
//! output (or error) for each input and parameter set, made by running n8n 2.41.1's code with
//! those parameters; and a property test of the result.

use proptest::prelude::*;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::*;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Case {
    name: String,
    input: Vec<Map<String, Value>>,
    params: Map<String, Value>,
    type_version: f64,
    #[serde(default)]
    output: Vec<Expected>,
    error: Option<String>,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Expected {
    json: Map<String, Value>,
    paired_item: Option<Value>,
    /// The input item it is (-1: a new item).
    index: i64,
}

fn dedupe(params: &Map<String, Value>, type_version: f64) -> Dedupe {
    let text = |name: &str| params.get(name).cloned();
    let flag = |name: &str| params.get(name) == Some(&Value::Bool(true));
    Dedupe {
        compare: params["compare"].as_str().unwrap().to_owned(),
        fields_to_exclude: fields_list(text("fieldsToExclude"), "Fields To Exclude").unwrap(),
        fields_to_compare: fields_list(text("fieldsToCompare"), "Fields To Compare").unwrap(),
        dot_notation: !flag("options.disableDotNotation"),
        remove_other_fields: flag("options.removeOtherFields"),
        skip_nulls: type_version > 1.0,
        check_types: true,
        types_first: false,
    }
}

fn items(input: &[Map<String, Value>]) -> Vec<Item> {
    input
        .iter()
        .enumerate()
        .map(|(index, json)| Item::new(json.clone(), index))
        .collect()
}

#[test]
fn removes_what_n8n_removes() {
    let cases: Vec<Case> = serde_json::from_str(include_str!("n8n_cases.json")).unwrap();
    for case in cases {
        let result = dedupe(&case.params, case.type_version).apply(&items(&case.input));
        match (&case.error, result) {
            (Some(message), Err(error)) => {
                assert_eq!(&error.message, message, "{}", case.name);
                if case.description.is_some() {
                    assert_eq!(error.description, case.description, "{}", case.name);
                }
            }
            (None, Ok(output)) => {
                assert_eq!(output.len(), case.output.len(), "{}", case.name);
                for (item, expected) in output.iter().zip(&case.output) {
                    assert_eq!(item.json, expected.json, "{}", case.name);
                    let paired = match (expected.index, &expected.paired_item) {
                        (-1, Some(paired)) => paired["item"].as_u64().unwrap() as usize,
                        (index, _) => index as usize,
                    };
                    assert_eq!(item.paired_indexes(), vec![paired], "{}", case.name);
                }
            }
            (expected, got) => panic!("{}: expected {expected:?}, got {got:?}", case.name),
        }
    }
}

proptest! {
    /// With one type per field, the output is the input's subsequence of first occurrences.
    #[test]
    fn keeps_the_first_of_each_group_in_input_order(
        rows in proptest::collection::vec((0u8..3, prop_oneof![Just("x"), Just("y")]), 1..60)
    ) {
        let input: Vec<Map<String, Value>> = rows
            .iter()
            .map(|(a, b)| json!({"a": a, "nested": {"b": b}}).as_object().unwrap().clone())
            .collect();
        let params = json!({"compare": "allFields"}).as_object().unwrap().clone();
        let output = dedupe(&params, 2.0).apply(&items(&input)).unwrap();
        let mut seen = std::collections::HashSet::new();
        let expected: Vec<usize> = rows
            .iter()
            .enumerate()
            .filter(|(_, row)| seen.insert(**row))
            .map(|(index, _)| index)
            .collect();
        let kept: Vec<usize> = output.iter().map(|item| item.paired_indexes()[0]).collect();
        prop_assert_eq!(kept, expected);
    }
}

#[test]
fn removing_items_seen_before_has_a_kept_and_a_discarded_output() {
    let node = RemoveDuplicates;
    for (version, operation, outputs) in [
        (2.0, SEEN_BEFORE, 2),
        (2.0, CLEAR_HISTORY, 1),
        (2.0, INPUT_ITEMS, 1),
        (1.1, SEEN_BEFORE, 1),
    ] {
        assert_eq!(
            node.outputs(version, &json!({ "operation": operation })),
            outputs,
            "{version} {operation}"
        );
    }
}
