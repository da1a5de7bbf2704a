//! HTTP Request's response handling: status errors as n8n's `NodeApiError`, JSON or text bodies
//! into items, the full response on request.

use reqwest::header::CONTENT_TYPE;
use serde_json::{Map, Value, json};

use crate::error::NodeError;
use crate::item::Item;
use crate::node::NodeContext;

/// The response options (`options.response.response`).
pub struct Options {
    full_response: bool,
    never_error: bool,
    format: String,
    output_property: String,
}

impl Options {
    /// The options for item `index`.
    pub fn read(ctx: &NodeContext<'_>, index: usize) -> Result<Self, NodeError> {
        let option = |name: &str| {
            ctx.optional_parameter(&format!("options.response.response.{name}"), index)
        };
        let flag = |value: Option<Value>| value.and_then(|value| value.as_bool()).unwrap_or(false);
        let text = |value: Option<Value>, default: &str| {
            value
                .and_then(|value| value.as_str().map(str::to_owned))
                .unwrap_or_else(|| default.to_owned())
        };
        Ok(Self {
            full_response: flag(option("fullResponse")?),
            never_error: flag(option("neverError")?),
            format: text(option("responseFormat")?, "autodetect"),
            output_property: text(option("outputPropertyName")?, "data"),
        })
    }
}

/// The `NodeApiError` for a request that got no answer.
pub fn transport_error(error: reqwest_middleware::Error) -> NodeError {
    let message = if error.is_timeout() {
        "The connection timed out, consider setting the 'Retry on Fail' option in the node settings"
    } else if error.is_connect() {
        "The service refused the connection - perhaps it is offline"
    } else {
        "The request could not be sent"
    };
    NodeError::api(message).with_cause(error.to_string())
}

/// The items of `response` for input item `index`, or its status error.
pub async fn items(
    response: reqwest::Response,
    options: &Options,
    index: usize,
) -> Result<Vec<Item>, NodeError> {
    let status = response.status();
    let headers: Map<String, Value> = response
        .headers()
        .iter()
        .map(|(name, value)| (name.to_string(), json!(value.to_str().unwrap_or_default())))
        .collect();
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("json"));
    let text = response.text().await.map_err(|error| {
        NodeError::api("The response could not be read").with_cause(error.to_string())
    })?;
    if !status.is_success() && !options.never_error {
        let mut error = NodeError::from_status(status.as_u16(), &text);
        if let Some(description) = description(&text) {
            error = error.with_description(description);
        }
        return Err(error);
    }
    let parse_json = options.format == "json" || (options.format == "autodetect" && is_json);
    let body = match serde_json::from_str::<Value>(&text) {
        Ok(value) if parse_json => value,
        Err(error) if options.format == "json" => {
            return Err(NodeError::operation("The response is not valid JSON")
                .with_description(error.to_string()));
        }
        _ => Value::String(text),
    };
    if options.full_response {
        let full = json!({
            "body": body,
            "headers": headers,
            "statusCode": status.as_u16(),
            "statusMessage": status.canonical_reason().unwrap_or_default(),
        });
        return Ok(vec![Item::from_value(full, index)]);
    }
    Ok(match body {
        Value::Array(values) => values
            .into_iter()
            .map(|value| Item::from_value(value, index))
            .collect(),
        Value::String(text) => vec![Item::new(
            Map::from_iter([(options.output_property.clone(), Value::String(text))]),
            index,
        )],
        other => vec![Item::from_value(other, index)],
    })
}

/// The service's own words in an error body: its `message` (or `error.message`), else the text.
fn description(body: &str) -> Option<String> {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let message = parsed.as_ref().and_then(|value| {
        value
            .get("message")
            .or_else(|| value.pointer("/error/message"))
            .or_else(|| value.pointer("/0/message"))
            .and_then(Value::as_str)
    });
    match message {
        Some(message) => Some(message.to_owned()),
        None if !body.trim().is_empty() => Some(body.trim().to_owned()),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_come_from_the_body() {
        assert_eq!(
            description(r#"{"message":"nope"}"#).as_deref(),
            Some("nope")
        );
        assert_eq!(
            description(r#"[{"message":"gone","errorCode":"NOT_FOUND"}]"#).as_deref(),
            Some("gone")
        );
        assert_eq!(description("plain text ").as_deref(), Some("plain text"));
        assert_eq!(description(""), None);
    }
}
