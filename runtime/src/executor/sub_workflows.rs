//! Sub-workflows (Execute Workflow): the runtime's side of `weft_nodes::SubWorkflows`.
//!
//! A call's workflow is found (inline JSON, a file the node read, or a file of the workflows
//! folder whose `id` matches), checked with the same `workflow::check` as `weft run` (problems
//! name where the workflow came from) and run by the same executor with the same credentials
//! and limits, starting at its Execute Workflow Trigger (else its Manual Trigger) with the
//! caller's items as input. As in n8n, an inline workflow without an `id` or `settings` takes
//! the caller's, and the result is the last node's output (its last run; every run when a v1.2
//! trigger, or an older one set to `allRuns`, asks for them), each item's pairing followed back
//! through the sub-run to the items given (n8n's `findPairedItemThroughWorkflowData`).
//!
//! The sub-run is n8n's separate execution (mode `integrated`, an id of its own): its run data
//! is not mixed into the caller's, which records only the sub-execution's id in its metadata.
//! Calls nest at most [`MAX_DEPTH`] deep, so a workflow that calls itself stops with an error
//! naming the chain instead of growing without end.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use serde_json::{Value, json};
use weft_credentials::Registry;
use weft_nodes::{
    Item, NodeError, NodeRegistry, PairedItems, SubExecution, SubWorkflowCall, SubWorkflowFailure,
    SubWorkflowRun, SubWorkflows, WorkflowSource,
};

use super::run_data::{RunRecord, TaskData, TaskOutputs};
use super::{Executor, RunOptions};
use crate::bounded_read::{MAX_JSON_FILE, file_text};
use crate::expressions::{Expressions, RunFacts};
use crate::workflow::{Plan, check};

/// How deeply workflows may call each other.
pub const MAX_DEPTH: usize = 16;

/// n8n's engine starts a sub-workflow at this node type, else at a Manual Trigger.
const TRIGGER_TYPE: &str = "n8n-nodes-base.executeWorkflowTrigger";
const MANUAL_TRIGGER_TYPE: &str = "n8n-nodes-base.manualTrigger";

/// Numbers the sub-executions of this process.
static SUB_EXECUTIONS: AtomicUsize = AtomicUsize::new(1);

/// What a run knows about sub-workflows.
#[derive(Clone, Debug, Default)]
pub struct SubWorkflowOptions {
    /// The folder whose workflow files Execute Workflow finds by `id` (`--workflows`,
    /// `WEFT_WORKFLOWS`).
    pub folder: Option<PathBuf>,
    /// The workflows that called this run, outermost first (empty for a top-level run).
    chain: Vec<String>,
    /// The items the start node gets (a sub-run's input).
    pub(super) input: Option<Vec<Item>>,
}

impl SubWorkflowOptions {
    /// Options for a top-level run that finds workflows by id in `folder`.
    pub fn with_folder(folder: Option<PathBuf>) -> Self {
        Self {
            folder,
            ..Self::default()
        }
    }
}

/// The sub-workflow runner one node run gets: its executor's plan, credentials and limits.
pub(super) struct SubRuns<'e> {
    executor: &'e Executor<'e>,
    /// The workflows found by id in this node run, read and checked once (Execute Workflow in
    /// "each" mode calls the same one for every item).
    by_id: Mutex<HashMap<String, Arc<Prepared>>>,
}

/// A sub-workflow read and checked: its document (with what it inherits) and its plan.
struct Prepared {
    document: Value,
    plan: Plan,
}

impl<'e> SubRuns<'e> {
    pub(super) fn new(executor: &'e Executor<'e>) -> Self {
        Self {
            executor,
            by_id: Mutex::default(),
        }
    }

    /// The workflow `source` names, read and checked (once per id).
    fn prepare(&self, source: WorkflowSource) -> Result<(Arc<Prepared>, String), NodeError> {
        let executor = self.executor;
        let read = |mut document: Value, origin: &str| {
            inherit(
                &mut document,
                &executor.expressions.facts().workflow,
                executor.plan,
            );
            let plan = checked(&document, origin)?;
            Ok::<_, NodeError>(Arc::new(Prepared { document, plan }))
        };
        match source {
            WorkflowSource::Document { workflow, origin } => Ok((read(workflow, &origin)?, origin)),
            WorkflowSource::Id(id) => {
                let origin = format!("the workflow with id \"{id}\"");
                let known = self.known().get(&id).cloned();
                let prepared = match known {
                    Some(prepared) => prepared,
                    None => {
                        let folder = executor.options.sub_workflows.folder.as_deref();
                        let prepared = read(find_by_id(folder, &id)?, &origin)?;
                        self.known().insert(id, Arc::clone(&prepared));
                        prepared
                    }
                };
                Ok((prepared, origin))
            }
        }
    }

