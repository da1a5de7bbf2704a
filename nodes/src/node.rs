//! The `Node` trait and what a node works with: its [`NodeContext`] (input items, parameters per
//! item, settings, HTTP) and an [`Emitter`] that takes output items as they are produced.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;
use reqwest_middleware::ClientWithMiddleware;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tokio::sync::mpsc;

use crate::data_tables::DataTables;
use crate::description::NodeDescription;
use crate::error::NodeError;
use crate::execution_settings::ExecutionSettings;
use crate::file_access::FileAccess;
use crate::http::{CredentialClients, CredentialRef, NodeHttp};
use crate::item::{Item, TaskSource};
use crate::mail::{MailboxSession, OutgoingMail, SentMail};
use crate::polling::PollingTrigger;
use crate::processed_data::ProcessedData;
use crate::script::ScriptRunner;
use crate::sub_workflow::SubWorkflows;
use crate::webhook::{WebhookReply, WebhookTrigger};

/// A configuration weft cannot run, found before the run ([`Node::unsupported`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsupported {
    /// The parameter that asks for it: its dot path under the node's `parameters`
    /// (`mode`, `options.proxy`).
    pub parameter: String,
    /// What weft cannot do.
    pub reason: String,
    /// What to do instead.
    pub hint: String,
}

impl Unsupported {
    /// `parameter` asks for what weft cannot do (`reason`); `hint` says what to do instead.
    pub fn new(
        parameter: impl Into<String>,
        reason: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            parameter: parameter.into(),
            reason: reason.into(),
            hint: hint.into(),
        }
    }
}

/// A node implementation. One value serves every run; per-run state lives in the context.
#[async_trait]
pub trait Node: Send + Sync + 'static {
    /// The node's description (a `static`).
    fn description(&self) -> &'static NodeDescription;

    /// Runs the node over `ctx.input()` (one batch of input items), handing results to `out`.
    /// An `Err` fails the whole run of the node; per-item failures that the node catches (when
    /// `ctx.continue_on_fail()`) become [`Item::failed`] items instead.
    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError>;

    /// A trigger that `weft start` polls on its schedule; `execute` stays its manual mode.
    fn polling(&self) -> Option<&dyn PollingTrigger> {
        None
    }

    /// A trigger that `weft start` serves over HTTP (the Webhook node); `execute` stays its CLI
    /// mode.
    fn webhook(&self) -> Option<&dyn WebhookTrigger> {
        None
    }

    /// True when the node is item-wise: it handles each input item on its own (no parameter or
    /// output item depends on other input items, nor on which output they went to), and pairs
    /// every output item with the input item it came from. Running it over consecutive batches of
    /// its input then gives, batch after batch and output by output, the same items as one run
    /// over all of it, so the executor may stream it (through its first output).
    /// `version` and `parameters` (defaults filled, expressions not evaluated) are the node's in
    /// the workflow: a node may be item-wise in one mode only (Code run once for each item).
    /// The default is false: the node gets its whole input at once.
    fn item_wise(&self, version: f64, parameters: &Value) -> bool {
        let _ = (version, parameters);
        false
    }

    /// True when the node's output is its input, every item paired to itself (No Op). A
    /// streaming executor may then move a batch on without running the node, instead of having
    /// it clone every item. Implies [`Node::item_wise`]; `execute` must still give the same.
    fn passes_through(&self) -> bool {
        false
    }

    /// How many main inputs a node of `version` with these resolved `parameters` has (Merge's
    /// `numberInputs`). The default: none for a trigger, else one.
    fn inputs(&self, version: f64, parameters: &Value) -> usize {
        let _ = (version, parameters);
        usize::from(!self.description().trigger)
    }

    /// How many main outputs a node of `version` with these resolved `parameters` has (Switch's
    /// rules, not counting the error output of `continueErrorOutput`). The default: the
    /// description's outputs.
    fn outputs(&self, version: f64, parameters: &Value) -> usize {
        let _ = (version, parameters);
        self.description().outputs.len()
    }

    /// Why a node of `version` with these resolved `parameters` cannot run in weft (a mode weft
    /// does not implement): one entry per parameter that asks for it, with what to use instead;
    /// empty (the default) when it can. The workflow check reports each at its parameter.
    fn unsupported(&self, version: f64, parameters: &Value) -> Vec<Unsupported> {
        let _ = (version, parameters);
        Vec::new()
    }

    /// n8n's `requiredInputs`: which inputs must hold data before the executor releases the
    /// node with partial input when nothing else can run. The default: any.
    fn required_inputs(&self, version: f64, parameters: &Value) -> RequiredInputs {
        let _ = (version, parameters);
        RequiredInputs::Any
    }
}

