//! Respond to Webhook (`n8n-nodes-base.respondToWebhook`, typeVersions 1 to 1.5): answers the
//! request that started the run (a Webhook with `responseMode: responseNode`) with its input
//! items, the first item, a JSON or text body, a redirect, a file or nothing, with the options'
//! status code and headers.
//!
//! The answer goes to the run's [`WebhookReply`] (`weft start`); in a run no request started
//! (`weft run`), it goes nowhere, as in n8n's CLI mode. Either way the node passes its input on
//! and, on typeVersion 1.3 or with "Enable Response Output Branch" from 1.4, emits the answer as
//! `{response: {body, headers, statusCode}}` on a second output. From typeVersion 1.1 it fails
//! without a webhook upstream, as n8n does. JWT answers are refused at check.

use async_trait::async_trait;
use serde_json::{Map, Value, json};

use crate::core::binary_data;
use crate::core::webhook::{RESPONSE_HEADERS, response_headers};
use crate::description::is;
use crate::description::{
    Choice, Condition, Literal, NodeDescription, Parameter, ParameterKind, VERSION_KEY,
};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext, Unsupported};
use crate::register_node;
use crate::webhook::{AnswerBody, WebhookAnswer};

/// The Respond to Webhook node.
pub struct RespondToWebhook;

/// The node types n8n accepts upstream of a Respond to Webhook.
const WEBHOOK_TYPES: &[&str] = &[
    "n8n-nodes-base.webhook",
    "n8n-nodes-base.formTrigger",
    "@n8n/n8n-nodes-langchain.chatTrigger",
    "n8n-nodes-base.wait",
];

const RESPOND_WITH: &[Choice] = &[
    Choice::new("All Incoming Items", Literal::String("allIncomingItems")),
    Choice::new("Binary File", Literal::String("binary")),
    Choice::new("First Incoming Item", Literal::String("firstIncomingItem")),
    Choice::new("JSON", Literal::String("json")),
    Choice::new("JWT Token", Literal::String("jwt")),
    Choice::new("No Data", Literal::String("noData")),
    Choice::new("Redirect", Literal::String("redirect")),
    Choice::new("Text", Literal::String("text")),
];

const FROM_V14: &[(&str, &[Condition])] = &[(VERSION_KEY, &[Condition::Gte(1.4)])];

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.respondToWebhook",
    display_name: "Respond to Webhook",
    description: "Returns data for Webhook",
    versions: &[1.0, 1.1, 1.2, 1.3, 1.4, 1.5],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "enableResponseOutput",
            "Enable Response Output Branch",
            ParameterKind::Boolean,
        )
        .show(FROM_V14)
        .describe(
            "Whether to provide an additional output branch with the response sent to the webhook",
        ),
        Parameter::new("generalNotice", "Notice", ParameterKind::String),
        Parameter::new(
            "respondWith",
            "Respond With",
            ParameterKind::Options(RESPOND_WITH),
        )
        .default(Literal::String("firstIncomingItem"))
        .show(&[(
            VERSION_KEY,
            &[
                Condition::Is(Literal::Number(1.0)),
                Condition::Is(Literal::Number(1.1)),
            ],
        )])
        .describe("The data that should be returned"),
        Parameter::new(
            "respondWith",
            "Respond With",
            ParameterKind::Options(RESPOND_WITH),
        )
        .default(Literal::String("firstIncomingItem"))
        .no_data_expression()
        .show(&[(VERSION_KEY, &[Condition::Gte(1.2)])])
        .describe("The data that should be returned"),
        Parameter::new("credentials", "Credentials", ParameterKind::String)
            .show(&[("respondWith", &[is("jwt")])]),
        Parameter::new("webhookNotice", "Notice", ParameterKind::String)
            .show(&[("respondWith", &[is("json"), is("text"), is("jwt")])]),
        Parameter::new("redirectURL", "Redirect URL", ParameterKind::String)
            .required()
            .show(&[("respondWith", &[is("redirect")])])
            .describe("The URL to redirect to"),
        Parameter::new("responseBody", "Response Body", ParameterKind::Json)
            .default(Literal::String("{\n  \"myField\": \"value\"\n}"))
            .show(&[("respondWith", &[is("json")])])
            .describe("The HTTP response JSON data"),
        Parameter::new("payload", "Payload", ParameterKind::Json)
            .default(Literal::String("{\n  \"myField\": \"value\"\n}"))
            .show(&[("respondWith", &[is("jwt")])]),
        Parameter::new("responseBody", "Response Body", ParameterKind::String)
            .show(&[("respondWith", &[is("text")])])
            .describe("The HTTP response text data"),
        Parameter::new(
            "responseDataSource",
            "Response Data Source",
            ParameterKind::Options(&[
                Choice::new(
                    "Choose Automatically From Input",
                    Literal::String("automatically"),
                ),
                Choice::new("Specify Myself", Literal::String("set")),
            ]),
        )
        .default(Literal::String("automatically"))
        .show(&[("respondWith", &[is("binary")])]),
        Parameter::new("inputFieldName", "Input Field Name", ParameterKind::String)
            .default(Literal::String("data"))
            .required()
            .show(&[
                ("respondWith", &[is("binary")]),
                ("responseDataSource", &[is("set")]),
            ])
            .describe("The name of the node input field with the binary data"),
        Parameter::new("contentTypeNotice", "Notice", ParameterKind::String)
            .show(&[("respondWith", &[is("text")])]),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                Parameter::new("responseCode", "Response Code", ParameterKind::Number)
                    .default(Literal::Number(200.0))
                    .describe("The HTTP response code to return. Defaults to 200."),
                RESPONSE_HEADERS,
                Parameter::new(
                    "responseKey",
                    "Put Response in Field",
                    ParameterKind::String,
                )
                .show(&[(
                    "/respondWith",
                    &[is("allIncomingItems"), is("firstIncomingItem")],
                )])
                .describe("The name of the response field to put all items in"),
                Parameter::new(
                    "enableStreaming",
                    "Enable Streaming",
                    ParameterKind::Boolean,
                )
                .default(Literal::Bool(true))
                .show(&[
                    (
                        "/respondWith",
                        &[
                            is("allIncomingItems"),
                            is("firstIncomingItem"),
                            is("text"),
                            is("json"),
                            is("jwt"),
                        ],
                    ),
                    (VERSION_KEY, &[Condition::Gte(1.5)]),
                ]),
            ]),
        ),
    ],
    credentials: &[],
};

