//! The executor: runs a [`Plan`] from its trigger in n8n's v1 order and records every node run
//! in n8n's `runData` shape.
//!
//! Order: a stack of pending node runs. After a node ran, each connected child whose output has
//! at least one item is scheduled; siblings are ordered by canvas position (smallest `y`, then
//! smallest `x`) and pushed in reverse, so the first sibling's whole branch finishes before the
//! next sibling starts (depth-first). Per node: pinned data (with `--pin-data`), disabled
//! pass-through, `executeOnce`, retries, `onError`/`continueOnFail`, `alwaysOutputData`.
//!
//! Collecting or streaming: by default each node's [`Emitter`] keeps its output, which is recorded
//! (for `runData` and expressions) before its children run. [`run_into`] also hands the last
//! node's items to an [`ItemSink`]; when the plan has a streaming tail ([`pipeline`]), that tail
//! runs as a pipeline ([`stream`]): the source's batches go through the item-wise stages to the
//! sink while the source is still producing, with bounded memory, and only item counts are
//! recorded for those runs. Otherwise the sink gets the last node's items when the run succeeded.

mod credentials;
mod data_tables;
mod files;
mod history;
mod limits;
mod outputs;
mod parameters;
mod pipeline;
mod poll;
mod queue;
mod run_data;
mod stream;
mod sub_workflows;
mod webhook;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};
use weft_nodes::{
    CredentialClients, Emitter, ExecutionSettings, Item, NodeContext, NodeError, NodeState,
    TaskSource, WebhookReply,
};

pub use credentials::StoreCredentials;
pub use history::HistoryStore;
pub use limits::RunLimits;
pub use poll::{after_commit, poll, polling_trigger};
pub use run_data::{Failure, NodeRuns, RawOutput, RunRecord, SourceRef, TaskData, TaskOutputs};
pub use stream::{Batch, ItemSink};
pub use sub_workflows::{MAX_DEPTH, SubWorkflowOptions};
pub use webhook::{webhook_endpoint, webhook_trigger};

use crate::expressions::{Expressions, RunLog, Scope, Source};
use crate::workflow::{OnError, Plan, PlannedNode};
use parameters::NodeParameters;
use pipeline::Pipeline;
use queue::{Pending, Queue};
use sub_workflows::SubRuns;

/// How to run.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Pinned data replaces the output of the nodes it names (n8n's manual runs).
    pub pin_data: bool,
    /// The start node's outputs, already produced (a trigger's poll, a webhook's request): the
    /// start node is recorded with these items instead of being executed.
    pub start_output: Option<Vec<Vec<Item>>>,
    /// Where the answer to the webhook request that started the run goes (`weft start`).
    pub webhook_reply: Option<Arc<WebhookReply>>,
    /// How much the run may do.
    pub limits: RunLimits,
    /// Where Execute Workflow finds workflows by id, and (in a sub-run) its input and callers.
    pub sub_workflows: SubWorkflowOptions,
    /// Where nodes keep data across executions (Remove Duplicates' history).
    pub history: HistoryStore,
}

/// How one node run ended.
enum Outcome {
    /// It produced nothing at all (no input to run on): no task, no children.
    Nothing,
    /// It produced these outputs.
    Success(Vec<Vec<Item>>),
    /// It failed and continues with these outputs.
    Continued(Vec<Vec<Item>>, NodeError),
    /// It failed and stops the workflow.
    Failed(NodeError),
}

/// Runs `plan` with nodes getting HTTP clients from `clients` and expressions evaluated by
/// `expressions`, keeping every node's output in the record.
pub async fn run(
    plan: &Plan,
    clients: &dyn CredentialClients,
    expressions: &Expressions,
    options: &RunOptions,
) -> RunRecord {
    Executor::new(plan, clients, expressions, options)
        .run(None)
        .await
}

/// Runs `plan` like [`run`] and writes the items of output 0 of the node that ran last to
/// `sink`: streamed as they are produced when the plan has a streaming tail (the record then
/// keeps only item counts for those node runs), else all at once after a successful run. A run
/// that fails while streaming may already have written some items.
pub async fn run_into(
    plan: &Plan,
    clients: &dyn CredentialClients,
    expressions: &Expressions,
    options: &RunOptions,
    sink: &mut dyn ItemSink,
) -> RunRecord {
    Executor::new(plan, clients, expressions, options)
        .run(Some(sink))
        .await
}

