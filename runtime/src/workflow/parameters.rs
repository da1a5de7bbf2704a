//! Parameter resolution as n8n does it when it loads a workflow (n8n-compat §2.4): omitted
//! parameters get the typeVersion's defaults, values of parameters hidden by displayOptions are
//! dropped, collections keep only the keys set, fixedCollection entries get their defaults,
//! resourceLocators get `{ "__rl": true, … }`, and `noDataExpression` strips a leading `=`. A
//! weft extension (a parameter n8n's node lacks) gets no default: it appears only when written.
//! Expressions stay unevaluated: they are evaluated per item when the node reads them.

use serde_json::{Map, Value};
use weft_nodes::description::{Group, Parameter, ParameterKind};

/// The effective parameters of a node of typeVersion `version` declaring `declared`, from the
/// parameters written in the workflow.
pub fn resolve(
    declared: &[Parameter],
    version: f64,
    written: &Map<String, Value>,
) -> Map<String, Value> {
    resolve_level(declared, version, written, None)
}

/// True when a value counts as empty for a required parameter (n8n: `""`, `null`, absent).
pub fn is_empty(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(text)) => text.is_empty(),
        Some(_) => false,
    }
}

/// The parameters of `declared` that show with these resolved values.
pub fn shown<'p>(
    declared: &'p [Parameter],
    version: f64,
    resolved: &'p Map<String, Value>,
) -> impl Iterator<Item = &'p Parameter> {
    declared
        .iter()
        .filter(move |parameter| parameter.display.allows(version, |key| resolved.get(key)))
}

fn resolve_level(
    declared: &[Parameter],
    version: f64,
    written: &Map<String, Value>,
    root: Option<&Map<String, Value>>,
) -> Map<String, Value> {
    let mut resolved = Map::new();
    for parameter in declared {
        if resolved.contains_key(parameter.name) {
            continue; // an earlier declaration of the same name showed
        }
        let lookup = |key: &str| {
            resolved
                .get(key)
                .or_else(|| written.get(key))
                .or_else(|| root.and_then(|root| root.get(key)))
        };
        if !parameter.display.allows(version, lookup) {
            continue;
        }
        let value = match written.get(parameter.name) {
            Some(value) => present(parameter, version, value, root.unwrap_or(written)),
            None if parameter.weft_extension => continue, // n8n would not show it
            None => default_of(parameter),
        };
        resolved.insert(parameter.name.to_owned(), value);
    }
    resolved
}

/// A parameter's default, in its resolved form.
fn default_of(parameter: &Parameter) -> Value {
    let default = parameter.default.to_value();
    match (&parameter.kind, default) {
        (ParameterKind::ResourceLocator { .. }, Value::Object(mut fields)) => {
            fields.insert("__rl".to_owned(), Value::Bool(true));
            Value::Object(fields)
        }
        (_, default) => default,
    }
}

/// A written value, normalised for its parameter.
fn present(parameter: &Parameter, version: f64, value: &Value, root: &Map<String, Value>) -> Value {
    match (&parameter.kind, value) {
        (_, Value::String(text)) if parameter.no_data_expression => {
            Value::String(text.strip_prefix('=').unwrap_or(text).to_owned())
        }
        (_, Value::String(text))
            if parameter.template && !text.starts_with('=') && text.contains("{{") =>
        {
            Value::String(format!("={text}"))
        }
        (ParameterKind::FixedCollection { multiple, groups }, Value::Object(entries)) => {
            Value::Object(fixed_collection(groups, *multiple, version, entries, root))
        }
        _ => value.clone(),
    }
}

