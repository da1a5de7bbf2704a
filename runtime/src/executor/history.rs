//! The runtime's side of `weft_nodes::ProcessedData`: data a node keeps across executions
//! (Remove Duplicates' history) lives in weft's store, keyed by the workflow (its id, else its
//! name) and the scope (`n:<node id>`, the node's name when it has no id, or the workflow's).

use std::sync::{Arc, OnceLock};

use weft_nodes::{HistoryChange, HistoryScope, NodeError, ProcessedData};

use crate::store::Store;

/// Where a run keeps data across executions: a store the process already has open (`weft
/// start`), or the default store, opened on first use (`weft run`, which a workflow without
/// such a node runs without one).
#[derive(Clone, Debug, Default)]
pub struct HistoryStore {
    given: Option<Arc<Store>>,
    opened: Arc<OnceLock<Result<Arc<Store>, String>>>,
}

impl HistoryStore {
    /// Data kept in `store`.
    pub fn with_store(store: Arc<Store>) -> Self {
        Self {
            given: Some(store),
            opened: Arc::default(),
        }
    }

    /// The store, opened on first use; why it cannot be opened.
    pub(super) fn open(&self) -> Result<&Arc<Store>, &str> {
        if let Some(store) = &self.given {
            return Ok(store);
        }
        self.opened
            .get_or_init(|| {
                Store::open_default()
                    .map(Arc::new)
                    .map_err(|error| error.to_string())
            })
            .as_ref()
            .map_err(String::as_str)
    }

    fn store(&self) -> Result<&Arc<Store>, NodeError> {
        self.open().map_err(|error| {
            NodeError::operation(format!(
                "weft keeps data across executions in its store, which cannot be opened: \
                     {error}"
            ))
            .with_description(
                "hint: give weft its store (WEFT_HOME and its key, as for credentials), or \
                     use the operation removeDuplicateInputItems to remove duplicates within \
                     one run",
            )
        })
    }
}

/// One node run's view of the history: the workflow's and the node's keys.
pub(super) struct NodeHistory<'a> {
    pub store: &'a HistoryStore,
    pub workflow: String,
    pub node: String,
}

impl ProcessedData for NodeHistory<'_> {
    fn update(&self, scope: HistoryScope, change: HistoryChange<'_>) -> Result<(), NodeError> {
        let context = match scope {
            HistoryScope::Node => format!("n:{}", self.node),
            HistoryScope::Workflow => String::new(),
        };
        self.store()?
            .update_processed_data(&self.workflow, &context, change)
            .map_err(|error| {
                NodeError::operation("The data kept across executions cannot be read or saved")
                    .with_description(error.to_string())
            })?
    }
}

impl NodeHistory<'_> {
    fn store(&self) -> Result<&Arc<Store>, NodeError> {
        self.store.store()
    }
}
