//! The description against n8n's own workflows: every Salesforce node of the golden workflows
//! (`../shared/golden/cases/*/workflow.json`, written by n8n's editor) resolves without an
//! unknown parameter or an empty required one; and the defaults n8n fills in.

use serde_json::{Map, Value, json};

use super::DESCRIPTION;
use crate::description::{Parameter, ParameterKind};
use crate::salesforce::golden_cases::golden_cases;

/// n8n's resolution of the top-level values, enough to decide what shows: written value or
/// default, for the first declaration of each name whose displayOptions hold.
fn resolve(written: &Map<String, Value>, version: f64) -> Map<String, Value> {
    let mut resolved = Map::new();
    for parameter in DESCRIPTION.parameters {
        if resolved.contains_key(parameter.name) {
            continue;
        }
        let lookup = |key: &str| resolved.get(key).or_else(|| written.get(key));
        if parameter.display.allows(version, lookup) {
            let value = written
                .get(parameter.name)
                .cloned()
                .unwrap_or_else(|| parameter.default.to_value());
            resolved.insert(parameter.name.to_owned(), value);
        }
    }
    resolved
}

/// The declaration of `name` that shows with `resolved`.
fn shown(name: &str, version: f64, resolved: &Map<String, Value>) -> Option<&'static Parameter> {
    DESCRIPTION.parameters.iter().find(|parameter| {
        parameter.name == name && parameter.display.allows(version, |key| resolved.get(key))
    })
}

/// True when `name` is declared for the resolved resource and operation, whatever its other
/// conditions (a value hidden by them is dropped, as n8n does, not unknown).
fn declared_for_operation(name: &str, resolved: &Map<String, Value>) -> bool {
    DESCRIPTION.parameters.iter().any(|parameter| {
        parameter.name == name
            && parameter
                .display
                .show
                .iter()
                .filter(|(key, _)| matches!(*key, "resource" | "operation"))
                .all(|(key, conditions)| {
                    let value = resolved.get(*key).unwrap_or(&Value::Null);
                    conditions.iter().any(|condition| match condition {
                        crate::description::Condition::Is(literal) => literal.matches(value),
                        _ => false,
                    })
                })
    })
}

