//! `weft start`'s webhook server: every enabled webhook trigger of the started workflows is
//! served at n8n's production URL `/webhook/<path>`, or `/form/<path>` for a form
//! ([`routes`]), on one address (127.0.0.1 unless `--webhook-address` says otherwise).
//!
//! A request is matched by path, then method (n8n's 404 texts otherwise), authenticated against
//! the node's credential ([`authentication`]), its body read up to [`body::MAX_BODY_BYTES`]
//! (413 beyond) and parsed ([`body`], 422 when it is not what its type says; multipart only
//! for forms), turned into the trigger's output by the node (or answered by the node itself
//! without a run: a form's page), and the workflow run from the webhook with it. The answer
//! ([`answer`]) follows the node's response mode: at once (`onReceived`), from the last node's
//! data when the run finished (`lastNode`), or what a Respond to Webhook node sends
//! (`responseNode`), or a fixed answer when the run finished (a form's "submitted" page); a
//! failed run before an answer is n8n's 500 `Error in workflow`. Runs are
//! logged on stderr; a panic in one is contained to it.

mod answer;
mod authentication;
mod body;
mod routes;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use serde_json::{Map, Value};
use tokio::net::TcpListener;
use tracing::{info, warn};
use weft_credentials::generic::{HttpBasicAuthData, HttpHeaderAuthData};
use weft_nodes::{
    Item, ResponseMode, UrlPrefix, WebhookAnswer, WebhookAuthentication, WebhookEndpoint,
    WebhookReply, WebhookRequest,
};

use crate::executor::{self, HistoryStore, RunOptions, RunRecord, SubWorkflowOptions};
use crate::trigger::Runtime;
use crate::trigger::containment::contained;
use crate::workflow::Plan;
use authentication::Refusal;
use routes::RoutePath;

/// One webhook trigger being served.
pub struct Registration {
    /// The workflow's name.
    workflow: String,
    /// The workflow JSON (for `$workflow`).
    document: Value,
    /// The workflow's plan, started at this webhook.
    plan: Plan,
    /// What the trigger listens to.
    endpoint: WebhookEndpoint,
    /// Its path.
    path: RoutePath,
}

/// Why a webhook cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum RegistrationError {
    /// Its parameters cannot be read.
    #[error("\"{node}\": {error} (hint: fix the webhook's parameters)")]
    Endpoint {
        /// The node's name.
        node: String,
        /// What failed.
        error: weft_nodes::NodeError,
    },
    /// Its path has parameters but the node no webhookId.
    #[error(
        "\"{node}\": the path \"{path}\" has parameters, which need the node's webhookId (hint: give the node a \"webhookId\" as n8n exports it)"
    )]
    NoWebhookId {
        /// The node's name.
        node: String,
        /// Its path.
        path: String,
    },
    /// Another webhook listens to the same path and method.
    #[error(
        "\"{node}\": {method} /{prefix}/{path} is already served by another webhook (hint: give one of them another path)"
    )]
    Taken {
        /// The node's name.
        node: String,
        /// The first segment of the URL (`webhook`, `form`).
        prefix: &'static str,
        /// The method.
        method: String,
        /// The path.
        path: String,
    },
}

/// The indexes of the enabled webhook triggers of `plan`.
pub fn webhook_nodes(plan: &Plan) -> Vec<usize> {
    (0..plan.nodes.len())
        .filter(|&index| {
            !plan.nodes[index].disabled && executor::webhook_trigger(plan, index).is_some()
        })
        .collect()
}

/// Every webhook the server serves.
#[derive(Default)]
pub struct Webhooks {
    registrations: Vec<Arc<Registration>>,
}

impl Webhooks {
    /// Adds webhook node `node` of `plan` (checked from `document`).
    pub fn add(
        &mut self,
        runtime: &Runtime,
        document: &Value,
        plan: &Plan,
        node: usize,
    ) -> Result<(), RegistrationError> {
        let name = plan.nodes[node].info.name.clone();
        let expressions = runtime.run_expressions(document, plan.zone(), "webhook");
        let endpoint = executor::webhook_endpoint(plan, node, &runtime.clients, &expressions)
            .map_err(|error| RegistrationError::Endpoint {
                node: name.clone(),
                error,
            })?;
        let webhook_id = plan.nodes[node]
            .written
            .get("webhookId")
            .and_then(Value::as_str);
        let path = RoutePath::new(&endpoint.path, webhook_id).ok_or_else(|| {
            RegistrationError::NoWebhookId {
                node: name.clone(),
                path: endpoint.path.clone(),
            }
        })?;
        for taken in &self.registrations {
            let same_path = taken.path == path && taken.endpoint.prefix == endpoint.prefix;
            if let Some(method) = endpoint
                .methods
                .iter()
                .find(|method| same_path && taken.endpoint.methods.contains(method))
            {
                return Err(RegistrationError::Taken {
                    node: name,
                    prefix: endpoint.prefix.segment(),
                    method: method.clone(),
                    path: path.text,
                });
            }
        }
        let mut plan = plan.clone();
        plan.start = node;
        info!(workflow = %plan.name, node = %name, methods = ?endpoint.methods, path = %format!("/{}/{}", endpoint.prefix.segment(), path.text), "webhook registered");
        self.registrations.push(Arc::new(Registration {
            workflow: plan.name.clone(),
            document: document.clone(),
            plan,
            endpoint,
            path,
        }));
        Ok(())
    }

