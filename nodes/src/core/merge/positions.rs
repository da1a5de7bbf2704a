//! Combining items by position (v2 `mergeByPosition`, v3 `combineByPosition`) and every pair of
//! items (v2 `multiplex`, v3 `combineAll`), with n8n's clash handling: `preferInput1` swaps the
//! inputs (so input 2's fields and pairing come first), `addSuffix` renames every field.

use crate::error::NodeError;
use crate::item::Item;

use super::combined::{Part, combined, suffixed};
use super::objects::MergeMethod;
use super::settings::Clash;

/// v2 multiplex and v3 combineAll: each input 1 item with each input 2 item.
pub fn cross_join(clash: &Clash, input1: &[Item], input2: &[Item]) -> Vec<Item> {
    let ((first, first_suffix), (second, second_suffix)) = arranged(clash, input1, input2);
    first
        .iter()
        .flat_map(|one| {
            second.iter().map(move |two| {
                combined(
                    &clash.method,
                    &MergeMethod::DEEP,
                    &[(one, first_suffix), (two, second_suffix)],
                )
            })
        })
        .collect()
}

type Side<'a> = (&'a [Item], Option<usize>);

/// The two inputs in merge order with the suffix of each: swapped for `preferInput1`.
fn arranged<'a>(clash: &Clash, input1: &'a [Item], input2: &'a [Item]) -> (Side<'a>, Side<'a>) {
    let (first, second) = if clash.prefers_input1() {
        (input2, input1)
    } else {
        (input1, input2)
    };
    if clash.adds_suffix() {
        ((first, Some(1)), (second, Some(2)))
    } else {
        ((first, None), (second, None))
    }
}

/// v2 mergeByPosition: item `i` of input 1 with item `i` of input 2.
pub fn merge_by_position_v2(
    clash: &Clash,
    include_unpaired: bool,
    input1: &[Item],
    input2: &[Item],
) -> Vec<Item> {
    if input1.is_empty() || input2.is_empty() {
        return input1.iter().chain(input2).cloned().collect();
    }
    let ((first, first_suffix), (second, second_suffix)) = arranged(clash, input1, input2);
    let count = if include_unpaired {
        first.len().max(second.len())
    } else {
        first.len().min(second.len())
    };
    (0..count)
        .map(|index| match (first.get(index), second.get(index)) {
            (Some(one), Some(two)) => combined(
                &clash.method,
                &MergeMethod::DEEP,
                &[(one, first_suffix), (two, second_suffix)],
            ),
            (Some(alone), None) => suffixed_item(alone, first_suffix),
            (None, Some(alone)) => suffixed_item(alone, second_suffix),
            (None, None) => unreachable!("index below the longer input's length"),
        })
        .collect()
}

fn suffixed_item(item: &Item, suffix: Option<usize>) -> Item {
    match suffix {
        Some(suffix) => suffixed(vec![item.clone()], suffix).remove(0),
        None => item.clone(),
    }
}

/// v3 combineByPosition over any number of inputs: item `i` of every input, then item `i` of
/// the preferred input again (the last one unless `preferInputN`), which n8n merges last and
/// pairs twice; with `addSuffix` the preferred input's fields come in without a suffix as well.
pub fn combine_by_position_v3(
    clash: &Clash,
    include_unpaired: bool,
    inputs: &[&[Item]],
) -> Result<Vec<Item>, NodeError> {
    let preferred_index = match clash.resolve.as_deref() {
        Some(choice) if choice.contains("preferInput") => choice
            .replace("preferInput", "")
            .parse::<usize>()
            .ok()
            .and_then(|number| number.checked_sub(1)),
        _ => inputs.len().checked_sub(1),
    };
    let preferred = preferred_index
        .and_then(|index| inputs.get(index))
        .ok_or_else(|| {
            NodeError::operation(format!(
                "The clash handling \"{}\" names no input of this node",
                clash.resolve.as_deref().unwrap_or_default()
            ))
            .with_description(format!(
                "the node has {} inputs; prefer one of them, or add the input number to field names",
                inputs.len()
            ))
        })?;
    let lengths = inputs
        .iter()
        .map(|input| input.len())
        .chain([preferred.len()]);
    let count = if include_unpaired {
        lengths.max().unwrap_or(0)
    } else {
        lengths.min().unwrap_or(0)
    };
    let adds_suffix = clash.adds_suffix();
    Ok((0..count)
        .map(|index| {
            let parts: Vec<Part<'_>> = inputs
                .iter()
                .enumerate()
                .filter_map(|(number, input)| {
                    let item = input.get(index)?;
                    Some((item, adds_suffix.then_some(number + 1)))
                })
                .chain(preferred.get(index).map(|item| (item, None)))
                .collect();
            combined(&clash.method, &MergeMethod::DEEP, &parts)
        })
        .collect())
}
