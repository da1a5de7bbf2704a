//! The seam to the runtime for Execute Workflow: a node hands the runtime a workflow (parsed
//! JSON, or an id to look up) and the items for its trigger; the runtime checks it as `weft run`
//! would, runs it with the same executor, credentials and limits, and answers with the
//! sub-workflow's result. The node reaches it through [`crate::NodeContext::sub_workflows`]; the
//! runtime implements [`SubWorkflows`], so nodes never depend on the runtime.

use async_trait::async_trait;
use serde_json::Value;

use crate::error::NodeError;
use crate::item::Item;

/// Which workflow to run.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkflowSource {
    /// A workflow document the node already has (inline JSON, a file it read).
    Document {
        /// The workflow JSON.
        workflow: Value,
        /// Where it came from, for errors: `the parameter "workflowJson"`, `the file "…"`.
        origin: String,
    },
    /// A workflow the runtime finds by its `id` (n8n's database source).
    Id(String),
}

/// One call of a sub-workflow.
#[derive(Clone, Debug)]
pub struct SubWorkflowCall {
    /// The workflow.
    pub source: WorkflowSource,
    /// The items its trigger gets, each paired to the calling node's input item.
    pub items: Vec<Item>,
}

/// Which execution a call made, as n8n names it in `metadata.subExecution`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubExecution {
    /// The sub-execution's id.
    pub execution_id: String,
    /// The id of the workflow that ran (for inline workflows the caller's own id, as in n8n;
    /// `None` when neither has one).
    pub workflow_id: Option<String>,
}

/// What a finished sub-workflow gave back.
#[derive(Clone, Debug)]
pub struct SubWorkflowRun {
    /// The execution.
    pub execution: SubExecution,
    /// n8n's result: the output branches of the sub-workflow's last node (its last run, or all
    /// its runs when the trigger asks for them). Items whose pairing leads back through the
    /// sub-workflow to its trigger are paired to the item given at that place; the others keep
    /// the pairing the last node gave them.
    pub outputs: Vec<Vec<Item>>,
}

/// Why a call failed: the error, and the execution when the sub-workflow started running.
#[derive(Clone, Debug)]
pub struct SubWorkflowFailure {
    /// The error (the sub-workflow's own, or why it could not start).
    pub error: NodeError,
    /// The execution, when there was one.
    pub execution: Option<SubExecution>,
}

impl From<NodeError> for SubWorkflowFailure {
    fn from(error: NodeError) -> Self {
        Self {
            error,
            execution: None,
        }
    }
}

/// Runs sub-workflows for a node. The runtime bounds how deeply workflows call each other.
#[async_trait]
pub trait SubWorkflows: Send + Sync {
    /// Checks and runs the workflow of `call` to its end.
    async fn run(&self, call: SubWorkflowCall) -> Result<SubWorkflowRun, SubWorkflowFailure>;
}