    /// True when there is nothing to serve.
    pub fn is_empty(&self) -> bool {
        self.registrations.is_empty()
    }
}

/// What the handler shares.
struct Served {
    webhooks: Webhooks,
    runtime: Arc<Runtime>,
    /// `http://<address>/`, the start of every webhook URL.
    base_url: String,
}

/// A bound webhook server.
pub struct WebhookServer {
    listener: TcpListener,
    served: Arc<Served>,
}

impl WebhookServer {
    /// Binds `address` for `webhooks`.
    pub async fn bind(
        address: SocketAddr,
        webhooks: Webhooks,
        runtime: Arc<Runtime>,
    ) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(address)
            .await
            .with_context(|| format!("cannot listen for webhooks on {address}"))?;
        let bound = listener.local_addr()?;
        if !bound.ip().is_loopback() {
            warn!(address = %bound, "webhooks are served beyond this machine");
        }
        info!(address = %bound, "serving webhooks at http://{bound}/webhook/ and forms at http://{bound}/form/");
        Ok(Self {
            listener,
            served: Arc::new(Served {
                webhooks,
                runtime,
                base_url: format!("http://{bound}/"),
            }),
        })
    }

    /// Serves until `shutdown` completes.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let router = axum::Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&self.served));
        axum::serve(self.listener, router)
            .with_graceful_shutdown(shutdown)
            .await
            .context("the webhook server stopped")
    }
}

/// One request.
async fn handle(State(served): State<Arc<Served>>, request: Request) -> Response {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    let method = parts.method.as_str().to_ascii_uppercase();
    let Some((prefix, rest)) =
        [UrlPrefix::Webhook, UrlPrefix::Form]
            .into_iter()
            .find_map(|prefix| {
                let rest = parts
                    .uri
                    .path()
                    .strip_prefix(&format!("/{}/", prefix.segment()))?;
                Some((prefix, rest))
            })
    else {
        return answer::error(
            404,
            &format!(
                "The requested webhook \"{method} {}\" is not registered.",
                parts.uri.path()
            ),
            Some("weft serves webhooks under /webhook/<path> and forms under /form/<path>"),
        );
    };
    let requested = routes::requested_segments(rest);
    let on_path: Vec<(&Arc<Registration>, Map<String, Value>)> = served
        .webhooks
        .registrations
        .iter()
        .filter(|registration| registration.endpoint.prefix == prefix)
        .filter_map(|registration| Some((registration, registration.path.matches(&requested)?)))
        .collect();
    let Some((registration, params)) = on_path
        .iter()
        .find(|(registration, _)| registration.endpoint.methods.contains(&method))
        .cloned()
    else {
        let methods: Vec<String> = on_path
            .iter()
            .flat_map(|(registration, _)| registration.endpoint.methods.clone())
            .collect();
        let hint = methods.is_empty().then_some(
            "start the workflow with `weft start`; its Webhook node's path and method must match",
        );
        return answer::error(404, &routes::not_registered(&method, rest, &methods), hint);
    };
    let registration = Arc::clone(registration);
    if let Err(refusal) = authenticate(&served, &registration, &parts.headers).await {
        warn!(workflow = %registration.workflow, path = %registration.path.text, status = refusal.status, "webhook request refused: {}", refusal.message);
        return answer::refusal(refusal.status, refusal.message);
    }
    let bytes = match axum::body::to_bytes(body, body::MAX_BODY_BYTES).await {
        Ok(bytes) => bytes.to_vec(),
        Err(_) => {
            return answer::error(
                413,
                "request entity too large",
                Some("weft reads webhook bodies of up to 16 MiB"),
            );
        }
    };
    let request = match webhook_request(&served, &registration, &parts, params, bytes).await {
        Ok(request) => request,
        Err(error) => {
            let (status, hint) = match &error {
                body::BodyError::Unparsable { reason } => (422, reason.clone()),
                body::BodyError::Multipart => (
                    415,
                    "send the fields as JSON or as a URL-encoded form".to_owned(),
                ),
            };
            return answer::error(status, &error.to_string(), Some(&hint));
        }
    };
    let trigger = executor::webhook_trigger(&registration.plan, registration.plan.start);
    let Some(trigger) = trigger else {
        return answer::error(500, "the workflow's start is not a webhook", None);
    };
    let response = match trigger.output(&registration.endpoint, request) {
        Ok(outputs) => respond(&served, &registration, outputs).await,
        Err(node_answer) => answer::response(node_answer),
    };
    info!(workflow = %registration.workflow, method, path = %registration.path.text, status = response.status().as_u16(), ms = started.elapsed().as_millis() as u64, "webhook answered");
    response
}

