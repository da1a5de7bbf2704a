//! Checks a workflow against the node and credential registries before any node runs, reporting
//! every problem at once with its JSON path and a hint: unknown node types and typeVersions,
//! duplicate names, connections to missing nodes or of unsupported types, credentials a node does
//! not accept or lacks, empty required parameters, a missing trigger, an unknown time zone.

use std::collections::HashMap;

use serde_json::Value;
use weft_credentials::{FieldError, Registry};
use weft_nodes::description::NodeDescription;
use weft_nodes::{NodeInfo, NodeRegistry};

use super::model::{Connection, MAIN, OnError, Workflow, WorkflowNode};
use super::n8n_types::{n8n_credential_type, n8n_node_type};
use super::parameters::{is_empty, resolve, shown};
use super::plan::{Edge, Plan, PlannedNode, Retry};

/// What checking a workflow found. A node that needs a credential and names none is kept apart:
/// `weft run` cannot run it, but `weft check` reviews workflows exported as templates, which
/// n8n exports without their credentials, so there it is a warning.
#[derive(Debug, Default)]
pub struct Findings {
    /// What stops the workflow from running.
    pub problems: Vec<FieldError>,
    /// Nodes that need a credential and name none.
    pub unset_credentials: Vec<FieldError>,
    /// What runs, but not quite as written (a typeVersion weft runs as another).
    pub warnings: Vec<FieldError>,
}

/// Parses and checks an n8n workflow document to run it: every finding is a problem.
pub fn check(
    document: &Value,
    nodes: &NodeRegistry,
    credentials: &Registry,
) -> Result<Plan, Vec<FieldError>> {
    let (plan, findings) = examine(document, nodes, credentials);
    for warning in &findings.warnings {
        tracing::warn!(
            "{}: {} (hint: {})",
            warning.path,
            warning.message,
            warning.hint
        );
    }
    match plan {
        Some(plan) if findings.problems.is_empty() && findings.unset_credentials.is_empty() => {
            Ok(plan)
        }
        _ => {
            let mut problems = findings.problems;
            problems.extend(findings.unset_credentials);
            Err(problems)
        }
    }
}

/// Parses and checks an n8n workflow document to review it, without running it.
pub fn review(document: &Value, nodes: &NodeRegistry, credentials: &Registry) -> Findings {
    examine(document, nodes, credentials).1
}

/// The plan (when the workflow has a start) and the findings.
fn examine(
    document: &Value,
    nodes: &NodeRegistry,
    credentials: &Registry,
) -> (Option<Plan>, Findings) {
    let workflow: Workflow = match serde_path_to_error::deserialize(document) {
        Ok(workflow) => workflow,
        Err(error) => {
            let problem = FieldError::new(
                error.path().to_string(),
                error.inner().to_string(),
                "n8n writes this field differently: compare with a workflow exported from n8n",
            );
            return (
                None,
                Findings {
                    problems: vec![problem],
                    ..Findings::default()
                },
            );
        }
    };
    if let Some(warning) = execution_order_warning(document) {
        tracing::warn!(
            "{}: {} (hint: {})",
            warning.path,
            warning.message,
            warning.hint
        );
    }
    let mut findings = Findings::default();
    let problems = &mut findings.problems;
    let time_zone = workflow.settings.own_time_zone().map(str::to_owned);
    if let Some(zone) = &time_zone
        && zone.parse::<chrono_tz::Tz>().is_err()
    {
        problems.push(FieldError::new(
            "settings.timezone",
            format!("the time zone \"{zone}\" is not known"),
            "use an IANA name such as Europe/Berlin, or DEFAULT for this machine's time zone",
        ));
    }
    let names = unique_names(&workflow, problems);
    let mut planned: Vec<Option<PlannedNode>> = workflow
        .nodes
        .iter()
        .enumerate()
        .map(|(index, node)| plan_node(index, node, document, nodes, credentials, &mut findings))
        .collect();
    let problems = &mut findings.problems;
    connect(&workflow, &names, &mut planned, problems);
    fill_ancestor_types(&mut planned);
    let start = start_node(&workflow, nodes);
    let unknown_trigger = workflow.nodes.iter().any(|node| {
        nodes.get(&node.type_name).is_none()
            && n8n_node_type(&node.type_name).is_some_and(|n8n| n8n.trigger)
    });
    if start.is_none() && !unknown_trigger {
        problems.push(FieldError::new(
            "nodes",
            "the workflow has no enabled trigger node to start at",
            "add a Manual Trigger (n8n-nodes-base.manualTrigger) and connect it to the first node",
        ));
    }
    let plan = start.map(|start| Plan {
        name: workflow.name,
        nodes: planned.into_iter().flatten().collect(),
        start,
        pin_data: workflow.pin_data.unwrap_or_default(),
        time_zone,
    });
    (plan, findings)
}

