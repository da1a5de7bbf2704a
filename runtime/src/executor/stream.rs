//! Running a [`Pipeline`]: the source node emits into a channel of [`BUFFERED_BATCHES`] batches
//! (its `emit` waits while the channel is full); each stage is a lane that runs its node over
//! every batch of the lane before and emits into a channel of its own, and the last lane's items
//! go to the [`ItemSink`]. A node that emits a large output in parts (Split Out of a long list)
//! hands each part on at once. Producing and consuming interleave on one task, so at most a few
//! batches (query pages, parts) per lane are alive at once, whatever the run's size.
//!
//! What stays as in a collected run: item pairing (a stage pairs within its batch; the pairing is
//! moved by the number of input items before the batch, and the source's unpaired items pair
//! with its single input item), error item indexes, execution order and indexes, which nodes run
//! (a stage runs when at least one item reaches it) and which ran last. Only item counts are
//! recorded for the streamed runs, per output: a stage with several outputs (IF, Filter) passes
//! output 0 on and only counts the others. The expressions' run log gets nothing, as no node
//! follows.
//! A stage whose node passes its input through ([`weft_nodes::Node::passes_through`]) moves the
//! batch on, re-paired, without running the node.

use std::sync::Arc;

use futures_util::future::join_all;
use tokio::sync::mpsc;
use weft_nodes::{Emitter, Item, NodeError};

use super::outputs::fill_pairing;
use super::{
    Clock, Executor, Failure, Pending, Pipeline, RunRecord, RunSeen, SourceRef, TaskData,
    TaskOutputs,
};
use crate::expressions::RunLog;

/// Batches the source may have sent ahead of the stages.
const BUFFERED_BATCHES: usize = 1;

/// Takes the items of a run's last node, batch by batch.
pub trait ItemSink: Send {
    /// Writes `items` after those written before. An error stops the run; the sink keeps it
    /// for its owner to report.
    fn write(&mut self, items: Batch) -> std::io::Result<()>;
}

/// Items handed to an [`ItemSink`], which may keep them past the call (to write them on another
/// thread): a streamed batch it owns, or a collected run's output shared with the run record.
pub enum Batch {
    /// A streamed batch.
    Owned(Vec<Item>),
    /// A node run's outputs as recorded; the items are those of output 0.
    Recorded(Arc<Vec<Vec<Item>>>),
}

impl Batch {
    /// The items.
    pub fn items(&self) -> &[Item] {
        match self {
            Self::Owned(items) => items,
            Self::Recorded(outputs) => outputs.first().map_or(&[], Vec::as_slice),
        }
    }
}

/// A pipeline about to run.
pub struct Stream<'e, 'a> {
    /// The executor whose plan it belongs to.
    pub executor: &'e Executor<'a>,
    /// The nodes that stream.
    pub pipeline: &'e Pipeline,
    /// The runs recorded before the source.
    pub log: &'e Arc<RunLog>,
}

/// One stage's run so far.
struct StageRun {
    node: usize,
    /// The node its input comes from.
    from: usize,
    /// Input items seen so far (the pairing offset of the next batch).
    seen: usize,
    /// Items put out so far, per output.
    emitted: Vec<usize>,
    /// Started at its first batch.
    clock: Option<Clock>,
    execution_time: u128,
    error: Option<NodeError>,
}

/// Why a lane stopped early.
enum Stop {
    /// A stage failed (its error is on its run).
    Stage,
    /// The sink could not write.
    Sink(std::io::Error),
    /// What reads the lane's output stopped for one of the other reasons.
    Downstream,
}

