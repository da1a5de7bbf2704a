//! Split Out (`n8n-nodes-base.splitOut`, typeVersion 1): turns a list inside each input item
//! into one item per element.
//!
//! `fieldToSplitOut` names the field (dot notation unless `options.disableDotNotation`; a
//! comma-separated list splits several fields side by side, element by element). Without other
//! fields, an object element becomes the item's fields; anything else goes under the field's
//! name (or `options.destinationFieldName`); a missing field gives no item, a single value one item.
//! `include` adds none, all (`allOtherFields`, the split field left out) or some
//! (`selectedOtherFields` + `fieldsToInclude`) of the input's other fields; binary data passes
//! with `options.includeBinary`.

use async_trait::async_trait;
use serde_json::{Map, Value};

use crate::description::{Choice, Condition, Literal, NodeDescription, Parameter, ParameterKind};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

use super::paths::{copy_path, get_path, remove_path};

/// The Split Out node.
pub struct SplitOut;

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.splitOut",
    display_name: "Split Out",
    description: "Turns a list inside items into separate items",
    versions: &[1.0],
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "fieldToSplitOut",
            "Fields To Split Out",
            ParameterKind::String,
        )
        .required()
        .describe("The field holding the list; several fields separated by commas"),
        Parameter::new(
            "include",
            "Include",
            ParameterKind::Options(&[
                Choice::new("No Other Fields", Literal::String("noOtherFields")),
                Choice::new("All Other Fields", Literal::String("allOtherFields")),
                Choice::new(
                    "Selected Other Fields",
                    Literal::String("selectedOtherFields"),
                ),
            ]),
        ),
        Parameter::new(
            "fieldsToInclude",
            "Fields To Include",
            ParameterKind::String,
        )
        .show(&[(
            "include",
            &[Condition::Is(Literal::String("selectedOtherFields"))],
        )])
        .describe("Comma-separated names of the other fields to keep"),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                Parameter::new(
                    "disableDotNotation",
                    "Disable Dot Notation",
                    ParameterKind::Boolean,
                ),
                Parameter::new(
                    "destinationFieldName",
                    "Destination Field Name",
                    ParameterKind::String,
                )
                .describe("Where each element goes; one name per field split out"),
                Parameter::new("includeBinary", "Include Binary", ParameterKind::Boolean),
            ]),
        ),
    ],
    credentials: &[],
};

#[async_trait]
impl Node for SplitOut {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    /// Item-wise: it splits each input item on its own, pairing the results to it.
    fn item_wise(&self) -> bool {
        true
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        for (index, input) in ctx.input().iter().enumerate() {
            match split_item(ctx, input, index) {
                Ok(items) => out.emit(0, items).await?,
                Err(error) if ctx.continue_on_fail() => {
                    out.emit(0, [Item::failed(error, index)]).await?;
                }
                Err(error) => return Err(error.for_item(index)),
            }
        }
        Ok(())
    }
}

register_node!(SplitOut);

/// What to split and what to keep, as the parameters say for one item.
#[derive(Debug)]
struct Split {
    fields: Vec<String>,
    destinations: Vec<String>,
    include: String,
    fields_to_include: Vec<String>,
    dot_notation: bool,
    binary: bool,
}

fn split_item(ctx: &NodeContext<'_>, input: &Item, index: usize) -> Result<Vec<Item>, NodeError> {
    let text = |name: &str| -> Result<String, NodeError> {
        Ok(ctx
            .optional_parameter(name, index)?
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default())
    };
    let flag = |name: &str| -> Result<bool, NodeError> {
        Ok(ctx
            .optional_parameter(&format!("options.{name}"), index)?
            .and_then(|value| value.as_bool())
            .unwrap_or(false))
    };
    let split = Split {
        fields: text("fieldToSplitOut")?
            .split(',')
            .map(|field| field.trim().trim_start_matches("$json.").to_owned())
            .collect(),
        destinations: names(&text("options.destinationFieldName")?),
        include: text("include")?,
        fields_to_include: names(&text("fieldsToInclude")?),
        dot_notation: !flag("disableDotNotation")?,
        binary: flag("includeBinary")?,
    };
    split.items(input, index)
}

