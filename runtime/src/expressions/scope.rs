//! What an expression sees: the current item, the node's input, and the output of the nodes
//! that ran before, with n8n's paired-item lookup for `$('Node').item`.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Map, Value, json};
use weft_nodes::{Item, NodeState, PairedItem};

use super::shared_lists::SharedList;

/// Where a node's input came from: a node's name, output index and run index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The node that produced the input.
    pub node: String,
    /// Its output index.
    pub output: usize,
    /// Which run of it.
    pub run: usize,
}

/// Every run of every node so far, as expressions see them, and the nodes' states.
#[derive(Clone, Debug, Default)]
pub struct RunLog {
    runs: HashMap<String, Vec<NodeRun>>,
    /// Each node's state in this execution (n8n's node context), shared by every copy of the log.
    states: Arc<Mutex<HashMap<String, Arc<Mutex<NodeState>>>>>,
    /// The workflow's node names, when known: a reference to another name is an error.
    nodes: Arc<HashSet<String>>,
    /// The workflow's static data in this execution (`getWorkflowStaticData`): `global` and one
    /// object per node (`node:<name>`), shared by every copy of the log.
    static_data: Arc<Mutex<Map<String, Value>>>,
}

#[derive(Clone, Debug)]
struct NodeRun {
    outputs: Arc<Vec<Vec<Item>>>,
    /// Per input, where its items came from (`None` for an input that got none).
    sources: Vec<Option<Source>>,
}

impl RunLog {
    /// The log of a run of a workflow with these nodes.
    pub fn new(nodes: impl IntoIterator<Item = String>) -> Self {
        Self {
            nodes: Arc::new(nodes.into_iter().collect()),
            ..Self::default()
        }
    }

    /// Records the next run of `node`: its outputs and, per input, where its items came from.
    pub fn record(
        &mut self,
        node: &str,
        outputs: Arc<Vec<Vec<Item>>>,
        sources: Vec<Option<Source>>,
    ) {
        self.runs
            .entry(node.to_owned())
            .or_default()
            .push(NodeRun { outputs, sources });
    }

    /// The state of `node` in this execution, created empty on first use.
    pub fn state(&self, node: &str) -> Arc<Mutex<NodeState>> {
        let mut states = self.states.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(states.entry(node.to_owned()).or_default())
    }

    /// The static data `node` sees: `{ global, node }`, each an object (empty at first).
    pub fn static_data(&self, node: &str) -> Value {
        let data = self
            .static_data
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let object = |key: &str| data.get(key).cloned().unwrap_or_else(|| json!({}));
        json!({ "global": object("global"), "node": object(&format!("node:{node}")) })
    }

    /// Keeps the static data `node` left (`{ global, node }`) for the rest of the execution.
    pub fn keep_static_data(&self, node: &str, left: Value) {
        let mut data = self
            .static_data
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Value::Object(mut left) = left {
            for (key, name) in [
                ("global", "global".to_owned()),
                ("node", format!("node:{node}")),
            ] {
                if let Some(value) = left.remove(key) {
                    data.insert(name, value);
                }
            }
        }
    }
}

/// One thing an expression can ask for; each answers with a JSON value (an item is
/// `{ json, binary?, pairedItem? }`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    /// `$json`: the current item's json.
    Json,
    /// `$input.item`.
    InputItem,
    /// `$input.first()`.
    InputFirst,
    /// `$input.last()`.
    InputLast,
    /// `$input.all()`.
    InputAll,
    /// `$('Node').item`: the item of `Node` the current item derives from.
    NodeItem(String),
    /// `$('Node').itemMatching(i)`: the item of `Node` input item `i` derives from.
    NodeItemMatching(String, usize),
    /// `$('Node').first()`.
    NodeFirst(String),
    /// `$('Node').last()`.
    NodeLast(String),
    /// `$('Node').all()`.
    NodeAll(String),
    /// `$node["Node"]`: the item of `Node` at the current item's index.
    NodeAt(String),
    /// `$node["Node"].context`: the node's state in this execution.
    NodeContext(String),
    /// `$items("Node", output, run)`: the items of one output of one run of `Node` (its latest
    /// run when `run` is `None`).
    NodeOutput {
        /// The node.
        node: String,
        /// Its output index.
        output: usize,
        /// Which run.
        run: Option<usize>,
    },
    /// `$prevNode`: `{ name, outputIndex, runIndex }` of where the input came from.
    PreviousNode,
}

