//! n8n workflow JSON for end-to-end tests, shaped as n8n's editor exports it.

use serde_json::{Value, json};

/// Manual Trigger → `node` → No Op. `node` needs `parameters`, `type`, `typeVersion` and `name`
/// (and `credentials` when it calls a service); its position and id are filled in.
pub fn one_node_workflow(mut node: Value) -> Value {
    let name = node["name"]
        .as_str()
        .expect("the node has a name")
        .to_owned();
    node["position"] = json!([220, 0]);
    node["id"] = json!("0e2e0000-0000-4000-8000-000000000002");
    json!({
        "name": format!("{name} between a trigger and a No Op"),
        "nodes": [
            {"parameters": {}, "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1,
             "position": [0, 0], "id": "0e2e0000-0000-4000-8000-000000000001",
             "name": "When clicking 'Test workflow'"},
            node,
            {"parameters": {}, "type": "n8n-nodes-base.noOp", "typeVersion": 1,
             "position": [440, 0], "id": "0e2e0000-0000-4000-8000-000000000003",
             "name": "No Operation, do nothing"}
        ],
        "connections": {
            "When clicking 'Test workflow'": {"main": [[{"node": name, "type": "main", "index": 0}]]},
            name: {"main": [[{"node": "No Operation, do nothing", "type": "main", "index": 0}]]}
        },
        "pinData": {},
        "settings": {"executionOrder": "v1"}
    })
}
