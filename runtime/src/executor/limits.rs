//! `RunLimits`: how much one run may do. n8n runs loops until they end; a loop that never ends
//! (or one that multiplies its items on every turn) would grow without bound, so a run stops with
//! an error naming the node once it has made `max_node_runs` node runs or keeps more than
//! `max_items` items (every node's output is kept for `runData` and for expressions; a streamed
//! tail keeps only counts and does not count). A Wait node may hold the run `max_wait` at most:
//! n8n parks a longer wait in its database and resumes later, weft runs in one process. The code
//! of a Code node run may take `code_timeout`.

use std::time::Duration;

use weft_nodes::NodeError;

/// The limits of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunLimits {
    /// Node runs per execution, loops included.
    pub max_node_runs: usize,
    /// Items kept at once over every node run of the execution.
    pub max_items: usize,
    /// The longest a Wait node may hold the run.
    pub max_wait: Duration,
    /// The longest the code of one Code, Function or Function Item node run may take.
    pub code_timeout: Duration,
}

impl RunLimits {
    /// The defaults of `weft run` and `weft start`: far above real workflows, far below what
    /// exhausts a machine.
    pub const DEFAULT: Self = Self {
        max_node_runs: 100_000,
        max_items: 10_000_000,
        max_wait: weft_nodes::ExecutionSettings::DEFAULT.max_wait,
        code_timeout: Duration::from_secs(60),
    };

    /// The error for the node run that would pass `max_node_runs`.
    pub(super) fn too_many_runs(&self, node: &str) -> NodeError {
        NodeError::operation(format!(
            "The run reached its limit of {} node runs at node \"{node}\"",
            self.max_node_runs
        ))
        .with_description(
            "hint: a loop in the workflow does not end (check the condition that leaves it); if the workflow really needs more node runs, raise the limit with --max-node-runs",
        )
    }

    /// The error for the node whose output took the kept items to `kept`, over `max_items`.
    pub(super) fn too_many_items(&self, node: &str, kept: usize) -> NodeError {
        NodeError::operation(format!(
            "Node \"{node}\" brought the items this run keeps to {kept}, over its limit of {}",
            self.max_items
        ))
        .with_description(
            "hint: a loop may multiply its items on every turn; if the workflow really handles that many, raise the limit with --max-items",
        )
    }
}

impl Default for RunLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}
