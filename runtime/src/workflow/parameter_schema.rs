//! The JSON Schema (draft 2020-12) of a node's parameters for one typeVersion, derived from its
//! description: types, options as enums, defaults, descriptions, and displayOptions kept as the
//! `x-displayOptions` keyword. Any value may instead be an expression (a string starting with `=`).

use serde_json::{Map, Value, json};
use weft_nodes::description::{
    Condition, DisplayOptions, NodeDescription, Parameter, ParameterKind, VERSION_KEY, number,
};

/// The schema of `description`'s parameters at typeVersion `version`.
pub fn parameter_schema(description: &NodeDescription, version: f64) -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("weft:node:{}@{version}", description.name),
        "title": format!("{} (typeVersion {version})", description.display_name),
        "description": description.description,
        "type": "object",
        "properties": properties(description.parameters, version),
        "$defs": { "expression": { "type": "string", "pattern": "^=" } },
    })
}

/// The properties of `declared` that can show at `version`; a name declared several times (one
/// declaration per operation) becomes an `anyOf` of the distinct schemas.
fn properties(declared: &[Parameter], version: f64) -> Map<String, Value> {
    let mut properties: Map<String, Value> = Map::new();
    for parameter in declared.iter().filter(|p| shows_at(&p.display, version)) {
        let schema = property(parameter, version);
        match properties.get_mut(parameter.name) {
            None => {
                properties.insert(parameter.name.to_owned(), schema);
            }
            Some(existing) if *existing == schema => {}
            Some(Value::Object(existing))
                if existing.contains_key("anyOf") && !existing.contains_key("title") =>
            {
                let alternatives = existing["anyOf"].as_array_mut().expect("anyOf is an array");
                if !alternatives.contains(&schema) {
                    alternatives.push(schema);
                }
            }
            Some(existing) => *existing = json!({ "anyOf": [existing.take(), schema] }),
        }
    }
    properties
}

/// True unless the `@version` conditions exclude `version`.
fn shows_at(display: &DisplayOptions, version: f64) -> bool {
    let version_value = number(version);
    let holds = |conditions: &[Condition]| {
        conditions.iter().any(|condition| match condition {
            Condition::Is(literal) => literal.matches(&version_value),
            Condition::Gte(bound) => version >= *bound,
            Condition::Lt(bound) => version < *bound,
        })
    };
    let on_version = |entries: &'static [(&'static str, &'static [Condition])]| {
        entries.iter().filter(|(key, _)| *key == VERSION_KEY)
    };
    on_version(display.show).all(|(_, conditions)| holds(conditions))
        && !on_version(display.hide).any(|(_, conditions)| holds(conditions))
}

fn property(parameter: &Parameter, version: f64) -> Value {
    let mut schema = match base(&parameter.kind, version) {
        Value::Object(schema) => schema,
        _ => unreachable!("base schemas are objects"),
    };
    schema.insert("title".to_owned(), json!(parameter.display_name));
    if !parameter.description.is_empty() {
        schema.insert("description".to_owned(), json!(parameter.description));
    }
    schema.insert("default".to_owned(), parameter.default.to_value());
    if parameter.required {
        schema.insert("x-required".to_owned(), json!(true));
    }
    if parameter.weft_extension {
        schema.insert("x-weftExtension".to_owned(), json!(true));
    }
    if parameter.no_data_expression {
        schema.insert("x-noDataExpression".to_owned(), json!(true));
    } else if !matches!(
        parameter.kind,
        ParameterKind::String | ParameterKind::DateTime | ParameterKind::Json
    ) {
        let typed = Value::Object(std::mem::take(&mut schema));
        schema.insert(
            "anyOf".to_owned(),
            json!([typed, { "$ref": "#/$defs/expression" }]),
        );
    }
    if parameter.display != DisplayOptions::ALWAYS {
        schema.insert(
            "x-displayOptions".to_owned(),
            display_options(&parameter.display),
        );
    }
    Value::Object(schema)
}

