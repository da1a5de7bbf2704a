//! Webhooks: a trigger that an HTTP request starts (the Webhook node and the n8n Form Trigger,
//! served by `weft start`) and a node that answers that request (Respond to Webhook).
//!
//! The runtime owns the server, body parsing and its bounds, authentication against the
//! credential and the HTTP answer. A trigger node describes what it listens to
//! ([`WebhookTrigger::endpoint`], its parameters evaluated once at activation) and turns one
//! request into its outputs, or answers it itself without a run (a form's page, a refused
//! submission) ([`WebhookTrigger::output`]); a responding node hands its answer to
//! the run's [`WebhookReply`], which only the first answer of a run passes through (as in n8n).

use std::sync::{Mutex, PoisonError};

use serde_json::{Map, Value};
use tokio::sync::oneshot;

use crate::error::NodeError;
use crate::item::Item;
use crate::node::NodeContext;

/// What a webhook trigger listens to and how its request is answered.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookEndpoint {
    /// The HTTP methods it accepts, upper-case.
    pub methods: Vec<String>,
    /// One output per method (n8n's "Allow Multiple HTTP Methods"): a request goes to the
    /// output of its method.
    pub output_per_method: bool,
    /// Where its URLs live: `/webhook/<path>` or `/form/<path>`.
    pub prefix: UrlPrefix,
    /// The path under the prefix, without leading or trailing slashes; `:name` segments are
    /// parameters.
    pub path: String,
    /// When and with what the request is answered.
    pub response: ResponseMode,
    /// The status of the answer (not for [`ResponseMode::ResponseNode`]).
    pub response_code: u16,
    /// Headers added to the answer.
    pub response_headers: Vec<(String, String)>,
    /// Who may call it.
    pub authentication: WebhookAuthentication,
    /// Keep the request's bytes as binary property `data` besides the parsed body.
    pub raw_body: bool,
    /// The binary property a body that is a file goes to.
    pub binary_property: String,
    /// What the node read at activation for its own use in [`WebhookTrigger::output`] (a
    /// form's fields and texts); `Null` when it needs nothing.
    pub settings: Value,
}

/// The first segment of a trigger's URLs (n8n's production URLs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlPrefix {
    /// `/webhook/<path>` (the Webhook node).
    Webhook,
    /// `/form/<path>` (the n8n Form Trigger); multipart bodies are read into fields and files.
    Form,
}

impl UrlPrefix {
    /// The segment, without slashes.
    pub fn segment(self) -> &'static str {
        match self {
            UrlPrefix::Webhook => "webhook",
            UrlPrefix::Form => "form",
        }
    }
}

/// When and with what a webhook's request is answered (n8n's `responseMode`).
#[derive(Clone, Debug, PartialEq)]
pub enum ResponseMode {
    /// At once, before the run: n8n's `{"message":"Workflow was started"}`, a text of the
    /// node's, or nothing.
    OnReceived(OnReceivedBody),
    /// When the run finished, with the last node's data.
    LastNode {
        /// Which of its data.
        data: LastNodeData,
        /// The content type of a `firstEntryJson` answer, when not JSON.
        content_type: Option<String>,
        /// The property of the first item's JSON to answer with, instead of all of it.
        property: Option<String>,
    },
    /// By a Respond to Webhook node in the run.
    ResponseNode,
    /// When the run finished, with this answer (a form's "submitted" page); n8n's 500 when
    /// the run failed.
    AfterRun(Box<WebhookAnswer>),
}

/// What an `onReceived` answer holds.
#[derive(Clone, Debug, PartialEq)]
pub enum OnReceivedBody {
    /// n8n's `{"message":"Workflow was started"}`.
    Started,
    /// This text (the node's "Response Data" option).
    Text(String),
    /// No body.
    Empty,
    /// This answer (a form's "submitted" page or redirect).
    Answer(Box<WebhookAnswer>),
}

/// Which data of the last node a `lastNode` answer holds (n8n's `responseData`).
#[derive(Clone, Debug, PartialEq)]
pub enum LastNodeData {
    /// The first item's JSON.
    FirstEntryJson,
    /// Every item's JSON, as an array.
    AllEntries,
    /// The first item's binary property of this name.
    FirstEntryBinary(String),
    /// No body.
    NoData,
}

