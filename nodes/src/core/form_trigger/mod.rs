//! n8n Form Trigger (`n8n-nodes-base.formTrigger`, typeVersions 1 and 2 to 2.6): a web form
//! whose submissions start the workflow.
//!
//! `weft start` serves it on the webhook server ([`WebhookTrigger`], [`UrlPrefix::Form`]) at
//! n8n's production URL `/form/<path>` (the path, else `options.path`, else the node's
//! webhookId; typeVersion 1: `/form/<path>/n8n-form`). A GET is answered by the node itself
//! with the form's page ([`page`]); a POST (multipart or URL-encoded) is checked and turned into
//! n8n's item ([`fields`]), or answered with the refused fields (400) without a run. The
//! answer to a submission follows `responseMode`: the "submitted" page (or a redirect) at once
//! or when the run finished, or what a Respond to Webhook node sends. In `weft run` it is a
//! trigger in n8n's CLI mode, as the Webhook node. n8n user authentication and IP allowlists
//! are refused at check.

mod description;
mod fields;
mod page;
mod settings;

use async_trait::async_trait;
use chrono::Utc;
use serde_json::{Map, Value, json};

use super::date_time::{LuxonTime, Zone};
use super::webhook::pass_on_cli_input;
use crate::description::NodeDescription;
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext, Unsupported};
use crate::register_node;
use crate::webhook::{
    AnswerBody, OnReceivedBody, ResponseMode, UrlPrefix, WebhookAnswer, WebhookAuthentication,
    WebhookEndpoint, WebhookRequest, WebhookTrigger,
};
use fields::FormField;
use settings::FormSettings;

/// n8n's default text after a submission.
const SUBMITTED_TEXT: &str = "Your response has been recorded";

/// The n8n Form Trigger node.
pub struct FormTrigger;

#[async_trait]
impl Node for FormTrigger {
    fn description(&self) -> &'static NodeDescription {
        &description::DESCRIPTION
    }

    fn webhook(&self) -> Option<&dyn WebhookTrigger> {
        Some(self)
    }

    fn unsupported(&self, _version: f64, parameters: &Value) -> Vec<Unsupported> {
        let mut refused = Vec::new();
        if parameters.pointer("/authentication") == Some(&json!("n8nUserAuth")) {
            refused.push(Unsupported::new(
                "authentication",
                "weft has no n8n users to log in",
                "use Basic Auth (httpBasicAuth) or none",
            ));
        }
        let allowlist = parameters
            .pointer("/options/ipWhitelist")
            .and_then(Value::as_str);
        if allowlist.is_some_and(|list| !list.trim().is_empty()) {
            refused.push(Unsupported::new(
                "options.ipWhitelist",
                "weft's forms do not check an IP allowlist yet",
                "remove the option; protect the form with Basic Auth",
            ));
        }
        refused
    }

    /// n8n's CLI mode: a trigger passes its input on (one empty item at the start).
    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        pass_on_cli_input(ctx, out).await
    }
}

impl WebhookTrigger for FormTrigger {
    fn endpoint(&self, ctx: &NodeContext<'_>) -> Result<WebhookEndpoint, NodeError> {
        let version = ctx.node().type_version;
        let text = |path: &str| -> Result<String, NodeError> {
            Ok(ctx
                .optional_parameter(path, 0)?
                .map(|value| match value {
                    Value::String(text) => text,
                    Value::Null => String::new(),
                    other => other.to_string(),
                })
                .unwrap_or_default())
        };
        let options = ctx
            .optional_parameter("options", 0)?
            .unwrap_or_else(|| json!({}));
        let option = |name: &str| options.get(name).filter(|value| !value.is_null());
        let mut path = text("path")?.trim_matches('/').to_owned();
        if path.is_empty() && version >= 2.2 {
            path = option("path")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .trim_matches('/')
                .to_owned();
        }
        if version == 1.0 {
            path = format!("{path}/n8n-form");
        }
        let entries = ctx
            .optional_parameter("formFields.values", 0)?
            .and_then(|values| values.as_array().cloned())
            .unwrap_or_default();
        let use_zone = match option("useWorkflowTimezone") {
            Some(value) => value.as_bool() == Some(true),
            None => version > 2.0,
        };
        let settings = FormSettings {
            title: text("formTitle")?,
            description: text("formDescription")?,
            fields: entries
                .iter()
                .map(|entry| FormField::parse(entry, version))
                .collect(),
            button_label: option("buttonLabel")
                .and_then(Value::as_str)
                .filter(|label| !label.is_empty())
                .unwrap_or("Submit")
                .to_owned(),
            append_attribution: option("appendAttribution") != Some(&Value::Bool(false)),
            custom_css: option("customCss")
                .and_then(Value::as_str)
                .filter(|css| !css.trim().is_empty())
                .map(str::to_owned),
            zone: use_zone.then(|| ctx.settings().time_zone.name().to_owned()),
            ignore_bots: option("ignoreBots") == Some(&Value::Bool(true)),
            show_headers: option("showHeaders") == Some(&Value::Bool(true)),
        };
        let after_submit = after_submit(&settings, &options);
        let response = match text("responseMode")?.as_str() {
            "lastNode" => ResponseMode::AfterRun(Box::new(after_submit)),
            "responseNode" => ResponseMode::ResponseNode,
            _ => ResponseMode::OnReceived(OnReceivedBody::Answer(Box::new(after_submit))),
        };
        let authentication = match text("authentication")?.as_str() {
            "basicAuth" if version > 1.0 => WebhookAuthentication::Basic,
            _ => WebhookAuthentication::None,
        };
        Ok(WebhookEndpoint {
            methods: vec!["GET".to_owned(), "POST".to_owned()],
            output_per_method: false,
            prefix: UrlPrefix::Form,
            path,
            response,
            response_code: 200,
            response_headers: Vec::new(),
            authentication,
            raw_body: false,
            binary_property: "data".to_owned(),
            settings: serde_json::to_value(settings)
                .map_err(|error| NodeError::operation(error.to_string()))?,
        })
    }

