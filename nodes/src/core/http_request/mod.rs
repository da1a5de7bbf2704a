//! HTTP Request (`n8n-nodes-base.httpRequest`, typeVersions 4 to 4.3): one request per input
//! item with method, URL, query, headers and a JSON, form or raw body; JSON or text responses.
//! Authentication is none or a predefined credential type, through the runtime's clients.

mod description;
mod response;

use std::time::Duration;

use async_trait::async_trait;
use reqwest::Method;
use reqwest_middleware::{ClientWithMiddleware, RequestBuilder};
use serde_json::{Map, Value};

use crate::description::NodeDescription;
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

/// The HTTP Request node.
pub struct HttpRequest;

#[async_trait]
impl Node for HttpRequest {
    fn description(&self) -> &'static NodeDescription {
        &description::DESCRIPTION
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let http = client(ctx).await?;
        for index in 0..ctx.input().len() {
            match request(ctx, &http, index).await {
                Ok(items) => out.emit(0, items).await?,
                Err(error) if ctx.continue_on_fail() => {
                    out.emit(0, [Item::failed(error, index)]).await?;
                }
                Err(error) => return Err(error.for_item(index)),
            }
        }
        Ok(())
    }

    /// n8n's generic credential types (`authentication: genericCredentialType`: header, basic,
    /// bearer, OAuth2 and other auth) are refused rather than sent without authentication.
    fn unsupported(&self, _version: f64, parameters: &Value) -> Option<String> {
        let authentication = parameters["authentication"].as_str().unwrap_or("none");
        (!matches!(authentication, "none" | "predefinedCredentialType")).then(|| {
            format!(
                "weft does not have n8n's HTTP Request authentication `{authentication}` yet: \
                 only none and a predefined credential type"
            )
        })
    }
}

register_node!(HttpRequest);

/// The client for every item: authenticated when the node names a credential type.
async fn client(ctx: &NodeContext<'_>) -> Result<ClientWithMiddleware, NodeError> {
    let authentication: String = ctx.parameter_as("authentication", 0)?;
    if authentication == "predefinedCredentialType" {
        let credential_type: String = ctx.parameter_as("nodeCredentialType", 0)?;
        Ok(ctx.http(&credential_type).await?.http)
    } else {
        Ok(ctx.unauthenticated_http())
    }
}

/// The request for input item `index` and the items its response gives.
async fn request(
    ctx: &NodeContext<'_>,
    http: &ClientWithMiddleware,
    index: usize,
) -> Result<Vec<Item>, NodeError> {
    let method: String = ctx.parameter_as("method", index)?;
    let method = Method::from_bytes(method.as_bytes())
        .map_err(|_| NodeError::operation(format!("Invalid HTTP method \"{method}\"")))?;
    let url: String = ctx.parameter_as("url", index)?;
    let url = url::Url::parse(&url).map_err(|error| {
        NodeError::operation(format!("Invalid URL: {url}")).with_description(format!(
            "{error} (hint: give an absolute http:// or https:// URL)"
        ))
    })?;
    let mut request = http.request(method, url);
    if flag(ctx, "sendQuery", index)? {
        request = request.query(&pairs(ctx, "Query", index)?);
    }
    if flag(ctx, "sendHeaders", index)? {
        for (name, value) in pairs(ctx, "Headers", index)? {
            request = request.header(name, value);
        }
    }
    if flag(ctx, "sendBody", index)? {
        request = body(ctx, request, index)?;
    }
    let timeout: f64 = ctx
        .optional_parameter("options.timeout", index)?
        .and_then(|value| value.as_f64())
        .unwrap_or(10_000.0);
    request = request.timeout(Duration::from_millis(timeout.max(1.0) as u64));
    let options = response::Options::read(ctx, index)?;
    let sent = request.send().await.map_err(response::transport_error)?;
    response::items(sent, &options, index).await
}

fn flag(ctx: &NodeContext<'_>, name: &str, index: usize) -> Result<bool, NodeError> {
    Ok(ctx
        .optional_parameter(name, index)?
        .and_then(|value| value.as_bool())
        == Some(true))
}

/// The body for the chosen content type.
fn body(
    ctx: &NodeContext<'_>,
    request: RequestBuilder,
    index: usize,
) -> Result<RequestBuilder, NodeError> {
    let content_type: String = ctx.parameter_as("contentType", index)?;
    Ok(match content_type.as_str() {
        "raw" => {
            let mime: String = ctx.parameter_as("rawContentType", index)?;
            let text: String = ctx.parameter_as("body", index)?;
            request
                .header(reqwest::header::CONTENT_TYPE, mime)
                .body(text)
        }
        "form-urlencoded" => request.form(&pairs(ctx, "Body", index)?),
        _ => {
            let specify: String = ctx.parameter_as("specifyBody", index)?;
            let body = if specify == "json" {
                json_parameter(ctx, "jsonBody", index)?
            } else {
                let pairs = pairs(ctx, "Body", index)?;
                Value::Object(
                    pairs
                        .into_iter()
                        .map(|(name, value)| (name, Value::String(value)))
                        .collect(),
                )
            };
            request.json(&body)
        }
    })
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
        let object = match json_parameter(ctx, &format!("json{part}"), index)? {
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
    let fields = ctx.optional_parameter(
        &format!("{}Parameters.parameters", part.to_lowercase()),
        index,
    )?;
    let entries = match fields {
        Some(Value::Array(entries)) => entries,
        _ => Vec::new(),
    };
    Ok(entries
        .into_iter()
        .filter_map(|entry| match entry {
            Value::Object(mut fields) => Some(fields_pair(&mut fields)),
            _ => None,
        })
        .filter(|(name, _)| !name.is_empty())
        .collect())
}

fn fields_pair(fields: &mut Map<String, Value>) -> (String, String) {
    let mut take = |key: &str| fields.remove(key).map(text).unwrap_or_default();
    (take("name"), take("value"))
}

/// A `json` parameter: JSON text, or a value an expression produced.
fn json_parameter(ctx: &NodeContext<'_>, name: &str, index: usize) -> Result<Value, NodeError> {
    match ctx.parameter(name, index)? {
        Value::String(text) => serde_json::from_str(&text).map_err(|error| {
            NodeError::operation(format!("The parameter \"{name}\" needs to be valid JSON"))
                .with_description(error.to_string())
        }),
        other => Ok(other),
    }
}

/// A value as request text: strings as they are, anything else as JSON.
fn text(value: Value) -> String {
    match value {
        Value::String(text) => text,
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn generic_credential_authentication_is_refused() {
        let refused = |parameters: Value| HttpRequest.unsupported(4.3, &parameters);
        assert_eq!(refused(json!({ "authentication": "none" })), None);
        assert_eq!(
            refused(json!({ "authentication": "predefinedCredentialType" })),
            None
        );
        assert_eq!(
            refused(json!({ "authentication": "genericCredentialType" })).as_deref(),
            Some(
                "weft does not have n8n's HTTP Request authentication `genericCredentialType` \
                 yet: only none and a predefined credential type"
            )
        );
    }
}
