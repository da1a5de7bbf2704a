//! HTTP Request typeVersions 1 and 2 (n8n's HttpRequestV1 and V2, one code apart from
//! authentication): `requestMethod`, query, headers and body from the `…ParametersUi` lists or
//! the `…ParametersJson` texts, `options.bodyContentType`, `responseFormat` json or string,
//! read into the same request and response model as typeVersion 3 on.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Map, Value};

use super::file::Naming;
use super::request::{ACCEPT_ANY, ACCEPT_JSON, ACCEPT_TEXT, ArrayFormat, Body, Request, flatten};
use super::response::{Format, Options};
use super::text;
use crate::error::NodeError;
use crate::http::MaxRedirects;
use crate::node::NodeContext;

/// n8n's timeout when `options.timeout` is not set: one hour.
const DEFAULT_TIMEOUT_MS: f64 = 3_600_000.0;

/// The request and response options of input item `index`.
pub fn read(ctx: &NodeContext<'_>, index: usize) -> Result<(Request, Options), NodeError> {
    let method: String = ctx.parameter_as("requestMethod", index)?;
    let option = |name: &str| ctx.optional_parameter(&format!("options.{name}"), index);
    let timeout = option("timeout")?
        .and_then(|value| value.as_f64())
        .unwrap_or(DEFAULT_TIMEOUT_MS);
    let mut request = Request::new(
        &method,
        &ctx.parameter("url", index)?,
        Duration::from_millis(timeout.max(1.0) as u64),
    )?;
    // n8n's request library: GET and HEAD redirects unless `followRedirect` is off, any method's
    // with `followAllRedirects`.
    let follow_get = option("followRedirect")?.and_then(|value| value.as_bool()) != Some(false);
    if !(flag(option("followAllRedirects")?)
        || follow_get && matches!(request.method, Method::GET | Method::HEAD))
    {
        request.max_redirects = MaxRedirects(0);
    }
    let content_type = option("bodyContentType")?
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_else(|| "json".into());
    let raw = content_type == "raw";
    let array_format = if option("useQueryString")?.and_then(|value| value.as_bool()) == Some(true)
    {
        ArrayFormat::Repeat
    } else {
        ArrayFormat::Brackets
    };
    let parts = if flag(ctx.optional_parameter("jsonParameters", index)?) {
        json_parts(ctx, index, raw)?
    } else {
        ui_parts(ctx, index)?
    };
    if let Some(query) = parts.query {
        request.query = flatten(&query, array_format);
    }
    if let Some(headers) = parts.headers {
        for (name, value) in headers {
            request.set_header(&name, text(value));
        }
    }
    request.body = parts.body.map(|body| match body {
        Value::String(text) if raw => Body::Raw(text),
        Value::Object(fields) if with_body(&method) && content_type == "form-urlencoded" => {
            Body::Form(flatten(&fields, ArrayFormat::Indices))
        }
        Value::Object(fields) if with_body(&method) && content_type == "multipart-form-data" => {
            Body::Multipart(flatten(&fields, ArrayFormat::Indices))
        }
        Value::String(text) => Body::Raw(text),
        other => Body::Json(other),
    });
    if let Some(mime) = option("bodyContentCustomMimeType")?
        .and_then(|value| value.as_str().map(str::to_owned))
        .filter(|mime| !mime.is_empty())
    {
        request.set_header("Content-Type", mime);
    }
    let format: String = ctx.parameter_as("responseFormat", index)?;
    let format = match format.as_str() {
        "string" => {
            request.default_accept(ACCEPT_TEXT);
            Format::Text
        }
        "file" => {
            request.default_accept(ACCEPT_ANY);
            Format::File
        }
        _ => {
            request.default_accept(ACCEPT_JSON);
            Format::Json
        }
    };
    let output_property = ctx
        .optional_parameter("dataPropertyName", index)?
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_else(|| "data".into());
    let options = Options {
        full_response: flag(option("fullResponse")?),
        never_error: flag(option("ignoreResponseCode")?),
        format,
        output_property,
        split_arrays: flag(option("splitIntoItems")?),
        text_format_label: "String",
        text_body_in_output_property: true,
        file_naming: Naming {
            redirects_followed: request.max_redirects.0 > 0,
            unnamed_after_uri: None,
        },
    };
    Ok((request, options))
}

