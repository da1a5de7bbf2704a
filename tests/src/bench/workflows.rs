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

/// A No Op node.
pub fn no_op(name: &str) -> Value {
    node(name, "n8n-nodes-base.noOp", 1.0, json!({}))
}

/// A workflow whose `nodes` run in the order given, each into the next, laid out left to right.
pub fn chain(mut nodes: Vec<Value>) -> Value {
    for (index, node) in nodes.iter_mut().enumerate() {
        node["position"] = json!([index * 200, 0]);
    }
    let names: Vec<&str> = nodes
        .iter()
        .filter_map(|node| node["name"].as_str())
        .collect();
    let connections: Map<String, Value> = names
        .windows(2)
        .map(|pair| {
            let edge = json!({"main": [[{"node": pair[1], "type": "main", "index": 0}]]});
            (pair[0].to_owned(), edge)
        })
        .collect();
    json!({"name": "chain", "settings": {"executionOrder": "v1"}, "connections": connections,
           "nodes": nodes})
}
