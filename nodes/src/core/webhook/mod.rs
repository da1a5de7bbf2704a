//! Webhook (`n8n-nodes-base.webhook`, typeVersions 1, 1.1, 2 and 2.1): starts the workflow when
//! its URL is called.
//!
//! `weft start` serves it ([`WebhookTrigger`]): the node describes its endpoint from its
//! parameters (methods, path, response mode and data, response code and headers, Basic or Header
//! authentication, raw body) and makes n8n's item from a request (`headers`, `params`, `query`,
//! `body`, `webhookUrl`, `executionMode: "production"`, a file body as a binary property), on the
//! output of the request's method when it listens to several. In `weft run` it is a trigger in
//! n8n's CLI mode: it passes its input (one empty item) on. What weft does not serve (JWT and
//! n8n user authentication, streaming, bot filtering, IP allowlists, "Only Run If") is refused at
//! check.

mod description;

use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use crate::core::binary_data;
use crate::description::NodeDescription;
use crate::error::NodeError;
use crate::item::{BinaryData, Item};
use crate::node::{Emitter, Node, NodeContext, Unsupported};
use crate::register_node;
use crate::webhook::{
    LastNodeData, OnReceivedBody, ResponseMode, UrlPrefix, WebhookAnswer, WebhookAuthentication,
    WebhookEndpoint, WebhookRequest, WebhookTrigger,
};

pub(crate) use description::RESPONSE_HEADERS;

/// The Webhook node.
pub struct Webhook;

#[async_trait]
impl Node for Webhook {
    fn description(&self) -> &'static NodeDescription {
        &description::DESCRIPTION
    }

    fn webhook(&self) -> Option<&dyn WebhookTrigger> {
        Some(self)
    }

    /// One output per method when it listens to several.
    fn outputs(&self, _version: f64, parameters: &Value) -> usize {
        match parameters.get("httpMethod") {
            Some(Value::Array(methods)) => methods.len().max(1),
            _ => 1,
        }
    }

    fn unsupported(&self, _version: f64, parameters: &Value) -> Vec<Unsupported> {
        let mut refused = Vec::new();
        let text = |path: &str| {
            parameters
                .pointer(path)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let authentication = text("/authentication");
        if matches!(authentication.as_str(), "jwtAuth" | "n8nOAuth2") {
            refused.push(Unsupported::new(
                "authentication",
                format!("weft's webhooks do not check `{authentication}` authentication yet"),
                "use Basic Auth (httpBasicAuth) or Header Auth (httpHeaderAuth), or none",
            ));
        }
        if text("/responseMode") == "streaming" {
            refused.push(Unsupported::new(
                "responseMode",
                "weft does not stream webhook answers",
                "answer when the last node finishes (lastNode) or with a Respond to Webhook node",
            ));
        }
        if parameters.pointer("/options/ignoreBots") == Some(&Value::Bool(true)) {
            refused.push(Unsupported::new(
                "options.ignoreBots",
                "weft's webhooks do not tell bots from other callers",
                "remove the option; protect the webhook with Basic or Header authentication",
            ));
        }
        for (option, what) in [
            ("ipWhitelist", "an IP allowlist"),
            ("onlyRunIf", "an \"Only Run If\" condition"),
        ] {
            if !text(&format!("/options/{option}")).trim().is_empty() {
                refused.push(Unsupported::new(
                    format!("options.{option}"),
                    format!("weft's webhooks do not check {what} yet"),
                    "remove the option and check the request in the workflow (an IF node after the webhook)",
                ));
            }
        }
        refused
    }

    /// n8n's CLI mode: a trigger passes its input on, which for the start node is one empty
    /// item.
    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        pass_on_cli_input(ctx, out).await
    }
}

/// What a trigger served by `weft start` does in `weft run` (n8n's CLI mode): it passes its
/// input on, which for the start node is one empty item.
pub(crate) async fn pass_on_cli_input(
    ctx: &NodeContext<'_>,
    out: &mut Emitter,
) -> Result<(), NodeError> {
    if ctx.input().is_empty() {
        return out.emit(0, [Item::new(Map::new(), 0)]).await;
    }
    let items = ctx.input().iter().enumerate();
    out.emit(0, items.map(|(index, item)| item.clone().paired_to(index)))
        .await
}