/// Who may call a webhook: the credential of the given type must match the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookAuthentication {
    /// Anyone.
    None,
    /// HTTP Basic with the `httpBasicAuth` credential's user and password.
    Basic,
    /// The `httpHeaderAuth` credential's header with its value.
    Header,
}

impl WebhookAuthentication {
    /// The credential type it checks against.
    pub fn credential_type(self) -> Option<&'static str> {
        match self {
            WebhookAuthentication::None => None,
            WebhookAuthentication::Basic => Some("httpBasicAuth"),
            WebhookAuthentication::Header => Some("httpHeaderAuth"),
        }
    }
}

/// One request to a webhook, parsed by the runtime.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WebhookRequest {
    /// The method, upper-case.
    pub method: String,
    /// The headers, names lower-case (a repeated header joined with `, `).
    pub headers: Map<String, Value>,
    /// The path's `:name` parameters.
    pub params: Map<String, Value>,
    /// The query string's parameters (a repeated one as an array).
    pub query: Map<String, Value>,
    /// The parsed body: JSON, a form's fields, a text, or `{}`.
    pub body: Value,
    /// The body as a file, when its type is none weft parses: its bytes and content type.
    pub file: Option<(Vec<u8>, String)>,
    /// The files of a multipart body (read for [`UrlPrefix::Form`] only), in order.
    pub files: Vec<UploadedFile>,
    /// The body's bytes and content type, when the endpoint keeps the raw body.
    pub raw: Option<(Vec<u8>, String)>,
    /// The production URL of the webhook.
    pub webhook_url: String,
}

/// One file of a multipart body.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UploadedFile {
    /// The form field it was sent in.
    pub field: String,
    /// Its file name, as the sender gave it.
    pub file_name: Option<String>,
    /// Its content type, as the sender gave it.
    pub mime_type: Option<String>,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A webhook trigger: what `weft start` serves.
pub trait WebhookTrigger: Send + Sync {
    /// What the node listens to, its parameters read through `ctx` (no input items).
    fn endpoint(&self, ctx: &NodeContext<'_>) -> Result<WebhookEndpoint, NodeError>;

    /// The node's outputs for `request` (one list per output), or the answer the node gives
    /// itself without a run (a form's page on GET, a refused submission).
    fn output(
        &self,
        endpoint: &WebhookEndpoint,
        request: WebhookRequest,
    ) -> Result<Vec<Vec<Item>>, WebhookAnswer>;
}

/// The answer to a webhook's request that a node gives.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookAnswer {
    /// The HTTP status.
    pub status: u16,
    /// Headers, names lower-case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: AnswerBody,
}

/// The body of a [`WebhookAnswer`].
#[derive(Clone, Debug, PartialEq)]
pub enum AnswerBody {
    /// JSON (`application/json` unless a header says otherwise).
    Json(Value),
    /// A text (`text/html` unless a header says otherwise, as Express sends strings).
    Text(String),
    /// Bytes of a file.
    Bytes(Vec<u8>),
    /// Nothing.
    Empty,
}

/// Where a run started by a webhook sends its answer. The first answer wins; later ones are
/// dropped, as n8n answers a request once.
#[derive(Debug)]
pub struct WebhookReply {
    sender: Mutex<Option<oneshot::Sender<WebhookAnswer>>>,
}

impl WebhookReply {
    /// A reply and the receiver its answer arrives at (closed without one when the reply is
    /// dropped unanswered).
    pub fn new() -> (Self, oneshot::Receiver<WebhookAnswer>) {
        let (sender, receiver) = oneshot::channel();
        let reply = Self {
            sender: Mutex::new(Some(sender)),
        };
        (reply, receiver)
    }

    /// Sends `answer` if none was sent yet; true when this one went.
    pub fn send(&self, answer: WebhookAnswer) -> bool {
        let sender = self
            .sender
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        sender.is_some_and(|sender| sender.send(answer).is_ok())
    }
}
