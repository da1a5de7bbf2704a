//! Polling triggers for `weft start`: each workflow that starts with a polling trigger polls on
//! its schedule, runs when the poll found something, and commits the trigger's new state with the
//! run's record only after the run finished ([`runner`]). A panic in a poll or a run is contained
//! to it ([`containment`]).

mod containment;
mod runner;
mod schedule;

use std::path::{Path, PathBuf};

use serde_json::Value;

pub use runner::{Runtime, describe_failure, serve};
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
    /// The key its trigger state is stored under: the workflow's `id`, else its file's path.
    pub key: String,
}

/// Why a workflow cannot be started.
#[derive(Debug, thiserror::Error)]
pub enum ActivationError {
    /// Its trigger is not a polling trigger.
    #[error(
        "\"{node}\" ({type_name}) is not a polling trigger (hint: weft start runs workflows that start with one, such as the Salesforce Trigger; run this one with weft run)"
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
}

impl ActiveWorkflow {
    /// Prepares `plan` (checked from `document`, read from `file`): its trigger must poll, and
    /// its `pollTimes` may not fire more often than `min_interval`. The schedule's time zone is
    /// the workflow's `settings.timezone`, else `$TZ`, else UTC.
    pub fn new(
        file: &Path,
        document: Value,
        plan: Plan,
        min_interval: std::time::Duration,
    ) -> Result<Self, ActivationError> {
        let trigger = &plan.nodes[plan.start];
        if polling_trigger(&plan).is_none() {
            return Err(ActivationError::NotPolling {
                node: trigger.info.name.clone(),
                type_name: trigger.info.type_name.clone(),
            });
        }
        let poll_times = trigger
            .parameters
            .get("pollTimes")
            .cloned()
            .unwrap_or(Value::Null);
        let zone = plan
            .time_zone
            .clone()
            .or_else(|| std::env::var("TZ").ok().filter(|zone| !zone.is_empty()));
        let schedule = Schedule::from_poll_times(&poll_times, zone.as_deref(), min_interval)?;
        let key = match document.get("id").and_then(Value::as_str) {
            Some(id) if !id.is_empty() => id.to_owned(),
            _ => format!(
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