/// A node's state within one execution: n8n's node context object.
pub type NodeState = Map<String, Value>;

/// When a waiting multi-input node may run with some inputs never delivered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequiredInputs {
    /// With whatever arrived (an input that never got data is empty).
    Any,
    /// Only when at least this many inputs got data.
    AtLeast(usize),
    /// Only when every one of these inputs got data.
    All(Vec<usize>),
}

/// The parameters of a node as the runtime resolved them: defaults filled, then expressions
/// evaluated for one item at a time.
pub trait ParameterSource: Send + Sync {
    /// The value at `path` (dot-separated, e.g. `options.timeout`; a number picks a list
    /// element, e.g. `rules.values.0.conditions`) for input item `item`, or
    /// `None` when the resolved parameters have no such key.
    fn get(&self, path: &str, item: usize) -> Result<Option<Value>, NodeError>;

    /// The value at `path` as written (defaults filled, expressions not evaluated): n8n's
    /// `rawExpressions`, for a node that evaluates them later itself.
    fn raw(&self, path: &str) -> Option<Value>;

    /// `value` (a raw value of the parameter at `path`, or one the node built) with its
    /// expressions evaluated for input item `item`, with `extra` as further variables (n8n's
    /// additional keys, e.g. `$response`); failures name `path`.
    fn evaluate(
        &self,
        path: &str,
        value: &Value,
        item: usize,
        extra: &Map<String, Value>,
    ) -> Result<Value, NodeError>;
}

/// Who the node is in its workflow.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeInfo {
    /// The node's name in the workflow.
    pub name: String,
    /// The type name, e.g. `n8n-nodes-base.httpRequest`.
    pub type_name: String,
    /// The typeVersion.
    pub type_version: f64,
    /// n8n's `continueOnFail()`: the node should turn per-item failures into error items.
    pub continue_on_fail: bool,
}

/// Everything a node may use while it runs.
pub struct NodeContext<'a> {
    node: &'a NodeInfo,
    input: &'a [Item],
    other_inputs: &'a [&'a [Item]],
    run_index: usize,
    sources: &'a [Option<TaskSource>],
    state: Option<&'a Mutex<NodeState>>,
    parameters: &'a dyn ParameterSource,
    clients: &'a dyn CredentialClients,
    credentials: &'a BTreeMap<String, CredentialRef>,
    files: &'a FileAccess,
    settings: ExecutionSettings,
    script: Option<&'a dyn ScriptRunner>,
    sub_workflows: Option<&'a dyn SubWorkflows>,
    processed_data: Option<&'a dyn ProcessedData>,
    data_tables: Option<&'a dyn DataTables>,
    webhook_reply: Option<&'a WebhookReply>,
    ancestor_types: &'a [String],
    ancestors: &'a [(String, String)],
}

impl<'a> NodeContext<'a> {
    /// A context (built by the runtime).
    pub fn new(
        node: &'a NodeInfo,
        input: &'a [Item],
        parameters: &'a dyn ParameterSource,
        clients: &'a dyn CredentialClients,
        credentials: &'a BTreeMap<String, CredentialRef>,
        files: &'a FileAccess,
    ) -> Self {
        Self {
            node,
            input,
            other_inputs: &[],
            run_index: 0,
            sources: &[],
            state: None,
            parameters,
            clients,
            credentials,
            files,
            settings: ExecutionSettings::DEFAULT,
            script: None,
            sub_workflows: None,
            processed_data: None,
            data_tables: None,
            webhook_reply: None,
            ancestor_types: &[],
            ancestors: &[],
        }
    }