impl WebhookTrigger for Webhook {
    fn endpoint(&self, ctx: &NodeContext<'_>) -> Result<WebhookEndpoint, NodeError> {
        let version = ctx.node().type_version;
        let methods = match ctx.parameter("httpMethod", 0)? {
            Value::Array(methods) => methods.iter().filter_map(method_name).collect(),
            method => method_name(&method).into_iter().collect(),
        };
        let output_per_method = matches!(ctx.parameter("httpMethod", 0)?, Value::Array(_));
        let path = string(ctx.parameter("path", 0)?);
        let options = ctx
            .optional_parameter("options", 0)?
            .unwrap_or_else(|| json!({}));
        let option = |name: &str| options.get(name).filter(|value| !value.is_null());
        let response_mode = string(
            ctx.optional_parameter("responseMode", 0)?
                .unwrap_or_else(|| json!("onReceived")),
        );
        let response = match response_mode.as_str() {
            "lastNode" => {
                let data = string(
                    ctx.optional_parameter("responseData", 0)?
                        .unwrap_or_else(|| json!("firstEntryJson")),
                );
                ResponseMode::LastNode {
                    data: match data.as_str() {
                        "allEntries" => LastNodeData::AllEntries,
                        "noData" => LastNodeData::NoData,
                        "firstEntryBinary" => LastNodeData::FirstEntryBinary(string(
                            ctx.optional_parameter("responseBinaryPropertyName", 0)?
                                .unwrap_or_else(|| json!("data")),
                        )),
                        _ => LastNodeData::FirstEntryJson,
                    },
                    content_type: option("responseContentType")
                        .map(|value| string(value.clone()))
                        .filter(|text| !text.is_empty()),
                    property: option("responsePropertyName").map(|value| string(value.clone())),
                }
            }
            "responseNode" => ResponseMode::ResponseNode,
            _ => ResponseMode::OnReceived(
                match option("responseData").map(|value| string(value.clone())) {
                    Some(text) if text == "noData" => OnReceivedBody::Empty,
                    Some(text) if !text.is_empty() => OnReceivedBody::Text(text),
                    _ if option("noResponseBody") == Some(&Value::Bool(true)) => {
                        OnReceivedBody::Empty
                    }
                    _ => OnReceivedBody::Started,
                },
            ),
        };
        let authentication = match string(ctx.parameter("authentication", 0)?).as_str() {
            "basicAuth" => WebhookAuthentication::Basic,
            "headerAuth" => WebhookAuthentication::Header,
            _ => WebhookAuthentication::None,
        };
        Ok(WebhookEndpoint {
            methods,
            output_per_method,
            prefix: UrlPrefix::Webhook,
            path: path.trim_matches('/').to_owned(),
            response_code: response_code(ctx.optional_parameter("responseCode", 0)?, &options),
            response,
            response_headers: response_headers(option("responseHeaders")),
            authentication,
            raw_body: option("rawBody") == Some(&Value::Bool(true))
                || (version == 1.0 && option("binaryData") == Some(&Value::Bool(true))),
            binary_property: option("binaryPropertyName")
                .map(|value| string(value.clone()))
                .filter(|name| !name.is_empty())
                .unwrap_or_else(|| "data".to_owned()),
            settings: Value::Null,
        })
    }

