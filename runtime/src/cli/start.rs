//! `weft start <workflow.json>...`: runs workflows that start with a polling trigger or a
//! webhook until SIGINT or SIGTERM. Every workflow is checked before any starts (exit 1 and every
//! problem when one is wrong). Each polling trigger polls once at activation, then on its
//! schedule; every enabled Webhook node is served at `/webhook/<path>` on `--webhook-address`
//! (127.0.0.1:5678 unless told otherwise); polls, requests and runs are logged on stderr. On the first stop request the runs in flight finish and commit, then weft exits 0;
//! a second request exits at once (130) and abandons them without moving their triggers.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tracing::{error, info};

use super::run::checked_workflow;
use crate::executor::{RunLimits, polling_trigger};
use crate::signals::shutdown_signal;
use crate::store::Store;
use crate::trigger::{ActiveWorkflow, Runtime, serve};
use crate::webhook::{WebhookServer, Webhooks, webhook_nodes};
use crate::workflow::Plan;

/// What `weft start` was asked to do.
#[derive(Debug)]
pub struct StartRequest {
    /// The workflow files.
    pub workflows: Vec<PathBuf>,
    /// Schedules firing more often than this are refused.
    pub min_poll_interval: Duration,
    /// Forget the triggers' saved state before starting.
    pub reset_state: bool,
    /// The time limit of one JavaScript expression evaluation.
    pub expression_timeout: Duration,
    /// Where Execute Workflow finds workflows by id (`--workflows`, `WEFT_WORKFLOWS`).
    pub workflows_folder: Option<PathBuf>,
    /// How much one run may do.
    pub limits: RunLimits,
    /// Where webhooks are served.
    pub webhook_address: SocketAddr,
}

/// A workflow file, read and checked.
struct Loaded {
    file: PathBuf,
    document: serde_json::Value,
    plan: Plan,
}

/// Runs `weft start`.
pub fn start(request: &StartRequest) -> anyhow::Result<ExitCode> {
    let nothing_started = || {
        eprintln!("weft: nothing was started (hint: fix the problems above)");
        Ok(ExitCode::from(1))
    };
    let Some(loaded) = load(request)? else {
        return nothing_started();
    };
    let store = Arc::new(Store::open_default()?);
    let mut runtime = Runtime::new(
        Arc::clone(&store),
        request.expression_timeout,
        request.limits,
    );
    runtime
        .workflows_folder
        .clone_from(&request.workflows_folder);
    let runtime = Arc::new(runtime);
    let Some((workflows, webhooks)) = activate(request, loaded, &runtime) else {
        return nothing_started();
    };
    if request.reset_state {
        for workflow in &workflows {
            let forgotten = store.reset_trigger_state(&workflow.key)?;
            info!(workflow = %workflow.file.display(), forgotten, "trigger state reset");
        }
    }
    // Nested sub-workflow runs (up to `executor::MAX_DEPTH`) poll deep futures: give the workers
    // the main thread's 8 MiB instead of tokio's 2 MiB.
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(8 << 20)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(run_all(
            workflows,
            webhooks,
            runtime,
            request.webhook_address,
        ))
}

/// Reads and checks every workflow; `None` when any is wrong (its problems printed).
fn load(request: &StartRequest) -> anyhow::Result<Option<Vec<Loaded>>> {
    let mut loaded = Vec::new();
    let mut wrong = false;
    for file in &request.workflows {
        match checked_workflow(file)? {
            Some((document, plan)) => loaded.push(Loaded {
                file: file.clone(),
                document,
                plan,
            }),
            None => wrong = true,
        }
    }
    Ok((!wrong).then_some(loaded))
}

/// The polling workflows and the webhooks to serve; `None` when one cannot be activated (the
/// reason printed). A workflow is polled when it starts at a polling trigger, and each of its
/// enabled webhooks is served; one with neither is refused.
fn activate(
    request: &StartRequest,
    loaded: Vec<Loaded>,
    runtime: &Runtime,
) -> Option<(Vec<ActiveWorkflow>, Webhooks)> {
    let mut workflows = Vec::new();
    let mut webhooks = Webhooks::default();
    let mut wrong = false;
    for Loaded {
        file,
        document,
        plan,
    } in loaded
    {
        let hooks = webhook_nodes(&plan);
        for &node in &hooks {
            if let Err(error) = webhooks.add(runtime, &document, &plan, node) {
                eprintln!("weft: {}: {error}", file.display());
                wrong = true;
            }
        }
        if !hooks.is_empty() && polling_trigger(&plan).is_none() {
            continue;
        }
        match ActiveWorkflow::new(&file, document, plan, request.min_poll_interval) {
            Ok(workflow) => workflows.push(workflow),
            Err(error) => {
                eprintln!("weft: {}: {error}", file.display());
                wrong = true;
            }
        }
    }
    (!wrong).then_some((workflows, webhooks))
}

/// Serves every workflow until a stop request; exit 1 when a workflow failed to activate or
/// stopped unexpectedly.
async fn run_all(
    workflows: Vec<ActiveWorkflow>,
    webhooks: Webhooks,
    runtime: Arc<Runtime>,
    webhook_address: SocketAddr,
) -> anyhow::Result<ExitCode> {
    let (stop, stopped) = watch::channel(false);
    let server = match webhooks.is_empty() {
        true => None,
        false => {
            let server =
                WebhookServer::bind(webhook_address, webhooks, Arc::clone(&runtime)).await?;
            let mut stopped = stopped.clone();
            let shutdown = async move {
                let _ = stopped.wait_for(|stop| *stop).await;
            };
            Some(tokio::spawn(server.run(shutdown)))
        }
    };
    let mut serving = JoinSet::new();
    for workflow in workflows {
        let file = workflow.file.clone();
        let serve = serve(workflow, Arc::clone(&runtime), stopped.clone());
        serving.spawn(async move { (file, serve.await) });
    }
    tokio::spawn(async move {
        shutdown_signal().await;
        info!("stopping: runs in flight finish first (a second signal stops at once)");
        let _ = stop.send(true);
        shutdown_signal().await;
        std::process::exit(130);
    });
    let mut failed = false;
    while let Some(joined) = serving.join_next().await {
        match joined {
            Ok((_, Ok(()))) => {}
            Ok((file, Err(error))) => {
                failed = true;
                eprintln!(
                    "weft: {}: the trigger's first poll failed, so the workflow did not start: {error}",
                    file.display(),
                );
            }
            // Polls and runs contain their panics; this is a panic in the loop around them.
            Err(panic) => {
                failed = true;
                error!("a trigger stopped unexpectedly, the other workflows go on: {panic}");
            }
        }
    }
    if let Some(server) = server {
        match server.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                failed = true;
                error!("{error:#}");
            }
            Err(panic) => {
                failed = true;
                error!("the webhook server stopped unexpectedly: {panic}");
            }
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