impl Query {
    /// The query a JavaScript helper asks for by `kind` and node name (`$items` asks with
    /// `items:<output>:<run>`, the run empty for the latest).
    pub fn from_kind(kind: &str, node: String) -> Option<Self> {
        if let Some(place) = kind.strip_prefix("items:") {
            let (output, run) = place.split_once(':')?;
            return Some(Query::NodeOutput {
                node,
                output: output.parse().ok()?,
                run: match run {
                    "" => None,
                    run => Some(run.parse().ok()?),
                },
            });
        }
        Some(match kind {
            "json" => Query::Json,
            "inputItem" => Query::InputItem,
            "inputFirst" => Query::InputFirst,
            "inputLast" => Query::InputLast,
            "inputAll" => Query::InputAll,
            "item" => Query::NodeItem(node),
            "first" => Query::NodeFirst(node),
            "last" => Query::NodeLast(node),
            "all" => Query::NodeAll(node),
            "at" => Query::NodeAt(node),
            "context" => Query::NodeContext(node),
            "prevNode" => Query::PreviousNode,
            _ => {
                let index = kind.strip_prefix("itemMatching:")?.parse().ok()?;
                Query::NodeItemMatching(node, index)
            }
        })
    }
}

/// The data of one evaluation: item `item_index` of `input`, which came from `source`.
#[derive(Clone, Debug)]
pub struct Scope {
    /// The node's input items (its first input that got items).
    pub input: Arc<Vec<Item>>,
    /// The current item.
    pub item_index: usize,
    /// Where the input came from (`None` for a trigger).
    pub source: Option<Source>,
    /// Which run of the node this is (`$runIndex`).
    pub run_index: usize,
    /// The nodes that ran before.
    pub log: Arc<RunLog>,
}

impl Scope {
    /// The answer to `query`: `Ok(None)` for JavaScript's `undefined`, `Err` with n8n's words
    /// when the query cannot be answered (a node that did not run).
    pub fn query(&self, query: &Query) -> Result<Option<Value>, String> {
        let item = |item: Option<&Item>| item.map(item_value);
        Ok(match query {
            Query::Json => self.input.get(self.item_index).map(Item::json_value),
            Query::InputItem => item(self.input.get(self.item_index)),
            Query::InputFirst => item(self.input.first()),
            Query::InputLast => item(self.input.last()),
            Query::InputAll => Some(Value::Array(self.input.iter().map(item_value).collect())),
            Query::NodeItem(node) => item(self.paired(node, self.item_index)?),
            Query::NodeItemMatching(node, index) => item(self.paired(node, *index)?),
            Query::NodeFirst(node) => item(self.output(node)?.first()),
            Query::NodeLast(node) => item(self.output(node)?.last()),
            Query::NodeAll(node) => Some(Value::Array(
                self.output(node)?.iter().map(item_value).collect(),
            )),
            Query::NodeAt(node) => item(self.output(node)?.get(self.item_index)),
            Query::NodeContext(node) => {
                let state = self.log.state(node);
                let state = state.lock().unwrap_or_else(PoisonError::into_inner);
                Some(Value::Object(state.clone()))
            }
            Query::NodeOutput { node, output, run } => {
                let runs = self.runs(node)?;
                let run = match run {
                    Some(index) => runs.get(*index),
                    None => runs.last(),
                };
                let items = run.and_then(|run| run.outputs.get(*output));
                Some(Value::Array(items.map_or(Vec::new(), |items| {
                    items.iter().map(item_value).collect()
                })))
            }
            Query::PreviousNode => self.source.as_ref().map(|source| {
                serde_json::json!({
                    "name": source.node,
                    "outputIndex": source.output,
                    "runIndex": source.run,
                })
            }),
        })
    }

