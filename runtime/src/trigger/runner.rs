//! The poll loop of `weft start`: per workflow, one poll at activation (as n8n, an error there
//! keeps the workflow from starting; a trigger with its own schedule, such as the Schedule
//! Trigger, has none), then one per schedule tick, never two at once.
//!
//! One poll: read the trigger's committed state, poll, and when the poll found records, run the
//! workflow with them; then commit the new state together with the run's record, and only then
//! let the trigger change its source (mark emails read). A poll that
//! fails (API, auth, a daily limit) commits nothing, so the next tick reads the same window; the
//! error is logged with its hint. A run that fails is recorded as failed and its records are not
//! polled again (as in n8n; re-running them forever would block the trigger). A shutdown request
//! is honoured between polls: the run in flight finishes and commits first. A panic is a failure
//! like any other: in a poll it fails the poll, in a run it fails the run (recorded with the
//! panic's message), and the workflow goes on polling.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;
use tokio::sync::watch;
use tracing::{error, info, warn};
use weft_nodes::{NodeError, PollingTrigger};

use super::ActiveWorkflow;
use super::containment::contained;
use crate::executor::{
    self, HistoryStore, RunLimits, RunOptions, StoreCredentials, SubWorkflowOptions,
    polling_trigger,
};
use crate::expressions::{Expressions, RunFacts};
use crate::store::{ExecutionRecord, Store};

/// What every trigger of one `weft start` shares.
pub struct Runtime {
    /// The store with the trigger state and run records.
    pub store: Arc<Store>,
    /// Authenticated clients, one session per credential for the whole process.
    pub clients: StoreCredentials,
    /// The time limit of one JavaScript expression evaluation.
    pub expression_timeout: Duration,
    /// How much one run may do.
    pub limits: RunLimits,
    /// Where Execute Workflow finds workflows by id.
    pub workflows_folder: Option<PathBuf>,
    /// Numbers the runs of this process.
    runs: AtomicU64,
}

impl Runtime {
    /// A runtime over `store`.
    pub fn new(store: Arc<Store>, expression_timeout: Duration, limits: RunLimits) -> Self {
        Self {
            clients: StoreCredentials::with_store(Arc::clone(&store)),
            store,
            expression_timeout,
            limits,
            workflows_folder: None,
            runs: AtomicU64::new(0),
        }
    }

    fn expressions(&self, workflow: &ActiveWorkflow) -> Expressions {
        self.run_expressions(&workflow.document, workflow.plan.zone(), "trigger")
    }

    /// The expression engine of one run of `document` (a new execution id), in `mode` (n8n's
    /// execution mode: `trigger`, `webhook`).
    pub fn run_expressions(
        &self,
        document: &Value,
        zone: chrono_tz::Tz,
        mode: &str,
    ) -> Expressions {
        let run = self.runs.fetch_add(1, Ordering::Relaxed) + 1;
        let id = format!("{}-{run}", std::process::id());
        Expressions::new(
            RunFacts::new(document, mode, id).in_zone(zone),
            self.expression_timeout,
        )
    }
}

/// A poll that failed, told for the log: n8n's message, the API's, its error code and a hint.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PollFailure(String);

impl PollFailure {
    /// `error` of `trigger`, with the trigger's hint when it has one.
    pub fn new(error: &NodeError, trigger: Option<&dyn PollingTrigger>) -> Self {
        Self(describe_failure(error, trigger))
    }
}

/// Polls `workflow` until `shutdown` turns true. Returns the activation poll's failure, if it
/// failed (the workflow then did not start).
pub async fn serve(
    workflow: ActiveWorkflow,
    runtime: Arc<Runtime>,
    mut shutdown: watch::Receiver<bool>,
) -> Result<(), PollFailure> {
    let name = workflow.plan.name.clone();
    let trigger = polling_trigger(&workflow.plan);
    let mut warned = Vec::new();
    if workflow.polls_at_activation {
        poll_once(&workflow, &runtime, &mut warned, Utc::now())
            .await
            .map_err(|error| PollFailure::new(&error, trigger))?;
    }
    info!(workflow = %name, "active; polling on schedule");
    let mut failures = 0u32;
    loop {
        let Some(next) = workflow.schedule.next_after(Utc::now()) else {
            info!(workflow = %name, "the schedule has no further tick");
            return Ok(());
        };
        let wait = (next - Utc::now()).to_std().unwrap_or_default();
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            _ = shutdown.wait_for(|stop| *stop) => return Ok(()),
        }
        match poll_once(&workflow, &runtime, &mut warned, next).await {
            Ok(()) => failures = 0,
            Err(error) => {
                failures += 1;
                error!(workflow = %name, failures, "poll failed, the trigger's position is unchanged: {}", describe_failure(&error, trigger));
            }
        }
    }
}

