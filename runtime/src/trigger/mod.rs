//! Polling triggers for `weft start`: each workflow that starts with a polling trigger polls on
//! its schedule, runs when the poll found something, and commits the trigger's new state with the
//! run's record only after the run finished ([`runner`]). A panic in a poll or a run is contained
//! to it ([`containment`]). The schedule is n8n's `pollTimes`, or the cron patterns of a trigger
//! with its own (the Schedule Trigger, whose every tick is a poll that fires).

pub(crate) mod containment;
mod runner;
mod schedule;

use std::path::{Path, PathBuf};

use serde_json::Value;

pub use runner::{PollFailure, Runtime, serve};
pub use schedule::{Schedule, ScheduleError};

use crate::executor::polling_trigger;
use crate::workflow::Plan;

/// A workflow `weft start` runs: checked, with a polling trigger and its schedule.
pub struct ActiveWorkflow {
    /// The file it came from.
    pub file: PathBuf,
    /// The workflow JSON (for `$workflow` and n8n's `staticData`).
    pub document: Value,
    /// The checked plan.
    pub plan: Plan,
    /// When its trigger polls.
    pub schedule: Schedule,
    /// Whether the trigger polls once at activation (a `pollTimes` trigger, as n8n); a trigger
    /// with its own schedule first fires at its first tick.
    pub polls_at_activation: bool,
    /// The key its trigger state is stored under: the workflow's `id`, else its file's path.
    pub key: String,
}

/// Why a workflow cannot be started.
#[derive(Debug, thiserror::Error)]
pub enum ActivationError {
    /// Its trigger is not a polling trigger.
    #[error(
        "\"{node}\" ({type_name}) is not a polling trigger and the workflow has no enabled webhook (hint: weft start runs workflows that start with a polling trigger, such as the Schedule Trigger, or have a Webhook node; run this one with weft run)"
    )]
    NotPolling {
        /// The trigger's name.
        node: String,
        /// Its type.
        type_name: String,
    },
    /// Its schedule is wrong.
    #[error("the trigger's poll times: {0}")]
    Schedule(#[from] ScheduleError),
    /// The rules of a trigger with its own schedule are wrong (n8n fails the activation).
    #[error("\"{node}\": {error} (hint: fix the trigger's rules)")]
    Rules {
        /// The trigger's name.
        node: String,
        /// n8n's error.
        error: weft_nodes::NodeError,
    },
}

impl ActiveWorkflow {
    /// Prepares `plan` (checked from `document`, read from `file`): its trigger must poll. A
    /// `pollTimes` trigger may not fire more often than `min_interval`; one with its own cron
    /// patterns fires as they say. Times are in the workflow's zone (`settings.timezone`, else
    /// `$TZ`, else UTC).
    pub fn new(
        file: &Path,
        document: Value,
        plan: Plan,
        min_interval: std::time::Duration,
    ) -> Result<Self, ActivationError> {
        let trigger = &plan.nodes[plan.start];
        let Some(polling) = polling_trigger(&plan) else {
            return Err(ActivationError::NotPolling {
                node: trigger.info.name.clone(),
                type_name: trigger.info.type_name.clone(),
            });
        };
        let workflow_id = document
            .get("id")
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty());
        // n8n's seed for a rule's open parts: `<workflow id or "">:<node id>`.
        let node_key = format!(
            "{}:{}",
            workflow_id.unwrap_or_default(),
            node_id(&document, &trigger.info.name)
        );
        let parameters = Value::Object(trigger.parameters.clone());
        let own_patterns = polling.cron_patterns(trigger.info.type_version, &parameters, &node_key);
        let polls_at_activation = own_patterns.is_none();
        let schedule = match own_patterns {
            Some(patterns) => {
                let patterns = patterns.map_err(|error| ActivationError::Rules {
                    node: trigger.info.name.clone(),
                    error,
                })?;
                Schedule::from_patterns(&patterns, plan.zone())?
            }
            None => {
                let poll_times = trigger
                    .parameters
                    .get("pollTimes")
                    .cloned()
                    .unwrap_or(Value::Null);
                let zone = plan
                    .time_zone
                    .clone()
                    .or_else(|| std::env::var("TZ").ok().filter(|zone| !zone.is_empty()));
                Schedule::from_poll_times(&poll_times, zone.as_deref(), min_interval)?
            }
        };
        let key = match workflow_id {
            Some(id) => id.to_owned(),
            None => format!(
                "file:{}",
                std::fs::canonicalize(file)
                    .unwrap_or_else(|_| file.to_path_buf())
                    .display()
            ),
        };
        Ok(Self {
            file: file.to_path_buf(),
            document,
            plan,
            schedule,
            polls_at_activation,
            key,
        })
    }

    /// The trigger node's name.
    pub fn trigger_name(&self) -> &str {
        &self.plan.nodes[self.plan.start].info.name
    }

    /// n8n's static data for the trigger (`staticData["node:<name>"]`), the state to start from
    /// when weft has none saved (a workflow moved from n8n).
    pub fn n8n_static_data(&self) -> Option<Value> {
        self.document
            .get("staticData")?
            .get(format!("node:{}", self.trigger_name()))
            .cloned()
    }
}

/// The `id` of the node named `name` in the workflow JSON (empty when it has none).
fn node_id<'a>(document: &'a Value, name: &str) -> &'a str {
    document
        .get("nodes")
        .and_then(Value::as_array)
        .and_then(|nodes| {
            nodes
                .iter()
                .find(|node| node.get("name").and_then(Value::as_str) == Some(name))
        })
        .and_then(|node| node.get("id"))
        .and_then(Value::as_str)
        .unwrap_or_default()
}