    fn output(
        &self,
        endpoint: &WebhookEndpoint,
        request: WebhookRequest,
    ) -> Result<Vec<Vec<Item>>, WebhookAnswer> {
        let mut json = Map::new();
        json.insert("headers".to_owned(), Value::Object(request.headers));
        json.insert("params".to_owned(), Value::Object(request.params));
        json.insert("query".to_owned(), Value::Object(request.query));
        json.insert("body".to_owned(), request.body);
        json.insert("webhookUrl".to_owned(), Value::String(request.webhook_url));
        json.insert("executionMode".to_owned(), json!("production"));
        let mut item = Item {
            json,
            ..Item::default()
        };
        if let Some((bytes, content_type)) = request.file.filter(|(bytes, _)| !bytes.is_empty()) {
            let mime = Some(content_type.as_str()).filter(|mime| !mime.is_empty());
            let mut file = binary_data::prepare(&bytes, None, mime);
            if mime.is_none() {
                file.mime_type = "application/octet-stream".to_owned();
            }
            item.binary = Some([(endpoint.binary_property.clone(), file)].into());
        } else if let Some((bytes, content_type)) = request.raw {
            // n8n's raw body: the bytes and the request's type, nothing else.
            let raw = BinaryData {
                data: STANDARD.encode(bytes),
                mime_type: content_type,
                file_name: None,
                file_extension: None,
                other: Map::new(),
            };
            item.binary = Some([("data".to_owned(), raw)].into());
        }
        let output = match endpoint.output_per_method {
            true => endpoint
                .methods
                .iter()
                .position(|method| *method == request.method)
                .unwrap_or(0),
            false => 0,
        };
        let mut outputs = vec![Vec::new(); endpoint.methods.len().max(1)];
        outputs[output].push(item);
        Ok(outputs)
    }
}

/// n8n's `getResponseCode`: v1's top-level code, else v2's option (a custom code first).
fn response_code(top_level: Option<Value>, options: &Value) -> u16 {
    let code = |value: &Value| value.as_f64().filter(|code| *code != 0.0);
    let chosen = top_level.as_ref().and_then(code).or_else(|| {
        let values = options.pointer("/responseCode/values")?;
        values
            .get("customCode")
            .and_then(code)
            .filter(|_| values.get("responseCode") == Some(&json!("customCode")))
            .or_else(|| values.get("responseCode").and_then(code))
    });
    chosen
        .filter(|code| (100.0..=599.0).contains(code))
        .map_or(200, |code| code as u16)
}

/// `responseHeaders.entries` as `(name, value)` pairs, names lower-case.
pub(crate) fn response_headers(headers: Option<&Value>) -> Vec<(String, String)> {
    headers
        .and_then(|headers| headers.get("entries"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let name = text_of(entry.get("name")?);
            let value = entry.get("value").map(text_of).unwrap_or_default();
            (!name.is_empty()).then(|| (name.to_ascii_lowercase(), value))
        })
        .collect()
}

/// A value as text: a string as it is, anything else as JSON.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn string(value: Value) -> String {
    match value {
        Value::String(text) => text,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn method_name(value: &Value) -> Option<String> {
    value.as_str().map(str::to_ascii_uppercase)
}

register_node!(Webhook);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_codes_follow_n8ns_precedence() {
        let cases = [
            (Some(json!(201)), json!({}), 201),
            (None, json!({}), 200),
            (
                None,
                json!({"responseCode": {"values": {"responseCode": 204}}}),
                204,
            ),
            (
                None,
                json!({"responseCode": {"values": {"responseCode": "customCode", "customCode": 418}}}),
                418,
            ),
            (
                Some(json!(0)),
                json!({"responseCode": {"values": {"responseCode": 302}}}),
                302,
            ),
            (Some(json!(99999)), json!({}), 200),
        ];
        for (top_level, options, expected) in cases {
            assert_eq!(
                response_code(top_level.clone(), &options),
                expected,
                "{top_level:?} {options}"
            );
        }
    }

    #[test]
    fn header_entries_are_lower_cased_and_nameless_ones_dropped() {
        let headers = json!({"entries": [
            {"name": "Content-Type", "value": "application/xml"},
            {"name": "", "value": "x"},
            {"name": "X-Count", "value": 3}
        ]});
        assert_eq!(
            response_headers(Some(&headers)),
            vec![
                ("content-type".to_owned(), "application/xml".to_owned()),
                ("x-count".to_owned(), "3".to_owned())
            ]
        );
    }
}
