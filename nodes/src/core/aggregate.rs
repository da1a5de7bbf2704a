//! Aggregate (`n8n-nodes-base.aggregate`, typeVersion 1): combines all input items into one
//! item, paired to the items it was made from.
//!
//! `aggregate: aggregateIndividualFields` collects the values of each field of
//! `fieldsToAggregate.fieldToAggregate` into a list (under `outputFieldName` when renamed, else
//! the field's last path segment): nulls and missing values are left out unless
//! `options.keepMissing`, lists are kept as elements or, with `options.mergeLists`, flattened
//! into the list. `aggregateAllItemData` puts every item's json in a list under
//! `destinationFieldName`, keeping only `fieldsToInclude` or dropping `fieldsToExclude` (items
//! left empty are skipped). `options.includeBinaries` copies the binary properties of the
//! aggregated items, renaming clashes `name_1`, `name_2`…, and with `options.keepOnlyUnique`
//! skipping a binary whose type, size and extension were seen already.

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::description::Group;
use crate::description::{Choice, Condition, Literal, NodeDescription, Parameter, ParameterKind};
use crate::error::NodeError;
use crate::item::{BinaryData, Item, PairedItem, PairedItems};
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

use super::lodash::{NESTED_FIELD_HINT, field, fields_list};
use super::paths::set_path;

/// The Aggregate node.
pub struct Aggregate;

const INDIVIDUAL: &[(&str, &[Condition])] = &[(
    "aggregate",
    &[Condition::Is(Literal::String("aggregateIndividualFields"))],
)];
const ALL_ITEM_DATA: &[(&str, &[Condition])] = &[(
    "aggregate",
    &[Condition::Is(Literal::String("aggregateAllItemData"))],
)];

/// One `fieldsToAggregate.fieldToAggregate` entry (also Item Lists' aggregate operation).
pub(super) const FIELD_TO_AGGREGATE: &[Parameter] = &[
    Parameter::new(
        "fieldToAggregate",
        "Input Field Name",
        ParameterKind::String,
    )
    .describe("The name of a field in the input items to aggregate together"),
    Parameter::new("renameField", "Rename Field", ParameterKind::Boolean)
        .default(Literal::Bool(false))
        .describe("Whether to give the field a different name in the output"),
    Parameter::new(
        "outputFieldName",
        "Output Field Name",
        ParameterKind::String,
    )
    .show(&[("renameField", &[Condition::Is(Literal::Bool(true))])])
    .describe("The name of the field to put the aggregated data in"),
];

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.aggregate",
    display_name: "Aggregate",
    description: "Combine a field from many items into a list in a single item",
    versions: &[1.0],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "aggregate",
            "Aggregate",
            ParameterKind::Options(&[
                Choice::new(
                    "Individual Fields",
                    Literal::String("aggregateIndividualFields"),
                ),
                Choice::new(
                    "All Item Data (Into a Single List)",
                    Literal::String("aggregateAllItemData"),
                ),
            ]),
        )
        .default(Literal::String("aggregateIndividualFields")),
        Parameter::new(
            "fieldsToAggregate",
            "Fields To Aggregate",
            ParameterKind::FixedCollection {
                multiple: true,
                groups: &[Group {
                    name: "fieldToAggregate",
                    display_name: "Field To Aggregate",
                    values: FIELD_TO_AGGREGATE,
                }],
            },
        )
        .default(Literal::Object(&[(
            "fieldToAggregate",
            Literal::Array(&[Literal::Object(&[
                ("fieldToAggregate", Literal::String("")),
                ("renameField", Literal::Bool(false)),
            ])]),
        )]))
        .show(INDIVIDUAL),
        Parameter::new(
            "destinationFieldName",
            "Put Output in Field",
            ParameterKind::String,
        )
        .default(Literal::String("data"))
        .show(ALL_ITEM_DATA)
        .describe("The name of the output field to put the data in"),
        Parameter::new(
            "include",
            "Include",
            ParameterKind::Options(&[
                Choice::new("All Fields", Literal::String("allFields")),
                Choice::new("Specified Fields", Literal::String("specifiedFields")),
                Choice::new("All Fields Except", Literal::String("allFieldsExcept")),
            ]),
        )
        .default(Literal::String("allFields"))
        .show(ALL_ITEM_DATA),
        Parameter::new("fieldsToExclude", "Fields To Exclude", ParameterKind::String).show(&[
            (
                "aggregate",
                &[Condition::Is(Literal::String("aggregateAllItemData"))],
            ),
            ("include", &[Condition::Is(Literal::String("allFieldsExcept"))]),
        ]),
        Parameter::new("fieldsToInclude", "Fields To Include", ParameterKind::String).show(&[
            (
                "aggregate",
                &[Condition::Is(Literal::String("aggregateAllItemData"))],
            ),
            ("include", &[Condition::Is(Literal::String("specifiedFields"))]),
        ]),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                Parameter::new(
                    "disableDotNotation",
                    "Disable Dot Notation",
                    ParameterKind::Boolean,
                )
                .default(Literal::Bool(false))
                .hide(ALL_ITEM_DATA_FROM_OPTIONS)
                .describe("Whether to disallow referencing child fields using `parent.child` in the field name"),
                Parameter::new("mergeLists", "Merge Lists", ParameterKind::Boolean)
                    .default(Literal::Bool(false))
                    .hide(ALL_ITEM_DATA_FROM_OPTIONS)
                    .describe("Whether to merge the output into a single flat list, if the field to aggregate is a list"),
                Parameter::new("includeBinaries", "Include Binaries", ParameterKind::Boolean)
                    .default(Literal::Bool(false))
                    .describe("Whether to include the binary data in the new item"),
                Parameter::new(
                    "keepOnlyUnique",
                    "Keep Only Unique Binaries",
                    ParameterKind::Boolean,
                )
                .default(Literal::Bool(false))
                .show(&[("includeBinaries", &[Condition::Is(Literal::Bool(true))])])
                .describe("Whether to keep only unique binaries by comparing mime types, file types, file sizes and file extensions"),
                Parameter::new(
                    "keepMissing",
                    "Keep Missing And Null Values",
                    ParameterKind::Boolean,
                )
                .default(Literal::Bool(false))
                .hide(ALL_ITEM_DATA_FROM_OPTIONS)
                .describe("Whether to add a null entry to the aggregated list when there is a missing or null value"),
            ]),
        )
        .default(Literal::Object(&[])),
    ],
    credentials: &[],
};