    fn output(
        &self,
        endpoint: &WebhookEndpoint,
        request: WebhookRequest,
    ) -> Result<Vec<Vec<Item>>, WebhookAnswer> {
        let settings: FormSettings =
            serde_json::from_value(endpoint.settings.clone()).map_err(|_| WebhookAnswer {
                status: 500,
                headers: Vec::new(),
                body: AnswerBody::Text("The form's settings cannot be read".to_owned()),
            })?;
        let user_agent = request.headers.get("user-agent").and_then(Value::as_str);
        if settings.ignore_bots
            && user_agent.is_some_and(|agent| isbot::Bots::default().is_bot(agent))
        {
            return Err(WebhookAnswer {
                status: 401,
                headers: vec![(
                    "www-authenticate".to_owned(),
                    "Basic realm=\"Enter credentials\"".to_owned(),
                )],
                body: AnswerBody::Empty,
            });
        }
        if request.method == "GET" {
            return Err(page::form(&settings, &request.query));
        }
        let sent = match &request.body {
            Value::Object(fields) => fields.clone(),
            _ => Map::new(),
        };
        let (mut json, binary) = fields::submission(&settings.fields, &sent, &request.files)
            .map_err(|problems| page::refused(&settings, &problems))?;
        let zone = settings
            .zone
            .as_deref()
            .and_then(|name| name.parse().ok())
            .map_or(Zone::UTC, Zone::of_workflow);
        let now = LuxonTime::from_millis(Utc::now().timestamp_millis(), zone);
        json.insert(
            "submittedAt".to_owned(),
            now.map_or(Value::Null, |now| Value::String(now.to_iso())),
        );
        json.insert("formMode".to_owned(), json!("production"));
        if settings.show_headers {
            json.insert("headers".to_owned(), Value::Object(request.headers));
        }
        if !request.query.is_empty() {
            json.insert(
                "formQueryParameters".to_owned(),
                Value::Object(request.query),
            );
        }
        let item = Item {
            json,
            binary: (!binary.is_empty()).then_some(binary),
            ..Item::default()
        };
        Ok(vec![vec![item]])
    }
}

/// The answer to a submission: a redirect (303) to a valid http(s) `redirectUrl`, else the
/// "submitted" page with the form's text.
fn after_submit(settings: &FormSettings, options: &Value) -> WebhookAnswer {
    let values = options.pointer("/respondWithOptions/values");
    let text = match values {
        Some(values) => match values.get("respondWith").and_then(Value::as_str) {
            Some("redirect") => {
                let target = values
                    .get("redirectUrl")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if let Ok(url) = url::Url::parse(target.trim())
                    && matches!(url.scheme(), "http" | "https")
                {
                    return WebhookAnswer {
                        status: 303,
                        headers: vec![("location".to_owned(), url.to_string())],
                        body: AnswerBody::Empty,
                    };
                }
                None
            }
            _ => values.get("formSubmittedText").and_then(Value::as_str),
        },
        None => options.get("formSubmittedText").and_then(Value::as_str),
    };
    page::submitted(settings, text.unwrap_or(SUBMITTED_TEXT))
}

register_node!(FormTrigger);
