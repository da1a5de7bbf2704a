//! Secret fields of credential data, as a type's JSON Schema marks them (`"x-secret": true`):
//! the public part of the data (for `weft credentials export --without-secrets` and the pages of
//! `weft serve`), which secrets are stored, and an edit that keeps each stored secret unless a new
//! value is given.

use serde_json::{Map, Value};

/// The fields of `data` that `schema` describes under `properties` and does not mark
/// `"x-secret": true`, recursing into objects. Undescribed fields are dropped too: a view without
/// secrets must not guess, and n8n's token responses carry undescribed secrets such as
/// `oauthTokenData.id_token`. A type weft does not know (`Value::Null` as schema) keeps nothing.
pub fn public_fields(schema: &Value, data: &Value) -> Value {
    let Value::Object(fields) = data else {
        return data.clone();
    };
    let public: Map<String, Value> = fields
        .iter()
        .filter_map(|(key, value)| {
            let field_schema = schema.get("properties")?.get(key)?;
            if is_secret(field_schema) {
                return None;
            }
            Some((key.clone(), public_fields(field_schema, value)))
        })
        .collect();
    Value::Object(public)
}

/// The top-level fields that `schema` marks secret and `data` holds a non-empty value for.
pub fn stored_secrets(schema: &Value, data: &Value) -> Vec<String> {
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    properties
        .iter()
        .filter(|(key, field_schema)| is_secret(field_schema) && has_value(data.get(*key)))
        .map(|(key, _)| key.clone())
        .collect()
}

/// `stored` with the fields of `edited` laid over it. A secret field that `edited` leaves empty
/// (absent, `""` or `null`) keeps its stored value; fields `edited` does not mention (hidden ones
/// such as `oauthTokenData`, or keys weft does not describe) are kept as stored.
pub fn merge_edit(schema: &Value, stored: &Value, edited: &Map<String, Value>) -> Value {
    let mut merged = match stored {
        Value::Object(fields) => fields.clone(),
        _ => Map::new(),
    };
    for (key, value) in edited {
        let secret = schema
            .get("properties")
            .and_then(|properties| properties.get(key))
            .is_some_and(is_secret);
        if secret && !has_value(Some(value)) {
            continue;
        }
        merged.insert(key.clone(), value.clone());
    }
    Value::Object(merged)
}

fn is_secret(field_schema: &Value) -> bool {
    field_schema.get("x-secret") == Some(&Value::Bool(true))
}

fn has_value(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::String(text)) => !text.is_empty(),
        Some(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn schema() -> Value {
        json!({"properties": {
            "clientId": {"type": "string"},
            "clientSecret": {"type": "string", "x-secret": true},
            "oauthTokenData": {"properties": {
                "access_token": {"x-secret": true},
                "token_type": {"type": "string"},
            }},
            "settings": {"type": "object"},
        }})
    }

    #[test]
    fn keeps_only_described_fields_not_marked_secret_at_every_level() {
        let data = json!({
            "clientId": "c",
            "clientSecret": "s",
            "grantType": "pkce",
            "oauthTokenData": {"access_token": "a", "id_token": "i", "token_type": "bearer"},
            "settings": {"anything": "x"},
        });
        assert_eq!(
            public_fields(&schema(), &data),
            json!({
                "clientId": "c",
                "oauthTokenData": {"token_type": "bearer"},
                "settings": {},
            })
        );
        assert_eq!(
            public_fields(&schema(), &json!({"oauthTokenData": null})),
            json!({"oauthTokenData": null})
        );
    }

    #[test]
    fn keeps_nothing_of_a_type_without_schema() {
        assert_eq!(
            public_fields(&Value::Null, &json!({"clientId": "c", "token": "t"})),
            json!({})
        );
    }

    #[test]
    fn names_the_secrets_that_hold_a_value() {
        assert_eq!(
            stored_secrets(&schema(), &json!({"clientId": "c", "clientSecret": "s"})),
            ["clientSecret"]
        );
        assert!(stored_secrets(&schema(), &json!({"clientSecret": ""})).is_empty());
    }

    #[test]
    fn an_edit_keeps_stored_secrets_left_empty_and_fields_it_does_not_mention() {
        let stored =
            json!({"clientId": "c", "clientSecret": "s", "oauthTokenData": {"access_token": "a"}});
        let kept = json!({"clientId": "new", "clientSecret": ""});
        assert_eq!(
            merge_edit(&schema(), &stored, kept.as_object().unwrap()),
            json!({"clientId": "new", "clientSecret": "s", "oauthTokenData": {"access_token": "a"}})
        );
        let replaced = json!({"clientSecret": "t"});
        assert_eq!(
            merge_edit(&schema(), &stored, replaced.as_object().unwrap())["clientSecret"],
            "t"
        );
    }
}
