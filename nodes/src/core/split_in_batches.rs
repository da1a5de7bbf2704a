//! Loop Over Items / Split in Batches (`n8n-nodes-base.splitInBatches`, 1, 2, 3): hands its
//! input on `batchSize` items at a time, one batch per run; the loop edge back into it starts
//! the next run. Its state lives in the node's execution state (`$node["Name"].context`):
//! `items` not yet handed out, `processedItems` (what came back, for the `done` output),
//! `sourceData` (where the first run's input came from), `noItemsLeft`, `done`,
//! `currentRunIndex` and `maxRunIndex`.
//!
//! - The first run (no `items` yet, or `options.reset`) keeps the input and hands out its first
//!   batch.
//! - Each later run hands out the next batch, its items paired back through `sourceData`, and
//!   (v2, v3) adds its own input to `processedItems`, paired through this run's source.
//! - When no item is left: v1 produces nothing at all; v2 and v3 put `processedItems` on the
//!   done output. Outputs are `[loop]` (v1), `[loop, done]` (v2) and `[done, loop]` (v3).

use async_trait::async_trait;
use serde_json::{Value, json};

use crate::description::{Condition, Literal, NodeDescription, Parameter, ParameterKind};
use crate::error::NodeError;
use crate::item::{Item, PairedItem, PairedItems, TaskSource};
use crate::node::{Emitter, Node, NodeContext, NodeState};
use crate::register_node;

/// The Loop Over Items node.
pub struct SplitInBatches;

const BEFORE_3: &[(&str, &[Condition])] =
    &[(crate::description::VERSION_KEY, &[Condition::Lt(3.0)])];
const FROM_3: &[(&str, &[Condition])] =
    &[(crate::description::VERSION_KEY, &[Condition::Gte(3.0)])];

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.splitInBatches",
    display_name: "Loop Over Items (Split in Batches)",
    description: "Splits its input into batches and loops over them",
    versions: &[1.0, 2.0, 3.0],
    versioned: true,
    trigger: false,
    outputs: &["done", "loop"],
    parameters: &[
        Parameter::new("batchSize", "Batch Size", ParameterKind::Number)
            .default(Literal::Number(10.0))
            .show(BEFORE_3)
            .describe("How many items each run hands on"),
        Parameter::new("batchSize", "Batch Size", ParameterKind::Number)
            .default(Literal::Number(1.0))
            .show(FROM_3)
            .describe("How many items each run hands on"),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[Parameter::new("reset", "Reset", ParameterKind::Boolean)
                .default(Literal::Bool(false))
                .describe("Start again from this run's input items")]),
        ),
    ],
    credentials: &[],
};

/// Where each kind of output goes, per typeVersion.
struct Outputs {
    count: usize,
    loop_output: usize,
    done_output: Option<usize>,
}

fn outputs(version: f64) -> Outputs {
    match version {
        v if v < 2.0 => Outputs {
            count: 1,
            loop_output: 0,
            done_output: None,
        },
        v if v < 3.0 => Outputs {
            count: 2,
            loop_output: 0,
            done_output: Some(1),
        },
        _ => Outputs {
            count: 2,
            loop_output: 1,
            done_output: Some(0),
        },
    }
}

#[async_trait]
impl Node for SplitInBatches {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    fn outputs(&self, version: f64, _parameters: &Value) -> usize {
        outputs(version).count
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let size = batch_size(ctx.parameter("batchSize", 0)?)?;
        let reset = ctx
            .optional_parameter("options.reset", 0)?
            .is_some_and(|reset| reset == Value::Bool(true));
        let source = ctx.input_source(0).cloned();
        let layout = outputs(ctx.node().type_version);
        let stepped = {
            let mut state = ctx.state()?;
            step(&mut state, ctx.input(), size, reset, source, &layout)?
        };
        match stepped {
            Some((output, items)) => out.emit(output, items).await,
            None => {
                out.produce_nothing();
                Ok(())
            }
        }
    }
}

/// One run over the node's state: the output and its items, or `None` for nothing at all.
fn step(
    state: &mut NodeState,
    input: &[Item],
    size: usize,
    reset: bool,
    source: Option<TaskSource>,
    layout: &Outputs,
) -> Result<Option<(usize, Vec<Item>)>, NodeError> {
    let batch = if reset || !state.contains_key("items") {
        first_run(state, input, size, source)
    } else {
        later_run(state, input, size, source, layout.done_output)?
    };
    let left = stored(state, "items")?.len();
    state.insert("noItemsLeft".into(), json!(left == 0));
    state.insert("done".into(), json!(batch.is_empty()));
    if !batch.is_empty() {
        return Ok(Some((layout.loop_output, batch)));
    }
    match layout.done_output {
        Some(done) => Ok(Some((done, stored(state, "processedItems")?))),
        None => Ok(None),
    }
}

register_node!(SplitInBatches);