    /// The same context in a run a webhook request started, whose answer goes to `reply`.
    pub fn with_webhook_reply(self, reply: &'a WebhookReply) -> Self {
        Self {
            webhook_reply: Some(reply),
            ..self
        }
    }

    /// Where the answer to the webhook request that started this run goes; `None` in a run no
    /// request started (`weft run`, a poll), where n8n drops the answer.
    pub fn webhook_reply(&self) -> Option<&'a WebhookReply> {
        self.webhook_reply
    }

    /// The same context with the types of the nodes upstream of this one.
    pub fn with_ancestor_types(self, types: &'a [String]) -> Self {
        Self {
            ancestor_types: types,
            ..self
        }
    }

    /// The types of every node upstream of this one in the workflow, whether they ran or not
    /// (n8n's `getParentNodes`), each once.
    pub fn ancestor_types(&self) -> &'a [String] {
        self.ancestor_types
    }

    /// The same context for a node with several inputs: `others` are inputs 1, 2, … (an input
    /// that got no data is empty).
    pub fn with_other_inputs(self, others: &'a [&'a [Item]]) -> Self {
        Self {
            other_inputs: others,
            ..self
        }
    }

    /// The same context for run `run_index` of the node in this execution (n8n's `$runIndex`).
    pub fn with_run_index(self, run_index: usize) -> Self {
        Self { run_index, ..self }
    }

    /// The same context with, per input, where its items came from.
    pub fn with_sources(self, sources: &'a [Option<TaskSource>]) -> Self {
        Self { sources, ..self }
    }

    /// The same context with the execution's settings (time zone, wait bound).
    pub fn with_settings(self, settings: ExecutionSettings) -> Self {
        Self { settings, ..self }
    }

    /// The same context with the runtime's sandbox for user code.
    pub fn with_script(self, script: &'a dyn ScriptRunner) -> Self {
        Self {
            script: Some(script),
            ..self
        }
    }

    /// The sandbox that runs user code (Code, Function, Function Item).
    pub fn script(&self) -> Result<&'a dyn ScriptRunner, NodeError> {
        self.script.ok_or_else(|| {
            NodeError::operation(format!(
                "Node \"{}\" cannot run code here: no JavaScript sandbox was given",
                self.node.name
            ))
        })
    }

    /// The same context with the runtime's runner of sub-workflows.
    pub fn with_sub_workflows(self, sub_workflows: &'a dyn SubWorkflows) -> Self {
        Self {
            sub_workflows: Some(sub_workflows),
            ..self
        }
    }

    /// The runtime's runner of sub-workflows (Execute Workflow).
    pub fn sub_workflows(&self) -> Result<&'a dyn SubWorkflows, NodeError> {
        self.sub_workflows.ok_or_else(|| {
            NodeError::operation(format!(
                "Node \"{}\" cannot run a sub-workflow here: no runner of sub-workflows was given",
                self.node.name
            ))
        })
    }

    /// The same context with the runtime's store of data kept across executions.
    pub fn with_processed_data(self, processed_data: &'a dyn ProcessedData) -> Self {
        Self {
            processed_data: Some(processed_data),
            ..self
        }
    }

    /// The runtime's store of data kept across executions (Remove Duplicates' history).
    pub fn processed_data(&self) -> Result<&'a dyn ProcessedData, NodeError> {
        self.processed_data.ok_or_else(|| {
            NodeError::operation(format!(
                "Node \"{}\" cannot keep data across executions here: no store was given",
                self.node.name
            ))
            .with_description("hint: run the workflow with `weft run` or `weft start`, which keep it in weft's store")
        })
    }

    /// The same context with the runtime's data tables.
    pub fn with_data_tables(self, data_tables: &'a dyn DataTables) -> Self {
        Self {
            data_tables: Some(data_tables),
            ..self
        }
    }

    /// The runtime's data tables (the Data table node, Evaluation Trigger and Evaluation).
    pub fn data_tables(&self) -> Result<&'a dyn DataTables, NodeError> {
        self.data_tables.ok_or_else(|| {
            NodeError::operation(format!(
                "Node \"{}\" cannot use data tables here: no store was given",
                self.node.name
            ))
            .with_description("hint: run the workflow with `weft run` or `weft start`, which keep data tables in weft's store")
        })
    }

    /// The same context with the name and type of every node upstream of this one.
    pub fn with_ancestors(self, ancestors: &'a [(String, String)]) -> Self {
        Self { ancestors, ..self }
    }

    /// The name and type of every node upstream of this one, whether they ran or not (n8n's
    /// `getParentNodes`), nearest first.
    pub fn ancestors(&self) -> &'a [(String, String)] {
        self.ancestors
    }

    /// The execution's settings: its time zone and how long a Wait may hold the run.
    pub fn settings(&self) -> &ExecutionSettings {
        &self.settings
    }

    /// The same context with the node's state in this execution.
    pub fn with_state(self, state: &'a Mutex<NodeState>) -> Self {
        Self {
            state: Some(state),
            ..self
        }
    }

    /// Where the items of input `index` came from (`None` for a trigger's run or an input that
    /// got no data).
    pub fn input_source(&self, index: usize) -> Option<&TaskSource> {
        self.sources.get(index).and_then(Option::as_ref)
    }

    /// The node's state in this execution (n8n's `getContext('node')`): kept across the node's
    /// runs, readable by expressions as `$node["Name"].context`.
    pub fn state(&self) -> Result<MutexGuard<'_, NodeState>, NodeError> {
        let state = self.state.ok_or_else(|| {
            NodeError::operation(format!(
                "Node \"{}\" has no execution state here",
                self.node.name
            ))
        })?;
        Ok(state.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The node's name, type and settings.
    pub fn node(&self) -> &NodeInfo {
        self.node
    }

    /// The input items (main input 0).
    pub fn input(&self) -> &[Item] {
        self.input
    }

    /// The items of main input `index`: empty for an input that got no data or does not exist.
    pub fn input_at(&self, index: usize) -> &[Item] {
        match index {
            0 => self.input,
            _ => self
                .other_inputs
                .get(index - 1)
                .copied()
                .unwrap_or_default(),
        }
    }

    /// How many main inputs this run has: 1, or more for a multi-input node.
    pub fn input_count(&self) -> usize {
        1 + self.other_inputs.len()
    }

    /// Which run of the node this is in the execution, from 0 (n8n's `$runIndex`).
    pub fn run_index(&self) -> usize {
        self.run_index
    }

    /// True when failures should become error items instead of failing the node.
    pub fn continue_on_fail(&self) -> bool {
        self.node.continue_on_fail
    }

    /// The parameter at `path` for item `item`, or n8n's `Could not get parameter` error.
    pub fn parameter(&self, path: &str, item: usize) -> Result<Value, NodeError> {
        self.optional_parameter(path, item)?
            .ok_or_else(|| NodeError::missing_parameter(path).for_item(item))
    }

    /// The parameter at `path` for item `item`, if the resolved parameters have it.
    pub fn optional_parameter(&self, path: &str, item: usize) -> Result<Option<Value>, NodeError> {
        self.parameters
            .get(path, item)
            .map_err(|error| error.for_item(item))
    }

    /// The parameter at `path` as written, its expressions not evaluated (n8n's
    /// `rawExpressions`); evaluate them with [`NodeContext::evaluate`].
    pub fn raw_parameter(&self, path: &str) -> Option<Value> {
        self.parameters.raw(path)
    }

    /// `value` (e.g. part of a [`NodeContext::raw_parameter`]) evaluated for input item `item`
    /// by the runtime's expression engine, with `extra` as further variables (`$response`,
    /// `$pageCount`, …); failures name the parameter at `path`.
    pub fn evaluate(
        &self,
        path: &str,
        value: &Value,
        item: usize,
        extra: &Map<String, Value>,
    ) -> Result<Value, NodeError> {
        self.parameters
            .evaluate(path, value, item, extra)
            .map_err(|error| error.for_item(item))
    }

    /// The parameter at `path` for item `item`, converted to `T`.
    pub fn parameter_as<T: DeserializeOwned>(
        &self,
        path: &str,
        item: usize,
    ) -> Result<T, NodeError> {
        let value = self.parameter(path, item)?;
        serde_json::from_value(value).map_err(|error| {
            NodeError::operation(format!("Parameter \"{path}\" has the wrong type"))
                .with_description(error.to_string())
                .for_item(item)
        })
    }

    /// The authenticated client of the node's credential of type `credential_type`.
    pub async fn http(&self, credential_type: &str) -> Result<NodeHttp, NodeError> {
        let reference = self.credential(credential_type)?;
        self.clients.client(credential_type, reference).await
    }

    /// The node's reference to its credential of type `credential_type`.
    fn credential(&self, credential_type: &str) -> Result<&'a CredentialRef, NodeError> {
        self.credentials.get(credential_type).ok_or_else(|| {
            NodeError::operation(format!(
                "Node \"{}\" has no credential of type {credential_type}",
                self.node.name
            ))
        })
    }

    /// Sends `mail` through the node's credential of type `credential_type` (an SMTP server).
    pub async fn send_mail(
        &self,
        credential_type: &str,
        mail: &OutgoingMail,
    ) -> Result<SentMail, NodeError> {
        let reference = self.credential(credential_type)?;
        self.clients.send_mail(reference, mail).await
    }

    /// Opens `mailbox` on the server of the node's credential of type `credential_type` (an
    /// IMAP server), logged in; `allow_unauthorized_certs` overrides the credential's field.
    pub async fn open_mailbox(
        &self,
        credential_type: &str,
        mailbox: &str,
        allow_unauthorized_certs: Option<bool>,
    ) -> Result<Box<dyn MailboxSession>, NodeError> {
        let reference = self.credential(credential_type)?;
        self.clients
            .open_mailbox(reference, mailbox, allow_unauthorized_certs)
            .await
    }

    /// Which files the node may read and write: check every path before touching it.
    pub fn files(&self) -> &FileAccess {
        self.files
    }

    /// A client without authentication.
    pub fn unauthenticated_http(&self) -> ClientWithMiddleware {
        self.clients.unauthenticated()
    }
}

