//! What the executor does to a node's outputs after it ran: pairs items that came without
//! `pairedItem`, routes error items by `onError`, and applies `alwaysOutputData`.

use serde_json::{Map, Value};
use weft_nodes::{Item, PairedItem, PairedItems};

use crate::workflow::{OnError, PlannedNode};

/// The final outputs of `node` for `input`, from what it emitted (one list per declared output).
pub fn finish(node: &PlannedNode, input: &[Item], mut outputs: Vec<Vec<Item>>) -> Vec<Vec<Item>> {
    for items in &mut outputs {
        pair_unpaired(items, input.len());
    }
    outputs.resize_with(node.outputs.len(), Vec::new);
    route_errors(node.on_error, input, &mut outputs);
    if node.always_output_data && outputs.first().is_some_and(Vec::is_empty) {
        outputs[0].push(empty_item(input.len()));
    }
    outputs
}

/// The outputs of a node that failed but continues: its input on output 0.
pub fn passed_through(node: &PlannedNode, input: &[Item]) -> Vec<Vec<Item>> {
    let mut outputs = vec![input.to_vec()];
    outputs.resize_with(node.outputs.len().max(1), Vec::new);
    outputs
}

/// n8n pairs an unpaired item with the only input item, or with the input item at the same
/// index when the counts agree.
pub fn pair_unpaired(items: &mut [Item], inputs: usize) {
    let count = items.len();
    for (index, item) in items
        .iter_mut()
        .filter(|item| item.paired_item.is_none())
        .enumerate()
    {
        if inputs == 1 {
            item.paired_item = Some(PairedItems::One(PairedItem::new(0)));
        } else if count == inputs {
            item.paired_item = Some(PairedItems::One(PairedItem::new(index)));
        }
    }
}

/// `continueErrorOutput` moves error items to the last output, their json merged over the
/// paired input item's json; `continueRegularOutput` keeps them in place without the error
/// object (as n8n's items show); otherwise items keep what they carry.
fn route_errors(on_error: OnError, input: &[Item], outputs: &mut [Vec<Item>]) {
    match on_error {
        OnError::StopWorkflow => return,
        OnError::ContinueRegularOutput => {
            for item in outputs.iter_mut().flatten() {
                item.error = None;
            }
            return;
        }
        OnError::ContinueErrorOutput => {}
    }
    let Some((error_output, regular)) = outputs.split_last_mut() else {
        return;
    };
    for items in regular {
        let (failed, kept): (Vec<Item>, Vec<Item>) =
            items.drain(..).partition(|item| item.error.is_some());
        *items = kept;
        error_output.extend(
            failed
                .into_iter()
                .map(|item| merged_with_input(item, input)),
        );
    }
}

fn merged_with_input(mut item: Item, input: &[Item]) -> Item {
    let paired = item
        .paired_indexes()
        .first()
        .and_then(|index| input.get(*index));
    if let Some(source) = paired {
        let mut json = source.json.clone();
        json.extend(std::mem::take(&mut item.json));
        item.json = json;
    }
    item
}

/// `alwaysOutputData`'s item: empty json, paired with every input item.
fn empty_item(inputs: usize) -> Item {
    let paired = (0..inputs)
        .map(|item| PairedItem {
            item,
            input: Some(0),
        })
        .collect();
    Item {
        json: Map::<String, Value>::new(),
        paired_item: Some(PairedItems::Many(paired)),
        ..Item::default()
    }
}
