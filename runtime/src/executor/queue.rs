//! What runs next, in n8n's v1 order (`../shared/spec/n8n-execution.md` §2): a stack of node runs
//! whose front runs next, and the waiting map of multi-input nodes that have some inputs but not
//! all.
//!
//! A node's output goes to each connected child, bottom-most child on the canvas first, each
//! delivery to the front of the stack, so siblings run top to bottom and each branch finishes
//! before the next starts. A child with one input slot runs once per delivery. A child with
//! several slots (the number comes from its connections) collects deliveries in a waiting entry
//! and runs when every slot of the entry is filled; a second delivery into a filled slot starts
//! another entry (another run). When the stack is empty and nodes still wait, one waiting entry
//! is released with what it has ([`Queue::release_one_waiting`]), unless the node's required
//! inputs are missing or one of its ancestors is still waiting.

use std::collections::VecDeque;
use std::sync::Arc;

use weft_nodes::{Item, PairedItem, PairedItems, RequiredInputs};

use super::run_data::SourceRef;
use crate::workflow::Plan;

/// Items delivered to one input slot (`None`: nothing was delivered there).
pub type Slot = Option<Arc<Vec<Item>>>;

/// A node run waiting to run.
pub struct Pending {
    /// The node's index in the plan.
    pub node: usize,
    /// Per input slot, its items.
    pub inputs: Vec<Slot>,
    /// Per input slot, where its items came from (empty for the start node).
    pub sources: Vec<Option<SourceRef>>,
}

impl Pending {
    /// The start node's run: no source, and as input the items a caller gave (a sub-run's)
    /// or none.
    pub fn start(node: usize, input: Vec<Item>) -> Self {
        Self {
            node,
            inputs: vec![Some(Arc::new(input))],
            sources: Vec::new(),
        }
    }

    /// The items of slot `slot` (empty when nothing was delivered there).
    pub fn slot(&self, slot: usize) -> &[Item] {
        self.inputs
            .get(slot)
            .and_then(Option::as_ref)
            .map_or(&[], |items| items.as_slice())
    }

    /// The first slot that holds items (n8n's connection input), if any.
    pub fn connection_slot(&self) -> Option<usize> {
        (0..self.inputs.len()).find(|&slot| !self.slot(slot).is_empty())
    }
}

/// A multi-input node's deliveries so far for one of its runs.
struct Entry {
    number: usize,
    inputs: Vec<Slot>,
    sources: Vec<Option<SourceRef>>,
}

/// The stack and the waiting map of one run.
pub struct Queue<'p> {
    plan: &'p Plan,
    /// Per node, its number of input slots: 1 + the highest input index connected to it.
    slots: Vec<usize>,
    /// Per node, the nodes connected to its inputs.
    parents: Vec<Vec<usize>>,
    stack: VecDeque<Pending>,
    /// Waiting multi-input nodes in the order they started waiting, each with its entries.
    waiting: Vec<(usize, Vec<Entry>)>,
}

impl<'p> Queue<'p> {
    /// An empty queue for `plan`.
    pub fn new(plan: &'p Plan) -> Self {
        let mut slots = vec![0; plan.nodes.len()];
        let mut parents = vec![Vec::new(); plan.nodes.len()];
        for (from, node) in plan.nodes.iter().enumerate() {
            for edge in node.outputs.iter().flatten() {
                slots[edge.target] = slots[edge.target].max(edge.input + 1);
                parents[edge.target].push(from);
            }
        }
        Self {
            plan,
            slots,
            parents,
            stack: VecDeque::new(),
            waiting: Vec::new(),
        }
    }

    /// Puts `pending` on the front: it runs next.
    pub fn push_front(&mut self, pending: Pending) {
        self.stack.push_front(pending);
    }

    /// The node run to do next.
    pub fn pop(&mut self) -> Option<Pending> {
        self.stack.pop_front()
    }

    /// Hands run `run` of `node`'s `outputs` to its children (§2.4): every non-empty output to
    /// every connection, bottom-most child first, each delivery going to the front.
    pub fn route(&mut self, node: usize, run: usize, outputs: &[Vec<Item>]) {
        let planned = &self.plan.nodes[node];
        let mut deliveries: Vec<(usize, usize, usize)> = planned
            .outputs
            .iter()
            .enumerate()
            .filter(|(output, _)| outputs.get(*output).is_some_and(|items| !items.is_empty()))
            .flat_map(|(output, edges)| {
                edges
                    .iter()
                    .map(move |edge| (edge.target, edge.input, output))
            })
            .collect();
        deliveries.sort_by(|(a, _, _), (b, _, _)| {
            let [ax, ay] = self.plan.nodes[*a].position;
            let [bx, by] = self.plan.nodes[*b].position;
            by.total_cmp(&ay).then(bx.total_cmp(&ax))
        });
        for (target, slot, output) in deliveries {
            let items = Arc::new(with_lineage(&outputs[output], slot));
            let source = SourceRef { node, output, run };
            self.deliver(target, slot, items, source);
        }
    }