/// Whether a node of `version` with `parameters` has the "Response" output.
fn has_response_output(version: f64, parameters: &Value) -> bool {
    version == 1.3
        || (version >= 1.4 && parameters.get("enableResponseOutput") == Some(&Value::Bool(true)))
}

/// The answer the node gives, and its body as n8n's second output shows it.
struct Response {
    answer: WebhookAnswer,
    shown_body: Option<Value>,
}

#[async_trait]
impl Node for RespondToWebhook {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    fn outputs(&self, version: f64, parameters: &Value) -> usize {
        1 + usize::from(has_response_output(version, parameters))
    }

    fn unsupported(&self, _version: f64, parameters: &Value) -> Vec<Unsupported> {
        match parameters.get("respondWith").and_then(Value::as_str) {
            Some("jwt") => vec![Unsupported::new(
                "respondWith",
                "weft does not sign JWT answers yet",
                "answer with JSON (respondWith: json) and sign the token elsewhere",
            )],
            _ => Vec::new(),
        }
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let version = ctx.node().type_version;
        let items = ctx.input();
        let response = match respond(ctx, version) {
            Ok(response) => response,
            Err(error) if ctx.continue_on_fail() => {
                let mut failed =
                    Item::new(Map::from_iter([("error".into(), json!(error.message))]), 0);
                failed.paired_item = Some(crate::item::PairedItems::Many(
                    (0..items.len()).map(crate::item::PairedItem::new).collect(),
                ));
                return out.emit(0, [failed]).await;
            }
            Err(error) => return Err(error),
        };
        if let Some(reply) = ctx.webhook_reply() {
            reply.send(response.answer.clone());
        }
        out.emit(
            0,
            items
                .iter()
                .enumerate()
                .map(|(index, item)| item.clone().paired_to(index)),
        )
        .await?;
        let parameters = json!({
            "enableResponseOutput": ctx.optional_parameter("enableResponseOutput", 0)?,
        });
        if has_response_output(version, &parameters) {
            let mut shown = Map::new();
            if let Some(body) = response.shown_body {
                shown.insert("body".to_owned(), body);
            }
            let headers: Map<String, Value> = response
                .answer
                .headers
                .iter()
                .map(|(name, value)| (name.clone(), json!(value)))
                .collect();
            shown.insert("headers".to_owned(), Value::Object(headers));
            shown.insert("statusCode".to_owned(), json!(response.answer.status));
            let item = Item::new(
                Map::from_iter([("response".into(), Value::Object(shown))]),
                0,
            );
            out.emit(1, [item]).await?;
        }
        Ok(())
    }
}

