//! Summarize (`n8n-nodes-base.summarize`, typeVersions 1 and 1.1): aggregates a field of all
//! items (count, count unique, sum, average, min, max, append, concatenate), optionally per group
//! of the fields to split by.
//!
//! Output: one item per group (`separateItems`, the split fields' values set on it, paired to
//! the group's items) or one item holding every group nested by key text (`singleItem`, paired to
//! every input item). A field no item has stops typeVersion 1 (unless
//! `options.continueIfFieldNotFound`); 1.1 goes on (n8n adds an editor hint, which weft's run
//! data does not carry). Memory grows with the groups and the distinct or collected values of
//! count unique, append and concatenate, never with the items otherwise.

mod aggregation;
mod groups;

use std::borrow::Cow;

use async_trait::async_trait;
use serde_json::{Map, Value};

use crate::core::conditions::js::to_js_string;
use crate::description::{
    Choice, Condition, Group as FieldGroup, Literal, NodeDescription, Parameter, ParameterKind,
    VERSION_KEY,
};
use crate::error::NodeError;
use crate::item::{Item, PairedItem, PairedItems};
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

use super::paths::get_path;
use aggregation::Aggregation;
use groups::{Group, GroupKey};

/// The Summarize node.
pub struct Summarize;

const CONCATENATE: Condition = Condition::Is(Literal::String("concatenate"));

/// n8n's aggregations (Summarize's and Item Lists' `fieldsToSummarize.values[].aggregation`).
pub(crate) const AGGREGATIONS: &[Choice] = &[
    Choice::new("Append", Literal::String("append")),
    Choice::new("Average", Literal::String("average")),
    Choice::new("Concatenate", Literal::String("concatenate")),
    Choice::new("Count", Literal::String("count")),
    Choice::new("Count Unique", Literal::String("countUnique")),
    Choice::new("Max", Literal::String("max")),
    Choice::new("Min", Literal::String("min")),
    Choice::new("Sum", Literal::String("sum")),
];

/// One `fieldsToSummarize.values` entry.
const FIELD_TO_SUMMARIZE: &[Parameter] = &[
    Parameter::new(
        "aggregation",
        "Aggregation",
        ParameterKind::Options(AGGREGATIONS),
    )
    .default(Literal::String("count")),
    Parameter::new("field", "Field", ParameterKind::String)
        .describe("The input field to summarize (dot notation reaches into objects)"),
    Parameter::new(
        "includeEmpty",
        "Include Empty Values",
        ParameterKind::Boolean,
    )
    .show(&[(
        "aggregation",
        &[
            Condition::Is(Literal::String("append")),
            CONCATENATE,
            Condition::Is(Literal::String("count")),
            Condition::Is(Literal::String("countUnique")),
        ],
    )]),
    Parameter::new(
        "separateBy",
        "Separator",
        ParameterKind::Options(&[
            Choice::new("Comma", Literal::String(",")),
            Choice::new("Comma and Space", Literal::String(", ")),
            Choice::new("New Line", Literal::String("\n")),
            Choice::new("None", Literal::String("")),
            Choice::new("Space", Literal::String(" ")),
            Choice::new("Other", Literal::String("other")),
        ]),
    )
    .show(&[("aggregation", &[CONCATENATE])]),
    Parameter::new("customSeparator", "Custom Separator", ParameterKind::String).show(&[
        ("aggregation", &[CONCATENATE]),
        ("separateBy", &[Condition::Is(Literal::String("other"))]),
    ]),
];

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.summarize",
    display_name: "Summarize",
    description: "Sum, count, max, etc. across items",
    versions: &[1.0, 1.1],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "fieldsToSummarize",
            "Fields to Summarize",
            ParameterKind::FixedCollection {
                multiple: true,
                groups: &[FieldGroup {
                    name: "values",
                    display_name: "Values",
                    values: FIELD_TO_SUMMARIZE,
                }],
            },
        )
        .default(Literal::Object(&[(
            "values",
            Literal::Array(&[Literal::Object(&[
                ("aggregation", Literal::String("count")),
                ("field", Literal::String("")),
            ])]),
        )])),
        Parameter::new(
            "fieldsToSplitBy",
            "Fields to Split By",
            ParameterKind::String,
        )
        .describe("Comma-separated names of the fields to group the summary by"),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                Parameter::new(
                    "continueIfFieldNotFound",
                    "Continue if Field Not Found",
                    ParameterKind::Boolean,
                )
                .hide(&[(VERSION_KEY, &[Condition::Gte(1.1)])]),
                Parameter::new(
                    "disableDotNotation",
                    "Disable Dot Notation",
                    ParameterKind::Boolean,
                ),
                Parameter::new(
                    "outputFormat",
                    "Output Format",
                    ParameterKind::Options(&[
                        Choice::new(
                            "Each Split in a Separate Item",
                            Literal::String("separateItems"),
                        ),
                        Choice::new("All Splits in a Single Item", Literal::String("singleItem")),
                    ]),
                ),
                Parameter::new(
                    "skipEmptySplitFields",
                    "Ignore items without valid fields to group by",
                    ParameterKind::Boolean,
                ),
            ]),
        ),
    ],
    credentials: &[],
};

#[async_trait]
impl Node for Summarize {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let version = ctx.node().type_version;
        let rules = SummaryRules {
            fields_must_exist: version < 1.1,
            keys_as_text: version < 1.1,
        };
        out.emit(0, summarized(ctx, rules)?).await
    }
}

register_node!(Summarize);

