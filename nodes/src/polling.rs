//! Polling triggers: a trigger node that, on a schedule, reports what changed since the state it
//! saved last time. The runtime keeps the state, runs the workflow with the items and only then
//! commits the new state, so a crash between the two polls the same changes again instead of
//! losing them. A trigger that brings its own schedule (the Schedule Trigger) gives its cron
//! patterns instead of n8n's `pollTimes`, and each of its ticks is a poll that fires. A trigger
//! that changes its source after reading it (the Email Trigger marks emails read) does so after
//! the commit.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::error::NodeError;
use crate::item::Item;
use crate::node::NodeContext;

/// The result of one scheduled poll.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Poll {
    /// The items to start a run with; none means no run.
    pub items: Vec<Item>,
    /// The state to save once the run (if any) has finished.
    pub state: Value,
    /// Things the user should know that did not stop the poll (e.g. a field they cannot see).
    pub warnings: Vec<String>,
    /// Work the trigger does on its source once the state is committed
    /// ([`PollingTrigger::after_commit`]), e.g. marking the emitted emails read; `None`: none.
    pub after_commit: Option<Value>,
}

/// A trigger that can be polled. `state` is what the previous committed poll returned, or the
/// workflow's n8n `staticData` for the node when weft has none yet, or `None`.
#[async_trait]
pub trait PollingTrigger: Send + Sync {
    /// One scheduled poll (n8n's `poll()` outside manual mode), for the tick due `at` (the
    /// moment of activation for the poll then).
    async fn poll(
        &self,
        ctx: &NodeContext<'_>,
        state: Option<Value>,
        at: DateTime<Utc>,
    ) -> Result<Poll, NodeError>;

    /// The cron patterns (with seconds) of a trigger that fires on its own schedule rather than
    /// on n8n's `pollTimes`, for a node of `version` with these `parameters`, keyed `node_key`
    /// (`<workflow id>:<node id>`, n8n's seed for the parts a rule leaves open). Such a trigger
    /// is not polled at activation (its first run is at its first tick) and has no minimum
    /// interval. `None` (the default): the trigger polls on `pollTimes`.
    fn cron_patterns(
        &self,
        version: f64,
        parameters: &Value,
        node_key: &str,
    ) -> Option<Result<Vec<String>, NodeError>> {
        let _ = (version, parameters, node_key);
        None
    }

    /// Does the poll's [`Poll::after_commit`] work, once its state (and the record of the run
    /// it started) is committed, so that a crash before the commit leaves the source as it was
    /// and the same changes are polled again. A failure is logged; the state stays committed.
    async fn after_commit(&self, ctx: &NodeContext<'_>, work: Value) -> Result<(), NodeError> {
        let _ = (ctx, work);
        Ok(())
    }

    /// What to do about a poll that failed with `error`, for the log of `weft start`, when the
    /// trigger knows its API's errors better than weft does (an API quota used up, a session
    /// refused). `None` (the default): weft's generic hint.
    fn failure_hint(&self, error: &NodeError) -> Option<&'static str> {
        let _ = error;
        None
    }
}