/// `batchSize` as a count of at least 1.
fn batch_size(value: Value) -> Result<usize, NodeError> {
    value
        .as_f64()
        .filter(|size| *size >= 1.0)
        .map(|size| size as usize)
        .ok_or_else(|| {
            NodeError::operation(format!(
                "Batch Size must be a number of at least 1, not {value}"
            ))
        })
}

/// The first run: keeps the input, hands out its first batch.
fn first_run(
    state: &mut NodeState,
    input: &[Item],
    size: usize,
    source: Option<TaskSource>,
) -> Vec<Item> {
    let mut items = input.to_vec();
    let rest = items.split_off(size.min(items.len()));
    state.insert("currentRunIndex".into(), json!(0));
    state.insert("maxRunIndex".into(), json!(input.len().div_ceil(size)));
    state.insert("sourceData".into(), json!(source));
    state.insert("items".into(), json!(rest));
    state.insert("processedItems".into(), json!([]));
    items
}

/// A later run: the next batch, paired back through the first run's source; this run's input
/// joins the processed items (v2, v3), paired through this run's source.
fn later_run(
    state: &mut NodeState,
    input: &[Item],
    size: usize,
    source: Option<TaskSource>,
    done_output: Option<usize>,
) -> Result<Vec<Item>, NodeError> {
    let run = state
        .get("currentRunIndex")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    state.insert("currentRunIndex".into(), json!(run + 1));
    let first_source: Option<TaskSource> = state
        .get("sourceData")
        .cloned()
        .and_then(|value| serde_json::from_value(value).ok());
    let mut items = stored(state, "items")?;
    let rest = items.split_off(size.min(items.len()));
    state.insert("items".into(), json!(rest));
    if done_output.is_some() {
        let mut processed = stored(state, "processedItems")?;
        processed.extend(input.iter().enumerate().map(|(index, item)| Item {
            paired_item: Some(PairedItems::One(PairedItem {
                source_overwrite: source.clone(),
                ..PairedItem::new(index)
            })),
            ..item.clone()
        }));
        state.insert("processedItems".into(), json!(processed));
    }
    for item in &mut items {
        let links = match item.paired_list() {
            links if links.is_empty() => vec![PairedItem::new(0)],
            links => links,
        };
        let mut links: Vec<PairedItem> = links
            .into_iter()
            .map(|link| PairedItem {
                source_overwrite: first_source.clone(),
                ..link
            })
            .collect();
        item.paired_item = Some(match links.len() {
            1 => PairedItems::One(links.remove(0)),
            _ => PairedItems::Many(links),
        });
    }
    Ok(items)
}

/// The items kept under `key` in the node's state.
fn stored(state: &NodeState, key: &str) -> Result<Vec<Item>, NodeError> {
    let value = state.get(key).cloned().unwrap_or(Value::Array(Vec::new()));
    serde_json::from_value(value).map_err(|error| {
        NodeError::operation(format!("The loop's stored {key} are damaged"))
            .with_description(error.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(count: usize) -> Vec<Item> {
        (0..count)
            .map(|index| Item::new(json!({ "n": index }).as_object().cloned().unwrap(), index))
            .collect()
    }

    fn source(node: &str, run: usize) -> Option<TaskSource> {
        Some(TaskSource {
            previous_node: node.into(),
            previous_node_output: 0,
            previous_node_run: run,
        })
    }

    #[test]
    fn batches_come_out_in_order_and_the_rest_is_kept() {
        let mut state = NodeState::new();
        let first = first_run(&mut state, &items(5), 2, source("Feed", 0));
        assert_eq!(first.len(), 2);
        assert_eq!(stored(&state, "items").unwrap().len(), 3);
        let second = later_run(&mut state, &items(2), 2, source("Body", 0), Some(0)).unwrap();
        let numbers: Vec<&Value> = second.iter().map(|item| &item.json["n"]).collect();
        assert_eq!(numbers, [&json!(2), &json!(3)]);
        assert_eq!(
            second[0].paired_list()[0],
            PairedItem {
                source_overwrite: source("Feed", 0),
                ..PairedItem::new(2)
            },
            "batch items pair back through the first run's source"
        );
        let processed = stored(&state, "processedItems").unwrap();
        assert_eq!(processed.len(), 2);
        assert_eq!(
            processed[1].paired_list()[0].source_overwrite,
            source("Body", 0)
        );
        let third = later_run(&mut state, &items(2), 2, source("Body", 1), Some(0)).unwrap();
        assert_eq!(third.len(), 1);
        let last = later_run(&mut state, &items(1), 2, source("Body", 2), Some(0)).unwrap();
        assert!(last.is_empty());
        assert_eq!(stored(&state, "processedItems").unwrap().len(), 5);
    }

    #[test]
    fn batch_size_must_be_a_positive_number() {
        assert_eq!(batch_size(json!(3)).unwrap(), 3);
        for bad in [json!(0), json!("x"), json!(null)] {
            assert!(batch_size(bad).is_err());
        }
    }
}