impl Stream<'_, '_> {
    /// Runs the source over `pending` and streams its output through the stages into `sink`,
    /// recording every run in `record` from `execution_index` on.
    pub async fn run(
        &self,
        pending: Pending,
        execution_index: usize,
        sink: &mut dyn ItemSink,
        record: &mut RunRecord,
    ) {
        let executor = self.executor;
        let source_node = &executor.plan.nodes[self.pipeline.source];
        let log = Arc::clone(self.log);
        let mut stages: Vec<StageRun> = self
            .pipeline
            .stages
            .iter()
            .scan(self.pipeline.source, |from, &node| {
                let outputs = executor.plan.nodes[node].main_outputs;
                let stage = StageRun::new(node, *from, outputs);
                *from = node;
                Some(stage)
            })
            .collect();
        let clock = Clock::start();
        let (batches, received) = mpsc::channel(BUFFERED_BATCHES);
        let input = Arc::new(pending.slot(0).to_vec());
        let seen = RunSeen {
            connection: Arc::clone(&input),
            sources: executor.task_sources(&pending.sources),
            state: log.state(&source_node.info.name),
            source: pending
                .sources
                .first()
                .copied()
                .flatten()
                .map(|source| executor.source(source)),
            run: 0,
            log: Arc::clone(&log),
        };
        let produce = async {
            let mut out = Emitter::streaming(1, batches);
            executor
                .attempt(source_node, &[input], &seen, 0, &mut out)
                .await?;
            out.flush().await
        };
        // The source's batches, paired to its single input item where it left them unpaired.
        let (paired, mut upstream) = mpsc::channel(BUFFERED_BATCHES);
        let pair = async move {
            // Owned here, so the channel closes (and the source stops) when consuming stops.
            let mut received = received;
            let mut produced = 0;
            while let Some(mut batch) = received.recv().await {
                fill_pairing(std::slice::from_mut(&mut batch), &[1]);
                produced += batch.len();
                if paired.send(batch).await.is_err() {
                    break;
                }
            }
            produced
        };
        // One lane per stage, each reading the batches of the one before.
        let mut lanes = Vec::with_capacity(stages.len());
        for stage in &mut stages {
            let (sender, receiver) = mpsc::channel(BUFFERED_BATCHES);
            let input = std::mem::replace(&mut upstream, receiver);
            lanes.push(self.lane(stage, input, sender, &log));
        }
        let consume = async move {
            while let Some(items) = upstream.recv().await {
                sink.write(Batch::Owned(items)).map_err(Stop::Sink)?;
            }
            Ok(())
        };
        let (produced, count, lanes, consumed) =
            tokio::join!(produce, pair, join_all(lanes), consume);
        // The reason consuming stopped, if it did: a lane that stopped only because a later one
        // did says nothing of its own.
        let stopped = lanes
            .into_iter()
            .chain([consumed])
            .filter_map(Result::err)
            .find(|stop| !matches!(stop, Stop::Downstream));
        // A source error after consuming stopped is only the closed channel.
        let source_error = match (&stopped, produced) {
            (None, Err(error)) => Some(error),
            (Some(Stop::Sink(error)), _) => Some(NodeError::operation(format!(
                "The output could not be written: {error}"
            ))),
            _ => None,
        };
        record.runs_of(self.pipeline.source).push(TaskData {
            start_time: clock.start_time,
            execution_time: clock.elapsed_ms(),
            execution_index,
            source: pending.sources.clone(),
            metadata: Default::default(),
            error: source_error.clone(),
            outputs: Some(TaskOutputs::Streamed(vec![count])),
        });
        record.last_node = Some(self.pipeline.source);
        if let Some(error) = source_error {
            record.failure = Some(Failure {
                node: self.pipeline.source,
                error,
            });
            return;
        }
        for (index, stage) in (execution_index + 1..).zip(stages) {
            let Some(clock) = stage.clock else { break };
            let failed = stage.error.is_some();
            record.runs_of(stage.node).push(TaskData {
                start_time: clock.start_time,
                execution_time: stage.execution_time,
                execution_index: index,
                source: vec![Some(SourceRef {
                    node: stage.from,
                    output: 0,
                    run: 0,
                })],
                metadata: Default::default(),
                error: stage.error.clone(),
                outputs: (!failed).then_some(TaskOutputs::Streamed(stage.emitted)),
            });
            record.last_node = Some(stage.node);
            if let Some(error) = stage.error {
                record.failure = Some(Failure {
                    node: stage.node,
                    error,
                });
                return;
            }
        }
    }

