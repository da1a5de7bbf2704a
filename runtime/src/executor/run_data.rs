//! The record of a run and its JSON in n8n's shape (`n8n execute --rawOutput`): `status`,
//! `finished`, `mode`, `lastNodeExecuted`, `error`, and `runData` per node and run with
//! `executionIndex`, `source`, `hints`, `executionStatus`, `error` and `data.main`.
//!
//! A streamed node run keeps only its item counts; its document entry has `weftStreamedItems`
//! (per output) instead of `data` (`weft run --raw-output` never streams, so n8n's shape holds
//! wherever it is compared).

use std::sync::Arc;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::{Map, Value, json};
use weft_nodes::{Item, NodeError};

use crate::workflow::Plan;

/// What a run did.
#[derive(Debug, Default)]
pub struct RunRecord {
    /// Per node that ran (in order of its first run), its runs.
    pub nodes: Vec<NodeRuns>,
    /// The node that ran last.
    pub last_node: Option<usize>,
    /// The failure that stopped the workflow.
    pub failure: Option<Failure>,
}

/// The runs of one node.
#[derive(Debug)]
pub struct NodeRuns {
    /// The node's index in the plan.
    pub node: usize,
    /// Its runs, in order.
    pub runs: Vec<TaskData>,
}

/// One run of one node.
#[derive(Debug)]
pub struct TaskData {
    /// Milliseconds since the Unix epoch when it started.
    pub start_time: u128,
    /// How long it took, in milliseconds.
    pub execution_time: u128,
    /// Its place in the run, counting from 0.
    pub execution_index: usize,
    /// Per input, where its items came from (`None` for an input released empty; no entry at
    /// all for the start node).
    pub source: Vec<Option<SourceRef>>,
    /// What the node set with `Emitter::set_metadata` (n8n's run `metadata`).
    pub metadata: Map<String, Value>,
    /// Its failure, also when the node continued.
    pub error: Option<NodeError>,
    /// What it put out; `None` when the workflow stopped at it.
    pub outputs: Option<TaskOutputs>,
}

/// What a node run put out.
#[derive(Debug)]
pub enum TaskOutputs {
    /// The items of each main output (shared with the expressions' run log).
    Kept(Arc<Vec<Vec<Item>>>),
    /// The items went on as they were produced; how many each output had.
    Streamed(Vec<usize>),
}

/// The output a node's input came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourceRef {
    /// The node's index.
    pub node: usize,
    /// Its output index.
    pub output: usize,
    /// Its run index.
    pub run: usize,
}

/// The failure that stopped a workflow.
#[derive(Debug)]
pub struct Failure {
    /// The node that failed.
    pub node: usize,
    /// Its error.
    pub error: NodeError,
}

impl RunRecord {
    /// How many runs `node` has so far: the index of its next run.
    pub fn run_count(&self, node: usize) -> usize {
        self.nodes
            .iter()
            .find(|runs| runs.node == node)
            .map_or(0, |runs| runs.runs.len())
    }

    /// The runs of `node`, created on its first run.
    pub fn runs_of(&mut self, node: usize) -> &mut Vec<TaskData> {
        let position = match self.nodes.iter().position(|runs| runs.node == node) {
            Some(position) => position,
            None => {
                self.nodes.push(NodeRuns {
                    node,
                    runs: Vec::new(),
                });
                self.nodes.len() - 1
            }
        };
        &mut self.nodes[position].runs
    }

    /// The outputs of the last run of the node that ran last (none when they were streamed).
    pub fn last_outputs(&self) -> Option<Arc<Vec<Vec<Item>>>> {
        let last = self
            .last_node
            .and_then(|node| self.nodes.iter().find(|runs| runs.node == node));
        last.and_then(|runs| runs.runs.last())
            .and_then(|task| match &task.outputs {
                Some(TaskOutputs::Kept(outputs)) => Some(Arc::clone(outputs)),
                _ => None,
            })
    }
}

/// A run record with its plan: serialises as n8n's `--rawOutput` document.
pub struct RawOutput<'a> {
    /// The plan that ran.
    pub plan: &'a Plan,
    /// What it did.
    pub record: &'a RunRecord,
}

impl Serialize for RawOutput<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let name = |node: usize| self.plan.nodes[node].info.name.as_str();
        let mut document = serializer.serialize_map(None)?;
        let failed = self.record.failure.is_some();
        document.serialize_entry("status", if failed { "error" } else { "success" })?;
        if !failed {
            document.serialize_entry("finished", &true)?;
        }
        document.serialize_entry("mode", "cli")?;
        document.serialize_entry("lastNodeExecuted", &self.record.last_node.map(name))?;
        if let Some(failure) = &self.record.failure {
            document
                .serialize_entry("error", &run_error(&failure.error, self.plan, failure.node))?;
        }
        document.serialize_entry("runData", &RunData(self))?;
        document.end()
    }
}

struct RunData<'a>(&'a RawOutput<'a>);

impl Serialize for RunData<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let RawOutput { plan, record } = self.0;
        let mut nodes = serializer.serialize_map(Some(record.nodes.len()))?;
        for runs in &record.nodes {
            let tasks: Vec<Value> = runs
                .runs
                .iter()
                .map(|task| task_json(task, plan, runs.node))
                .collect();
            nodes.serialize_entry(&plan.nodes[runs.node].info.name, &tasks)?;
        }
        nodes.end()
    }
}

fn task_json(task: &TaskData, plan: &Plan, node: usize) -> Value {
    let source: Vec<Value> = task
        .source
        .iter()
        .map(|source| match source {
            Some(source) => json!({
                "previousNode": plan.nodes[source.node].info.name,
                "previousNodeOutput": source.output,
                "previousNodeRun": source.run,
            }),
            None => Value::Null,
        })
        .collect();
    let failed = task.error.is_some();
    let mut json = json!({
        "startTime": task.start_time as u64,
        "executionTime": task.execution_time as u64,
        "executionIndex": task.execution_index,
        "source": source,
        "hints": [],
    });
    if !task.metadata.is_empty() {
        json["metadata"] = Value::Object(task.metadata.clone());
    }
    json["executionStatus"] = json!(if failed { "error" } else { "success" });
    if let Some(error) = &task.error {
        json["error"] = run_error(error, plan, node);
    }
    match &task.outputs {
        Some(TaskOutputs::Kept(outputs)) => json["data"] = json!({ "main": outputs.as_slice() }),
        Some(TaskOutputs::Streamed(counts)) => json["weftStreamedItems"] = json!(counts),
        None => {}
    }
    json
}

/// A node's error as n8n puts it on a run and on the execution: the item error's fields plus
/// `messages` and the node as written in the workflow, its parameters resolved (defaults filled,
/// as n8n's `Workflow` holds them).
fn run_error(error: &NodeError, plan: &Plan, node: usize) -> Value {
    let mut json = match serde_json::to_value(error) {
        Ok(Value::Object(json)) => json,
        _ => Map::new(),
    };
    json.remove("cause");
    json.insert(
        "messages".to_owned(),
        json!(error.cause.iter().collect::<Vec<_>>()),
    );
    json.insert("functionality".to_owned(), json!("regular"));
    let planned = &plan.nodes[node];
    let mut written = planned.written.clone();
    if let Value::Object(fields) = &mut written {
        fields.insert(
            "parameters".to_owned(),
            Value::Object(planned.parameters.clone()),
        );
    }
    json.insert("node".to_owned(), written);
    Value::Object(json)
}