/// n8n's answer for the node's parameters (read for item 0, as n8n does).
fn respond(ctx: &NodeContext<'_>, version: f64) -> Result<Response, NodeError> {
    if version >= 1.1
        && !ctx
            .ancestor_types()
            .iter()
            .any(|type_name| WEBHOOK_TYPES.contains(&type_name.as_str()))
    {
        return Err(NodeError::operation("No Webhook node found in the workflow")
            .with_description(
                "Insert a Webhook node to your workflow and set the \u{201c}Respond\u{201d} parameter to \u{201c}Using Respond to Webhook Node\u{201d} ",
            ));
    }
    let items = ctx.input();
    let options = ctx
        .optional_parameter("options", 0)?
        .unwrap_or_else(|| json!({}));
    let mut headers = response_headers(options.get("responseHeaders"));
    let code = options
        .get("responseCode")
        .and_then(Value::as_f64)
        .filter(|code| (100.0..=599.0).contains(code))
        .map(|code| code as u16);
    let mut status = code.unwrap_or(200);
    let respond_with = ctx.parameter("respondWith", 0)?;
    let key = options
        .get("responseKey")
        .and_then(Value::as_str)
        .filter(|key| !key.is_empty());
    let under_key = |value: Value| match key {
        Some(key) => lodash_set(key, value),
        None => value,
    };
    let first_json = || {
        items
            .first()
            .map(|item| Value::Object(item.json.clone()))
            .ok_or_else(|| {
                NodeError::operation("Cannot read properties of undefined (reading 'json')")
            })
    };
    let body = match respond_with.as_str().unwrap_or_default() {
        "json" => match ctx.parameter("responseBody", 0)? {
            Value::String(text) if text.is_empty() => None,
            Value::String(text) => Some(serde_json::from_str(&text).map_err(|error| {
                NodeError::operation("Invalid JSON in 'Response Body' field")
                    .with_description(
                        "Check that the syntax of the JSON in the 'Response Body' parameter is valid",
                    )
                    .with_cause(error.to_string())
            })?),
            Value::Null => None,
            value => Some(value),
        }
        .map(AnswerBody::Json),
        "allIncomingItems" => {
            let all = items.iter().map(|item| Value::Object(item.json.clone())).collect();
            Some(AnswerBody::Json(under_key(Value::Array(all))))
        }
        "firstIncomingItem" => Some(AnswerBody::Json(under_key(first_json()?))),
        "text" => Some(match ctx.parameter("responseBody", 0)? {
            Value::String(text) => AnswerBody::Text(text),
            other => AnswerBody::Json(other),
        }),
        "binary" => Some(binary_answer(ctx, &mut headers)?),
        "redirect" => {
            let url = ctx.parameter("redirectURL", 0)?;
            headers.push(("location".to_owned(), url.as_str().map_or_else(|| url.to_string(), str::to_owned)));
            status = code.unwrap_or(307);
            None
        }
        "noData" => None,
        other => {
            return Err(NodeError::operation(format!(
                "The Response Data option \"{other}\" is not supported!"
            )));
        }
    };
    let shown_body = body.as_ref().map(|body| match body {
        AnswerBody::Json(value) => value.clone(),
        AnswerBody::Text(text) => json!(text),
        // n8n's output shows the Buffer as JSON.stringify writes one.
        AnswerBody::Bytes(bytes) => json!({"type": "Buffer", "data": bytes}),
        AnswerBody::Empty => Value::Null,
    });
    Ok(Response {
        answer: WebhookAnswer {
            status,
            headers,
            body: body.unwrap_or(AnswerBody::Empty),
        },
        shown_body,
    })
}

/// The first item's file: the named binary property, or its first; its type as content type
/// unless a header sets one.
fn binary_answer(
    ctx: &NodeContext<'_>,
    headers: &mut Vec<(String, String)>,
) -> Result<AnswerBody, NodeError> {
    let missing = || NodeError::operation("No binary data exists on the first item!");
    let item = ctx.input().first().ok_or_else(missing)?;
    let binary = item.binary.as_ref().ok_or_else(missing)?;
    let property = match ctx.parameter("responseDataSource", 0)?.as_str() {
        Some("set") => ctx
            .parameter("inputFieldName", 0)?
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        _ => binary.keys().next().cloned().ok_or_else(missing)?,
    };
    let file = binary_data::input_binary(item, &property, 0)?;
    let bytes = binary_data::content(file, &property, 0)?;
    if !headers.iter().any(|(name, _)| name == "content-type") {
        headers.push(("content-type".to_owned(), file.mime_type.clone()));
    }
    headers.push(("content-length".to_owned(), bytes.len().to_string()));
    Ok(AnswerBody::Bytes(bytes))
}

/// lodash's `set({}, path, value)` for a dot path.
fn lodash_set(path: &str, value: Value) -> Value {
    path.rsplit('.').fold(value, |inner, key| {
        Value::Object(Map::from_iter([(key.to_owned(), inner)]))
    })
}

register_node!(RespondToWebhook);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_key_nests_the_body_along_its_dot_path() {
        assert_eq!(lodash_set("data", json!([1])), json!({"data": [1]}));
        assert_eq!(lodash_set("a.b", json!({})), json!({"a": {"b": {}}}));
    }

    #[test]
    fn the_response_output_exists_on_13_and_when_enabled_from_14() {
        let enabled = json!({"enableResponseOutput": true});
        let cases = [
            (1.2, &enabled, false),
            (1.3, &json!({}), true),
            (1.4, &json!({}), false),
            (1.4, &enabled, true),
            (1.5, &enabled, true),
        ];
        for (version, parameters, expected) in cases {
            assert_eq!(
                has_response_output(version, parameters),
                expected,
                "{version}"
            );
        }
    }
}