/// Waits `batchInterval` ms before input item `index` when it starts a new batch of
/// `batchSize` (0 counting as 1), as n8n does when both options are set.
pub async fn pause_between_batches(ctx: &NodeContext<'_>, index: usize) -> Result<(), NodeError> {
    if index == 0 {
        return Ok(());
    }
    let number = |name: &str| -> Result<Option<f64>, NodeError> {
        Ok(ctx
            .optional_parameter(&format!("options.{name}"), index)?
            .and_then(|value| value.as_f64()))
    };
    let (Some(size), Some(interval)) = (number("batchSize")?, number("batchInterval")?) else {
        return Ok(());
    };
    if size < 0.0 || interval <= 0.0 {
        return Ok(());
    }
    let size = if size > 0.0 { size as usize } else { 1 };
    if index.is_multiple_of(size) {
        tokio::time::sleep(Duration::from_millis(interval as u64)).await;
    }
    Ok(())
}

/// Query, headers and body as n8n's `qs`, `headers` and `body` objects (a raw body as text).
struct Parts {
    query: Option<Map<String, Value>>,
    headers: Option<Map<String, Value>>,
    body: Option<Value>,
}

/// From the JSON texts: an empty text is left out; anything else must be JSON unless the body
/// is raw.
fn json_parts(ctx: &NodeContext<'_>, index: usize, raw: bool) -> Result<Parts, NodeError> {
    let read = |name: &str,
                display_name: &str,
                keep_text: bool|
     -> Result<Option<Value>, NodeError> {
        match ctx.optional_parameter(name, index)? {
            None => Ok(None),
            Some(Value::String(text)) if text.is_empty() => Ok(None),
            Some(Value::String(text)) if keep_text => Ok(Some(Value::String(text))),
            Some(Value::String(text)) => serde_json::from_str(&text).map(Some).map_err(|error| {
                NodeError::operation(format!(
                    "The data in \"{display_name}\" is no valid JSON. Set Body Content Type to \
                     \"RAW/Custom\" for XML or other types of payloads"
                ))
                .with_description(error.to_string())
                .with_context("itemIndex", Value::from(index))
            }),
            Some(other) => Ok(Some(other)),
        }
    };
    let object = |value: Option<Value>, display_name: &str| match value {
        None => Ok(None),
        Some(Value::Object(object)) => Ok(Some(object)),
        Some(_) => Err(NodeError::operation(format!(
            "The data in \"{display_name}\" must be a JSON object"
        ))),
    };
    Ok(Parts {
        query: object(
            read("queryParametersJson", "Query Parameters", false)?,
            "Query Parameters",
        )?,
        headers: object(read("headerParametersJson", "Headers", false)?, "Headers")?,
        body: read("bodyParametersJson", "Body Parameters", raw)?,
    })
}

/// From the `…ParametersUi` lists: header names lower-cased, a repeated query name collecting
/// its values in a list, a repeated body name keeping the last value.
fn ui_parts(ctx: &NodeContext<'_>, index: usize) -> Result<Parts, NodeError> {
    let list = |name: &str| -> Result<Option<Vec<(String, Value)>>, NodeError> {
        Ok(
            match ctx.optional_parameter(&format!("{name}.parameter"), index)? {
                Some(Value::Array(entries)) => Some(
                    entries
                        .into_iter()
                        .filter_map(|entry| match entry {
                            Value::Object(mut fields) => Some((
                                fields.remove("name").map(text).unwrap_or_default(),
                                fields
                                    .remove("value")
                                    .unwrap_or(Value::String(String::new())),
                            )),
                            _ => None,
                        })
                        .collect(),
                ),
                _ => None,
            },
        )
    };
    let query = list("queryParametersUi")?.map(|entries| {
        let mut query = Map::new();
        for (name, value) in entries {
            let merged = match query.remove(&name) {
                Some(Value::Array(mut values)) => {
                    values.push(value);
                    Value::Array(values)
                }
                Some(Value::String(old)) => Value::Array(vec![Value::String(old), value]),
                _ => value,
            };
            query.insert(name, merged);
        }
        query
    });
    let headers = list("headerParametersUi")?.map(|entries| {
        entries
            .into_iter()
            .map(|(name, value)| (name.to_lowercase(), value))
            .collect()
    });
    let body =
        list("bodyParametersUi")?.map(|entries| Value::Object(entries.into_iter().collect()));
    Ok(Parts {
        query,
        headers,
        body,
    })
}

fn with_body(method: &str) -> bool {
    matches!(method, "PATCH" | "POST" | "PUT")
}

fn flag(value: Option<Value>) -> bool {
    value.and_then(|value| value.as_bool()) == Some(true)
}