/// weft runs every workflow in n8n's v1 order; another `settings.executionOrder` deserves a word.
pub fn execution_order_warning(document: &Value) -> Option<FieldError> {
    let order = document.pointer("/settings/executionOrder")?.as_str()?;
    (order != "v1").then(|| {
        FieldError::new(
            "settings.executionOrder",
            format!("the execution order is {order}: weft runs every workflow in n8n's v1 order"),
            "check branches that relied on the old order",
        )
    })
}

/// The trigger a run starts at, as n8n picks it (`findCliWorkflowStart`): the Execute Workflow
/// Trigger, else the Manual Trigger, else the legacy Start, else the first other enabled trigger.
fn start_node(workflow: &Workflow, nodes: &NodeRegistry) -> Option<usize> {
    let enabled_trigger = |node: &&WorkflowNode| {
        !node.disabled
            && nodes
                .get(&node.type_name)
                .is_some_and(|n| n.description().trigger)
    };
    let rank = |node: &WorkflowNode| match node.type_name.as_str() {
        "n8n-nodes-base.executeWorkflowTrigger" => 0,
        "n8n-nodes-base.manualTrigger" => 1,
        "n8n-nodes-base.start" => 2,
        _ => 3,
    };
    workflow
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, node)| enabled_trigger(node))
        .min_by_key(|(index, node)| (rank(node), *index))
        .map(|(index, _)| index)
}

/// Node names to indexes; a repeated name is a problem.
fn unique_names(workflow: &Workflow, problems: &mut Vec<FieldError>) -> HashMap<String, usize> {
    let mut names = HashMap::new();
    for (index, node) in workflow.nodes.iter().enumerate() {
        if let Some(first) = names.insert(node.name.clone(), index) {
            names.insert(node.name.clone(), first);
            problems.push(FieldError::new(
                format!("nodes[{index}].name"),
                format!(
                    "the node name \"{}\" is already used by nodes[{first}]",
                    node.name
                ),
                "node names must be unique: rename one of them (and the connections that use it)",
            ));
        }
    }
    names
}

fn plan_node(
    index: usize,
    node: &WorkflowNode,
    document: &Value,
    nodes: &NodeRegistry,
    credentials: &Registry,
    findings: &mut Findings,
) -> Option<PlannedNode> {
    let problems = &mut findings.problems;
    let at = |field: &str| format!("nodes[{index}].{field}");
    let Some(implementation) = nodes.get(&node.type_name) else {
        problems.push(unknown_type(&at("type"), &node.type_name));
        return None;
    };
    let description = implementation.description();
    let written = node.type_version;
    let running_node;
    let node = match description.running_version(written) {
        None => {
            problems.push(FieldError::new(
                at("typeVersion"),
                format!("{} has no typeVersion {written}", node.type_name),
                format!("weft implements typeVersion {}", versions(description)),
            ));
            return None;
        }
        Some(running) if running != written => {
            findings.warnings.push(FieldError::new(
                at("typeVersion"),
                format!(
                    "{} has no typeVersion {written}; n8n runs its one implementation at any \
                     typeVersion, and weft runs this node as typeVersion {running}",
                    node.type_name
                ),
                format!(
                    "set typeVersion to one weft implements ({}) to silence this",
                    versions(description)
                ),
            ));
            running_node = WorkflowNode {
                type_version: running,
                ..node.clone()
            };
            &running_node
        }
        Some(_) => node,
    };
    let problems = &mut findings.problems;
    let parameters = resolve(description.parameters, node.type_version, &node.parameters);
    for parameter in shown(description.parameters, node.type_version, &parameters) {
        if parameter.required && is_empty(parameters.get(parameter.name)) {
            problems.push(FieldError::new(
                at(&format!("parameters.{}", parameter.name)),
                format!("parameter \"{}\" is required", parameter.display_name),
                "set a value (an expression counts)",
            ));
        }
    }
    let on_error = match node.on_error.as_deref() {
        Some(name) if OnError::parse(name).is_none() => {
            problems.push(FieldError::new(
                at("onError"),
                format!("unknown onError value `{name}`"),
                format!("use one of: {}", OnError::NAMES.join(", ")),
            ));
            OnError::StopWorkflow
        }
        _ => node.on_error(),
    };
    let parameters_value = Value::Object(parameters);
    for refusal in implementation.unsupported(node.type_version, &parameters_value) {
        problems.push(FieldError::new(
            at(&format!("parameters.{}", refusal.parameter)),
            refusal.reason,
            refusal.hint,
        ));
    }
    check_credentials(
        index,
        node,
        description,
        &parameters_value,
        credentials,
        findings,
    );
    let main_outputs = implementation.outputs(node.type_version, &parameters_value);
    let item_wise = implementation.item_wise(node.type_version, &parameters_value);
    let Value::Object(parameters) = parameters_value else {
        unreachable!("built from a map")
    };
    let outputs = main_outputs + usize::from(on_error == OnError::ContinueErrorOutput);
    Some(PlannedNode {
        info: NodeInfo {
            name: node.name.clone(),
            type_name: node.type_name.clone(),
            type_version: node.type_version,
            continue_on_fail: on_error != OnError::StopWorkflow,
        },
        implementation,
        parameters,
        credentials: node.credentials.clone(),
        written: document["nodes"][index].clone(),
        position: node.position,
        disabled: node.disabled,
        on_error,
        retry: node
            .retry_on_fail
            .then(|| Retry::clamped(node.max_tries, node.wait_between_tries)),
        always_output_data: node.always_output_data,
        item_wise,
        execute_once: node.execute_once,
        main_outputs,
        outputs: vec![Vec::new(); outputs],
        ancestor_types: Vec::new(),
        ancestors: Vec::new(),
    })
}

