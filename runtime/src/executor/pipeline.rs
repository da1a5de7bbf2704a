//! Which tail of a plan may stream: a source node whose output batches flow through item-wise
//! stages to the run's output, never all held at once. Decided conservatively: anything that
//! could see more than one batch's items, or that must redo or reshape a whole output, keeps the
//! plan collecting.
//!
//! A plan streams when the nodes reachable from its trigger form one chain (each node has at most
//! one outgoing connection, into input 0 of a node not yet in the chain). The stages are the
//! longest tail of that chain whose nodes are item-wise ([`weft_nodes::Node::item_wise`]) and whose
//! expressions read only the current item and run facts (`$json`, `$now`, `$today`, `$workflow`,
//! `$execution`); the source is the node before them (never the trigger). Every node of the
//! pipeline must run plainly: enabled, one output, stopping the workflow on error, no retries,
//! no `alwaysOutputData`, no `executeOnce`, no pinned data in use. Whether the source's input is
//! a single item (so its unpaired output items pair with it) is checked when it is about to run.

use serde_json::Value;

use crate::workflow::{OnError, Plan, PlannedNode};

/// What the `$` names an item-wise stage's expressions may use: they read the current item or
/// facts of the run, never other items (which a batch may not hold) or the item's index.
const STREAMABLE_NAMES: &[&str] = &["json", "now", "today", "workflow", "execution"];

/// The streaming tail of a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pipeline {
    /// The node whose output is streamed (it runs once, over its whole input).
    pub source: usize,
    /// The item-wise nodes after it, in order; the last one's output is the run's output.
    pub stages: Vec<usize>,
}

impl Pipeline {
    /// The plan's streaming tail, if it has one; `pin_data` says whether pinned data is in use.
    pub fn find(plan: &Plan, pin_data: bool) -> Option<Self> {
        let chain = chain(plan)?;
        let plain = |node: usize| runs_plainly(plan, node, pin_data);
        let stage = |node: usize| {
            let planned = &plan.nodes[node];
            plain(node)
                && planned.implementation.item_wise()
                && planned.parameters.values().all(reads_one_item)
        };
        let mut first_stage = chain.len();
        while first_stage > 2 && stage(chain[first_stage - 1]) {
            first_stage -= 1;
        }
        let source = *chain.get(first_stage - 1).filter(|_| first_stage >= 2)?;
        plain(source).then(|| Self {
            source,
            stages: chain[first_stage..].to_vec(),
        })
    }
}

/// The nodes reachable from the trigger, when they form one chain.
fn chain(plan: &Plan) -> Option<Vec<usize>> {
    let mut chain = vec![plan.start];
    loop {
        let last = &plan.nodes[*chain.last()?];
        let mut edges = last.outputs.iter().flatten();
        match (edges.next(), edges.next()) {
            (None, _) => return Some(chain),
            (Some(edge), None) if edge.input == 0 && !chain.contains(&edge.target) => {
                chain.push(edge.target);
            }
            _ => return None,
        }
    }
}

/// True when `node` runs once, as it is, with nothing to redo or add after it emitted.
fn runs_plainly(plan: &Plan, node: usize, pin_data: bool) -> bool {
    let PlannedNode {
        info,
        disabled,
        on_error,
        retry,
        always_output_data,
        execute_once,
        outputs,
        ..
    } = &plan.nodes[node];
    !disabled
        && *on_error == OnError::StopWorkflow
        && !info.continue_on_fail
        && retry.is_none()
        && !always_output_data
        && !execute_once
        && outputs.len() == 1
        && !(pin_data && plan.pin_data.contains_key(&info.name))
}

/// True when every expression in `value` reads only the current item and run facts.
fn reads_one_item(value: &Value) -> bool {
    match value {
        Value::String(text) => text.strip_prefix('=').is_none_or(names_are_streamable),
        Value::Array(values) => values.iter().all(reads_one_item),
        Value::Object(entries) => entries.values().all(reads_one_item),
        _ => true,
    }
}

/// True when every `$name` in `expression` is one of [`STREAMABLE_NAMES`] (a bare `$`, as in
/// `$('Node')`, is not).
fn names_are_streamable(expression: &str) -> bool {
    expression.match_indices('$').all(|(at, _)| {
        let rest = &expression[at + 1..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        STREAMABLE_NAMES.contains(&&rest[..end])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_current_item_expressions_stream() {
        for streamable in [
            json!("plain $ text without expression mark"),
            json!("={{ $json.Name.toUpperCase() }}"),
            json!({ "a": ["={{ $now }} {{ $workflow.id }}", 3] }),
        ] {
            assert!(reads_one_item(&streamable), "{streamable}");
        }
        for collecting in [
            "={{ $('Salesforce').item.json.Id }}",
            "={{ $input.all().length }}",
            "={{ $node[\"X\"].json.a }}",
            "={{ $itemIndex }}",
            "={{ $jsonx }}",
            "={{ \"$\" }}",
        ] {
            assert!(!reads_one_item(&json!(collecting)), "{collecting}");
        }
    }
}
