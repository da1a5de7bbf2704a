//! weft's node plugin API and built-in nodes.
//!
//! A node is a type implementing [`Node`] with a `static` [`NodeDescription`], registered with
//! one [`register_node!`] line; [`NodeRegistry::global`] finds every registered node. Nodes read
//! parameters and input items from their [`NodeContext`], hand output to an [`Emitter`], and get
//! HTTP clients from the runtime through [`CredentialClients`]: they never build a client or see
//! a credential's secrets. Files go through the context's [`FileAccess`], which keeps nodes out of
//! weft's own folder.

pub mod core;
pub mod data_tables;
pub mod description;
mod error;
mod execution_settings;
mod file_access;
mod http;
mod http_status;
mod item;
mod js_number;
mod mail;
mod node;
mod polling;
mod processed_data;
mod registry;
pub mod salesforce;
mod script;
mod sub_workflow;
mod webhook;

pub use data_tables::DataTables;
pub use description::NodeDescription;
pub use error::{ErrorKind, NodeError};
pub use execution_settings::ExecutionSettings;
pub use file_access::FileAccess;
pub use http::{CredentialClients, CredentialRef, MaxRedirects, NodeHttp};
pub use http_status::status_message;
pub use item::{BinaryData, Item, PairedItem, PairedItems, TaskSource};
pub use js_number::format_js_number;
pub use mail::{
    FetchedMessage, MailAttachment, MailboxSession, MailboxStatus, OutgoingMail, SentMail,
};
pub use node::{
    Emitter, Node, NodeContext, NodeInfo, NodeState, ParameterSource, RequiredInputs, Unsupported,
};
pub use polling::{Poll, PollingTrigger};
pub use processed_data::{HistoryChange, HistoryScope, ProcessedData};
pub use registry::{NodeRegistry, Registration, RegistryError};
pub use script::{ScriptFailure, ScriptKind, ScriptOutcome, ScriptRequest, ScriptRunner};
pub use sub_workflow::{
    SubExecution, SubWorkflowCall, SubWorkflowFailure, SubWorkflowRun, SubWorkflows, WorkflowSource,
};
pub use webhook::{
    AnswerBody, LastNodeData, OnReceivedBody, ResponseMode, UploadedFile, UrlPrefix, WebhookAnswer,
    WebhookAuthentication, WebhookEndpoint, WebhookReply, WebhookRequest, WebhookTrigger,
};
pub use weft_credentials as credentials;

#[doc(hidden)]
pub use inventory;
