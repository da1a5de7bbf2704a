//! `weft run <workflow.json>`: checks the workflow, runs it from its Manual Trigger and prints the
//! last node's items, or with `--raw-output` n8n's `n8n execute --rawOutput` document. Exit 0 on
//! success, 1 when the workflow is wrong or failed (stderr names the node and the error), 2 when
//! weft could not read or write a file.
//!
//! The items are written as they are produced when the workflow's tail can stream (see
//! `executor::run_into`), so a million-record query never sits in memory; `--raw-output` needs
//! every node's items and always collects.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use serde::Serialize;
use serde_json::Value;
use weft_credentials::Registry;
use weft_nodes::NodeRegistry;

use super::credential_check::{print_problems, read_json};
use super::item_output::ItemOutput;
use super::js_json;
use crate::executor::{
    self, RawOutput, RunLimits, RunOptions, StoreCredentials, SubWorkflowOptions,
};
use crate::expressions::{Expressions, RunFacts};
use crate::workflow::{Plan, check};

/// What `weft run` was asked to do.
#[derive(Debug)]
pub struct RunRequest {
    /// The workflow file.
    pub workflow: PathBuf,
    /// Print n8n's whole run document instead of the last node's items.
    pub raw_output: bool,
    /// Let pinned data replace node output.
    pub pin_data: bool,
    /// Write the output here instead of stdout.
    pub output: Option<PathBuf>,
    /// The time limit of one JavaScript expression evaluation.
    pub expression_timeout: Duration,
    /// Where Execute Workflow finds workflows by id (`--workflows`, `WEFT_WORKFLOWS`).
    pub workflows_folder: Option<PathBuf>,
    /// How much the run may do.
    pub limits: RunLimits,
}

/// Runs `weft run`.
pub fn run(request: &RunRequest) -> anyhow::Result<ExitCode> {
    let file = &request.workflow;
    let Some((document, plan)) = checked_workflow(file)? else {
        eprintln!("weft: the workflow did not run (hint: fix the problems above)");
        return Ok(ExitCode::from(1));
    };
    let facts =
        RunFacts::new(&document, "cli", std::process::id().to_string()).in_zone(plan.zone());
    let expressions = Expressions::new(facts, request.expression_timeout);
    let clients = StoreCredentials::from_default_store();
    let options = RunOptions {
        pin_data: request.pin_data,
        start_output: None,
        webhook_reply: None,
        limits: request.limits,
        sub_workflows: SubWorkflowOptions::with_folder(request.workflows_folder.clone()),
        history: Default::default(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let record = if request.raw_output {
        let record = runtime.block_on(executor::run(&plan, &clients, &expressions, &options));
        write_output(
            request.output.as_deref(),
            &RawOutput {
                plan: &plan,
                record: &record,
            },
        )?;
        record
    } else {
        let mut output = ItemOutput::new(request.output.as_deref());
        let run = executor::run_into(&plan, &clients, &expressions, &options, &mut output);
        let record = runtime.block_on(run);
        output.finish(record.failure.is_none())?;
        record
    };
    match &record.failure {
        None => Ok(ExitCode::SUCCESS),
        Some(failure) => {
            let node = &plan.nodes[failure.node].info;
            eprintln!(
                "weft: node \"{}\" ({}) failed: {}",
                node.name, node.type_name, failure.error
            );
            Ok(ExitCode::from(1))
        }
    }
}

/// The workflow in `file`, read and checked against the registries; `None` when it cannot be
/// read or is wrong (every problem printed with its path and a hint).
pub(super) fn checked_workflow(file: &Path) -> anyhow::Result<Option<(Value, Plan)>> {
    let Some(document) = read_json(file)? else {
        return Ok(None);
    };
    match check(&document, NodeRegistry::global()?, Registry::global()?) {
        Ok(plan) => Ok(Some((document, plan))),
        Err(problems) => {
            print_problems(file, &problems);
            Ok(None)
        }
    }
}

/// Writes `value` as pretty JSON to `output` or stdout, streamed through a buffer.
fn write_output<T: Serialize + ?Sized>(output: Option<&Path>, value: &T) -> anyhow::Result<()> {
    let writer: Box<dyn Write> = match output {
        Some(path) => Box::new(
            File::create(path).with_context(|| format!("cannot write {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut writer = BufWriter::new(writer);
    js_json::to_writer_pretty(&mut writer, value)?;
    writer.write_all(b"\n")?;
    writer.flush().context("cannot write the output")?;
    Ok(())
}
