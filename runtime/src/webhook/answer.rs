//! HTTP answers of the webhook server, shaped as n8n's: a node's answer (JSON, text as Express
//! sends strings, a file, nothing), the last node's data (`firstEntryJson`, `allEntries`,
//! `firstEntryBinary`, `noData`), and n8n's error bodies `{code, message, hint}`.

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use weft_nodes::{AnswerBody, Item, LastNodeData, WebhookAnswer};

/// The answer as an HTTP response: JSON as `application/json`, a string as Express's
/// `res.send` (`text/html`), unless a header sets the type.
pub fn response(answer: WebhookAnswer) -> Response {
    let WebhookAnswer {
        status,
        headers,
        body,
    } = answer;
    let (content_type, bytes) = match body {
        AnswerBody::Json(Value::String(text)) | AnswerBody::Text(text) => {
            (Some("text/html; charset=utf-8"), text.into_bytes())
        }
        AnswerBody::Json(value) => (
            Some("application/json; charset=utf-8"),
            serde_json::to_vec(&value).unwrap_or_default(),
        ),
        AnswerBody::Bytes(bytes) => (None, bytes),
        AnswerBody::Empty => (None, Vec::new()),
    };
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let map = response.headers_mut();
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            map.insert(name, value);
        }
    }
    if let Some(content_type) = content_type
        && !map.contains_key(header::CONTENT_TYPE)
    {
        map.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    response
}

/// n8n's error answer: `{code, message, hint?}` with that status.
pub fn error(status: u16, message: &str, hint: Option<&str>) -> Response {
    let mut body = json!({"code": status, "message": message});
    if let Some(hint) = hint {
        body["hint"] = json!(hint);
    }
    response(WebhookAnswer {
        status,
        headers: Vec::new(),
        body: AnswerBody::Json(body),
    })
}

/// n8n's `{"message": …}` answer with that status (the executor's outcome messages).
pub fn message(status: u16, text: &str) -> Response {
    response(WebhookAnswer {
        status,
        headers: Vec::new(),
        body: AnswerBody::Json(json!({ "message": text })),
    })
}

/// A refusal as n8n's authentication sends it: plain text and a Basic challenge.
pub fn refusal(status: u16, text: &str) -> Response {
    response(WebhookAnswer {
        status,
        headers: vec![(
            "www-authenticate".to_owned(),
            "Basic realm=\"Webhook\"".to_owned(),
        )],
        body: AnswerBody::Text(text.to_owned()),
    })
}

/// The body n8n answers a `lastNode` webhook with, from the last node's first output, or its
/// error text.
pub fn last_node_body(
    data: &LastNodeData,
    items: &[Item],
    property: Option<&str>,
) -> Result<(AnswerBody, Option<String>), &'static str> {
    match data {
        LastNodeData::NoData => Ok((AnswerBody::Empty, None)),
        LastNodeData::AllEntries => Ok((
            AnswerBody::Json(Value::Array(
                items
                    .iter()
                    .map(|item| Value::Object(item.json.clone()))
                    .collect(),
            )),
            None,
        )),
        LastNodeData::FirstEntryJson => {
            let first = items.first().ok_or("No item to return was found")?;
            let json = Value::Object(first.json.clone());
            let body = match property {
                Some(path) => lodash_get(&json, path).cloned(),
                None => Some(json),
            };
            Ok((body.map_or(AnswerBody::Empty, AnswerBody::Json), None))
        }
        LastNodeData::FirstEntryBinary(property) => {
            let first = items.first().ok_or("No item was found to return")?;
            let binary = first
                .binary
                .as_ref()
                .ok_or("No binary data was found to return")?;
            let file = binary
                .get(property)
                .ok_or("The binary property which should be returned does not exist")?;
            let bytes = STANDARD
                .decode(file.data.as_bytes())
                .map_err(|_| "The binary property to return does not hold base64 data")?;
            Ok((AnswerBody::Bytes(bytes), Some(file.mime_type.clone())))
        }
    }
}

/// lodash's `get(value, path)` for a dot path with `[index]` parts.
fn lodash_get<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split(['.', '[', ']'])
        .filter(|part| !part.is_empty())
        .try_fold(value, |value, part| match value {
            Value::Array(items) => items.get(part.parse::<usize>().ok()?),
            _ => value.get(part),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Map;

    fn item(json: Value) -> Item {
        Item::new(json.as_object().cloned().unwrap_or_else(Map::new), 0)
    }

    #[test]
    fn last_node_answers_pick_n8ns_data() {
        let items = [item(json!({"a": {"b": [5, 6]}})), item(json!({"c": 1}))];
        let json_of = |data, property| match last_node_body(&data, &items, property) {
            Ok((AnswerBody::Json(value), _)) => value,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            json_of(LastNodeData::FirstEntryJson, None),
            json!({"a": {"b": [5, 6]}})
        );
        assert_eq!(
            json_of(LastNodeData::FirstEntryJson, Some("a.b[1]")),
            json!(6)
        );
        assert_eq!(
            json_of(LastNodeData::AllEntries, None),
            json!([{"a": {"b": [5, 6]}}, {"c": 1}])
        );
        assert_eq!(
            last_node_body(&LastNodeData::FirstEntryJson, &[], None).unwrap_err(),
            "No item to return was found"
        );
        assert_eq!(
            last_node_body(&LastNodeData::FirstEntryBinary("data".into()), &items, None)
                .unwrap_err(),
            "No binary data was found to return"
        );
    }
}
