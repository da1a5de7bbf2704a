//! The seam to the runtime's JavaScript sandbox for the nodes that run user code (Code,
//! Function, Function Item). The runtime implements [`ScriptRunner`] over its sandboxed
//! QuickJS and hands it to the node through [`crate::NodeContext::script`]; the node reads its
//! parameters, asks for a run, and turns what the code returned into items.

use serde_json::Value;

use crate::error::NodeError;

/// How the code runs and which globals it sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptKind {
    /// Code, `runOnceForAllItems`: once, with `items` and `$input.all()`.
    CodeAllItems,
    /// Code, `runOnceForEachItem`: once per input item, with `item`, `$json` and `$itemIndex`.
    CodeEachItem,
    /// Function (legacy): once, with `items` (copies the code may change) and `$item(i)`.
    Function,
    /// Function Item (legacy): once per input item, with `item` being the item's json.
    FunctionItem,
}

impl ScriptKind {
    /// True when the code runs once per input item.
    pub fn per_item(self) -> bool {
        matches!(self, ScriptKind::CodeEachItem | ScriptKind::FunctionItem)
    }
}

/// What the node asks the sandbox to run.
#[derive(Clone, Copy, Debug)]
pub struct ScriptRequest<'a> {
    /// The user's code: the body of an async function.
    pub code: &'a str,
    /// How it runs.
    pub kind: ScriptKind,
    /// For code run per item: stop after the first item whose code throws (else every item
    /// runs and failures are reported per item).
    pub stop_at_failure: bool,
}

/// The code threw: n8n's parts of the error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptFailure {
    /// The error's message (without its type).
    pub message: String,
    /// The error's type when it is not a plain `Error`, e.g. `TypeError`.
    pub error_type: Option<String>,
    /// The line in the user's code where it was thrown, when known.
    pub line: Option<u32>,
}

/// One run of the code: what it returned (`None` for `undefined`) or how it failed.
pub type ScriptOutcome = Result<Option<Value>, ScriptFailure>;

/// Runs user code over a node's input in a sandbox: no file, network, process or environment
/// access, a memory limit and a time limit per node run.
pub trait ScriptRunner: Send + Sync {
    /// Runs `request`: one outcome for code that runs once, else one per input item in order
    /// (fewer when it stopped at a failure). `Err` when the sandbox itself failed: it could
    /// not start, or the code ran past the time or memory limit.
    fn run(&self, request: &ScriptRequest<'_>) -> Result<Vec<ScriptOutcome>, NodeError>;
}