struct Executor<'a> {
    plan: &'a Plan,
    clients: &'a dyn CredentialClients,
    expressions: &'a Expressions,
    options: &'a RunOptions,
    /// What every node run of this execution knows: the zone and the wait bound.
    settings: ExecutionSettings,
}

impl<'a> Executor<'a> {
    fn new(
        plan: &'a Plan,
        clients: &'a dyn CredentialClients,
        expressions: &'a Expressions,
        options: &'a RunOptions,
    ) -> Self {
        Self {
            plan,
            clients,
            expressions,
            options,
            settings: ExecutionSettings {
                time_zone: plan.zone(),
                max_wait: options.limits.max_wait,
            },
        }
    }

    async fn run(&self, mut sink: Option<&mut dyn ItemSink>) -> RunRecord {
        let pipeline = sink
            .as_ref()
            .and_then(|_| Pipeline::find(self.plan, self.options.pin_data));
        let mut record = RunRecord::default();
        let mut log = Arc::new(RunLog::new(
            self.plan.nodes.iter().map(|node| node.info.name.clone()),
        ));
        let mut queue = Queue::new(self.plan);
        queue.push_front(Pending::start(
            self.plan.start,
            self.options.sub_workflows.input.clone().unwrap_or_default(),
        ));
        let mut execution_index = 0;
        let mut kept_items = 0usize;
        let limits = self.options.limits;
        while let Some(pending) = queue.pop() {
            if let (Some(pipeline), Some(sink)) = (&pipeline, sink.as_deref_mut())
                && pipeline.source == pending.node
                && pending.inputs.len() == 1
                && pending.slot(0).len() == 1
            {
                tracing::debug!(source = pipeline.source, stages = ?pipeline.stages, "streaming");
                let stream = stream::Stream {
                    executor: self,
                    pipeline,
                    log: &log,
                };
                stream
                    .run(pending, execution_index, sink, &mut record)
                    .await;
                return record;
            }
            let node = &self.plan.nodes[pending.node];
            let run = record.run_count(pending.node);
            let clock = Clock::start();
            let (outcome, metadata) = if execution_index >= limits.max_node_runs {
                (
                    Outcome::Failed(limits.too_many_runs(&node.info.name)),
                    Map::new(),
                )
            } else {
                self.node_run(node, &pending, run, &log).await
            };
            execution_index += 1;
            let (outputs, error) = match outcome {
                Outcome::Nothing => continue,
                Outcome::Success(outputs) => (Some(outputs), None),
                Outcome::Continued(outputs, error) => (Some(outputs), Some(error)),
                Outcome::Failed(error) => (None, Some(error)),
            };
            let (outputs, error) = match outputs {
                Some(outputs) => {
                    kept_items += outputs.iter().map(Vec::len).sum::<usize>();
                    if kept_items > limits.max_items {
                        (
                            None,
                            Some(limits.too_many_items(&node.info.name, kept_items)),
                        )
                    } else {
                        (Some(outputs), error)
                    }
                }
                None => (None, error),
            };
            let outputs = outputs.map(Arc::new);
            record.runs_of(pending.node).push(TaskData {
                start_time: clock.start_time,
                execution_time: clock.elapsed_ms(),
                execution_index: execution_index - 1,
                source: pending.sources.clone(),
                metadata,
                error: error.clone(),
                outputs: outputs.clone().map(TaskOutputs::Kept),
            });
            record.last_node = Some(pending.node);
            let Some(outputs) = outputs else {
                let error = error.expect("a failed run has an error");
                record.failure = Some(Failure {
                    node: pending.node,
                    error,
                });
                break;
            };
            let sources = pending
                .sources
                .iter()
                .map(|source| source.map(|source| self.source(source)))
                .collect();
            Arc::make_mut(&mut log).record(&node.info.name, Arc::clone(&outputs), sources);
            queue.route(pending.node, run, &outputs);
            if queue.only_waiting() {
                queue.release_one_waiting();
            }
        }
        if let Some(sink) = sink
            && record.failure.is_none()
            && let Some(outputs) = record.last_outputs()
            && let Err(error) = sink.write(Batch::Recorded(outputs))
        {
            tracing::debug!(%error, "the output could not be written");
        }
        record
    }