/// Problems of a written value of `parameter` at `path`: keys its collection or fixedCollection
/// does not declare.
fn nested_problems(parameter: &Parameter, value: &Value, path: &str, problems: &mut Vec<String>) {
    let declared = |options: &[Parameter], key: &str| {
        options.iter().find(|option| option.name == key).copied()
    };
    match (&parameter.kind, value) {
        (ParameterKind::Collection(options), Value::Object(entries)) => {
            for (key, value) in entries {
                match declared(options, key) {
                    Some(option) => {
                        nested_problems(&option, value, &format!("{path}.{key}"), problems)
                    }
                    None => problems.push(format!("{path}.{key}: not declared")),
                }
            }
        }
        (ParameterKind::FixedCollection { groups, .. }, Value::Object(entries)) => {
            for (key, value) in entries {
                let Some(group) = groups.iter().find(|group| group.name == key) else {
                    problems.push(format!("{path}.{key}: no such group"));
                    continue;
                };
                let items = match value {
                    Value::Array(items) => items.as_slice(),
                    other => std::slice::from_ref(other),
                };
                for (index, item) in items.iter().enumerate() {
                    for field in item.as_object().into_iter().flat_map(Map::keys) {
                        if declared(group.values, field).is_none() {
                            problems.push(format!("{path}.{key}[{index}].{field}: not declared"));
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

/// Every problem of one node's parameters.
fn problems(written: &Map<String, Value>, version: f64) -> Vec<String> {
    let resolved = resolve(written, version);
    let mut problems = Vec::new();
    for (key, value) in written {
        match shown(key, version, &resolved) {
            Some(parameter) => nested_problems(parameter, value, key, &mut problems),
            None if declared_for_operation(key, &resolved) => {}
            None => problems.push(format!("{key}: unknown parameter")),
        }
    }
    for parameter in DESCRIPTION.parameters {
        let empty = match resolved.get(parameter.name) {
            None | Some(Value::Null) => true,
            Some(Value::String(text)) => text.is_empty(),
            Some(_) => false,
        };
        if parameter.required && empty && shown(parameter.name, version, &resolved).is_some() {
            problems.push(format!("{}: required but empty", parameter.name));
        }
    }
    problems
}

#[test]
fn every_golden_salesforce_node_resolves_against_the_description() {
    let Some(cases) = golden_cases("every_golden_salesforce_node_resolves_against_the_description")
    else {
        return;
    };
    let entries = std::fs::read_dir(&cases).unwrap();
    let mut checked = 0;
    let mut found = Vec::new();
    for entry in entries {
        let path = entry.unwrap().path().join("workflow.json");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let workflow: Value = serde_json::from_str(&text).unwrap();
        for node in workflow["nodes"].as_array().unwrap() {
            if node["type"] != DESCRIPTION.name {
                continue;
            }
            let version = node["typeVersion"].as_f64().unwrap();
            assert!(DESCRIPTION.supports(version), "{}", path.display());
            let parameters = node["parameters"].as_object().unwrap();
            for problem in problems(parameters, version) {
                found.push(format!("{} ({}): {problem}", path.display(), node["name"]));
            }
            checked += 1;
        }
    }
    assert!(checked > 80, "only {checked} Salesforce nodes found");
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn unknown_keys_and_empty_required_parameters_are_problems() {
    let written = json!({
        "resource": "lead",
        "operation": "update",
        "leadId": "",
        "nope": 1,
        "updateFields": { "IsUnreadByOwner": true, "isUnreadByOwner": true, "phon": "x" },
    });
    assert_eq!(
        problems(written.as_object().unwrap(), 1.1),
        [
            "nope: unknown parameter",
            "updateFields.phon: not declared",
            "leadId: required but empty",
        ]
    );
}

#[test]
fn defaults_are_n8ns() {
    let resolved = resolve(&Map::new(), 1.0);
    assert_eq!(resolved["authentication"], "oAuth2");
    assert_eq!(resolved["resource"], "lead");
    assert_eq!(resolved["operation"], "create");
    assert_eq!(resolved["additionalFields"], json!({}));
    let operation_of = |resource: &str| {
        let written = json!({ "resource": resource });
        resolve(written.as_object().unwrap(), 1.1)["operation"].clone()
    };
    for (resource, operation) in [
        ("account", "create"),
        ("attachment", "create"),
        ("case", "create"),
        ("contact", "create"),
        ("customObject", "create"),
        ("document", "upload"),
        ("flow", "invoke"),
        ("lead", "create"),
        ("opportunity", "create"),
        ("search", "query"),
        ("task", "create"),
        ("user", "get"),
    ] {
        assert_eq!(operation_of(resource), operation, "{resource}");
    }
    let get_many = json!({ "resource": "contact", "operation": "getAll" });
    let resolved = resolve(get_many.as_object().unwrap(), 1.1);
    assert_eq!(
        (
            &resolved["returnAll"],
            &resolved["limit"],
            &resolved["options"]
        ),
        (&json!(false), &json!(50), &json!({}))
    );
    let all =
        json!({ "resource": "contact", "operation": "getAll", "returnAll": true, "limit": 5 });
    assert!(!resolve(all.as_object().unwrap(), 1.1).contains_key("limit"));
    let upload = json!({ "resource": "document" });
    assert_eq!(
        resolve(upload.as_object().unwrap(), 1.0)["binaryPropertyName"],
        "data"
    );
    let invoke = json!({ "resource": "flow", "jsonParameters": true });
    let resolved = resolve(invoke.as_object().unwrap(), 1.0);
    assert_eq!(resolved["variablesJson"], "");
    assert!(!resolved.contains_key("variablesUi"));
}

#[test]
fn the_authentication_picks_the_credential_type() {
    for (authentication, credential_type) in [
        ("oAuth2", "salesforceOAuth2Api"),
        ("jwt", "salesforceJwtApi"),
        ("clientCredentials", "salesforceClientCredentialsApi"),
    ] {
        let parameters = json!({ "authentication": authentication });
        assert_eq!(
            DESCRIPTION.accepted_credentials(1.1, &parameters),
            [credential_type]
        );
    }
    assert!(DESCRIPTION.supports(1.0) && DESCRIPTION.supports(1.1));
    assert_eq!(DESCRIPTION.outputs, ["main"]);
}

#[test]
fn resource_and_operation_take_no_expressions() {
    for parameter in DESCRIPTION.parameters {
        if matches!(parameter.name, "resource" | "operation") {
            assert!(parameter.no_data_expression, "{}", parameter.name);
        }
    }
}

#[test]
fn each_name_shows_at_most_once_per_operation() {
    let choices = |parameter: &Parameter| match parameter.kind {
        ParameterKind::Options(choices) => choices.iter().map(|c| c.value.to_value()).collect(),
        _ => Vec::new(),
    };
    let resources = DESCRIPTION
        .parameters
        .iter()
        .find(|parameter| parameter.name == "resource")
        .map(choices)
        .unwrap();
    for resource in resources {
        let written = json!({ "resource": resource });
        let operation = shown("operation", 1.0, written.as_object().unwrap()).unwrap();
        for operation in choices(operation) {
            for flag in [true, false] {
                let values = json!({
                    "resource": resource, "operation": operation,
                    "returnAll": flag, "jsonParameters": flag,
                });
                let mut names: Vec<&str> = DESCRIPTION
                    .parameters
                    .iter()
                    .filter(|parameter| parameter.display.allows(1.0, |key| values.get(key)))
                    .map(|parameter| parameter.name)
                    .collect();
                let count = names.len();
                names.sort_unstable();
                names.dedup();
                assert_eq!(names.len(), count, "{resource} {operation}: {names:?}");
            }
        }
    }
}
