//! HTTP Request's response handling: status errors as n8n's `NodeApiError`, JSON or text bodies
//! into items, the full response on request.

use reqwest::header::CONTENT_TYPE;
use serde_json::{Map, Value, json};

use crate::error::NodeError;
use crate::item::Item;

/// How a response body is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// JSON when the `Content-Type` says so, else text.
    Autodetect,
    /// JSON, or an error naming the setting to change.
    Json,
    /// Text into the output field.
    Text,
}

/// How a response becomes items: one decoder for every typeVersion.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The whole response (`body`, `headers`, `statusCode`, `statusMessage`) as one item.
    pub full_response: bool,
    /// A non-2xx status is a response like any other.
    pub never_error: bool,
    /// How the body is read.
    pub format: Format,
    /// The field that takes a text body.
    pub output_property: String,
    /// A JSON array body gives one item per element; otherwise one item holding it in `data`.
    pub split_arrays: bool,
    /// Where a full text response puts its body: `body` (typeVersion 3 on) or the output
    /// field (1 and 2).
    pub text_body_in_output_property: bool,
}

/// The `NodeApiError` for a request that got no answer.
pub fn transport_error(error: reqwest_middleware::Error) -> NodeError {
    let message = if error.is_timeout() {
        "The connection timed out, consider setting the 'Retry on Fail' option in the node settings"
            .to_owned()
    } else if error.is_connect() {
        "The service refused the connection - perhaps it is offline".to_owned()
    } else if let reqwest_middleware::Error::Middleware(refusal) = &error {
        // weft's own layers refused or gave up (a domain not allowed, too many redirects, a
        // credential that cannot be used): their words, written for the user, are the message.
        refusal.to_string()
    } else {
        "The request could not be sent".to_owned()
    };
    NodeError::api(message).with_cause(error.to_string())
}

/// A response read in full: what pagination looks at and the decoder turns into items.
#[derive(Clone, Debug)]
pub struct Page {
    /// The status.
    pub status: reqwest::StatusCode,
    /// The headers, names lower-case.
    pub headers: Map<String, Value>,
    /// The `Content-Type` says JSON.
    pub is_json: bool,
    /// The body as text.
    pub text: String,
}

impl Page {
    /// Reads `response` to its end.
    pub async fn read(response: reqwest::Response) -> Result<Self, NodeError> {
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
        Ok(Self {
            status,
            headers,
            is_json,
            text,
        })
    }

    /// The `NodeApiError` of a non-2xx status, with the service's own words.
    pub fn status_error(&self, format: Format) -> NodeError {
        let error = NodeError::from_status(
            self.status.as_u16(),
            &cause_body(&self.text, format == Format::Json),
        );
        match description(&self.text) {
            Some(description) => error.with_description(description),
            None => error,
        }
    }
}

/// The items of `response` for input item `index`, or its status error.
pub async fn items(
    response: reqwest::Response,
    options: &Options,
    index: usize,
) -> Result<Vec<Item>, NodeError> {
    page_items(Page::read(response).await?, options, index)
}

/// The items of `page` for input item `index`, or its status error.
pub fn page_items(page: Page, options: &Options, index: usize) -> Result<Vec<Item>, NodeError> {
    if !page.status.is_success() && !options.never_error {
        return Err(page.status_error(options.format));
    }
    let Page {
        status,
        headers,
        is_json,
        text,
    } = page;
    let parse_json =
        options.format == Format::Json || (options.format == Format::Autodetect && is_json);
    let body = match serde_json::from_str::<Value>(&text) {
        Ok(value) if parse_json => value,
        Err(error) if options.format == Format::Json => {
            return Err(NodeError::operation(
                "Response body is not valid JSON. Change \"Response Format\" to \"String\"",
            )
            .with_description(error.to_string()));
        }
        _ => Value::String(text),
    };
    if options.full_response {
        let body_key = match body {
            Value::String(_) if options.text_body_in_output_property => {
                options.output_property.as_str()
            }
            _ => "body",
        };
        let full = Map::from_iter([
            (body_key.to_owned(), body),
            ("headers".to_owned(), Value::Object(headers)),
            ("statusCode".to_owned(), json!(status.as_u16())),
            (
                "statusMessage".to_owned(),
                json!(status.canonical_reason().unwrap_or_default()),
            ),
        ]);
        return Ok(vec![Item::new(full, index)]);
    }
    Ok(match body {
        Value::Array(values) if options.split_arrays => values
            .into_iter()
            .map(|value| Item::from_value(value, index))
            .collect(),
        Value::String(text) => vec![Item::new(
            Map::from_iter([(options.output_property.clone(), Value::String(text))]),
            index,
        )],
        // n8n's replaceNullValues: a `null` body is an empty item.
        Value::Null => vec![Item::new(Map::new(), index)],
        other => vec![Item::from_value(other, index)],
    })
}

/// The body as n8n's error cause shows it: JSON it parsed re-serialised, text quoted.
fn cause_body(text: &str, parsed_as_json: bool) -> String {
    match serde_json::from_str::<Value>(text) {
        Ok(value) if parsed_as_json => value.to_string(),
        _ => Value::String(text.to_owned()).to_string(),
    }
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
