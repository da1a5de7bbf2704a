//! Which tail of a plan may stream: a source node whose output batches flow through item-wise
//! stages to the run's output, never all held at once. Decided conservatively: anything that
//! could see more than one batch's items, or that must redo or reshape a whole output, keeps the
//! plan collecting.
//!
//! A plan streams when the nodes reachable from its trigger form one chain (each node has at most
//! one outgoing connection, into input 0 of a node not yet in the chain). The stages are the
//! longest tail of that chain whose nodes are item-wise ([`weft_nodes::Node::item_wise`] for
//! their version and parameters) and whose
//! expressions read only the current item and run facts (`$json`, `$now`, `$today`, `$workflow`,
//! `$execution`); the source is the node before them (never the trigger). Every node of the
//! pipeline must run plainly: enabled, stopping the workflow on error, no retries, no
//! `alwaysOutputData`, no `executeOnce`, no pinned data in use. Whether the source's input is a
//! single item (so its unpaired output items pair with it) is checked when it is about to run.
//!
//! The source has one output. A stage may have several (IF, Filter) when nothing is connected to
//! any output but its first: the chain goes on from output 0 and the other outputs' items are
//! only counted. Output 0, not any other, because a collected run whose chain ends at such a node
//! (no item reached the next one) writes that node's output 0; streaming through IF's `false`
//! output would have to hold the `true` items until the first `false` one arrived.

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
    /// The item-wise nodes after it, in order, each fed by output 0 of the one before; the last
    /// one's output 0 is the run's output.
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
                && planned.outputs.iter().skip(1).all(Vec::is_empty)
                && planned.item_wise
                && planned.parameters.values().all(reads_one_item)
        };
        let mut first_stage = chain.len();
        while first_stage > 2 && stage(chain[first_stage - 1]) {
            first_stage -= 1;
        }
        let source = *chain.get(first_stage - 1).filter(|_| first_stage >= 2)?;
        (plain(source) && plan.nodes[source].outputs.len() == 1).then(|| Self {
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
        ..
    } = &plan.nodes[node];
    !disabled
        && *on_error == OnError::StopWorkflow
        && !info.continue_on_fail
        && retry.is_none()
        && !always_output_data
        && !execute_once
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
    use weft_credentials::Registry;
    use weft_nodes::NodeRegistry;

    use crate::workflow::check;

    /// The plan of Start → Fields (Edit Fields) → `nodes`, where `connections` joins the named
    /// nodes as n8n writes them (Start → Fields → the first of `nodes` is added).
    fn plan(nodes: &[(&str, &str, f64)], connections: Value) -> Plan {
        let first = nodes[0].0;
        let mut listed = vec![
            json!({"name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1,
                   "position": [0, 0], "parameters": {}}),
            json!({"name": "Fields", "type": "n8n-nodes-base.set", "typeVersion": 3.4,
                   "position": [200, 0], "parameters": {}}),
        ];
        listed.extend(nodes.iter().zip(2..).map(|((name, kind, version), x)| {
            json!({"name": name, "type": kind, "typeVersion": version,
                   "position": [x * 200, 0], "parameters": {}})
        }));
        let mut connections = connections;
        connections["Start"] = json!({"main": [[{"node": "Fields", "type": "main", "index": 0}]]});
        connections["Fields"] = json!({"main": [[{"node": first, "type": "main", "index": 0}]]});
        let document = json!({"name": "shape", "nodes": listed, "connections": connections,
                              "settings": {"executionOrder": "v1"}});
        let registries = (NodeRegistry::global().unwrap(), Registry::global().unwrap());
        check(&document, registries.0, registries.1).unwrap_or_else(|problems| {
            panic!("{problems:?}");
        })
    }

    /// `from`'s outputs, each joined to the named nodes' input 0.
    fn outputs(targets: &[&[&str]]) -> Value {
        let main: Vec<Vec<Value>> = targets
            .iter()
            .map(|names| {
                let edge = |name: &&str| json!({"node": name, "type": "main", "index": 0});
                names.iter().map(edge).collect()
            })
            .collect();
        json!({ "main": main })
    }

    /// The pipeline's source and stages, by name.
    fn shape(plan: &Plan) -> Option<(&str, Vec<&str>)> {
        let pipeline = Pipeline::find(plan, false)?;
        let name = |node: &usize| plan.nodes[*node].info.name.as_str();
        Some((
            name(&pipeline.source),
            pipeline.stages.iter().map(name).collect(),
        ))
    }

    const IF: (&str, &str, f64) = ("Check", "n8n-nodes-base.if", 2.2);
    const FILTER: (&str, &str, f64) = ("Check", "n8n-nodes-base.filter", 2.2);
    const END: (&str, &str, f64) = ("End", "n8n-nodes-base.noOp", 1.0);

    #[test]
    fn a_multi_output_node_streams_through_its_only_connected_first_output() {
        for check in [IF, FILTER] {
            let kept = plan(&[check, END], json!({"Check": outputs(&[&["End"]])}));
            let expected = Some(("Fields", vec!["Check", "End"]));
            assert_eq!(shape(&kept), expected, "{}", check.1);
            let last = plan(&[check], json!({}));
            assert_eq!(shape(&last), Some(("Fields", vec!["Check"])), "{}", check.1);
        }
    }

    #[test]
    fn a_multi_output_node_is_no_stage_otherwise() {
        let other = ("Other", "n8n-nodes-base.noOp", 1.0);
        let merge = ("Merge", "n8n-nodes-base.merge", 3.2);
        for (nodes, connections, expected) in [
            // Both outputs connected: a branch, no chain.
            (
                vec![IF, END, other],
                json!({"Check": outputs(&[&["End"], &["Other"]])}),
                None,
            ),
            // Only the false output connected: the chain goes on from output 1, and a node
            // with two outputs is no source.
            (
                vec![IF, END],
                json!({"Check": outputs(&[&[], &["End"]])}),
                None,
            ),
            (
                vec![FILTER, END],
                json!({"Check": outputs(&[&[], &["End"]])}),
                None,
            ),
            // A Merge after the kept output is not item-wise: the IF is no stage (the Merge
            // itself streams only if it runs on one input, which is checked at run time).
            (
                vec![IF, merge, END],
                json!({"Check": outputs(&[&["Merge"]]), "Merge": outputs(&[&["End"]])}),
                Some(("Merge", vec!["End"])),
            ),
        ] {
            let plan = plan(&nodes, connections.clone());
            assert_eq!(shape(&plan), expected, "{connections}");
        }
    }

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
            "={{ $('HTTP Request').item.json.Id }}",
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