fn base(kind: &ParameterKind, version: f64) -> Value {
    match kind {
        ParameterKind::String | ParameterKind::DateTime | ParameterKind::Json => {
            json!({ "type": "string" })
        }
        ParameterKind::Number => json!({ "type": "number" }),
        ParameterKind::Boolean => json!({ "type": "boolean" }),
        ParameterKind::Options(choices) => {
            json!({ "enum": choices.iter().map(|choice| choice.value.to_value()).collect::<Vec<_>>() })
        }
        // No declared choices means the choices are loaded at edit time (e.g. an object's
        // fields): any string is allowed.
        ParameterKind::MultiOptions([]) => {
            json!({ "type": "array", "items": { "type": "string" } })
        }
        ParameterKind::MultiOptions(choices) => json!({
            "type": "array",
            "items": { "enum": choices.iter().map(|choice| choice.value.to_value()).collect::<Vec<_>>() },
        }),
        ParameterKind::Collection(values) => json!({
            "type": "object",
            "properties": properties(values, version),
            "additionalProperties": false,
        }),
        ParameterKind::FixedCollection { multiple, groups } => {
            let groups: Map<String, Value> = groups
                .iter()
                .map(|group| {
                    let entry = json!({
                        "title": group.display_name,
                        "type": "object",
                        "properties": properties(group.values, version),
                        "additionalProperties": false,
                    });
                    let schema = if *multiple {
                        json!({ "type": "array", "items": entry })
                    } else {
                        entry
                    };
                    (group.name.to_owned(), schema)
                })
                .collect();
            json!({ "type": "object", "properties": groups, "additionalProperties": false })
        }
        ParameterKind::Filter => filter_schema(),
        ParameterKind::ResourceMapper => json!({
            "type": "object",
            "properties": {
                "mappingMode": { "type": "string" },
                "value": { "type": ["object", "null"] },
                "schema": { "type": "array", "items": { "type": "object" } },
                "attemptToConvertTypes": { "type": "boolean" },
                "convertFieldsToString": { "type": "boolean" },
            },
        }),
        ParameterKind::ResourceLocator { modes } => json!({
            "anyOf": [
                { "type": "string" },
                {
                    "type": "object",
                    "properties": {
                        "__rl": { "const": true },
                        "mode": { "enum": modes },
                        "value": {},
                    },
                    "required": ["mode", "value"],
                },
            ],
        }),
    }
}

fn display_options(display: &DisplayOptions) -> Value {
    let side = |entries: &[(&str, &[Condition])]| -> Map<String, Value> {
        entries
            .iter()
            .map(|(key, conditions)| {
                let values = conditions
                    .iter()
                    .map(|condition| match condition {
                        Condition::Is(literal) => literal.to_value(),
                        Condition::Gte(bound) => json!({ "_cnd": { "gte": number(*bound) } }),
                        Condition::Lt(bound) => json!({ "_cnd": { "lt": number(*bound) } }),
                    })
                    .collect();
                ((*key).to_owned(), Value::Array(values))
            })
            .collect()
    };
    let mut options = Map::new();
    if !display.show.is_empty() {
        options.insert("show".to_owned(), Value::Object(side(display.show)));
    }
    if !display.hide.is_empty() {
        options.insert("hide".to_owned(), Value::Object(side(display.hide)));
    }
    Value::Object(options)
}

/// A filter parameter: conditions with an operator each, how they combine, and the options the
/// editor derives from the node (case, type validation, filter version).
fn filter_schema() -> Value {
    let side = json!({});
    json!({
        "type": "object",
        "properties": {
            "conditions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": { "type": "string" },
                        "leftValue": side,
                        "rightValue": side,
                        "operator": {
                            "type": "object",
                            "properties": {
                                "type": { "enum": ["string", "number", "boolean", "dateTime", "array", "object", "any"] },
                                "operation": { "type": "string" },
                                "rightType": { "type": "string" },
                                "singleValue": { "type": "boolean" },
                                "name": { "type": "string" },
                            },
                            "required": ["type", "operation"],
                        },
                    },
                },
            },
            "combinator": { "enum": ["and", "or"] },
            "options": {
                "type": "object",
                "properties": {
                    "caseSensitive": { "type": ["boolean", "string"] },
                    "leftValue": {},
                    "typeValidation": { "enum": ["strict", "loose"] },
                    "version": { "enum": [1, 2, 3] },
                },
            },
        },
    })
}
