//! Workflow JSON for benchmarks and tests: linear chains of nodes, connected in order.

use serde_json::{Map, Value, json};

/// A node named `name` of type `kind` (typeVersion `version`) with `parameters`.
pub fn node(name: &str, kind: &str, version: f64, parameters: Value) -> Value {
    json!({"name": name, "type": kind, "typeVersion": version, "parameters": parameters})
}

/// The Manual Trigger every chain starts with.
pub fn trigger() -> Value {
    node("Start", "n8n-nodes-base.manualTrigger", 1.0, json!({}))
}

/// A Salesforce node (typeVersion 1.1) using the JWT credential `jwt1` that
/// [`crate::WeftHome::import_jwt`] stores.
pub fn salesforce(name: &str, parameters: Value) -> Value {
    let mut parameters = parameters;
    parameters["authentication"] = json!("jwt");
    let mut salesforce = node(name, "n8n-nodes-base.salesforce", 1.1, parameters);
    salesforce["credentials"] = json!({"salesforceJwtApi": {"id": "jwt1", "name": "jwt"}});
    salesforce
}

/// An Edit Fields node (typeVersion 3.4) in raw JSON mode whose one item is `{field: values}`.
pub fn raw_list(name: &str, field: &str, values: Vec<Value>) -> Value {
    let raw = json!({ field: values }).to_string();
    node(
        name,
        "n8n-nodes-base.set",
        3.4,
        json!({"mode": "raw", "jsonOutput": raw, "options": {}}),
    )
}

/// A Split Out node (typeVersion 1) making an item of each element of `field`.
pub fn split_out(name: &str, field: &str) -> Value {
    node(
        name,
        "n8n-nodes-base.splitOut",
        1.0,
        json!({"fieldToSplitOut": field, "options": {}}),
    )
}

/// A No Op node.
pub fn no_op(name: &str) -> Value {
    node(name, "n8n-nodes-base.noOp", 1.0, json!({}))
}

/// A workflow whose `nodes` run in the order given, each into the next, laid out left to right.
pub fn chain(nodes: Vec<Value>) -> Value {
    let names: Vec<String> = nodes
        .iter()
        .filter_map(|node| node["name"].as_str())
        .map(str::to_owned)
        .collect();
    let edges: Vec<(&str, usize, &str, usize)> = names
        .windows(2)
        .map(|pair| (pair[0].as_str(), 0, pair[1].as_str(), 0))
        .collect();
    connected(nodes, &edges)
}

/// A workflow of `nodes`, laid out left to right in that order, with `edges`: from a node's
/// output to another's input, as `(from, output, to, input)`.
pub fn connected(mut nodes: Vec<Value>, edges: &[(&str, usize, &str, usize)]) -> Value {
    for (index, node) in nodes.iter_mut().enumerate() {
        node["position"] = json!([index * 200, 0]);
    }
    let mut connections = Map::new();
    for &(from, output, to, input) in edges {
        let main = connections
            .entry(from)
            .or_insert_with(|| json!({"main": []}))["main"]
            .as_array_mut()
            .expect("main is a list");
        if main.len() <= output {
            main.resize(output + 1, json!([]));
        }
        let targets = main[output].as_array_mut().expect("an output is a list");
        targets.push(json!({"node": to, "type": "main", "index": input}));
    }
    json!({"name": "chain", "settings": {"executionOrder": "v1"}, "connections": connections,
           "nodes": nodes})
}