    fn deliver(&mut self, node: usize, slot: usize, items: Arc<Vec<Item>>, source: SourceRef) {
        let slots = self.slots[node];
        if slots <= 1 {
            self.stack.push_front(Pending {
                node,
                inputs: vec![Some(items)],
                sources: vec![Some(source)],
            });
            return;
        }
        let position = match self
            .waiting
            .iter()
            .position(|(waiting, _)| *waiting == node)
        {
            Some(position) => position,
            None => {
                self.waiting.push((node, Vec::new()));
                self.waiting.len() - 1
            }
        };
        let entries = &mut self.waiting[position].1;
        let open = entries
            .iter()
            .enumerate()
            .filter(|(_, entry)| entry.inputs[slot].is_none())
            .min_by_key(|(_, entry)| entry.number)
            .map(|(at, _)| at);
        let at = open.unwrap_or_else(|| {
            let number = entries.iter().map(|entry| entry.number + 1).max();
            entries.push(Entry {
                number: number.unwrap_or(0),
                inputs: vec![None; slots],
                sources: vec![None; slots],
            });
            entries.len() - 1
        });
        let entry = &mut entries[at];
        entry.inputs[slot] = Some(items);
        entry.sources[slot] = Some(source);
        if entry.inputs.iter().all(Option::is_some) {
            let entry = entries.remove(at);
            if entries.is_empty() {
                self.waiting.remove(position);
            }
            self.stack.push_front(Pending {
                node,
                inputs: entry.inputs,
                sources: entry.sources,
            });
        }
    }

    /// True when nothing is on the stack but some node still waits for inputs.
    pub fn only_waiting(&self) -> bool {
        self.stack.is_empty() && !self.waiting.is_empty()
    }

    /// Releases one waiting node with the inputs it has (§2.6), to the back of the stack: the
    /// first one, in the order they started waiting, whose required inputs arrived and none of
    /// whose ancestors still waits. An entry without any item is dropped.
    pub fn release_one_waiting(&mut self) {
        let mut at = 0;
        while at < self.waiting.len() {
            let node = self.waiting[at].0;
            let planned = &self.plan.nodes[node];
            let parameters = serde_json::Value::Object(planned.parameters.clone());
            let version = planned.info.type_version;
            let declared = planned.implementation.inputs(version, &parameters);
            let required = planned.implementation.required_inputs(version, &parameters);
            let never = match &required {
                RequiredInputs::Any => false,
                RequiredInputs::AtLeast(count) => *count == declared,
                RequiredInputs::All(inputs) => inputs.len() == declared,
            };
            if never || self.has_waiting_ancestor(node) {
                at += 1;
                continue;
            }
            let entries = &mut self.waiting[at].1;
            let Some(first) = entries
                .iter()
                .enumerate()
                .min_by_key(|(_, entry)| entry.number)
                .map(|(index, _)| index)
            else {
                self.waiting.remove(at);
                continue;
            };
            let filled: Vec<usize> = (0..entries[first].inputs.len())
                .filter(|&slot| entries[first].inputs[slot].is_some())
                .collect();
            let allowed = match &required {
                RequiredInputs::Any => true,
                RequiredInputs::AtLeast(count) => filled.len() >= *count,
                RequiredInputs::All(inputs) => inputs.iter().all(|slot| filled.contains(slot)),
            };
            if !allowed {
                at += 1;
                continue;
            }
            let Entry {
                mut inputs,
                mut sources,
                ..
            } = entries.remove(first);
            if entries.is_empty() {
                self.waiting.remove(at);
            }
            let width = inputs.len().max(declared);
            inputs.resize(width, None);
            sources.resize(width, None);
            let has_items = inputs.iter().flatten().any(|items| !items.is_empty());
            if has_items {
                let inputs = inputs
                    .into_iter()
                    .map(|slot| Some(slot.unwrap_or_default()))
                    .collect();
                self.stack.push_back(Pending {
                    node,
                    inputs,
                    sources,
                });
                return;
            }
            at = 0;
        }
    }

    /// True when another node connected, at any depth, to `node`'s inputs waits too.
    fn has_waiting_ancestor(&self, node: usize) -> bool {
        let mut seen = vec![false; self.plan.nodes.len()];
        let mut next = self.parents[node].clone();
        while let Some(parent) = next.pop() {
            if std::mem::replace(&mut seen[parent], true) {
                continue;
            }
            if parent != node && self.waiting.iter().any(|(waiting, _)| *waiting == parent) {
                return true;
            }
            next.extend(&self.parents[parent]);
        }
        false
    }
}

/// The items as a node sees them on input `slot`: each paired to its own position there
/// (n8n's lineage: `{item: i}` on input 0, `{item: i, input: k}` on input k), whatever pairing
/// it carried before.
fn with_lineage(items: &[Item], slot: usize) -> Vec<Item> {
    let input = (slot > 0).then_some(slot);
    items
        .iter()
        .enumerate()
        .map(|(item, original)| Item {
            paired_item: Some(PairedItems::One(PairedItem::of_input(item, input))),
            ..original.clone()
        })
        .collect()
}