    /// Runs `stage` over each batch from `input`, sending its output 0 on `output`, until the
    /// batches end, the stage fails, or whatever reads `output` stopped.
    async fn lane(
        &self,
        stage: &mut StageRun,
        mut input: mpsc::Receiver<Vec<Item>>,
        output: mpsc::Sender<Vec<Item>>,
        log: &Arc<RunLog>,
    ) -> Result<(), Stop> {
        while let Some(batch) = input.recv().await {
            self.stage_batch(stage, batch, &output, log).await?;
        }
        Ok(())
    }

    /// Runs one stage over one batch.
    async fn stage_batch(
        &self,
        stage: &mut StageRun,
        items: Vec<Item>,
        output: &mpsc::Sender<Vec<Item>>,
        log: &Arc<RunLog>,
    ) -> Result<(), Stop> {
        let executor = self.executor;
        let node = &executor.plan.nodes[stage.node];
        let clock = stage.clock.get_or_insert_with(Clock::start);
        if node.implementation.passes_through() {
            let items: Vec<Item> = (stage.seen..)
                .zip(items)
                .map(|(index, item)| item.paired_to(index))
                .collect();
            stage.execution_time = clock.elapsed_ms();
            stage.seen += items.len();
            stage.emitted[0] += items.len();
            return output.send(items).await.map_err(|_| Stop::Downstream);
        }
        let input = Arc::new(items);
        let from = SourceRef {
            node: stage.from,
            output: 0,
            run: 0,
        };
        let seen = RunSeen {
            connection: Arc::clone(&input),
            sources: executor.task_sources(&[Some(from)]),
            state: log.state(&node.info.name),
            source: Some(executor.source(from)),
            run: 0,
            log: Arc::clone(log),
        };
        let mut out =
            Emitter::streaming(stage.emitted.len(), output.clone()).pairing_from(stage.seen);
        let result = match executor
            .attempt(node, &[Arc::clone(&input)], &seen, stage.seen, &mut out)
            .await
        {
            Ok(()) => out.flush().await,
            failed => failed,
        };
        stage.execution_time = clock.elapsed_ms();
        stage.emitted[0] += out.sent();
        match result {
            // Sending failed because a later lane or the sink stopped: not this stage's failure.
            Err(_) if output.is_closed() => return Err(Stop::Downstream),
            Err(error) => {
                stage.error = Some(error);
                return Err(Stop::Stage);
            }
            Ok(()) => {}
        }
        for (emitted, kept) in stage.emitted.iter_mut().zip(out.into_outputs()).skip(1) {
            *emitted += kept.len();
        }
        stage.seen += input.len();
        Ok(())
    }
}

