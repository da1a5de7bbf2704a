//! HTTP Request's response handling: status errors as n8n's `NodeApiError`, JSON, text or file
//! bodies into items, the full response on request.

use std::borrow::Cow;

use reqwest::header::CONTENT_TYPE;
use serde_json::{Map, Value, json};

use super::file;
use crate::core::binary_data::{MAX_FILE_BYTES, pretty_bytes};
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
    /// A binary property (n8n's `file`).
    File,
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
    /// A JSON array body gives one item per element; otherwise one item whose `json` is the
    /// array (v1 and v2, unless `splitIntoItems`).
    pub split_arrays: bool,
    /// The name of the text response format in this typeVersion's editor (`String` in 1 and 2,
    /// `Text` from 3), which the error for a body that is not JSON tells the user to choose.
    pub text_format_label: &'static str,
    /// Where a full text response puts its body: `body` (typeVersion 3 on) or the output
    /// field (1 and 2).
    pub text_body_in_output_property: bool,
    /// How a file response is named.
    pub file_naming: file::Naming,
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
    /// The URL that answered (the last one, after redirects).
    pub url: url::Url,
    /// The body.
    pub body: Body,
}

/// A response body: text, or the bytes of a file response.
#[derive(Clone, Debug)]
pub enum Body {
    /// Text, decoded by the `Content-Type`'s charset.
    Text(String),
    /// A file's bytes.
    File(Vec<u8>),
}

impl Page {
    /// Reads `response` to its end: as a file when `format` asks for one, or, when it
    /// autodetects, for n8n's binary content types; else as text.
    pub async fn read(mut response: reqwest::Response, format: Format) -> Result<Self, NodeError> {
        let status = response.status();
        let headers: Map<String, Value> = response
            .headers()
            .iter()
            .map(|(name, value)| (name.to_string(), json!(value.to_str().unwrap_or_default())))
            .collect();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        let is_json = content_type.contains("json");
        let is_file = format == Format::File
            || (format == Format::Autodetect && file::is_binary_content_type(content_type));
        let url = response.url().clone();
        let unreadable = |error: reqwest::Error| {
            NodeError::api("The response could not be read").with_cause(error.to_string())
        };
        let body = if is_file {
            let mut bytes = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(unreadable)? {
                if bytes.len() + chunk.len() > MAX_FILE_BYTES {
                    return Err(NodeError::api(format!(
                        "The file from {url} is larger than weft's limit of {}",
                        pretty_bytes(MAX_FILE_BYTES)
                    ))
                    .with_description(
                        "hint: download the file outside the workflow, or ask the service for \
                         a smaller part of it (e.g. a range or a page)",
                    ));
                }
                bytes.extend_from_slice(&chunk);
            }
            Body::File(bytes)
        } else {
            Body::Text(response.text().await.map_err(unreadable)?)
        };
        Ok(Self {
            status,
            headers,
            is_json,
            url,
            body,
        })
    }

    /// The body as text (a file's bytes read as UTF-8, invalid sequences replaced).
    pub fn text(&self) -> Cow<'_, str> {
        match &self.body {
            Body::Text(text) => Cow::Borrowed(text),
            Body::File(bytes) => String::from_utf8_lossy(bytes),
        }
    }

    /// The `NodeApiError` of a non-2xx status, with the service's own words.
    pub fn status_error(&self, format: Format) -> NodeError {
        let text = self.text();
        let error = NodeError::from_status(
            self.status.as_u16(),
            &cause_body(&text, format == Format::Json),
        );
        match description(&text) {
            Some(description) => error.with_description(description),
            None => error,
        }
    }
}

/// The items of `response` for input item `input` (number `index`), or its status error.
pub async fn items(
    response: reqwest::Response,
    options: &Options,
    input: &Item,
    index: usize,
) -> Result<Vec<Item>, NodeError> {
    page_items(
        Page::read(response, options.format).await?,
        options,
        input,
        index,
    )
}

/// The items of `page` for input item `input` (number `index`), or its status error.
pub fn page_items(
    page: Page,
    options: &Options,
    input: &Item,
    index: usize,
) -> Result<Vec<Item>, NodeError> {
    if !page.status.is_success() && !options.never_error {
        return Err(page.status_error(options.format));
    }
    let Page {
        status,
        mut headers,
        is_json,
        url,
        body,
    } = page;
    let text = match body {
        Body::Text(text) => text,
        Body::File(content) => {
            let binary = file::binary(&content, &headers, &url, options);
            let mut item = Item::new(input.json.clone(), index);
            if options.full_response {
                item.json = status_fields(status, std::mem::take(&mut headers));
            }
            item.binary = Some(input.binary.clone().unwrap_or_default());
            item.binary
                .get_or_insert_default()
                .insert(options.output_property.clone(), binary);
            return Ok(vec![item]);
        }
    };
    let parse_json =
        options.format == Format::Json || (options.format == Format::Autodetect && is_json);
    let not_json = |error: serde_json::Error| {
        NodeError::operation(format!(
            "Response body is not valid JSON. Change \"Response Format\" to \"{}\"",
            options.text_format_label
        ))
        .with_description(error.to_string())
    };
    let body = match serde_json::from_str::<Value>(&text) {
        // n8n parses a body that is a JSON string once more, and fails when its text is not JSON.
        Ok(Value::String(inner)) if parse_json => {
            serde_json::from_str::<Value>(&inner).map_err(not_json)?
        }
        Ok(value) if parse_json => value,
        Err(error) if options.format == Format::Json => return Err(not_json(error)),
        _ => Value::String(text),
    };
    if options.full_response {
        let body_key = match body {
            Value::String(_) if options.text_body_in_output_property => {
                options.output_property.as_str()
            }
            _ => "body",
        };
        let mut full = Map::from_iter([(body_key.to_owned(), body)]);
        full.extend(status_fields(status, headers));
        return Ok(vec![Item::new(full, index)]);
    }
    Ok(match body {
        Value::Array(values) if options.split_arrays => values
            .into_iter()
            .map(|value| Item::of_json_as_is(value, index))
            .collect(),
        Value::String(text) => vec![Item::new(
            Map::from_iter([(options.output_property.clone(), Value::String(text))]),
            index,
        )],
        other => vec![Item::of_json_as_is(other, index)],
    })
}

/// A full response's `headers`, `statusCode` and `statusMessage`.
fn status_fields(status: reqwest::StatusCode, headers: Map<String, Value>) -> Map<String, Value> {
    Map::from_iter([
        ("headers".to_owned(), Value::Object(headers)),
        ("statusCode".to_owned(), json!(status.as_u16())),
        (
            "statusMessage".to_owned(),
            json!(status.canonical_reason().unwrap_or_default()),
        ),
    ])
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