/// What differs between the versions of Summarize and of Item Lists' `summarize`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct SummaryRules {
    /// A field no item has stops the node, unless `options.continueIfFieldNotFound`.
    pub fields_must_exist: bool,
    /// Group keys as text rather than typed.
    pub keys_as_text: bool,
}

/// The input summarized as the node's parameters (read from item 0) and `rules` say.
pub(super) fn summarized(
    ctx: &NodeContext<'_>,
    rules: SummaryRules,
) -> Result<Vec<Item>, NodeError> {
    summarize(&Settings::read(ctx, rules)?, ctx.input())
}

/// The node's parameters, read once (from item 0, as n8n does).
#[derive(Clone, Debug, PartialEq)]
struct Settings {
    aggregations: Vec<Aggregation>,
    split_fields: Vec<String>,
    dot_notation: bool,
    single_item: bool,
    skip_empty_split_fields: bool,
    /// Whether a field no item has stops the node (typeVersion 1 without the option).
    field_must_exist: bool,
    /// Group keys as text (typeVersion 1) rather than typed.
    keys_as_text: bool,
}

impl Settings {
    fn read(ctx: &NodeContext<'_>, rules: SummaryRules) -> Result<Self, NodeError> {
        let options = match ctx.optional_parameter("options", 0)? {
            Some(Value::Object(options)) => options,
            _ => Map::new(),
        };
        let flag = |name: &str| options.get(name).and_then(Value::as_bool) == Some(true);
        let entries = match ctx.optional_parameter("fieldsToSummarize.values", 0)? {
            Some(Value::Array(entries)) => entries,
            _ => Vec::new(),
        };
        let aggregations = entries
            .iter()
            .enumerate()
            .map(|(position, entry)| match entry {
                Value::Object(entry) => Aggregation::from_entry(entry, position),
                _ => Aggregation::from_entry(&Map::new(), position),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let split_by = ctx
            .optional_parameter("fieldsToSplitBy", 0)?
            .map(|value| to_js_string(Some(&value)))
            .unwrap_or_default();
        Ok(Settings {
            aggregations,
            split_fields: split_by
                .split(',')
                .map(str::trim)
                .filter(|field| !field.is_empty())
                .map(str::to_owned)
                .collect(),
            dot_notation: !flag("disableDotNotation"),
            single_item: options.get("outputFormat").and_then(Value::as_str) == Some("singleItem"),
            skip_empty_split_fields: flag("skipEmptySplitFields"),
            field_must_exist: rules.fields_must_exist && !flag("continueIfFieldNotFound"),
            keys_as_text: rules.keys_as_text,
        })
    }
}

/// The value of `field` in an item: n8n adds the item's index as `_itemIndex` before it reads.
fn field_value<'v>(
    json: &'v Map<String, Value>,
    index: usize,
    field: &str,
    dot_notation: bool,
) -> Option<Cow<'v, Value>> {
    const ITEM_INDEX: &str = "_itemIndex";
    if field == ITEM_INDEX {
        return Some(Cow::Owned(Value::from(index)));
    }
    if !dot_notation {
        return json.get(field).map(Cow::Borrowed);
    }
    if json.get(field).is_none()
        && field
            .strip_prefix(ITEM_INDEX)
            .is_some_and(|rest| rest.starts_with(['.', '[']))
    {
        return None; // a property of the index number
    }
    get_path(json, field).map(Cow::Borrowed)
}

/// The output items of `input` summarized as `settings` say.
fn summarize(settings: &Settings, input: &[Item]) -> Result<Vec<Item>, NodeError> {
    let aggregations = &settings.aggregations;
    if aggregations
        .iter()
        .all(|aggregation| aggregation.field.is_empty())
    {
        return Err(NodeError::operation(
            "You need to add at least one aggregation to 'Fields to Summarize' with non empty 'Field'",
        ));
    }
    let mut root = Group::default();
    let mut found = vec![false; aggregations.len()];
    for (index, item) in input.iter().enumerate() {
        let value = |field: &str| field_value(&item.json, index, field, settings.dot_notation);
        let values: Vec<_> = aggregations.iter().map(|a| value(&a.field)).collect();
        for (found, value) in found.iter_mut().zip(&values) {
            *found |= value.is_some();
        }
        let mut group = &mut root;
        let mut skipped = false;
        for field in &settings.split_fields {
            let key = GroupKey::of(value(field).as_deref(), settings.keys_as_text);
            if settings.skip_empty_split_fields && key.is_empty() {
                skipped = true;
                break;
            }
            group = group.child(key);
        }
        if !skipped {
            let values: Vec<_> = values.iter().map(Option::as_deref).collect();
            group.add(index, aggregations, &values);
        }
    }
    if settings.field_must_exist {
        let missing = aggregations
            .iter()
            .zip(&found)
            .find(|(aggregation, found)| !aggregation.field.is_empty() && !**found);
        if let Some((aggregation, _)) = missing {
            return Err(NodeError::operation(format!(
                "The field '{}' does not exist in any items",
                aggregation.field
            )));
        }
    }
    let paired =
        |indexes: Vec<usize>| PairedItems::Many(indexes.into_iter().map(PairedItem::new).collect());
    if settings.single_item {
        let json = root.into_object(settings.split_fields.len(), aggregations);
        return Ok(vec![with_pairing(json, paired((0..input.len()).collect()))]);
    }
    Ok(root
        .into_rows(&settings.split_fields, aggregations)
        .into_iter()
        .map(|(json, indexes)| with_pairing(json, paired(indexes)))
        .collect())
}

fn with_pairing(json: Map<String, Value>, paired_item: PairedItems) -> Item {
    Item {
        json,
        paired_item: Some(paired_item),
        ..Item::default()
    }
}

#[cfg(test)]
mod tests;