impl StageRun {
    fn new(node: usize, from: usize, outputs: usize) -> Self {
        Self {
            node,
            from,
            seen: 0,
            emitted: vec![0; outputs],
            clock: None,
            execution_time: 0,
            error: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::{Value, json};
    use weft_credentials::Registry;
    use weft_nodes::NodeRegistry;

    use super::*;
    use crate::executor::{RunOptions, StoreCredentials, run, run_into};
    use crate::expressions::{Expressions, RunFacts};
    use crate::workflow::{Plan, check};

    /// Keeps what it is given.
    #[derive(Default)]
    struct Kept(Vec<Item>);

    impl ItemSink for Kept {
        fn write(&mut self, items: Batch) -> std::io::Result<()> {
            self.0.extend_from_slice(items.items());
            Ok(())
        }
    }

    /// Start → Numbers (`n`: 0 to 9) → Each (Split Out) → Even (IF `n` is even) → End (No Op).
    fn document() -> Value {
        let node = |name: &str, kind: &str, version: f64, x: u32, parameters: Value| {
            json!({"name": name, "type": kind, "typeVersion": version, "position": [x, 0],
                   "parameters": parameters})
        };
        let even = json!({"conditions": {
            "options": {"caseSensitive": true, "leftValue": "", "typeValidation": "strict",
                        "version": 2},
            "conditions": [{"id": "e", "leftValue": "={{ $json.n % 2 }}", "rightValue": 0,
                            "operator": {"type": "number", "operation": "equals"}}],
            "combinator": "and"}, "options": {}});
        let edge = |to: &str| json!({"main": [[{"node": to, "type": "main", "index": 0}]]});
        json!({"name": "even", "settings": {"executionOrder": "v1"}, "nodes": [
            node("Start", "n8n-nodes-base.manualTrigger", 1.0, 0, json!({})),
            node("Numbers", "n8n-nodes-base.set", 3.4, 200,
                 json!({"mode": "raw", "jsonOutput": "{\"n\": [0,1,2,3,4,5,6,7,8,9]}"})),
            node("Each", "n8n-nodes-base.splitOut", 1.0, 400, json!({"fieldToSplitOut": "n"})),
            node("Even", "n8n-nodes-base.if", 2.2, 600, even),
            node("End", "n8n-nodes-base.noOp", 1.0, 800, json!({})),
        ], "connections": {"Start": edge("Numbers"), "Numbers": edge("Each"),
                           "Each": edge("Even"), "Even": edge("End")}})
    }

    /// Per node name, what its run put out: item counts per output, streamed or kept.
    fn counts(plan: &Plan, record: &RunRecord) -> Vec<(String, Vec<usize>, bool)> {
        let outputs = |runs: &super::super::NodeRuns| match &runs.runs[0].outputs {
            Some(TaskOutputs::Streamed(counts)) => (counts.clone(), true),
            Some(TaskOutputs::Kept(outputs)) => (outputs.iter().map(Vec::len).collect(), false),
            None => (Vec::new(), false),
        };
        record
            .nodes
            .iter()
            .map(|runs| {
                let (counts, streamed) = outputs(runs);
                (plan.nodes[runs.node].info.name.clone(), counts, streamed)
            })
            .collect()
    }

    #[tokio::test]
    async fn a_streamed_if_gives_the_collected_items_and_counts_both_outputs() {
        let document = document();
        let plan = check(
            &document,
            NodeRegistry::global().unwrap(),
            Registry::global().unwrap(),
        )
        .unwrap_or_else(|problems| panic!("{problems:?}"));
        let expressions = Expressions::new(
            RunFacts::new(&document, "cli", "1".to_owned()),
            Duration::from_secs(5),
        );
        let clients = StoreCredentials::from_default_store();
        let options = RunOptions {
            pin_data: false,
            start_output: None,
            webhook_reply: None,
            limits: Default::default(),
            sub_workflows: Default::default(),
            history: Default::default(),
        };
        let collected = run(&plan, &clients, &expressions, &options).await;
        let mut sink = Kept::default();
        let streamed = run_into(&plan, &clients, &expressions, &options, &mut sink).await;
        assert!(collected.failure.is_none() && streamed.failure.is_none());
        let last = collected.last_outputs().expect("End kept its items");
        let json = |items: &[Item]| {
            items
                .iter()
                .map(|item| item.json.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(json(&sink.0), json(&last[0]));
        assert_eq!(json(&sink.0).len(), 5);
        let kept = counts(&plan, &collected);
        let expected: Vec<(String, Vec<usize>, bool)> = kept
            .iter()
            .map(|(name, counts, _)| {
                // Numbers is the source, the rest its stages.
                let streams = name != "Start";
                (name.clone(), counts.clone(), streams)
            })
            .collect();
        assert_eq!(counts(&plan, &streamed), expected);
        assert!(expected.contains(&("Even".to_owned(), vec![5, 5], true)));
    }
}