/// Gives every node the names and types of the nodes upstream of it (n8n's `getParentNodes`),
/// each once.
fn fill_ancestor_types(planned: &mut [Option<PlannedNode>]) {
    let mut parents: Vec<Vec<usize>> = vec![Vec::new(); planned.len()];
    for (from, node) in planned.iter().enumerate() {
        for edge in node.iter().flat_map(|node| node.outputs.iter().flatten()) {
            parents[edge.target].push(from);
        }
    }
    for index in 0..planned.len() {
        let mut seen = vec![false; planned.len()];
        let mut queue = std::collections::VecDeque::from(parents[index].clone());
        let mut types: Vec<String> = Vec::new();
        let mut ancestors = Vec::new();
        while let Some(parent) = queue.pop_front() {
            if std::mem::replace(&mut seen[parent], true) {
                continue;
            }
            if let Some(node) = &planned[parent] {
                if !types.contains(&node.info.type_name) {
                    types.push(node.info.type_name.clone());
                }
                ancestors.push((node.info.name.clone(), node.info.type_name.clone()));
            }
            queue.extend(&parents[parent]);
        }
        if let Some(node) = &mut planned[index] {
            node.ancestor_types = types;
            node.ancestors = ancestors;
        }
    }
}

/// A node type weft does not have: an n8n node it lacks (with the HTTP Request node as the way
/// round for one that calls a service's API), or no n8n type at all.
fn unknown_type(path: &str, type_name: &str) -> FieldError {
    match n8n_node_type(type_name) {
        Some(n8n) => FieldError::new(
            path,
            format!(
                "weft does not have n8n's {} node (`{type_name}`) yet",
                n8n.display_name
            ),
            if n8n.credentials {
                "call the service's API with an HTTP Request node (n8n-nodes-base.httpRequest) instead, or remove the node"
            } else {
                "replace it with nodes weft has (`weft schema --write` lists them under schemas/nodes/), or remove it"
            },
        ),
        None => FieldError::new(
            path,
            format!("unknown node type `{type_name}`: not a node type of n8n 2.41.1"),
            "check the spelling (n8n writes `n8n-nodes-base.<name>`); community nodes are not supported",
        ),
    }
}

fn versions(description: &NodeDescription) -> String {
    let versions: Vec<String> = description.versions.iter().map(f64::to_string).collect();
    versions.join(", ")
}

/// The node's credentials must be of types it accepts with these parameters and registered;
/// one must be named when the node needs one.
fn check_credentials(
    index: usize,
    node: &WorkflowNode,
    description: &NodeDescription,
    parameters: &Value,
    credentials: &Registry,
    findings: &mut Findings,
) {
    let problems = &mut findings.problems;
    let accepted = description.accepted_credentials(node.type_version, parameters);
    let listed = if accepted.is_empty() {
        "none with these parameters".to_owned()
    } else {
        accepted.join(", ")
    };
    // n8n keeps a node's earlier credential when its authentication is switched and ignores it;
    // so does weft when the node also names one it accepts.
    let names_accepted = accepted
        .iter()
        .any(|name| node.credentials.contains_key(name));
    for type_name in node.credentials.keys() {
        let path = format!("nodes[{index}].credentials.{type_name}");
        if credentials.get(type_name).is_none() {
            problems.push(unknown_credential_type(path, type_name));
        } else if !accepted.contains(type_name) && !names_accepted {
            problems.push(FieldError::new(
                path,
                format!(
                    "node \"{}\" does not accept a {type_name} credential here",
                    node.name
                ),
                format!("accepted: {listed} (the authentication parameter selects the type)"),
            ));
        }
    }
    if !accepted.is_empty() && !names_accepted {
        findings.unset_credentials.push(FieldError::new(
            format!("nodes[{index}].credentials"),
            format!("node \"{}\" needs a credential of type {listed}", node.name),
            "select a credential in n8n, or add `\"credentials\": { \"<type>\": { \"id\": \"…\", \"name\": \"…\" } }`",
        ));
    }
}

