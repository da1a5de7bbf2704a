//! Aggregate against n8n's own node: `n8n_cases.json` holds the item (or error) n8n 2.41.1's
//! Aggregate made for each input and parameter set; binaries are checked on their own.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::*;

#[derive(Deserialize)]
struct Case {
    name: String,
    input: Vec<Map<String, Value>>,
    params: Map<String, Value>,
    output: Option<Value>,
    error: Option<String>,
    description: Option<String>,
}

fn items(input: &[Map<String, Value>]) -> Vec<Item> {
    input
        .iter()
        .enumerate()
        .map(|(index, json)| Item::new(json.clone(), index))
        .collect()
}

fn run(case: &Case) -> Result<Item, NodeError> {
    let params = &case.params;
    let flag = |name: &str| params.get(name) == Some(&Value::Bool(true));
    let input = items(&case.input);
    if params["aggregate"] == "aggregateIndividualFields" {
        let fields: Vec<FieldToAggregate> =
            serde_json::from_value(params["fieldsToAggregate.fieldToAggregate"].clone()).unwrap();
        let options = FieldOptions {
            dot_notation: !flag("options.disableDotNotation"),
            merge_lists: flag("options.mergeLists"),
            keep_missing: flag("options.keepMissing"),
            require_found: false,
        };
        aggregate_fields(&input, &fields, &options)
    } else {
        let list = |name: &str| fields_list(params.get(name).cloned(), name).unwrap();
        Ok(aggregate_all(
            &input,
            params["destinationFieldName"].as_str().unwrap(),
            &list("fieldsToInclude"),
            &list("fieldsToExclude"),
            true,
        ))
    }
}

#[test]
fn aggregates_as_n8n_does() {
    let cases: Vec<Case> = serde_json::from_str(include_str!("n8n_cases.json")).unwrap();
    for case in &cases {
        match (&case.output, run(case)) {
            (Some(expected), Ok(item)) => assert_eq!(
                serde_json::to_string(&item).unwrap(),
                serde_json::to_string(expected).unwrap(),
                "{}",
                case.name
            ),
            (None, Err(error)) => {
                assert_eq!(Some(&error.message), case.error.as_ref(), "{}", case.name);
                assert_eq!(error.description, case.description, "{}", case.name);
            }
            (_, result) => panic!("{}: got {result:?}", case.name),
        }
    }
}

fn binary(mime_type: &str, size: &str) -> BinaryData {
    serde_json::from_value(json!({"data": "aGk=", "mimeType": mime_type, "fileSize": size}))
        .unwrap()
}

#[test]
fn binaries_are_gathered_with_clashing_names_numbered() {
    let mut input = items(&[Map::new(), Map::new(), Map::new()]);
    input[0].binary = Some(BTreeMap::from([(
        "data".to_owned(),
        binary("text/plain", "2 B"),
    )]));
    input[1].binary = Some(BTreeMap::from([(
        "data".to_owned(),
        binary("text/plain", "2 B"),
    )]));
    input[2].binary = Some(BTreeMap::from([(
        "data".to_owned(),
        binary("image/png", "2 B"),
    )]));
    let names = |unique: bool| {
        let mut output = aggregate_all(&input, "data", &[], &[], true);
        add_binaries(&mut output, &input, unique);
        output.binary.unwrap().into_keys().collect::<Vec<_>>()
    };
    assert_eq!(names(false), ["data", "data_1", "data_2"]);
    assert_eq!(names(true), ["data", "data_1"]);
}
