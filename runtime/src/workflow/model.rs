//! The n8n workflow JSON model. Every field n8n writes is accepted; those weft does not use are
//! ignored. Values that need checking against the registries stay loose here (`onError` is a
//! string) so that `check` can report every problem at once.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value};
use weft_nodes::{CredentialRef, Item};

/// A workflow as n8n exports it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workflow {
    /// The workflow's name.
    #[serde(default)]
    pub name: String,
    /// The nodes.
    pub nodes: Vec<WorkflowNode>,
    /// By source node name, then connection type (`main`), then output index: the targets.
    #[serde(default)]
    pub connections: BTreeMap<String, NodeConnections>,
    /// Workflow settings.
    #[serde(default)]
    pub settings: Settings,
    /// Pinned output per node name (may be `null`).
    #[serde(default)]
    pub pin_data: Option<BTreeMap<String, Vec<Item>>>,
}

/// One source node's connections: by connection type (`main`), then output index, the targets
/// (`null` or `[]` when the output is not connected).
pub type NodeConnections = BTreeMap<String, Vec<Option<Vec<Connection>>>>;

/// The settings weft reads.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// `v1` in every current export.
    #[serde(default)]
    pub execution_order: Option<String>,
    /// An IANA time zone, or `DEFAULT` (and absent) for the machine's.
    #[serde(default)]
    pub timezone: Option<String>,
}

impl Settings {
    /// The workflow's own time zone: `timezone` unless it is empty or n8n's `DEFAULT`.
    pub fn own_time_zone(&self) -> Option<&str> {
        self.timezone
            .as_deref()
            .filter(|zone| !zone.is_empty() && *zone != "DEFAULT")
    }
}

/// One node of a workflow.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowNode {
    /// Unique in the workflow; connections, pinData and `$('Name')` use it.
    pub name: String,
    /// The node type, e.g. `n8n-nodes-base.noOp`.
    #[serde(rename = "type")]
    pub type_name: String,
    /// The typeVersion, e.g. `1.1`.
    pub type_version: f64,
    /// `[x, y]` on the canvas; orders siblings in the v1 execution order.
    #[serde(default)]
    pub position: [f64; 2],
    /// The parameters as written (defaults omitted).
    #[serde(default)]
    pub parameters: Map<String, Value>,
    /// Credential references by credential type.
    #[serde(default)]
    pub credentials: BTreeMap<String, CredentialRef>,
    /// A disabled node passes its input through.
    #[serde(default)]
    pub disabled: bool,
    /// `stopWorkflow`, `continueRegularOutput` or `continueErrorOutput`.
    #[serde(default)]
    pub on_error: Option<String>,
    /// Legacy: used only when `onError` is absent.
    #[serde(default)]
    pub continue_on_fail: bool,
    /// Retry a failed run.
    #[serde(default)]
    pub retry_on_fail: bool,
    /// Tries when retrying (clamped to 2..=5, default 3).
    #[serde(default)]
    pub max_tries: Option<f64>,
    /// Milliseconds between tries (clamped to 0..=5000, default 1000).
    #[serde(default)]
    pub wait_between_tries: Option<f64>,
    /// Emit one empty item when the node produced none.
    #[serde(default)]
    pub always_output_data: bool,
    /// Run with the first input item only.
    #[serde(default)]
    pub execute_once: bool,
}

/// One connection target.
#[derive(Clone, Debug, Deserialize)]
pub struct Connection {
    /// The target node's name.
    pub node: String,
    /// The connection type (`main`).
    #[serde(rename = "type", default = "main")]
    pub kind: String,
    /// The target's input index.
    #[serde(default)]
    pub index: usize,
}

fn main() -> String {
    MAIN.to_owned()
}

/// The only connection type weft runs.
pub const MAIN: &str = "main";

/// How a node handles its failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnError {
    /// Fail the workflow.
    StopWorkflow,
    /// Continue with error items (or the input) on the regular output.
    ContinueRegularOutput,
    /// Continue with error items on an extra, last output.
    ContinueErrorOutput,
}

impl OnError {
    /// The accepted `onError` values.
    pub const NAMES: [&str; 3] = [
        "stopWorkflow",
        "continueRegularOutput",
        "continueErrorOutput",
    ];

    /// Parses an `onError` value.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "stopWorkflow" => Some(OnError::StopWorkflow),
            "continueRegularOutput" => Some(OnError::ContinueRegularOutput),
            "continueErrorOutput" => Some(OnError::ContinueErrorOutput),
            _ => None,
        }
    }
}

impl WorkflowNode {
    /// The effective error handling: `onError`, else legacy `continueOnFail`.
    pub fn on_error(&self) -> OnError {
        match self.on_error.as_deref().and_then(OnError::parse) {
            Some(on_error) => on_error,
            None if self.continue_on_fail && self.on_error.is_none() => {
                OnError::ContinueRegularOutput
            }
            None => OnError::StopWorkflow,
        }
    }
}