    /// Per input, its source as nodes see it.
    fn task_sources(&self, sources: &[Option<SourceRef>]) -> Vec<Option<TaskSource>> {
        sources
            .iter()
            .map(|source| {
                source.map(|source| TaskSource {
                    previous_node: self.plan.nodes[source.node].info.name.clone(),
                    previous_node_output: source.output,
                    previous_node_run: source.run,
                })
            })
            .collect()
    }

    /// A source as expressions name it.
    fn source(&self, source: SourceRef) -> Source {
        Source {
            node: self.plan.nodes[source.node].info.name.clone(),
            output: source.output,
            run: source.run,
        }
    }

    /// Runs `node` for `pending` as its run `run` (§2.3): pinned data, disabled pass-through,
    /// executeOnce, retries and onError around [`Self::attempt`]; with the metadata the node
    /// set on its (last) attempt.
    async fn node_run(
        &self,
        node: &PlannedNode,
        pending: &Pending,
        run: usize,
        log: &Arc<RunLog>,
    ) -> (Outcome, Map<String, Value>) {
        let mut metadata = Map::new();
        let outcome = self
            .node_outcome(node, pending, run, log, &mut metadata)
            .await;
        (outcome, metadata)
    }

    /// [`Self::node_run`]'s outcome; the node's metadata goes to `metadata`.
    async fn node_outcome(
        &self,
        node: &PlannedNode,
        pending: &Pending,
        run: usize,
        log: &Arc<RunLog>,
        metadata: &mut Map<String, Value>,
    ) -> Outcome {
        let is_start = pending.node == self.plan.start;
        if is_start && let Some(items) = &self.options.start_output {
            return Outcome::Success(outputs::finish(node, &pending.inputs, items.clone()));
        }
        if self.options.pin_data
            && let Some(pinned) = self.plan.pin_data.get(&node.info.name)
        {
            return Outcome::Success(outputs::finish(node, &pending.inputs, vec![pinned.clone()]));
        }
        if node.disabled {
            return match &pending.inputs.first() {
                Some(Some(items)) => {
                    Outcome::Success(outputs::finish(node, &pending.inputs, vec![items.to_vec()]))
                }
                _ => Outcome::Nothing,
            };
        }
        let connection = pending.connection_slot();
        if connection.is_none() && !is_start {
            return Outcome::Nothing;
        }
        let connection = connection.unwrap_or(0);
        let inputs: Vec<Arc<Vec<Item>>> = (0..pending.inputs.len())
            .map(|slot| {
                let items = pending.slot(slot);
                Arc::new(match node.execute_once {
                    true => items.iter().take(1).cloned().collect(),
                    false => items.to_vec(),
                })
            })
            .collect();
        let seen = RunSeen {
            connection: Arc::clone(&inputs[connection]),
            sources: self.task_sources(&pending.sources),
            state: log.state(&node.info.name),
            source: pending
                .sources
                .get(connection)
                .copied()
                .flatten()
                .map(|source| self.source(source)),
            run,
            log: Arc::clone(log),
        };
        let tries = node.retry.map_or(1, |retry| retry.tries);
        let mut attempt = 1;
        let result = loop {
            let mut out = Emitter::new(node.main_outputs);
            let result = self.attempt(node, &inputs, &seen, 0, &mut out).await;
            *metadata = out.take_metadata();
            let result = result.map(|()| (!out.is_nothing()).then(|| out.into_outputs()));
            let failed = match &result {
                Err(_) => true,
                Ok(outputs) => {
                    node.retry.is_some() && outputs.as_deref().is_some_and(first_item_failed)
                }
            };
            if !failed || attempt >= tries {
                break result;
            }
            attempt += 1;
            tokio::time::sleep(node.retry.map_or(Duration::ZERO, |retry| retry.wait)).await;
        };
        match result {
            Ok(None) if !node.always_output_data => Outcome::Nothing,
            Ok(outputs) => Outcome::Success(outputs::finish(
                node,
                &pending.inputs,
                outputs.unwrap_or_default(),
            )),
            Err(error) if node.on_error != OnError::StopWorkflow => {
                Outcome::Continued(vec![pending.slot(0).to_vec()], error)
            }
            Err(error) => Outcome::Failed(error),
        }
    }

