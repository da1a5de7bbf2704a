//! JSON Schemas of credential data: generation (draft 2020-12, from the data structs), conditional
//! fields, and validation that reports every problem without echoing any value.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};
use serde_json::{Map, Value, json};

use crate::field_error::FieldError;

/// A field that the form shows only when another field has a value, expressed as `if`/`then` (the
/// JSON-Schema form of n8n's `displayOptions`).
pub struct Conditional {
    /// The field shown conditionally.
    pub field: &'static str,
    /// The field it depends on.
    pub when: &'static str,
    /// The values of `when` that show it; empty means "any non-empty string".
    pub equals: &'static [&'static str],
}

/// Generates the schema of a credential's data struct `T`, titled with the type's n8n name and
/// label, with each [`Conditional`] field moved into an `if`/`then` branch.
pub fn credential_schema<T: JsonSchema>(
    type_name: &str,
    display_name: &str,
    conditionals: &[Conditional],
) -> Schema {
    let generator = SchemaSettings::draft2020_12()
        .with(|settings| settings.inline_subschemas = true)
        .into_generator();
    let mut schema = generator.into_root_schema_for::<T>();
    let object = schema.ensure_object();
    object.insert("$id".into(), json!(format!("weft:credential:{type_name}")));
    object.insert("title".into(), json!(display_name));
    object.insert(
        "description".into(),
        json!(format!(
            "Data of a `{type_name}` credential, as n8n stores it."
        )),
    );
    object.insert("x-credential-type".into(), json!(type_name));
    let mut branches = Vec::new();
    for conditional in conditionals {
        let property = object
            .get_mut("properties")
            .and_then(Value::as_object_mut)
            .and_then(|properties| properties.shift_remove(conditional.field));
        let Some(property) = property else {
            continue;
        };
        let condition = if conditional.equals.is_empty() {
            json!({ "type": "string", "minLength": 1 })
        } else {
            json!({ "enum": conditional.equals })
        };
        branches.push(json!({
            "if": {
                "properties": { conditional.when: condition },
                "required": [conditional.when]
            },
            "then": { "properties": { conditional.field: property } }
        }));
    }
    let header = [
        "$schema",
        "$id",
        "title",
        "description",
        "x-credential-type",
    ];
    let mut ordered: Map<String, Value> = header
        .iter()
        .filter_map(|key| object.remove(*key).map(|value| ((*key).to_owned(), value)))
        .collect();
    ordered.append(object);
    *object = ordered;
    match branches.len() {
        0 => {}
        1 => {
            if let Some(Value::Object(branch)) = branches.pop() {
                object.extend(branch);
            }
        }
        _ => {
            object.insert("allOf".into(), Value::Array(branches));
        }
    }
    schema
}

/// Validates `data` against `schema`; every problem becomes a [`FieldError`] whose message
/// describes the rule broken, never the value (which may be a secret).
pub fn validate_against_schema(schema: &Schema, data: &Value) -> Vec<FieldError> {
    let validator = match jsonschema::validator_for(schema.as_value()) {
        Ok(validator) => validator,
        Err(error) => {
            return vec![FieldError::new(
                "",
                format!("the credential type's schema is invalid: {error}"),
                "this is a bug in the credential type definition; please report it",
            )];
        }
    };
    let mut errors: Vec<FieldError> = validator
        .iter_errors(data)
        .map(|error| describe(schema.as_value(), &error))
        .collect();
    errors.extend(expression_errors(data));
    errors.dedup_by(|a, b| a.path == b.path && a.message == b.message);
    errors
}

/// n8n lets a credential field hold an expression (`={{ $secrets.vault.key }}`); weft does not.
fn expression_errors(data: &Value) -> Vec<FieldError> {
    let Some(object) = data.as_object() else {
        return Vec::new();
    };
    object
        .iter()
        .filter(|(_, value)| value.as_str().is_some_and(|text| text.starts_with("={{")))
        .map(|(key, _)| {
            FieldError::new(
                key.as_str(),
                "expressions are not supported in credential data",
                "replace the expression (for example an external-secrets reference) with the value itself",
            )
        })
        .collect()
}

fn describe(schema: &Value, error: &jsonschema::ValidationError<'_>) -> FieldError {
    use jsonschema::error::ValidationErrorKind as Kind;
    let mut path = pointer_to_path(error.instance_path().as_str());
    let (message, hint) = match error.kind() {
        Kind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            path = join_path(&path, name);
            ("is required".to_owned(), format!("add the `{name}` field"))
        }
        Kind::MinLength { .. } => (
            "must not be empty".to_owned(),
            "fill in this field".to_owned(),
        ),
        Kind::Type { kind } => (
            format!("must be of type {}", type_name(kind)),
            "check the value's JSON type".to_owned(),
        ),
        Kind::Enum { options } => (
            format!("must be one of {}", options),
            "choose one of the listed values".to_owned(),
        ),
        Kind::Constant { expected_value } => (
            format!("must be {expected_value}"),
            "use the listed value".to_owned(),
        ),
        Kind::Pattern { pattern } => (
            format!("does not match the expected format `{pattern}`"),
            sibling(schema, error, "description")
                .and_then(Value::as_str)
                .unwrap_or("check the field's description for the expected format")
                .to_owned(),
        ),
        Kind::OneOfNotValid { .. } | Kind::AnyOf { .. } => {
            let choices: Vec<String> = sibling(schema, error, &keyword(error))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|choice| choice.get("const"))
                .map(ToString::to_string)
                .collect();
            if choices.is_empty() {
                (
                    "is not one of the allowed choices".to_owned(),
                    "choose one of the values the form offers".to_owned(),
                )
            } else {
                (
                    format!("must be one of {}", choices.join(", ")),
                    "choose one of the listed values".to_owned(),
                )
            }
        }
        _ => (
            format!("breaks the schema rule `{}`", keyword(error)),
            "compare the value with `weft schema <type>`".to_owned(),
        ),
    };
    FieldError::new(path, message, hint)
}

/// The keyword `name` of the schema object that holds the failing keyword.
fn sibling<'a>(
    schema: &'a Value,
    error: &jsonschema::ValidationError<'_>,
    name: &str,
) -> Option<&'a Value> {
    let path = error.schema_path().as_str();
    let parent = path.rsplit_once('/').map_or("", |(parent, _)| parent);
    schema.pointer(parent)?.get(name)
}

fn keyword(error: &jsonschema::ValidationError<'_>) -> String {
    error
        .schema_path()
        .as_str()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn type_name(kind: &jsonschema::error::TypeKind) -> String {
    match kind {
        jsonschema::error::TypeKind::Single(single) => single.to_string(),
        jsonschema::error::TypeKind::Multiple(set) => set
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

fn pointer_to_path(pointer: &str) -> String {
    pointer
        .split('/')
        .filter(|segment| !segment.is_empty())
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect::<Vec<_>>()
        .join(".")
}

fn join_path(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_owned()
    } else {
        format!("{parent}.{child}")
    }
}

/// The string at `key` of a JSON object, if it is one (used by lenient semantic checks).
pub fn str_field<'a>(data: &'a Value, key: &str) -> Option<&'a str> {
    data.as_object()
        .and_then(|object: &Map<String, Value>| object.get(key))
        .and_then(Value::as_str)
}