/// Takes a node's output items, per output index. Nodes emit as results arrive (a page at a
/// time); a streaming emitter hands each batch of output 0 downstream at once, and `emit` waits
/// while downstream is busy (back-pressure), so a node never runs far ahead of its consumers.
#[derive(Debug)]
pub struct Emitter {
    outputs: Vec<Vec<Item>>,
    batches: Option<mpsc::Sender<Vec<Item>>>,
    /// Input items before this run's input (a streamed stage's earlier batches): the pairing of
    /// a sent item is moved on by as many.
    pairing_offset: usize,
    /// Items sent on `batches` so far.
    sent: usize,
    /// Items of output 0 not sent yet: a streaming emitter gathers a node's small emits (one
    /// item at a time) into batches of [`Emitter::BATCH`] before sending.
    pending: Vec<Item>,
    nothing: bool,
    metadata: Map<String, Value>,
}

impl Emitter {
    /// An emitter for a node with `outputs` main outputs that keeps every item.
    pub fn new(outputs: usize) -> Self {
        Self {
            outputs: vec![Vec::new(); outputs],
            batches: None,
            pairing_offset: 0,
            sent: 0,
            pending: Vec::new(),
            nothing: false,
            metadata: Map::new(),
        }
    }

    /// An emitter that sends the items emitted to output 0 on `batches` (waiting for room)
    /// instead of keeping them, gathered into batches of at least [`Emitter::BATCH`] (the last
    /// one sent by [`Emitter::flush`]); other outputs keep their items.
    pub fn streaming(outputs: usize, batches: mpsc::Sender<Vec<Item>>) -> Self {
        Self {
            batches: Some(batches),
            ..Self::new(outputs)
        }
    }