/// Checks the request against the node's credential.
async fn authenticate(
    served: &Served,
    registration: &Registration,
    headers: &HeaderMap,
) -> Result<(), Refusal> {
    let authentication = registration.endpoint.authentication;
    let Some(credential_type) = authentication.credential_type() else {
        return Ok(());
    };
    let node = &registration.plan.nodes[registration.plan.start];
    let reference = node
        .credentials
        .get(credential_type)
        .ok_or(authentication::NO_CREDENTIAL_DATA)?;
    let data = served
        .runtime
        .clients
        .data(credential_type, reference)
        .await
        .map_err(|error| {
            warn!(workflow = %registration.workflow, "the webhook's credential cannot be read: {}", error.message);
            authentication::NO_CREDENTIAL_DATA
        })?;
    match authentication {
        WebhookAuthentication::Basic => {
            let expected: HttpBasicAuthData =
                serde_json::from_value(data).map_err(|_| authentication::NO_CREDENTIAL_DATA)?;
            authentication::check_basic(headers, &expected)
        }
        WebhookAuthentication::Header => {
            let expected: HttpHeaderAuthData =
                serde_json::from_value(data).map_err(|_| authentication::NO_CREDENTIAL_DATA)?;
            authentication::check_header(headers, &expected)
        }
        WebhookAuthentication::None => Ok(()),
    }
}

/// The request as the node sees it.
async fn webhook_request(
    served: &Served,
    registration: &Registration,
    parts: &axum::http::request::Parts,
    params: Map<String, Value>,
    bytes: Vec<u8>,
) -> Result<WebhookRequest, body::BodyError> {
    let mut headers = Map::new();
    for (name, value) in &parts.headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        match headers.get_mut(name.as_str()) {
            Some(Value::String(joined)) => {
                joined.push_str(", ");
                joined.push_str(&value);
            }
            _ => {
                headers.insert(name.as_str().to_owned(), Value::String(value));
            }
        }
    }
    let content_type = parts
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok());
    let media = body::media_type(content_type);
    let endpoint = &registration.endpoint;
    let version = registration.plan.nodes[registration.plan.start]
        .info
        .type_version;
    let raw = endpoint.raw_body.then(|| {
        let kind = media
            .clone()
            .unwrap_or_else(|| "application/json".to_owned());
        (bytes.clone(), kind)
    });
    // typeVersion 1's "Binary File" takes any body as a file, raw body or not.
    let always_file = version == 1.0 && endpoint.raw_body && parts.method != Method::GET;
    let (parsed, files) = match (endpoint.prefix, content_type) {
        (UrlPrefix::Form, Some(content_type))
            if media
                .as_deref()
                .is_some_and(|media| media.starts_with("multipart/")) =>
        {
            let (fields, files) = body::multipart(content_type, bytes).await?;
            let parsed = body::ParsedBody {
                body: fields,
                file: None,
            };
            (parsed, files)
        }
        _ => (
            body::parse(media.as_deref(), bytes, always_file)?,
            Vec::new(),
        ),
    };
    let query = match body::form(parts.uri.query().unwrap_or_default()) {
        Value::Object(query) => query,
        _ => Map::new(),
    };
    Ok(WebhookRequest {
        method: parts.method.as_str().to_ascii_uppercase(),
        headers,
        params,
        query,
        body: parsed.body,
        file: parsed.file,
        files,
        raw: raw.filter(|_| !always_file),
        webhook_url: format!(
            "{}{}/{}",
            served.base_url,
            endpoint.prefix.segment(),
            registration.path.text
        ),
    })
}