    /// Executes `node` once over its `inputs` (one list per input slot), emitting to `out`.
    /// The inputs start at item `first_item` of the node's whole input (0 unless they are a
    /// streamed batch).
    async fn attempt(
        &self,
        node: &PlannedNode,
        inputs: &[Arc<Vec<Item>>],
        seen: &RunSeen,
        first_item: usize,
        out: &mut Emitter,
    ) -> Result<(), NodeError> {
        let parameters = NodeParameters {
            values: &node.parameters,
            expressions: self.expressions,
            input: Arc::clone(&seen.connection),
            first_item,
            source: seen.source.clone(),
            run_index: seen.run,
            log: Arc::clone(&seen.log),
        };
        let script = self.expressions.code_sandbox(
            Scope {
                input: Arc::clone(&seen.connection),
                item_index: 0,
                source: seen.source.clone(),
                run_index: seen.run,
                log: Arc::clone(&seen.log),
            },
            &node.info.name,
            self.options.limits.code_timeout,
        );
        let sub_runs = SubRuns::new(self);
        let history = history::NodeHistory {
            store: &self.options.history,
            workflow: match &self.expressions.facts().workflow["id"] {
                serde_json::Value::String(id) if !id.is_empty() => id.clone(),
                _ => self.plan.name.clone(),
            },
            node: match &node.written["id"] {
                serde_json::Value::String(id) if !id.is_empty() => id.clone(),
                _ => node.info.name.clone(),
            },
        };
        let data_tables = data_tables::RunDataTables(&self.options.history);
        let others: Vec<&[Item]> = inputs
            .iter()
            .skip(1)
            .map(|items| items.as_slice())
            .collect();
        let ctx = NodeContext::new(
            &node.info,
            inputs.first().map_or(&[], |items| items.as_slice()),
            &parameters,
            self.clients,
            &node.credentials,
            files::node_file_access(),
        )
        .with_other_inputs(&others)
        .with_run_index(seen.run)
        .with_sources(&seen.sources)
        .with_state(&seen.state)
        .with_settings(self.settings)
        .with_script(&script)
        .with_sub_workflows(&sub_runs)
        .with_processed_data(&history)
        .with_data_tables(&data_tables)
        .with_ancestor_types(&node.ancestor_types)
        .with_ancestors(&node.ancestors);
        let ctx = match &self.options.webhook_reply {
            Some(reply) => ctx.with_webhook_reply(reply),
            None => ctx,
        };
        node.implementation
            .execute(&ctx, out)
            .await
            .map_err(|mut error| {
                error.item_index = error.item_index.map(|item| item + first_item);
                error
            })
    }
}

/// What expressions of one node run see: the connection input (the first input with items),
/// where it came from, the run index and the runs before.
struct RunSeen {
    /// The first input that got items.
    connection: Arc<Vec<Item>>,
    /// Per input, where its items came from.
    sources: Vec<Option<TaskSource>>,
    /// The node's state in this execution.
    state: Arc<Mutex<NodeState>>,
    /// Where it came from.
    source: Option<Source>,
    /// The node's run index.
    run: usize,
    /// The runs before.
    log: Arc<RunLog>,
}

/// When a node run started and how long it has taken.
struct Clock {
    /// Milliseconds since the Unix epoch at the start.
    start_time: u128,
    started: Instant,
}

impl Clock {
    fn start() -> Self {
        Self {
            start_time: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_millis(),
            started: Instant::now(),
        }
    }

    fn elapsed_ms(&self) -> u128 {
        self.started.elapsed().as_millis()
    }
}

/// n8n also retries a run whose first output item carries a truthy `json.error`.
fn first_item_failed(outputs: &[Vec<Item>]) -> bool {
    let first = outputs.first().and_then(|items| items.first());
    first
        .and_then(|item| item.json.get("error"))
        .is_some_and(|error| match error {
            serde_json::Value::Null | serde_json::Value::Bool(false) => false,
            serde_json::Value::String(text) => !text.is_empty(),
            serde_json::Value::Number(number) => number.as_f64() != Some(0.0),
            _ => true,
        })
}