/// The non-empty, trimmed names of a comma-separated list.
fn names(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

impl Split {
    /// The items for `input`: element `n` of every split field goes into item `n`.
    fn items(&self, input: &Item, index: usize) -> Result<Vec<Item>, NodeError> {
        if !self.destinations.is_empty() && self.destinations.len() != self.fields.len() {
            return Err(NodeError::operation(
                "If multiple fields to split out are given, the same number of destination \
                 fields must be given",
            )
            .with_description("hint: give one destination name per field, separated by commas"));
        }
        let mut rows: Vec<Map<String, Value>> = Vec::new();
        for (position, field) in self.fields.iter().enumerate() {
            let destination = self.destinations.get(position).unwrap_or(field);
            for (row, element) in self.elements(input, field).into_iter().enumerate() {
                if rows.len() <= row {
                    rows.push(Map::new());
                }
                match element {
                    Value::Object(fields)
                        if self.destinations.is_empty() && self.include == "noOtherFields" =>
                    {
                        rows[row].extend(fields);
                    }
                    other => {
                        rows[row].insert(destination.clone(), other);
                    }
                }
            }
        }
        Ok(rows
            .into_iter()
            .map(|row| {
                let mut json = self.other_fields(input);
                json.extend(row);
                let mut item = Item::new(json, index);
                if self.binary {
                    item.binary = input.binary.clone();
                }
                item
            })
            .collect())
    }

    /// The elements of `field`: a list's elements, an object's values, or the single value.
    fn elements(&self, input: &Item, field: &str) -> Vec<Value> {
        let value = if self.dot_notation {
            get_path(&input.json, field)
        } else {
            input.json.get(field)
        };
        match value.cloned() {
            None => Vec::new(),
            Some(Value::Array(list)) => list,
            Some(Value::Object(fields)) => fields.into_iter().map(|(_, value)| value).collect(),
            Some(other) => vec![other],
        }
    }

    /// The input's other fields that `include` keeps.
    fn other_fields(&self, input: &Item) -> Map<String, Value> {
        match self.include.as_str() {
            "allOtherFields" => {
                let mut json = input.json.clone();
                for field in &self.fields {
                    if self.dot_notation {
                        remove_path(&mut json, field);
                    } else {
                        json.remove(field);
                    }
                }
                json
            }
            "selectedOtherFields" => {
                let mut json = Map::new();
                for name in &self.fields_to_include {
                    if let Some(value) = get_path(&input.json, name) {
                        copy_path(&mut json, name, value.clone());
                    }
                }
                json
            }
            _ => Map::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn split(fields: &str, include: &str) -> Split {
        Split {
            fields: names(fields),
            destinations: Vec::new(),
            include: include.to_owned(),
            fields_to_include: names("keep"),
            dot_notation: true,
            binary: false,
        }
    }

    fn jsons(items: Vec<Item>) -> Value {
        Value::Array(
            items
                .into_iter()
                .map(|item| Value::Object(item.json))
                .collect(),
        )
    }

    fn input() -> Item {
        Item::new(
            serde_json::from_value(json!({
                "people": [{ "name": "A" }, { "name": "B" }],
                "tags": ["x", "y"],
                "keep": 1,
                "drop": 2,
                "nested": { "list": [1] }
            }))
            .unwrap(),
            0,
        )
    }

    #[test]
    fn objects_become_items_and_values_go_under_the_field() {
        let items = split("people", "noOtherFields").items(&input(), 4).unwrap();
        assert_eq!(items[1].paired_indexes(), vec![4]);
        assert_eq!(jsons(items), json!([{ "name": "A" }, { "name": "B" }]));
        let items = split("tags, nested.list", "noOtherFields")
            .items(&input(), 0)
            .unwrap();
        assert_eq!(
            jsons(items),
            json!([{ "tags": "x", "nested.list": 1 }, { "tags": "y" }])
        );
        assert!(
            split("missing", "noOtherFields")
                .items(&input(), 0)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn other_fields_are_kept_as_asked() {
        let all = split("tags", "allOtherFields").items(&input(), 0).unwrap();
        assert_eq!(
            Value::Object(all[0].json.clone()),
            json!({ "people": [{ "name": "A" }, { "name": "B" }], "keep": 1, "drop": 2,
                    "nested": { "list": [1] }, "tags": "x" })
        );
        let selected = split("tags", "selectedOtherFields")
            .items(&input(), 0)
            .unwrap();
        assert_eq!(
            jsons(selected),
            json!([{ "keep": 1, "tags": "x" }, { "keep": 1, "tags": "y" }])
        );
        let mut renamed = split("tags", "noOtherFields");
        renamed.destinations = names("tag");
        assert_eq!(
            jsons(renamed.items(&input(), 0).unwrap()),
            json!([{ "tag": "x" }, { "tag": "y" }])
        );
        renamed.destinations = names("a,b");
        assert!(renamed.items(&input(), 0).is_err());
    }
}