/// Runs the workflow with the trigger's `outputs` and answers as the node's response mode says.
async fn respond(
    served: &Arc<Served>,
    registration: &Arc<Registration>,
    outputs: Vec<Vec<Item>>,
) -> Response {
    let endpoint = &registration.endpoint;
    let answer = |body| WebhookAnswer {
        status: endpoint.response_code,
        headers: endpoint.response_headers.clone(),
        body,
    };
    match &endpoint.response {
        ResponseMode::OnReceived(body) => {
            tokio::spawn(run(
                Arc::clone(served),
                Arc::clone(registration),
                outputs,
                None,
            ));
            let body = match body {
                weft_nodes::OnReceivedBody::Started => weft_nodes::AnswerBody::Json(
                    serde_json::json!({"message": "Workflow was started"}),
                ),
                weft_nodes::OnReceivedBody::Text(text) => {
                    weft_nodes::AnswerBody::Text(text.clone())
                }
                weft_nodes::OnReceivedBody::Empty => weft_nodes::AnswerBody::Empty,
                weft_nodes::OnReceivedBody::Answer(fixed) => {
                    return answer::response(fixed.as_ref().clone());
                }
            };
            answer::response(answer(body))
        }
        ResponseMode::AfterRun(fixed) => {
            let record = run(Arc::clone(served), Arc::clone(registration), outputs, None).await;
            match record {
                Some(record) if record.failure.is_none() => {
                    answer::response(fixed.as_ref().clone())
                }
                _ => answer::message(500, "Error in workflow"),
            }
        }
        ResponseMode::LastNode {
            data,
            content_type,
            property,
        } => {
            let record = run(Arc::clone(served), Arc::clone(registration), outputs, None).await;
            let Some(record) = record.filter(|record| record.failure.is_none()) else {
                return answer::message(500, "Error in workflow");
            };
            let Some(last) = record.last_outputs() else {
                return answer::message(
                    endpoint.response_code,
                    "Workflow executed successfully but the last node did not return any data",
                );
            };
            let items = last.first().map(Vec::as_slice).unwrap_or_default();
            match answer::last_node_body(data, items, property.as_deref()) {
                Ok((body, file_type)) => {
                    let mut answered = answer(body);
                    if let Some(kind) = content_type.clone().or(file_type) {
                        answered.headers.retain(|(name, _)| name != "content-type");
                        answered.headers.push(("content-type".to_owned(), kind));
                    }
                    answer::response(answered)
                }
                Err(message) => answer::error(500, message, None),
            }
        }
        ResponseMode::ResponseNode => {
            let (reply, answered) = WebhookReply::new();
            let running = tokio::spawn(run(
                Arc::clone(served),
                Arc::clone(registration),
                outputs,
                Some(Arc::new(reply)),
            ));
            if let Ok(node_answer) = answered.await {
                return answer::response(node_answer);
            }
            match running.await.ok().flatten() {
                Some(record) if record.failure.is_none() => {
                    answer::response(answer(weft_nodes::AnswerBody::Empty))
                }
                _ => answer::message(500, "Error in workflow"),
            }
        }
    }
}

/// One run of the registration's workflow from its webhook; `None` when it panicked.
async fn run(
    served: Arc<Served>,
    registration: Arc<Registration>,
    outputs: Vec<Vec<Item>>,
    reply: Option<Arc<WebhookReply>>,
) -> Option<RunRecord> {
    let runtime = &served.runtime;
    let plan = &registration.plan;
    let expressions = runtime.run_expressions(&registration.document, plan.zone(), "webhook");
    let options = RunOptions {
        pin_data: false,
        start_output: Some(outputs),
        limits: runtime.limits,
        sub_workflows: SubWorkflowOptions::with_folder(runtime.workflows_folder.clone()),
        webhook_reply: reply,
        history: HistoryStore::with_store(Arc::clone(&runtime.store)),
    };
    let started = Instant::now();
    let record = contained(executor::run(
        plan,
        &runtime.clients,
        &expressions,
        &options,
    ))
    .await;
    let workflow = &registration.workflow;
    let ms = started.elapsed().as_millis() as u64;
    match &record {
        Ok(record) => match &record.failure {
            None => info!(workflow = %workflow, ms, "webhook run succeeded"),
            Some(failure) => {
                let node = &plan.nodes[failure.node].info.name;
                warn!(workflow = %workflow, ms, "webhook run failed at node \"{node}\": {}", failure.error)
            }
        },
        Err(panic) => {
            warn!(workflow = %workflow, "webhook run panicked: {panic} (hint: this is a bug in weft or in a node)")
        }
    }
    record.ok()
}
