//! Item Lists (`n8n-nodes-base.itemLists`, typeVersions 1, 2, 2.1, 2.2, 3 and 3.1): n8n's older
//! all-in-one node for lists of items. Each operation runs the standalone node it became, with
//! the differences of its typeVersion passed as rules:
//!
//! | operation | runs | what the version changes |
//! | --- | --- | --- |
//! | `splitOutItems` | Split Out's [`Split`] | 1: one field, lists only, a missing field stops the node, selected fields first; 2 and 2.1: lists or objects (2: a missing field stops the node); 2.2: any value; 3: `$json.` prefixes, `$binary`, `includeBinary` |
//! | `aggregateItems` (1, 2.x), `concatenateItems` (3) | Aggregate's functions | 1 and 2.0: a blank or missing field stops the node; 1: all item data unpaired; 3: binaries |
//! | `removeDuplicates` | Remove Duplicates' [`Dedupe`] | nulls never skipped; 3.1 sorts by type first and accepts fields whose type varies |
//! | `sort`, `limit` | Sort's and Limit's own reading | none |
//! | `summarize` | Summarize with text group keys | 1 and 2.0: a field no item has stops the node |
//!
//! Before typeVersion 3 field lists are fixedCollections (`fields.fieldName`), from 3
//! comma-separated text.

mod description;

use async_trait::async_trait;
use serde_json::Value;

use crate::core::conditions::js::to_js_string;
use crate::description::NodeDescription;
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

use super::aggregate::{
    FieldOptions, add_binaries, aggregate_all, aggregate_fields, fields_to_aggregate,
};
use super::lodash::fields_list;
use super::remove_duplicates::Dedupe;
use super::split_out::{Split, SplitRules, Splittable, field_list, names};
use super::summarize::{SummaryRules, summarized};
use super::{limit, sort};

/// The Item Lists node.
pub struct ItemLists;

#[async_trait]
impl Node for ItemLists {
    fn description(&self) -> &'static NodeDescription {
        &description::DESCRIPTION
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let version = ctx.node().type_version;
        let resource = text(ctx, "resource", 0)?;
        if resource != "itemList" {
            return Err(
                NodeError::operation(format!("Resource '{resource}' is not recognized"))
                    .with_description("hint: Item Lists has the one resource itemList"),
            );
        }
        let operation = text(ctx, "operation", 0)?;
        let items = match operation.as_str() {
            "splitOutItems" => split_out_items(ctx, version)?,
            "aggregateItems" if version < 3.0 => vec![concatenate_items(ctx, version)?],
            "concatenateItems" if version >= 3.0 => vec![concatenate_items(ctx, version)?],
            "removeDuplicates" => remove_duplicates(ctx, version)?,
            "sort" => sort::sorted(ctx)?,
            "limit" => limit::limited(ctx)?,
            "summarize" => summarized(
                ctx,
                SummaryRules {
                    fields_must_exist: version < 2.1,
                    keys_as_text: true,
                },
            )?,
            other => {
                return Err(NodeError::operation(format!(
                    "Operation '{other}' is not recognized"
                ))
                .with_description(if version < 3.0 {
                    "hint: use aggregateItems, limit, removeDuplicates, sort, splitOutItems or summarize"
                } else {
                    "hint: use concatenateItems, limit, removeDuplicates, sort, splitOutItems or summarize"
                }));
            }
        };
        out.emit(0, items).await
    }
}

register_node!(ItemLists);

/// A text parameter of item `index` (empty when absent).
fn text(ctx: &NodeContext<'_>, name: &str, index: usize) -> Result<String, NodeError> {
    Ok(ctx
        .optional_parameter(name, index)?
        .map(|value| to_js_string(Some(&value)))
        .unwrap_or_default())
}

/// Whether `options.<name>` of item `index` is true.
fn option(ctx: &NodeContext<'_>, name: &str, index: usize) -> Result<bool, NodeError> {
    Ok(ctx.optional_parameter(&format!("options.{name}"), index)? == Some(Value::Bool(true)))
}

/// A list of field names: before typeVersion 3 the `fieldName`s of a fixedCollection's `fields`
/// (as written, blanks included), from 3 comma-separated text (n8n's `prepareFieldsArray`).
fn field_names(
    ctx: &NodeContext<'_>,
    version: f64,
    name: &str,
    label: &str,
    index: usize,
) -> Result<Vec<String>, NodeError> {
    if version >= 3.0 {
        return fields_list(ctx.optional_parameter(name, index)?, label);
    }
    let entries = match ctx.optional_parameter(&format!("{name}.fields"), index)? {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(entries)) => entries,
        Some(_) => {
            return Err(NodeError::operation(format!(
                "Parameter \"{name}.fields\" has the wrong type"
            ))
            .with_description("hint: give a list of entries, each with a fieldName"));
        }
    };
    Ok(entries
        .iter()
        .map(|entry| to_js_string(entry.get("fieldName")))
        .collect())
}

