//! The seam through which a node keeps data across executions (n8n's processed data, which
//! Remove Duplicates' "across executions" operations use): one JSON value per scope, read and
//! replaced in one step by the runtime's store. The node owns what the value means; the runtime
//! owns where it lives.

use serde_json::Value;

use crate::error::NodeError;

/// Whose history a value is (n8n's `options.scope`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryScope {
    /// This node's own.
    Node,
    /// Shared by every node of the workflow.
    Workflow,
}

/// A change of a stored value: given the value stored so far (`None` when there is none), the
/// value to store (`None` removes it), or an error that leaves the stored value as it was.
pub type HistoryChange<'c> = &'c mut dyn FnMut(Option<Value>) -> Result<Option<Value>, NodeError>;

/// Values kept across executions of the workflow, per [`HistoryScope`].
pub trait ProcessedData: Send + Sync {
    /// Applies `change` to the value of `scope` at once: no other execution changes it between
    /// the read and the write.
    fn update(&self, scope: HistoryScope, change: HistoryChange<'_>) -> Result<(), NodeError>;
}