    /// The shared items behind an `.all()` query (the input, or the latest run's outputs of the
    /// node), which [`super::shared_lists::SharedLists`] names; `None` for any other query.
    pub fn shared_list(&self, query: &Query) -> Result<Option<SharedList>, String> {
        Ok(match query {
            Query::InputAll => Some(Arc::clone(&self.input) as SharedList),
            Query::NodeAll(node) => Some(Arc::clone(&self.run(node)?.outputs) as SharedList),
            _ => None,
        })
    }

    /// Output 0 of the latest run of `node`.
    fn output(&self, node: &str) -> Result<&[Item], String> {
        let run = self.run(node)?;
        Ok(run.outputs.first().map_or(&[], Vec::as_slice))
    }

    /// The latest run of `node`.
    fn run(&self, node: &str) -> Result<&NodeRun, String> {
        self.runs(node)?.last().ok_or_else(|| unexecuted(node))
    }

    /// The runs of `node` so far: n8n's errors for a node the workflow does not have, or one
    /// that has not run.
    fn runs(&self, node: &str) -> Result<&[NodeRun], String> {
        if !self.log.nodes.is_empty() && !self.log.nodes.contains(node) {
            return Err("Referenced node doesn't exist".to_owned());
        }
        self.log
            .runs
            .get(node)
            .map(Vec::as_slice)
            .ok_or_else(|| unexecuted(node))
    }

    /// Follows pairedItem links back from input item `index` to an item of `node`, through the
    /// run and the input each link names (n8n's `getPairedItem`).
    fn paired(&self, node: &str, index: usize) -> Result<Option<&Item>, String> {
        self.run(node)?;
        let Some(source) = &self.source else {
            return Err(not_on_path(node));
        };
        let start = PairedItem::new(index);
        self.walk(node, source, start, MAX_WALK)
    }

    /// The item of `node` that item `paired.item` of `source`'s output derives from.
    fn walk(
        &self,
        node: &str,
        source: &Source,
        paired: PairedItem,
        depth: usize,
    ) -> Result<Option<&Item>, String> {
        let Some(depth) = depth.checked_sub(1) else {
            return Err(not_on_path(node));
        };
        let run = self
            .log
            .runs
            .get(&source.node)
            .and_then(|runs| runs.get(source.run))
            .ok_or_else(|| not_on_path(node))?;
        let Some(item) = run
            .outputs
            .get(source.output)
            .and_then(|items| items.get(paired.item))
        else {
            return Ok(None);
        };
        if source.node == node {
            return Ok(Some(item));
        }
        let links = item.paired_list();
        if links.is_empty() {
            return Err(format!(
                "Paired item data for item from node \"{}\" is unavailable, so \"{node}\" cannot be reached (hint: use $('{node}').first() or .all())",
                source.node
            ));
        }
        let mut found: Option<&Item> = None;
        let mut first_error = None;
        for link in links {
            let from = match &link.source_overwrite {
                Some(overwrite) => Source {
                    node: overwrite.previous_node.clone(),
                    output: overwrite.previous_node_output,
                    run: overwrite.previous_node_run,
                },
                None => match run.sources.get(link.input.unwrap_or(0)) {
                    Some(Some(from)) => from.clone(),
                    _ => continue,
                },
            };
            match self.walk(node, &from, link, depth) {
                Ok(Some(item)) => match found {
                    Some(earlier) if !std::ptr::eq(earlier, item) => {
                        return Err(format!(
                            "Multiple matches found: several items of \"{node}\" lead to this item (hint: use $('{node}').first() or .all())"
                        ));
                    }
                    _ => found = Some(item),
                },
                Ok(None) => {}
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        }
        match (found, first_error) {
            (Some(item), _) => Ok(Some(item)),
            (None, Some(error)) => Err(error),
            (None, None) => Err(not_on_path(node)),
        }
    }
}

/// How many links a paired-item walk follows before it gives up (a loop of pairings).
const MAX_WALK: usize = 1_000;

fn unexecuted(node: &str) -> String {
    format!(
        "Referenced node is unexecuted: \"{node}\" has not run before this node (hint: only nodes that ran earlier in this execution can be referenced)"
    )
}

fn not_on_path(node: &str) -> String {
    format!("\"{node}\" is not on the path to this node (hint: use $('{node}').first() or .all())")
}

/// An item as expressions see it.
fn item_value(item: &Item) -> Value {
    serde_json::to_value(item).expect("items always serialise")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, json};