    /// The same emitter for a run over input items that came after `offset` others (a batch of
    /// a streamed stage): the items it sends pair to the input items counted from the first
    /// batch, not from this one.
    pub fn pairing_from(self, offset: usize) -> Self {
        Self {
            pairing_offset: offset,
            ..self
        }
    }

    /// How many items were sent downstream (a streaming emitter's output 0).
    pub fn sent(&self) -> usize {
        self.sent
    }

    /// How many items a streaming emitter gathers before it sends them on.
    pub const BATCH: usize = 1000;

    /// Sends what a streaming emitter gathered and has not sent yet; call it once the node's
    /// run succeeded (a failed run's last items are not handed on).
    pub async fn flush(&mut self) -> Result<(), NodeError> {
        let Some(batches) = &self.batches else {
            return Ok(());
        };
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut batch = std::mem::take(&mut self.pending);
        if self.pairing_offset > 0 {
            for item in &mut batch {
                item.offset_pairing(self.pairing_offset);
            }
        }
        self.sent += batch.len();
        batches
            .send(batch)
            .await
            .map_err(|_| NodeError::operation("The run stopped before the node finished"))
    }

    /// Hands `items` to output `output`.
    pub async fn emit(
        &mut self,
        output: usize,
        items: impl IntoIterator<Item = Item> + Send,
    ) -> Result<(), NodeError> {
        let count = self.outputs.len();
        if output >= count {
            return Err(NodeError::operation(format!(
                "The node emitted to output {output} but has {count} output(s)"
            )));
        }
        if self.batches.is_none() || output > 0 {
            self.outputs[output].extend(items);
            return Ok(());
        }
        self.pending.extend(items);
        if self.pending.len() < Self::BATCH {
            return Ok(());
        }
        self.flush().await
    }