/// The options' `hide` on the top-level `aggregate` (n8n's `/aggregate`).
const ALL_ITEM_DATA_FROM_OPTIONS: &[(&str, &[Condition])] = &[(
    "/aggregate",
    &[Condition::Is(Literal::String("aggregateAllItemData"))],
)];

#[async_trait]
impl Node for Aggregate {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let items = ctx.input();
        let flag = |name: &str| -> Result<bool, NodeError> {
            Ok(ctx.optional_parameter(&format!("options.{name}"), 0)? == Some(Value::Bool(true)))
        };
        let mode = ctx
            .optional_parameter("aggregate", 0)?
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default();
        let mut output = if mode == "aggregateIndividualFields" {
            let fields = fields_to_aggregate(ctx)?;
            let options = FieldOptions {
                dot_notation: !flag("disableDotNotation")?,
                merge_lists: flag("mergeLists")?,
                keep_missing: flag("keepMissing")?,
                require_found: false,
            };
            aggregate_fields(items, &fields, &options)?
        } else {
            let destination: String = ctx.parameter_as("destinationFieldName", 0)?;
            let exclude = fields_list(
                ctx.optional_parameter("fieldsToExclude", 0)?,
                "Fields To Exclude",
            )?;
            let include = fields_list(
                ctx.optional_parameter("fieldsToInclude", 0)?,
                "Fields To Include",
            )?;
            aggregate_all(items, &destination, &include, &exclude, true)
        };
        if flag("includeBinaries")? {
            add_binaries(&mut output, items, flag("keepOnlyUnique")?);
        }
        out.emit(0, [output]).await
    }
}

register_node!(Aggregate);

/// One `fieldsToAggregate.fieldToAggregate` entry.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct FieldToAggregate {
    field_to_aggregate: String,
    rename_field: bool,
    output_field_name: Option<String>,
}

/// The options of `aggregateIndividualFields`.
#[derive(Debug, Default)]
pub(super) struct FieldOptions {
    pub dot_notation: bool,
    pub merge_lists: bool,
    pub keep_missing: bool,
    /// Item Lists 1 and 2: a blank field name, or a field no item has (unless `keep_missing`),
    /// stops the node.
    pub require_found: bool,
}

/// The `fieldsToAggregate.fieldToAggregate` entries, read from item 0.
pub(super) fn fields_to_aggregate(
    ctx: &NodeContext<'_>,
) -> Result<Vec<FieldToAggregate>, NodeError> {
    match ctx.optional_parameter("fieldsToAggregate.fieldToAggregate", 0)? {
        Some(value) => serde_json::from_value(value).map_err(|error| {
            NodeError::operation(format!(
                "Parameter \"fieldsToAggregate.fieldToAggregate\" has the wrong type: {error}"
            ))
            .with_description("hint: give each entry a fieldToAggregate text")
        }),
        None => Ok(Vec::new()),
    }
}

/// One item paired to `items[index]` for each of `indexes`.
fn item_from(json: Map<String, Value>, indexes: impl Iterator<Item = usize>) -> Item {
    Item {
        json,
        paired_item: Some(PairedItems::Many(indexes.map(PairedItem::new).collect())),
        ..Item::default()
    }
}