/// A credential type weft does not have: one of n8n's it lacks, or no n8n type at all.
fn unknown_credential_type(path: String, type_name: &str) -> FieldError {
    match n8n_credential_type(type_name) {
        Some(display_name) => FieldError::new(
            path,
            format!("weft does not have n8n's {display_name} credential type (`{type_name}`) yet"),
            "`weft credentials types` lists the types weft has; use one of them (an HTTP Request node \
             takes several), or remove the node",
        ),
        None => FieldError::new(
            path,
            format!("unknown credential type `{type_name}`: not a credential type of n8n 2.41.1"),
            "check the spelling; `weft credentials types` lists the types weft has",
        ),
    }
}

/// Turns connections into edges; every connection must join existing nodes through `main`.
fn connect(
    workflow: &Workflow,
    names: &HashMap<String, usize>,
    planned: &mut [Option<PlannedNode>],
    problems: &mut Vec<FieldError>,
) {
    for (source, types) in &workflow.connections {
        let at = format!("connections[{}]", quoted(source));
        let Some(&from) = names.get(source) else {
            problems.push(FieldError::new(
                at.clone(),
                format!("connections from \"{source}\", which is not a node of this workflow"),
                "rename the key to an existing node's name or remove it",
            ));
            continue;
        };
        for (kind, outputs) in types {
            if planned[from].is_none() {
                continue; // the source failed its own checks (an unknown type: an AI node's ai_* links)
            }
            if kind != MAIN {
                problems.push(FieldError::new(
                    format!("{at}.{kind}"),
                    format!("connection type `{kind}` is not supported"),
                    "weft runs `main` connections only; AI sub-nodes (ai_*) are not supported",
                ));
                continue;
            }
            for (output, targets) in outputs.iter().enumerate() {
                for (position, connection) in targets.iter().flatten().enumerate() {
                    let path = format!("{at}.main[{output}][{position}]");
                    if let Some(edge) = edge(connection, &path, names, problems) {
                        add_edge(from, output, edge, &path, planned, problems);
                    }
                }
            }
        }
    }
}

fn edge(
    connection: &Connection,
    path: &str,
    names: &HashMap<String, usize>,
    problems: &mut Vec<FieldError>,
) -> Option<Edge> {
    if connection.kind != MAIN {
        problems.push(FieldError::new(
            format!("{path}.type"),
            format!("connection type `{}` is not supported", connection.kind),
            "weft runs `main` connections only",
        ));
    }
    let Some(&target) = names.get(&connection.node) else {
        problems.push(FieldError::new(
            format!("{path}.node"),
            format!(
                "connection to \"{}\", which is not a node of this workflow",
                connection.node
            ),
            "connect to an existing node's name or remove the connection",
        ));
        return None;
    };
    Some(Edge {
        target,
        input: connection.index,
    })
}

fn add_edge(
    from: usize,
    output: usize,
    edge: Edge,
    path: &str,
    planned: &mut [Option<PlannedNode>],
    problems: &mut Vec<FieldError>,
) {
    let Some(target) = &planned[edge.target] else {
        return; // the target failed its own checks
    };
    let inputs = target.implementation.inputs(
        target.info.type_version,
        &Value::Object(target.parameters.clone()),
    );
    if edge.input >= inputs {
        problems.push(FieldError::new(
            format!("{path}.index"),
            match inputs {
                0 => format!("\"{}\" has no input", target.info.name),
                _ => format!(
                    "\"{}\" has no input {} (it has {inputs})",
                    target.info.name, edge.input
                ),
            },
            "connect to an input the node has (counted from 0); triggers and sticky notes have none",
        ));
        return;
    }
    let Some(node) = &mut planned[from] else {
        return; // the source failed its own checks
    };
    let source = &node.info.name;
    let count = node.outputs.len();
    match node.outputs.get_mut(output) {
        Some(edges) => edges.push(edge),
        None => problems.push(FieldError::new(
            path.to_owned(),
            format!("\"{source}\" has no output {output} (it has {count})"),
            "connect a lower output, or set onError to continueErrorOutput for an error output",
        )),
    }
}

/// A JSON string literal, so names with spaces or quotes stay readable in paths.
fn quoted(name: &str) -> String {
    Value::String(name.to_owned()).to_string()
}