/// A fixedCollection: each known group's entries with their defaults filled.
fn fixed_collection(
    groups: &[Group],
    multiple: bool,
    version: f64,
    written: &Map<String, Value>,
    root: &Map<String, Value>,
) -> Map<String, Value> {
    let entry = |value: &Value, group: &Group| match value {
        Value::Object(fields) => {
            Value::Object(resolve_level(group.values, version, fields, Some(root)))
        }
        other => other.clone(), // an expression yielding the entries
    };
    groups
        .iter()
        .filter_map(|group| {
            let value = written.get(group.name)?;
            let resolved = match value {
                Value::Array(entries) if multiple => {
                    Value::Array(entries.iter().map(|value| entry(value, group)).collect())
                }
                other => entry(other, group),
            };
            Some((group.name.to_owned(), resolved))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use weft_nodes::description::{Choice, Condition, Literal, VERSION_KEY};

    const CONDITION: &[Parameter] = &[
        Parameter::new("field", "Field", ParameterKind::String),
        Parameter::new(
            "operation",
            "Operation",
            ParameterKind::Options(&[
                Choice::new("Equal", Literal::String("equal")),
                Choice::new("Greater", Literal::String(">")),
            ]),
        ),
        Parameter::new("value", "Value", ParameterKind::String),
    ];

    const RETURN_ALL: &[(&str, &[Condition])] =
        &[("returnAll", &[Condition::Is(Literal::Bool(true))])];

    const DECLARED: &[Parameter] = &[
        Parameter::new("resource", "Resource", ParameterKind::String)
            .default(Literal::String("lead"))
            .no_data_expression(),
        Parameter::new("returnAll", "Return All", ParameterKind::Boolean),
        Parameter::new("limit", "Limit", ParameterKind::Number)
            .default(Literal::Number(50.0))
            .hide(RETURN_ALL),
        Parameter::new("mode", "Mode", ParameterKind::String)
            .default(Literal::String("old"))
            .show(&[(VERSION_KEY, &[Condition::Lt(1.1)])]),
        Parameter::new("mode", "Mode", ParameterKind::String)
            .default(Literal::String("new"))
            .show(&[(VERSION_KEY, &[Condition::Gte(1.1)])]),
        Parameter::new("options", "Options", ParameterKind::Collection(CONDITION)),
        Parameter::new(
            "conditionsUi",
            "Conditions",
            ParameterKind::FixedCollection {
                multiple: true,
                groups: &[Group {
                    name: "conditionValues",
                    display_name: "Condition",
                    values: CONDITION,
                }],
            },
        ),
        Parameter::new(
            "owner",
            "Owner",
            ParameterKind::ResourceLocator {
                modes: &["list", "id"],
            },
        )
        .default(Literal::Object(&[
            ("mode", Literal::String("list")),
            ("value", Literal::String("")),
        ])),
    ];

    #[test]
    fn omitted_parameters_get_the_defaults_of_the_version() {
        let resolved = resolve(DECLARED, 1.1, &Map::new());
        assert_eq!(
            Value::Object(resolved),
            json!({
                "resource": "lead", "returnAll": false, "limit": 50, "mode": "new",
                "options": {}, "conditionsUi": {},
                "owner": { "__rl": true, "mode": "list", "value": "" }
            })
        );
        assert_eq!(resolve(DECLARED, 1.0, &Map::new())["mode"], json!("old"));
    }

    #[test]
    fn written_values_are_normalised() {
        let written = json!({
            "resource": "=account",
            "returnAll": true,
            "limit": 5,
            "options": { "value": "" },
            "conditionsUi": { "conditionValues": [{ "field": "Name" }, "={{ $json.c }}"] },
            "owner": "005x",
            "unknown": 1
        });
        let resolved = resolve(DECLARED, 1.1, written.as_object().unwrap());
        assert_eq!(
            Value::Object(resolved),
            json!({
                "resource": "account", "returnAll": true, "mode": "new",
                "options": { "value": "" },
                "conditionsUi": { "conditionValues": [
                    { "field": "Name", "operation": "equal", "value": "" },
                    "={{ $json.c }}"
                ] },
                "owner": "005x"
            })
        );
    }

    #[test]
    fn a_weft_extension_appears_only_when_written() {
        const DECLARED: &[Parameter] = &[
            Parameter::new("operation", "Operation", ParameterKind::String)
                .default(Literal::String("create")),
            Parameter::new("options", "Options", ParameterKind::Collection(CONDITION))
                .weft_extension(),
        ];
        assert_eq!(
            Value::Object(resolve(DECLARED, 1.1, &Map::new())),
            json!({ "operation": "create" }),
            "an n8n workflow resolves as in n8n"
        );
        let written = json!({ "options": { "value": "x" } });
        assert_eq!(
            resolve(DECLARED, 1.1, written.as_object().unwrap())["options"],
            json!({ "value": "x" })
        );
    }

    #[test]
    fn required_means_not_empty() {
        assert!(is_empty(None) && is_empty(Some(&json!(""))) && is_empty(Some(&Value::Null)));
        assert!(!is_empty(Some(&json!(0))) && !is_empty(Some(&json!("={{ '' }}"))));
    }

    #[test]
    fn a_template_with_placeholders_resolves_as_an_expression() {
        const TEMPLATE: &[Parameter] =
            &[Parameter::new("html", "HTML", ParameterKind::String).template()];
        for (written, resolved) in [
            ("<p>{{ $json.a }}</p>", "=<p>{{ $json.a }}</p>"),
            ("=<p>{{ $json.a }}</p>", "=<p>{{ $json.a }}</p>"),
            ("<p>plain</p>", "<p>plain</p>"),
        ] {
            let written = Map::from_iter([("html".to_owned(), json!(written))]);
            assert_eq!(resolve(TEMPLATE, 1.0, &written)["html"], json!(resolved));
        }
    }
}
