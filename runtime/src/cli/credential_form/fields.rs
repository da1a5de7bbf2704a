//! The fields a credential type's JSON Schema asks for, read generically: the top-level
//! `properties` in schema order (without `x-hidden` ones), then the properties of each `if`/`then`
//! branch (top-level or in `allOf`) placed right after the last field its `if` looks at (after
//! the fields of earlier branches placed there), and shown only while that `if` holds for the
//! answers so far.

use std::rc::Rc;

use anyhow::Context;
use serde_json::{Map, Value};

use super::question::{Choice, Question};

/// One field of the form.
pub struct Field {
    /// The property name in the credential's data.
    pub key: String,
    /// How it is asked.
    pub question: Question,
    /// The `if` that must hold for it to be asked; `None` for an unconditional field.
    condition: Option<Rc<jsonschema::Validator>>,
}

impl Field {
    /// Whether the field is asked, given the answers so far.
    pub fn shown(&self, answers: &Map<String, Value>) -> bool {
        self.condition
            .as_ref()
            .is_none_or(|condition| condition.is_valid(&Value::Object(answers.clone())))
    }
}

/// The fields of a credential type's schema, in the order they are asked.
pub fn fields(schema: &Value) -> anyhow::Result<Vec<Field>> {
    let mut fields = visible(schema, None);
    let branches = std::iter::once(schema).chain(
        schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten(),
    );
    for branch in branches {
        let (Some(condition), Some(then)) = (branch.get("if"), branch.get("then")) else {
            continue;
        };
        let validator = jsonschema::validator_for(condition)
            .context("the credential type's schema has an invalid `if`")?;
        let watched = condition.get("properties").and_then(Value::as_object);
        let mut after = fields
            .iter()
            .rposition(|field| watched.is_some_and(|watched| watched.contains_key(&field.key)))
            .map_or(fields.len(), |index| index + 1);
        // Branches that watch the same field keep their order: after the ones placed before.
        while fields
            .get(after)
            .is_some_and(|field| field.condition.is_some())
        {
            after += 1;
        }
        fields.splice(after..after, visible(then, Some(Rc::new(validator))));
    }
    Ok(fields)
}

/// The fields of the `properties` of `object`, in order, without `x-hidden` ones.
fn visible(object: &Value, condition: Option<Rc<jsonschema::Validator>>) -> Vec<Field> {
    let required: Vec<&str> = object
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    object
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, property)| !flag(property, "x-hidden"))
        .map(|(key, property)| Field {
            key: key.clone(),
            question: question(key, property, required.contains(&key.as_str())),
            condition: condition.clone(),
        })
        .collect()
}

/// The question for the property `key` described by `property`.
fn question(key: &str, property: &Value, required: bool) -> Question {
    let text = |name: &str| property.get(name).and_then(Value::as_str);
    let choices = choices(property);
    Question {
        title: text("title").unwrap_or(key).to_owned(),
        help: [
            text("description").map(str::to_owned),
            text("x-placeholder").map(|example| format!("e.g. {example}")),
        ]
        .into_iter()
        .flatten()
        .collect(),
        default: property.get("default").cloned(),
        json: choices.is_empty() && !takes_text(property),
        choices,
        required,
        secret: flag(property, "writeOnly") || flag(property, "x-secret"),
        multiline: flag(property, "x-multiline"),
    }
}

/// The choices of a `oneOf`/`anyOf` of `const`s (titled) or of an `enum`.
fn choices(property: &Value) -> Vec<Choice> {
    let titled = ["oneOf", "anyOf"]
        .into_iter()
        .filter_map(|keyword| property.get(keyword).and_then(Value::as_array))
        .flatten()
        .filter_map(|option| {
            let value = option.get("const")?;
            let text = |name: &str| option.get(name).and_then(Value::as_str).map(str::to_owned);
            Some(Choice {
                value: value.clone(),
                title: text("title").unwrap_or_else(|| plain(value)),
                description: text("description"),
            })
        });
    let listed = property
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|value| Choice {
            value: value.clone(),
            title: plain(value),
            description: None,
        });
    titled.chain(listed).collect()
}

/// Whether the property's `type` allows a string (or says nothing).
fn takes_text(property: &Value) -> bool {
    match property.get("type") {
        None => true,
        Some(Value::String(single)) => single == "string",
        Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
        Some(_) => false,
    }
}

fn flag(property: &Value, name: &str) -> bool {
    property.get(name).and_then(Value::as_bool) == Some(true)
}

/// A value as text: strings without quotes.
fn plain(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn keys(fields: &[Field]) -> Vec<&str> {
        fields.iter().map(|field| field.key.as_str()).collect()
    }

    #[test]
    fn every_registered_type_asks_fields() {
        let registry = weft_credentials::Registry::global().unwrap();
        for credential_type in registry.types() {
            let schema = (credential_type.schema)();
            assert!(!fields(schema.as_value()).unwrap().is_empty());
        }
    }

    #[test]
    fn enums_become_choices_and_non_text_types_take_json() {
        let schema = json!({
            "properties": {
                "mode": { "enum": ["a", "b"] },
                "retries": { "type": "integer" },
                "note": { "type": ["string", "null"] }
            },
            "allOf": [{
                "if": { "properties": { "mode": { "const": "b" } }, "required": ["mode"] },
                "then": { "properties": { "extra": { "type": "string" } }, "required": ["extra"] }
            }]
        });
        let fields = fields(&schema).unwrap();
        assert_eq!(keys(&fields), ["mode", "extra", "retries", "note"]);
        assert_eq!(fields[0].question.choices[1].title, "b");
        assert!(fields[1].question.required);
        assert!(fields[2].question.json && !fields[3].question.json);
    }
}
