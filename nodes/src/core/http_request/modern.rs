//! HTTP Request from typeVersion 3 on (n8n's HttpRequestV3): `method`, `sendQuery`/`sendHeaders`/
//! `sendBody` with fields or JSON, the response options, and n8n's request options as its
//! errors show them (`context.request`).

use std::time::Duration;

use reqwest::Method;
use serde_json::{Map, Value, json};

use super::file::Naming;
use super::request::{ACCEPT_ANY, ACCEPT_JSON, ACCEPT_TEXT, Body, Request};
use super::response::{Format, Options};
use super::{json_parameter, text};
use crate::description::number;
use crate::error::NodeError;
use crate::http::MaxRedirects;
use crate::node::NodeContext;

/// n8n's timeout when `options.timeout` is not set: five minutes.
const DEFAULT_TIMEOUT_MS: f64 = 300_000.0;

/// The request and response options of input item `index`, and n8n's request options for
/// errors.
pub fn read(ctx: &NodeContext<'_>, index: usize) -> Result<(Request, Options, Value), NodeError> {
    let method: String = ctx.parameter_as("method", index)?;
    let timeout = ctx
        .optional_parameter("options.timeout", index)?
        .and_then(|value| value.as_f64())
        .filter(|timeout| *timeout > 0.0)
        .unwrap_or(DEFAULT_TIMEOUT_MS);
    let mut request = Request::new(
        &method,
        &ctx.parameter("url", index)?,
        Duration::from_millis(timeout as u64),
    )?;
    if flag(ctx, "sendQuery", index)? {
        request.query = pairs(ctx, "Query", index)?;
    }
    if flag(ctx, "sendHeaders", index)? {
        for (name, value) in pairs(ctx, "Headers", index)? {
            request.set_header(&name.to_lowercase(), value);
        }
    }
    if flag(ctx, "sendBody", index)? {
        body(ctx, &mut request, index)?;
    }
    let version = ctx.node().type_version;
    let redirects = Redirects::read(ctx, version, index)?;
    if !redirects.follow {
        request.max_redirects = MaxRedirects(0);
    } else if let Some(max) = redirects.max {
        request.max_redirects = MaxRedirects(max);
    }
    let mut options = response_options(ctx, index)?;
    options.file_naming = Naming {
        redirects_followed: redirects.follow,
        unnamed_after_uri: Some(request.url.to_string()),
    };
    request.default_accept(match options.format {
        Format::Json => ACCEPT_JSON,
        Format::Text => ACCEPT_TEXT,
        Format::Autodetect | Format::File => ACCEPT_ANY,
    });
    let echo = request_options(&request, &options, version, timeout, &redirects);
    Ok((request, options, echo))
}

/// `options.redirect.redirect`: `followRedirects` defaults to off in typeVersion 3 and on from 4
/// (whether the option is there or not).
struct Redirects {
    follow: bool,
    /// `maxRedirects`, when given.
    max: Option<usize>,
}

impl Redirects {
    fn read(ctx: &NodeContext<'_>, version: f64, index: usize) -> Result<Self, NodeError> {
        let option = ctx.optional_parameter("options.redirect", index)?;
        let setting = |name: &str| {
            option
                .as_ref()
                .and_then(|option| option.pointer(&format!("/redirect/{name}")))
                .cloned()
        };
        let follow = setting("followRedirects")
            .and_then(|value| value.as_bool())
            .unwrap_or(version >= 4.0);
        let max = setting("maxRedirects")
            .and_then(|value| value.as_f64())
            .filter(|max| *max >= 1.0)
            .map(|max| max as usize);
        Ok(Self { follow, max })
    }
}

/// The response options (`options.response.response`).
fn response_options(ctx: &NodeContext<'_>, index: usize) -> Result<Options, NodeError> {
    let option =
        |name: &str| ctx.optional_parameter(&format!("options.response.response.{name}"), index);
    let flag = |value: Option<Value>| value.and_then(|value| value.as_bool()).unwrap_or(false);
    let text = |value: Option<Value>| value.and_then(|value| value.as_str().map(str::to_owned));
    let format = match text(option("responseFormat")?).as_deref() {
        Some("json") => Format::Json,
        Some("text") => Format::Text,
        Some("file") => Format::File,
        _ => Format::Autodetect,
    };
    Ok(Options {
        full_response: flag(option("fullResponse")?),
        never_error: flag(option("neverError")?),
        format,
        output_property: text(option("outputPropertyName")?).unwrap_or_else(|| "data".into()),
        split_arrays: true,
        text_format_label: "Text",
        text_body_in_output_property: false,
        file_naming: Naming::default(),
    })
}

/// Headers whose values are secrets however they were set (a key typed into the node's own header
/// parameters): `context.request` shows them as [`HIDDEN`].
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-api-key",
    "x-auth-token",
];

/// What a secret header's value is shown as (n8n's word for hidden credential values).
const HIDDEN: &str = "**hidden**";

