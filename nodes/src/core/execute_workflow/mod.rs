//! Execute Workflow (`n8n-nodes-base.executeWorkflow` 1-1.4): runs a sub-workflow through the
//! runtime's [`crate::SubWorkflows`] and puts out what its last node gave, as n8n 2.41.1 does.
//!
//! - mode `once`: one sub-run with every item; output items are paired by following their
//!   pairing back through the sub-run to the items given (else by position when the counts
//!   agree, else to every input item); the run's metadata names the sub-execution.
//! - mode `each`: one sub-run per item; every output item is paired to its item and names its
//!   sub-execution in its metadata.
//! - `options.waitForSubWorkflow: false`: n8n puts out the input items without waiting. weft
//!   runs the sub-workflow to its end before the node finishes (a failure there is logged, not
//!   raised), then puts out the input items.
//!
//! Only the sub-workflow's first output branch is put out: the node has one output, and n8n's
//! further branches could be connected to nothing.

mod description;
mod source;
mod workflow_inputs;

use async_trait::async_trait;
use serde_json::{Map, Value, json};

use crate::description::NodeDescription;
use crate::error::NodeError;
use crate::item::{Item, PairedItem, PairedItems};
use crate::node::{Emitter, Node, NodeContext, Unsupported};
use crate::register_node;
use crate::sub_workflow::{SubExecution, SubWorkflowCall, SubWorkflowFailure, SubWorkflowRun};
use description::DESCRIPTION;
use source::workflow_source;
use workflow_inputs::call_items;

/// The Execute Workflow node.
pub struct ExecuteWorkflow;

#[async_trait]
impl Node for ExecuteWorkflow {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    fn unsupported(&self, _version: f64, parameters: &Value) -> Vec<Unsupported> {
        (parameters.get("source").and_then(Value::as_str) == Some("url"))
            .then(|| {
                Unsupported::new(
                    "source",
                    "weft does not load workflows from a URL (source url)",
                    "download the workflow and use the source localFile, or put it in the \
                     --workflows folder and use the source database",
                )
            })
            .into_iter()
            .collect()
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let source: String = ctx.parameter_as("source", 0)?;
        let mode: String = ctx.parameter_as("mode", 0)?;
        let items = call_items(ctx)?;
        if mode == "each" {
            each(ctx, out, &source, items).await
        } else {
            once(ctx, out, &source, items).await
        }
    }
}

/// Mode `once`: one sub-run with every item.
async fn once(
    ctx: &NodeContext<'_>,
    out: &mut Emitter,
    source: &str,
    items: Vec<Item>,
) -> Result<(), NodeError> {
    let count = items.len();
    let called = call(ctx, source, 0, items.clone()).await;
    let (wait, run) = match called {
        Ok(called) => called,
        Err(failure) if ctx.continue_on_fail() => {
            let mut item = failed_item(failure, 0);
            item.paired_item = Some(every_item(count));
            return out.emit(0, [item]).await;
        }
        Err(failure) => return Err(failure.error),
    };
    out.set_metadata("subExecution", sub_execution(&run.execution));
    out.set_metadata("subExecutionsCount", json!(1));
    if !wait {
        return out.emit(0, items).await;
    }
    let mut output = run.outputs.into_iter().next().unwrap_or_default();
    let same_length = output.len() == count;
    for (index, item) in output.iter_mut().enumerate() {
        if item.paired_item.is_none() {
            item.paired_item = Some(if same_length {
                PairedItems::One(PairedItem::new(index))
            } else {
                every_item(count)
            });
        }
    }
    out.emit(0, output).await
}

/// Mode `each`: one sub-run per item.
async fn each(
    ctx: &NodeContext<'_>,
    out: &mut Emitter,
    source: &str,
    items: Vec<Item>,
) -> Result<(), NodeError> {
    let count = items.len();
    for (index, item) in items.into_iter().enumerate() {
        let called = call(ctx, source, index, vec![item.clone()]).await;
        let produced = match called {
            Ok((true, run)) => {
                let metadata = item_metadata(&run.execution);
                let output = run.outputs.into_iter().next().unwrap_or_default();
                output
                    .into_iter()
                    .map(|produced| Item {
                        metadata: Some(metadata.clone()),
                        ..produced.paired_to(index)
                    })
                    .collect()
            }
            Ok((false, run)) => vec![Item {
                metadata: Some(item_metadata(&run.execution)),
                ..item
            }],
            // Before 1.3 n8n put the error item on a branch of its own per item (index), which
            // only item 0's could reach a connection.
            Err(failure) if ctx.continue_on_fail() => {
                if ctx.node().type_version < 1.3 && index > 0 {
                    Vec::new()
                } else {
                    vec![failed_item(failure, index)]
                }
            }
            Err(failure) => {
                return Err(NodeError::operation(format!(
                    "Error executing workflow with item at index {index}"
                ))
                .with_description(failure.error.message)
                .for_item(index));
            }
        };
        out.emit(0, produced).await?;
    }
    out.set_metadata("subExecutionsCount", json!(count));
    Ok(())
}

/// Runs the sub-workflow for input item `index` with `items`; true when the node waits for it.
async fn call(
    ctx: &NodeContext<'_>,
    source: &str,
    index: usize,
    items: Vec<Item>,
) -> Result<(bool, SubWorkflowRun), SubWorkflowFailure> {
    let wait = ctx
        .optional_parameter("options.waitForSubWorkflow", index)?
        .and_then(|value| value.as_bool())
        .unwrap_or(true);
    let source = workflow_source(ctx, source, index)?;
    let runner = ctx.sub_workflows()?;
    match runner.run(SubWorkflowCall { source, items }).await {
        Ok(run) => Ok((wait, run)),
        Err(failure) if !wait => {
            let execution = failure.execution.ok_or(failure.error.clone())?;
            tracing::warn!(
                node = %ctx.node().name,
                "the sub-workflow the node did not wait for failed: {}",
                failure.error
            );
            Ok((
                wait,
                SubWorkflowRun {
                    execution,
                    outputs: Vec::new(),
                },
            ))
        }
        Err(failure) => Err(failure),
    }
}

/// The error item of a failed call, naming the sub-execution when there was one.
fn failed_item(failure: SubWorkflowFailure, index: usize) -> Item {
    let metadata = failure.execution.as_ref().map(|execution| {
        Map::from_iter([
            ("subExecution".to_owned(), sub_execution(execution)),
            ("subExecutionsCount".to_owned(), json!(1)),
        ])
    });
    Item {
        metadata,
        ..Item::failed(failure.error, index)
    }
}

/// An item's metadata naming its sub-execution.
fn item_metadata(execution: &SubExecution) -> Map<String, Value> {
    Map::from_iter([("subExecution".to_owned(), sub_execution(execution))])
}

/// n8n's `subExecution`: `{ executionId, workflowId }`.
fn sub_execution(execution: &SubExecution) -> Value {
    let mut fields = Map::from_iter([("executionId".to_owned(), json!(execution.execution_id))]);
    if let Some(id) = &execution.workflow_id {
        fields.insert("workflowId".to_owned(), json!(id));
    }
    Value::Object(fields)
}

/// A pairing to every one of `count` input items (n8n's `generatePairedItemData`).
fn every_item(count: usize) -> PairedItems {
    PairedItems::Many((0..count).map(PairedItem::new).collect())
}

register_node!(ExecuteWorkflow);