    fn known(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Prepared>>> {
        self.by_id
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[async_trait]
impl SubWorkflows for SubRuns<'_> {
    async fn run(&self, call: SubWorkflowCall) -> Result<SubWorkflowRun, SubWorkflowFailure> {
        let executor = self.executor;
        let options = &executor.options.sub_workflows;
        let (prepared, origin) = self.prepare(call.source)?;
        let (document, plan) = (&prepared.document, &prepared.plan);
        let label = label(document, &origin);
        let mut chain = options.chain.clone();
        if chain.is_empty() {
            chain.push(format!("\"{}\"", executor.plan.name));
        }
        chain.push(label);
        if chain.len() > MAX_DEPTH + 1 {
            return Err(NodeError::operation(format!(
                "Sub-workflows call each other more than {MAX_DEPTH} deep: {}",
                chain.join(" → ")
            ))
            .with_description(
                "a workflow that calls itself (directly or through another) needs a condition that stops it",
            )
            .into());
        }
        let parent = executor.expressions.facts();
        let execution = SubExecution {
            execution_id: format!(
                "{}-{}",
                parent.execution["id"].as_str().unwrap_or("weft"),
                SUB_EXECUTIONS.fetch_add(1, Ordering::Relaxed)
            ),
            workflow_id: match &document["id"] {
                Value::String(id) => Some(id.clone()),
                Value::Number(id) => Some(id.to_string()),
                _ => None,
            },
        };
        let facts = RunFacts::new(document, "integrated", execution.execution_id.clone())
            .in_zone(plan.zone());
        let expressions = Expressions::new(facts, executor.expressions.timeout());
        let sub_options = RunOptions {
            pin_data: false,
            start_output: None,
            webhook_reply: None,
            limits: executor.options.limits,
            sub_workflows: SubWorkflowOptions {
                folder: options.folder.clone(),
                chain,
                input: Some(call.items),
            },
            history: executor.options.history.clone(),
        };
        let record = super::run(plan, executor.clients, &expressions, &sub_options).await;
        match record.failure {
            Some(failure) => Err(SubWorkflowFailure {
                error: failure.error,
                execution: Some(execution),
            }),
            None => Ok(SubWorkflowRun {
                execution,
                outputs: result(plan, &record),
            }),
        }
    }
}

/// The workflow file of `folder` whose `id` is `id`: `<id>.json` first, else every `*.json`.
fn find_by_id(folder: Option<&Path>, id: &str) -> Result<Value, NodeError> {
    let missing = || NodeError::operation("Workflow does not exist.");
    let Some(folder) = folder else {
        return Err(missing().with_description(format!(
            "weft finds workflows by id in a folder of workflow files, and none was given; \
             hint: run with --workflows <folder> or set WEFT_WORKFLOWS to the folder that holds \
             the workflow with id \"{id}\""
        )));
    };
    let has_id = |path: &Path| {
        let document: Value = serde_json::from_str(&file_text(path, MAX_JSON_FILE).ok()?).ok()?;
        let matches = match &document["id"] {
            Value::String(found) => found == id,
            Value::Number(found) => found.to_string() == id,
            _ => false,
        };
        matches.then_some(document)
    };
    if let Some(document) = has_id(&folder.join(format!("{id}.json"))) {
        return Ok(document);
    }
    let entries = std::fs::read_dir(folder).map_err(|error| {
        missing().with_description(format!(
            "the workflows folder {} cannot be read ({error}); hint: set --workflows or \
             WEFT_WORKFLOWS to a folder of workflow files",
            folder.display()
        ))
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .collect();
    files.sort();
    files.iter().find_map(|path| has_id(path)).ok_or_else(|| {
        missing().with_description(format!(
            "no workflow file in {} has the id \"{id}\"; hint: put the workflow there (its JSON \
             `id` must be \"{id}\") or point --workflows / WEFT_WORKFLOWS at its folder",
            folder.display()
        ))
    })
}

/// How errors name a workflow: its name and where it came from.
fn label(document: &Value, origin: &str) -> String {
    match document["name"].as_str() {
        Some(name) if !name.is_empty() => format!("\"{name}\" ({origin})"),
        _ => origin.to_owned(),
    }
}

/// n8n gives an inline workflow without an `id` the caller's id, and one without `settings`
/// the caller's settings (its time zone).
fn inherit(document: &mut Value, caller: &Value, plan: &Plan) {
    let Value::Object(fields) = document else {
        return;
    };
    if fields.get("id").is_none_or(Value::is_null)
        && let Some(id) = caller.get("id").filter(|id| !id.is_null())
    {
        fields.insert("id".to_owned(), id.clone());
    }
    if !fields.contains_key("settings")
        && let Some(zone) = &plan.time_zone
    {
        fields.insert("settings".to_owned(), json!({ "timezone": zone }));
    }
}

/// The checked plan of the sub-workflow, starting at its trigger.
fn checked(document: &Value, origin: &str) -> Result<Plan, NodeError> {
    let unavailable = |error: &dyn std::fmt::Display| NodeError::operation(error.to_string());
    let nodes = NodeRegistry::global().map_err(|error| unavailable(&error))?;
    let credentials = Registry::global().map_err(|error| unavailable(&error))?;
    let plan = check(document, nodes, credentials).map_err(|problems| {
        let listed: Vec<String> = problems
            .iter()
            .map(|problem| {
                format!(
                    "{}: {} (hint: {})",
                    problem.path, problem.message, problem.hint
                )
            })
            .collect();
        NodeError::operation(format!("The sub-workflow from {origin} is not valid"))
            .with_description(listed.join("; "))
    })?;
    let start = &plan.nodes[plan.start].info.type_name;
    if start != TRIGGER_TYPE && start != MANUAL_TRIGGER_TYPE {
        return Err(NodeError::operation("Missing node to start execution").with_description(
            format!(
                "Please make sure the workflow you're calling contains an Execute Workflow Trigger node ({origin})"
            ),
        ));
    }
    Ok(plan)
}

/// n8n's result of a finished sub-run: the last node's output branches, its pairings traced.
fn result(plan: &Plan, record: &RunRecord) -> Vec<Vec<Item>> {
    let Some(runs) = record
        .last_node
        .and_then(|last| record.nodes.iter().find(|runs| runs.node == last))
    else {
        return Vec::new();
    };
    let kept = |task: &TaskData| match &task.outputs {
        Some(TaskOutputs::Kept(outputs)) => outputs.as_slice().to_vec(),
        _ => Vec::new(),
    };
    let mut outputs = if last_run_only(plan) {
        runs.runs.last().map(kept).unwrap_or_default()
    } else {
        let mut tasks: Vec<&TaskData> = runs.runs.iter().collect();
        tasks.sort_by_key(|task| task.execution_index);
        let mut merged: Vec<Vec<Item>> = Vec::new();
        for outputs in tasks.into_iter().map(kept) {
            merged.resize_with(merged.len().max(outputs.len()), Vec::new);
            for (branch, items) in outputs.into_iter().enumerate() {
                merged[branch].extend(items);
            }
        }
        merged
    };
    for output in &mut outputs {
        for (index, item) in output.iter_mut().enumerate() {
            if item.paired_item.is_some()
                && let Some(traced) = traced_pairing(record, item, index)
            {
                item.paired_item = Some(traced);
            }
        }
    }
    outputs
}

/// True unless the trigger asks for every run of the last node (v1.2, or `allRuns` before).
fn last_run_only(plan: &Plan) -> bool {
    let trigger = plan
        .nodes
        .iter()
        .find(|node| node.info.type_name == TRIGGER_TYPE);
    let version = trigger.map_or(1.0, |node| node.info.type_version);
    let return_output = trigger.and_then(|node| node.parameters.get("returnOutput"));
    version < 1.2 && return_output.and_then(Value::as_str) != Some("allRuns")
}

/// The pairing of the last node's item `index` followed back run by run (each run's first
/// source) to the sub-run's first node run; `None` when a step finds no item.
fn traced_pairing(record: &RunRecord, item: &Item, index: usize) -> Option<PairedItems> {
    let runs_of = |node: usize| {
        record
            .nodes
            .iter()
            .find(|runs| runs.node == node)
            .map(|runs| &runs.runs)
    };
    let previous = |task: &TaskData| {
        let source = task.source.first().copied().flatten()?;
        runs_of(source.node)?.get(source.run)
    };
    let last = runs_of(record.last_node?)?.last()?;
    let mut step = previous(last);
    let mut paired = item.paired_item.clone();
    while let Some(task) = step {
        let (output, position) = match &paired {
            Some(PairedItems::One(link)) => (link.input.unwrap_or(0), link.item),
            Some(PairedItems::Index(position)) => (0, *position),
            Some(PairedItems::Many(_)) | None => (0, index),
        };
        paired = match &task.outputs {
            Some(TaskOutputs::Kept(outputs)) => outputs
                .get(output)
                .and_then(|items| items.get(position))
                .and_then(|found| found.paired_item.clone()),
            _ => None,
        };
        step = previous(task);
    }
    paired
}