/// A failed poll for the log: n8n's message, the API's, its error code and a hint (the
/// trigger's own, else weft's).
fn describe_failure(error: &NodeError, trigger: Option<&dyn PollingTrigger>) -> String {
    let code = error
        .context
        .get("errorCode")
        .and_then(|code| code.as_str());
    let hint = trigger
        .and_then(|trigger| trigger.failure_hint(error))
        .unwrap_or(match error.http_code {
            Some(401) => "check the credential with `weft credentials test`; the next tick retries",
            _ => "the next tick retries",
        });
    let mut text = error.message.clone();
    if let Some(description) = &error.description {
        text.push_str(": ");
        text.push_str(description);
    }
    if let Some(code) = code {
        text.push_str(&format!(" [{code}]"));
    }
    format!("{text} (hint: {hint})")
}

/// One poll for the tick due `at` and, when it found records, one run; then the commit.
/// Warnings are logged when they differ from the previous poll's (`warned`), not at every tick.
async fn poll_once(
    workflow: &ActiveWorkflow,
    runtime: &Runtime,
    warned: &mut Vec<String>,
    at: DateTime<Utc>,
) -> Result<(), NodeError> {
    let name = &workflow.plan.name;
    let node = workflow.trigger_name();
    let store_error = |error: crate::store::StoreError| {
        NodeError::operation(format!(
            "The trigger state cannot be read or saved: {error}"
        ))
    };
    let (key, trigger) = (workflow.key.clone(), node.to_owned());
    let snapshot = runtime
        .store
        .in_background(move |store| store.trigger_state(&key, &trigger))
        .await
        .map_err(store_error)?;
    let state = snapshot.state.or_else(|| workflow.n8n_static_data());
    let polled = Instant::now();
    // One execution: the poll and the run it starts share `$execution` and the engine.
    let expressions = runtime.expressions(workflow);
    let poll = contained(executor::poll(
        &workflow.plan,
        &runtime.clients,
        &expressions,
        state,
        at,
    ))
    .await
    .unwrap_or_else(|panic| {
        Err(NodeError::operation(format!(
            "The trigger panicked while polling: {panic}"
        )))
    })?;
    if poll.warnings != *warned {
        for warning in &poll.warnings {
            warn!(workflow = %name, node, "{warning}");
        }
        warned.clone_from(&poll.warnings);
    }
    let found = poll.items.len();
    let run = if found == 0 {
        info!(workflow = %name, node, ms = polled.elapsed().as_millis() as u64, "poll: no new records");
        None
    } else {
        let started_at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
        let options = RunOptions {
            pin_data: false,
            start_output: Some(vec![poll.items]),
            webhook_reply: None,
            limits: runtime.limits,
            sub_workflows: SubWorkflowOptions::with_folder(runtime.workflows_folder.clone()),
            history: HistoryStore::with_store(Arc::clone(&runtime.store)),
        };
        let run = executor::run(&workflow.plan, &runtime.clients, &expressions, &options);
        let failure = match contained(run).await {
            Ok(record) => record.failure.as_ref().map(|failure| {
                let failed = &workflow.plan.nodes[failure.node].info.name;
                format!("node \"{failed}\": {}", failure.error)
            }),
            Err(panic) => Some(format!(
                "the run panicked: {panic} (hint: this is a bug in weft or in a node; these records are not polled again, and the trigger goes on)"
            )),
        };
        match &failure {
            None => {
                info!(workflow = %name, node, records = found, ms = polled.elapsed().as_millis() as u64, "poll: run succeeded")
            }
            Some(failure) => {
                warn!(workflow = %name, node, records = found, "poll: run failed at {failure}")
            }
        }
        Some(ExecutionRecord {
            status: if failure.is_none() {
                "success"
            } else {
                "error"
            },
            items: found,
            error: failure,
            started_at,
        })
    };
    let (key, trigger) = (workflow.key.clone(), node.to_owned());
    let committed = runtime
        .store
        .in_background(move |store| {
            store.commit_poll(
                &key,
                &trigger,
                snapshot.generation,
                &poll.state,
                run.as_ref(),
            )
        })
        .await
        .map_err(store_error)?;
    if !committed {
        warn!(workflow = %name, node, "another weft process moved this trigger meanwhile; its state was kept");
    } else if let Some(work) = poll.after_commit {
        let done = contained(executor::after_commit(
            &workflow.plan,
            &runtime.clients,
            &expressions,
            work,
        ))
        .await
        .unwrap_or_else(|panic| {
            Err(NodeError::operation(format!(
                "The trigger panicked after the commit: {panic}"
            )))
        });
        if let Err(error) = done {
            warn!(workflow = %name, node, "the trigger's work after the commit failed: {}", describe_failure(&error, polling_trigger(&workflow.plan)));
        }
    }
    Ok(())
}