/// The one item `aggregateIndividualFields` makes of `items`.
pub(super) fn aggregate_fields(
    items: &[Item],
    fields: &[FieldToAggregate],
    options: &FieldOptions,
) -> Result<Item, NodeError> {
    if fields.is_empty() {
        return Err(NodeError::operation("No fields specified")
            .with_description("Please add a field to aggregate"));
    }
    if options.require_found {
        check_found(items, fields, options)?;
    }
    let mut output_fields: Vec<Option<&str>> = Vec::new();
    let mut values: Map<String, Value> = Map::new();
    for entry in fields {
        let input_name = entry.field_to_aggregate.as_str();
        let output_field = if entry.rename_field {
            entry.output_field_name.as_deref()
        } else {
            Some(input_name)
        };
        if output_fields.contains(&output_field) {
            return Err(NodeError::operation(format!(
                "The '{}' output field is used more than once",
                output_field.unwrap_or("undefined")
            ))
            .with_description("Please make sure each output field name is unique"));
        }
        output_fields.push(output_field);
        if input_name.is_empty() {
            continue;
        }
        let name = match entry.output_field_name.as_deref() {
            Some(name) if !name.is_empty() => name,
            _ if options.dot_notation => input_name.rsplit('.').next().unwrap_or(input_name),
            _ => input_name,
        };
        let mut list = Vec::new();
        for item in items {
            let value = field(&item.json, input_name, options.dot_notation);
            let value = match value {
                Some(Value::Array(elements)) if !options.keep_missing => Value::Array(
                    elements
                        .iter()
                        .filter(|element| !element.is_null())
                        .cloned()
                        .collect(),
                ),
                None | Some(Value::Null) if !options.keep_missing => continue,
                other => other.cloned().unwrap_or(Value::Null),
            };
            match value {
                Value::Array(elements) if options.merge_lists => list.extend(elements),
                other => list.push(other),
            }
        }
        values.insert(name.to_owned(), Value::Array(list));
    }
    let mut json = Map::new();
    for (name, list) in values {
        if options.dot_notation {
            set_path(&mut json, &name, list)?;
        } else {
            json.insert(name, list);
        }
    }
    Ok(item_from(json, 0..items.len()))
}

/// Item Lists 1 and 2.0: every field to aggregate must be named and found in some item.
fn check_found(
    items: &[Item],
    fields: &[FieldToAggregate],
    options: &FieldOptions,
) -> Result<(), NodeError> {
    for entry in fields {
        let name = entry.field_to_aggregate.as_str();
        if name.is_empty() && !items.is_empty() {
            return Err(NodeError::operation("Field to aggregate is blank")
                .with_description("Please add a field to aggregate"));
        }
        let found = items
            .iter()
            .any(|item| field(&item.json, name, options.dot_notation).is_some());
        let missing = || {
            NodeError::operation(format!(
                "Couldn't find the field '{name}' in the input data"
            ))
        };
        if !found && !options.dot_notation && name.contains('.') {
            return Err(missing().with_description(NESTED_FIELD_HINT));
        }
        if !found && !options.keep_missing {
            return Err(missing());
        }
    }
    Ok(())
}

/// The one item `aggregateAllItemData` makes of `items`, paired to the items it holds unless
/// `paired` is false (Item Lists 1 leaves the pairing to the executor).
pub(super) fn aggregate_all(
    items: &[Item],
    destination: &str,
    include: &[String],
    exclude: &[String],
    paired: bool,
) -> Item {
    let mut rows = Vec::new();
    let mut sources = Vec::new();
    for (index, item) in items.iter().enumerate() {
        if include.is_empty() && exclude.is_empty() {
            rows.push(Value::Object(item.json.clone()));
            sources.push(index);
            continue;
        }
        let row: Map<String, Value> = item
            .json
            .iter()
            .filter(|(key, _)| !exclude.contains(key))
            .filter(|(key, _)| include.is_empty() || include.contains(key))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        if !row.is_empty() {
            rows.push(Value::Object(row));
            sources.push(index);
        }
    }
    let json = Map::from_iter([(destination.to_owned(), Value::Array(rows))]);
    if !paired {
        return Item {
            json,
            ..Item::default()
        };
    }
    item_from(json, sources.into_iter())
}

/// n8n's `addBinariesToItem` over the items `output` is paired to.
pub(super) fn add_binaries(output: &mut Item, items: &[Item], unique_only: bool) {
    let sources = output.paired_indexes();
    let mut seen: Vec<[Option<Value>; 4]> = Vec::new();
    for binaries in sources
        .iter()
        .filter_map(|&index| items.get(index)?.binary.as_ref())
    {
        for (key, binary) in binaries {
            if unique_only {
                let identity = binary_identity(binary);
                if seen.contains(&identity) {
                    continue;
                }
                seen.push(identity);
            }
            let target = output.binary.get_or_insert_with(BTreeMap::new);
            let mut name = key.clone();
            let mut suffix = 1;
            while target.contains_key(&name) {
                name = format!("{key}_{suffix}");
                suffix += 1;
            }
            target.insert(name, binary.clone());
        }
    }
}

/// What `keepOnlyUnique` compares: mime type, file type, file size and extension.
fn binary_identity(binary: &BinaryData) -> [Option<Value>; 4] {
    [
        Some(Value::String(binary.mime_type.clone())),
        binary.other.get("fileType").cloned(),
        binary.other.get("fileSize").cloned(),
        binary.file_extension.clone().map(Value::String),
    ]
}

#[cfg(test)]
mod tests;
