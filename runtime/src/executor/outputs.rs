//! What the executor does to a node's outputs after it ran: pairs items that came without
//! `pairedItem`, routes error items by `onError`, and applies `alwaysOutputData`.

use serde_json::{Map, Value};
use weft_nodes::{Item, PairedItem, PairedItems};

use super::queue::Slot;
use crate::workflow::{OnError, PlannedNode};

/// The final outputs of `node` for its `inputs` (one list per input slot), from what it returned:
/// error items split off to the error output (§5.5), unpaired items paired (§6.2), then
/// `alwaysOutputData` (§5.3).
pub fn finish(node: &PlannedNode, inputs: &[Slot], mut outputs: Vec<Vec<Item>>) -> Vec<Vec<Item>> {
    if node.on_error == OnError::ContinueErrorOutput {
        outputs.resize_with(node.main_outputs + 1, Vec::new);
    }
    route_errors(node.on_error, inputs, &mut outputs);
    let sizes: Vec<usize> = inputs
        .iter()
        .map(|slot| slot.as_ref().map_or(0, |items| items.len()))
        .collect();
    fill_pairing(&mut outputs, &sizes);
    if node.always_output_data && outputs.first().is_none_or(Vec::is_empty) {
        outputs.resize_with(outputs.len().max(1), Vec::new);
        outputs[0].push(empty_item(inputs));
    }
    outputs
}

/// n8n's fill-in for items a node left unpaired, given how many items each input slot had: with
/// one slot of one item, every item pairs with it; with one slot and one output, items pair by
/// position when the counts agree, and a single item with the first input item. Nodes with
/// several inputs get no fill-in.
pub fn fill_pairing(outputs: &mut [Vec<Item>], slots: &[usize]) {
    let &[inputs] = slots else {
        return;
    };
    let single_output = outputs.len() == 1;
    for items in outputs.iter_mut() {
        let count = items.len();
        for (index, item) in items.iter_mut().enumerate() {
            if item.paired_item.is_some() {
                continue;
            }
            let paired = if inputs == 1 {
                0
            } else if single_output && count == inputs {
                index
            } else if single_output && count == 1 && inputs > 1 {
                0
            } else {
                return;
            };
            item.paired_item = Some(PairedItems::One(PairedItem::new(paired)));
        }
    }
}

/// `continueErrorOutput` moves error items to the last output, their json merged over the
/// paired input item's json; `continueRegularOutput` keeps them in place without the error
/// object (as n8n's items show); otherwise items keep what they carry.
fn route_errors(on_error: OnError, inputs: &[Slot], outputs: &mut [Vec<Item>]) {
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
                .map(|item| merged_with_input(item, inputs)),
        );
    }
}

/// An error item's json over the json of the input item it is paired with.
fn merged_with_input(mut item: Item, inputs: &[Slot]) -> Item {
    let paired = item.paired_list().first().and_then(|paired| {
        inputs
            .get(paired.input.unwrap_or(0))
            .and_then(Option::as_ref)
            .and_then(|items| items.get(paired.item))
    });
    if let Some(source) = paired {
        let mut json = source.json.clone();
        json.extend(std::mem::take(&mut item.json));
        item.json = json;
    }
    item
}

/// `alwaysOutputData`'s item: empty json, paired with every item of every input, each naming its
/// input (also input 0).
fn empty_item(inputs: &[Slot]) -> Item {
    let paired = inputs
        .iter()
        .enumerate()
        .flat_map(|(input, slot)| {
            let count = slot.as_ref().map_or(0, |items| items.len());
            (0..count).map(move |item| PairedItem::of_input(item, Some(input)))
        })
        .collect();
    Item {
        json: Map::<String, Value>::new(),
        paired_item: Some(PairedItems::Many(paired)),
        ..Item::default()
    }
}