/// What Split Out Items accepts in each typeVersion.
fn split_rules(version: f64) -> SplitRules {
    if version >= 3.0 {
        return SplitRules::CURRENT;
    }
    SplitRules {
        missing_refused: version < 2.1,
        splittable: if version < 2.0 {
            Splittable::Lists
        } else if version < 2.2 {
            Splittable::ListsAndObjects
        } else {
            Splittable::Anything
        },
        binary_field: false,
        selected_first: version < 2.0,
    }
}

fn split_out_items(ctx: &NodeContext<'_>, version: f64) -> Result<Vec<Item>, NodeError> {
    let mut output = Vec::new();
    for (index, input) in ctx.input().iter().enumerate() {
        let split = read_split(ctx, version, index).map_err(|error| error.for_item(index))?;
        output.extend(
            split
                .items(input, index)
                .map_err(|error| error.for_item(index))?,
        );
    }
    Ok(output)
}

/// Split Out Items' parameters for item `index` as typeVersion `version` reads them.
fn read_split(ctx: &NodeContext<'_>, version: f64, index: usize) -> Result<Split, NodeError> {
    let field = text(ctx, "fieldToSplitOut", index)?;
    let destination = text(ctx, "options.destinationFieldName", index)?;
    let (fields, destinations) = if version < 2.0 {
        let destinations = Some(destination).filter(|name| !name.is_empty());
        (vec![field], destinations.into_iter().collect())
    } else {
        let fields = field.split(',').map(str::trim).map(|name| {
            match name.strip_prefix("$json.").filter(|_| version >= 3.0) {
                Some(rest) => rest.to_owned(),
                None => name.to_owned(),
            }
        });
        (fields.collect(), names(&destination))
    };
    let include = text(ctx, "include", index)?;
    let fields_to_include = if include != "selectedOtherFields" {
        Vec::new()
    } else if version >= 3.0 {
        field_list(
            ctx.optional_parameter("fieldsToInclude", index)?
                .unwrap_or_default(),
            "Fields To Include",
        )?
    } else {
        field_names(ctx, version, "fieldsToInclude", "Fields To Include", index)?
    };
    // Before typeVersion 3 dot notation is read from the first item, as n8n does.
    let settings_item = if version < 3.0 { 0 } else { index };
    Ok(Split {
        fields,
        destinations,
        include,
        fields_to_include,
        dot_notation: !option(ctx, "disableDotNotation", settings_item)?,
        binary: version >= 3.0 && option(ctx, "includeBinary", index)?,
        rules: split_rules(version),
    })
}

fn concatenate_items(ctx: &NodeContext<'_>, version: f64) -> Result<Item, NodeError> {
    let items = ctx.input();
    let mut output = if text(ctx, "aggregate", 0)? == "aggregateIndividualFields" {
        let options = FieldOptions {
            dot_notation: !option(ctx, "disableDotNotation", 0)?,
            merge_lists: option(ctx, "mergeLists", 0)?,
            keep_missing: option(ctx, "keepMissing", 0)?,
            require_found: version < 2.1,
        };
        aggregate_fields(items, &fields_to_aggregate(ctx)?, &options)?
    } else {
        let destination: String = ctx.parameter_as("destinationFieldName", 0)?;
        let exclude = field_names(ctx, version, "fieldsToExclude", "Fields To Exclude", 0)?;
        let include = field_names(ctx, version, "fieldsToInclude", "Fields To Include", 0)?;
        aggregate_all(items, &destination, &include, &exclude, version >= 2.0)
    };
    if version >= 3.0 && option(ctx, "includeBinaries", 0)? {
        add_binaries(&mut output, items, option(ctx, "keepOnlyUnique", 0)?);
    }
    Ok(output)
}

fn remove_duplicates(ctx: &NodeContext<'_>, version: f64) -> Result<Vec<Item>, NodeError> {
    let items = ctx.input();
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let dedupe = Dedupe {
        compare: text(ctx, "compare", 0)?,
        fields_to_exclude: field_names(ctx, version, "fieldsToExclude", "Fields To Exclude", 0)?,
        fields_to_compare: field_names(ctx, version, "fieldsToCompare", "Fields To Compare", 0)?,
        dot_notation: !option(ctx, "disableDotNotation", 0)?,
        remove_other_fields: option(ctx, "removeOtherFields", 0)?,
        skip_nulls: false,
        check_types: version < 3.1,
        types_first: version >= 3.1,
    };
    dedupe.apply(items)
}

#[cfg(test)]
mod tests;