/// n8n's request options for `request` (what `context.request` of its errors shows): the
/// headers it sends, method, URI, query and body, redirects and timeout as that typeVersion
/// sets them, and how it reads the body.
fn request_options(
    request: &Request,
    options: &Options,
    version: f64,
    timeout: f64,
    redirects: &Redirects,
) -> Value {
    let headers: Map<String, Value> = request
        .headers
        .iter()
        .map(|(name, value)| {
            let shown = if SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                HIDDEN
            } else {
                value.as_str()
            };
            (name.clone(), json!(shown))
        })
        .collect();
    let mut echo = json!({
        "headers": headers,
        "method": request.method.as_str(),
        "uri": request.url.as_str(),
        "gzip": true,
        "rejectUnauthorized": true,
        "followRedirect": redirects.follow,
        "resolveWithFullResponse": true,
        "sendCredentialsOnCrossOriginRedirect": version < 4.4,
        "timeout": number(timeout),
    });
    if redirects.follow {
        echo["followAllRedirects"] = json!(true);
    } else if version >= 4.1 && request.method != Method::GET {
        echo["followAllRedirects"] = json!(false);
    }
    if let Some(max) = redirects.max.filter(|_| redirects.follow) {
        echo["maxRedirects"] = json!(max);
    }
    if !request.query.is_empty() {
        let query: Map<String, Value> = request
            .query
            .iter()
            .map(|(name, value)| (name.clone(), json!(value)))
            .collect();
        echo["qs"] = Value::Object(query);
    }
    let pairs_object = |fields: &[(String, String)]| -> Value {
        Value::Object(
            fields
                .iter()
                .map(|(name, value)| (name.clone(), json!(value)))
                .collect(),
        )
    };
    match &request.body {
        Some(Body::Json(value)) => echo["body"] = value.clone(),
        Some(Body::Form(fields)) => echo["form"] = pairs_object(fields),
        Some(Body::Multipart(fields)) => echo["formData"] = pairs_object(fields),
        Some(Body::Raw(text)) => echo["body"] = json!(text),
        None => {}
    }
    let raw = matches!(request.body, Some(Body::Raw(_)));
    if options.format == Format::Autodetect {
        echo["encoding"] = Value::Null;
        echo["json"] = json!(false);
        echo["useStream"] = json!(true);
    } else if raw {
        echo["json"] = json!(false);
        echo["useStream"] = json!(true);
    } else {
        echo["json"] = json!(true);
    }
    echo
}

fn flag(ctx: &NodeContext<'_>, name: &str, index: usize) -> Result<bool, NodeError> {
    Ok(ctx
        .optional_parameter(name, index)?
        .and_then(|value| value.as_bool())
        == Some(true))
}

/// The body for the chosen content type.
fn body(ctx: &NodeContext<'_>, request: &mut Request, index: usize) -> Result<(), NodeError> {
    let content_type: String = ctx.parameter_as("contentType", index)?;
    request.body = Some(match content_type.as_str() {
        "raw" => {
            let mime: String = ctx.parameter_as("rawContentType", index)?;
            request.set_header("content-type", mime);
            Body::Raw(ctx.parameter_as("body", index)?)
        }
        "form-urlencoded" => Body::Form(pairs(ctx, "Body", index)?),
        _ => {
            let specify: String = ctx.parameter_as("specifyBody", index)?;
            Body::Json(if specify == "json" {
                json_parameter(ctx, "jsonBody", index)?
            } else {
                Value::Object(
                    pairs(ctx, "Body", index)?
                        .into_iter()
                        .map(|(name, value)| (name, Value::String(value)))
                        .collect(),
                )
            })
        }
    });
    Ok(())
}

/// Name/value pairs of query (`part` = `Query`), headers or body: from the fields
/// (`<part>Parameters`) or from JSON (`json<part>`), as `specify<part>` says.
fn pairs(
    ctx: &NodeContext<'_>,
    part: &str,
    index: usize,
) -> Result<Vec<(String, String)>, NodeError> {
    let specify: String = ctx.parameter_as(&format!("specify{part}"), index)?;
    if specify == "json" {
        let name = format!("json{part}");
        let object = match json_parameter(ctx, &name, index)? {
            Value::Object(object) => object,
            _ => {
                return Err(NodeError::operation(format!(
                    "The JSON of {part} must be an object"
                )));
            }
        };
        return Ok(object
            .into_iter()
            .map(|(name, value)| (name, text(value)))
            .collect());
    }
    // n8n names the lists `queryParameters`, `headerParameters` and `bodyParameters`.
    let list = match part {
        "Headers" => "header".to_owned(),
        other => other.to_lowercase(),
    };
    let fields = ctx.optional_parameter(&format!("{list}Parameters.parameters"), index)?;
    Ok(super::name_value_pairs(fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_request_hides_secret_headers_set_in_the_node() {
        let mut request = Request::new(
            "GET",
            &json!("http://127.0.0.1:1/x"),
            Duration::from_secs(1),
        )
        .unwrap();
        request.headers = vec![
            ("Authorization".into(), "Bearer typed-secret".into()),
            ("x-api-key".into(), "typed-key".into()),
            ("X-Trace".into(), "shown".into()),
        ];
        let options = Options {
            full_response: false,
            never_error: false,
            format: Format::Json,
            output_property: "data".into(),
            split_arrays: true,
            text_format_label: "Text",
            text_body_in_output_property: false,
            file_naming: Naming::default(),
        };
        let redirects = Redirects {
            follow: true,
            max: None,
        };
        let echo = request_options(&request, &options, 4.2, 1000.0, &redirects);
        assert_eq!(
            echo["headers"],
            json!({"Authorization": HIDDEN, "x-api-key": HIDDEN, "X-Trace": "shown"})
        );
        assert!(!echo.to_string().contains("typed-"), "{echo}");
    }
}