    /// Says that this run produced nothing at all, not even empty outputs (n8n's `null`): the
    /// run is not recorded and nothing runs after it.
    pub fn produce_nothing(&mut self) {
        self.nothing = true;
    }

    /// Sets `key` of the run's metadata (n8n's `setMetadata`: Execute Workflow's
    /// `subExecution`), recorded with the node run in `runData`.
    pub fn set_metadata(&mut self, key: &str, value: Value) {
        self.metadata.insert(key.to_owned(), value);
    }

    /// The run's metadata, taken out of the emitter.
    pub fn take_metadata(&mut self) -> Map<String, Value> {
        std::mem::take(&mut self.metadata)
    }

    /// True when the node said it produced nothing.
    pub fn is_nothing(&self) -> bool {
        self.nothing
    }

    /// The items of every output (output 0 is empty when it was streamed).
    pub fn into_outputs(self) -> Vec<Vec<Item>> {
        self.outputs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn emitting_to_a_missing_output_is_an_error() {
        let mut out = Emitter::new(2);
        out.emit(1, [Item::default()]).await.unwrap();
        let error = out.emit(2, [Item::default()]).await.unwrap_err();
        assert_eq!(
            error.message,
            "The node emitted to output 2 but has 2 output(s)"
        );
        assert_eq!(
            out.into_outputs().iter().map(Vec::len).collect::<Vec<_>>(),
            [0, 1]
        );
    }

    #[tokio::test]
    async fn a_streaming_emitter_gathers_output_0_into_batches_and_sends_them() {
        let (sender, mut receiver) = mpsc::channel(4);
        let mut out = Emitter::streaming(2, sender).pairing_from(10);
        out.emit(0, [Item::new(Map::new(), 0), Item::new(Map::new(), 1)])
            .await
            .unwrap();
        out.emit(0, []).await.unwrap();
        out.emit(1, [Item::default()]).await.unwrap();
        assert!(receiver.try_recv().is_err(), "two items wait for more");
        let many = (2..Emitter::BATCH + 1).map(|index| Item::new(Map::new(), index));
        out.emit(0, many).await.unwrap();
        let batch = receiver.recv().await.unwrap();
        assert_eq!(batch.len(), Emitter::BATCH + 1);
        assert_eq!(
            batch[0].paired_indexes(),
            [10],
            "paired past the earlier batches"
        );
        out.emit(0, [Item::default()]).await.unwrap();
        out.flush().await.unwrap();
        assert_eq!(receiver.recv().await.map(|batch| batch.len()), Some(1));
        assert_eq!(out.sent(), Emitter::BATCH + 2);
        drop(receiver);
        out.emit(0, [Item::default()]).await.unwrap();
        let error = out.flush().await.unwrap_err();
        assert_eq!(error.message, "The run stopped before the node finished");
        assert_eq!(
            out.into_outputs().iter().map(Vec::len).collect::<Vec<_>>(),
            [0, 1]
        );
    }
}