    fn item(json: Value, paired: usize) -> Item {
        Item::new(json.as_object().cloned().unwrap_or_else(Map::new), paired)
    }

    /// Trigger → Query (2 records) → Note (1 item per record): the current item is Note's input.
    fn scope(item_index: usize) -> Scope {
        let mut log = RunLog::default();
        log.record("Trigger", Arc::new(vec![vec![item(json!({}), 0)]]), vec![]);
        let records = vec![item(json!({ "Id": "a" }), 0), item(json!({ "Id": "b" }), 0)];
        let source = |node: &str| {
            Some(Source {
                node: node.to_owned(),
                output: 0,
                run: 0,
            })
        };
        log.record("Query", Arc::new(vec![records]), vec![source("Trigger")]);
        let notes = vec![
            item(json!({ "id": "n1" }), 0),
            item(json!({ "id": "n2" }), 1),
        ];
        log.record("Note", Arc::new(vec![notes.clone()]), vec![source("Query")]);
        Scope {
            input: Arc::new(notes),
            item_index,
            source: source("Note"),
            run_index: 0,
            log: Arc::new(log),
        }
    }

    #[test]
    fn node_items_follow_paired_items_back() {
        let answer = scope(1)
            .query(&Query::NodeItem("Query".into()))
            .unwrap()
            .unwrap();
        assert_eq!(answer["json"], json!({ "Id": "b" }));
        let answer = scope(1).query(&Query::Json).unwrap().unwrap();
        assert_eq!(answer, json!({ "id": "n2" }));
        let first = scope(1)
            .query(&Query::NodeFirst("Query".into()))
            .unwrap()
            .unwrap();
        assert_eq!(first["json"], json!({ "Id": "a" }));
    }

    #[test]
    fn unexecuted_nodes_are_an_error_and_missing_items_undefined() {
        let error = scope(0).query(&Query::NodeAll("Later".into())).unwrap_err();
        assert!(
            error.starts_with("Referenced node is unexecuted: \"Later\""),
            "{error}"
        );
        assert_eq!(scope(5).query(&Query::InputItem).unwrap(), None);
        let known = Scope {
            log: Arc::new(RunLog {
                nodes: Arc::new(["Trigger".to_owned()].into()),
                ..scope(0).log.as_ref().clone()
            }),
            ..scope(0)
        };
        let error = known.query(&Query::NodeFirst("Nope".into())).unwrap_err();
        assert_eq!(error, "Referenced node doesn't exist");
    }

    #[test]
    fn items_of_an_output_and_run_and_the_previous_node() {
        let query = |kind: &str| Query::from_kind(kind, "Query".into()).unwrap();
        let items = scope(0).query(&query("items:0:")).unwrap().unwrap();
        assert_eq!(items[1]["json"], json!({ "Id": "b" }));
        assert_eq!(scope(0).query(&query("items:0:0")).unwrap().unwrap(), items);
        assert_eq!(scope(0).query(&query("items:1:")).unwrap(), Some(json!([])));
        assert_eq!(
            scope(0).query(&query("items:0:3")).unwrap(),
            Some(json!([]))
        );
        assert_eq!(Query::from_kind("items:x:", "Query".into()), None);
        assert_eq!(
            scope(0).query(&Query::PreviousNode).unwrap(),
            Some(json!({ "name": "Note", "outputIndex": 0, "runIndex": 0 }))
        );
    }
}
