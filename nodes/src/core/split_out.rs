//! Split Out (`n8n-nodes-base.splitOut`, typeVersion 1): turns a list inside each input item
//! into one item per element.
//!
//! `fieldToSplitOut` names the field (dot notation unless `options.disableDotNotation`; a
//! comma-separated list, or an expression's array, splits several fields side by side, element
//! by element; `$binary` splits the item's binary properties, one per item). With one field, no
//! destination name and no other fields, an object element becomes the item's fields; anything
//! else goes under the field's name (or its `options.destinationFieldName`). A missing field
//! gives no item, a single value one item. `include` adds none, all (`allOtherFields`, the split
//! fields left out, before the split values) or some (`selectedOtherFields`: each of
//! `fieldsToInclude` set after the split values under its name as written) of the input's other
//! fields; the input's binary data passes with `options.includeBinary`.

use async_trait::async_trait;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::description::{Choice, Condition, Literal, NodeDescription, Parameter, ParameterKind};
use crate::error::NodeError;
use crate::item::{BinaryData, Item};
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

use super::conditions::js::to_js_string;
use super::lodash::NESTED_FIELD_HINT;
use super::paths::{get_path, remove_path};

/// The Split Out node.
pub struct SplitOut;

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.splitOut",
    display_name: "Split Out",
    description: "Turns a list inside items into separate items",
    versions: &[1.0],
    versioned: false,
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
    fn item_wise(&self, _version: f64, _parameters: &Value) -> bool {
        true
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        for (index, input) in ctx.input().iter().enumerate() {
            let split = split_of(ctx, index);
            let items = match &split {
                Ok(split) => split.lazy_items(input, index),
                Err(error) => Err(error.clone()),
            };
            match items {
                // A long list goes on in parts, so a streamed run never holds all its items.
                Ok(mut items) => loop {
                    let part: Vec<Item> = items.by_ref().take(PART).collect();
                    if part.is_empty() {
                        break;
                    }
                    out.emit(0, part).await?;
                },
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
pub(super) struct Split {
    pub fields: Vec<String>,
    pub destinations: Vec<String>,
    pub include: String,
    pub fields_to_include: Vec<String>,
    pub dot_notation: bool,
    pub binary: bool,
    pub rules: SplitRules,
}

/// How strict a version is about the values it splits. Split Out (and Item Lists from
/// typeVersion 2.2) use [`SplitRules::CURRENT`]; Item Lists' older versions stop the node where
/// later ones split what they find.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct SplitRules {
    /// A field an item lacks stops the node instead of giving no item (Item Lists 1 and 2).
    pub missing_refused: bool,
    /// What a field's value must be to be split.
    pub splittable: Splittable,
    /// Whether the field `$binary` splits the item's binary properties (Item Lists 3).
    pub binary_field: bool,
    /// Item Lists 1: the selected other fields come before the split value, and the split field
    /// itself is never among them.
    pub selected_first: bool,
}

/// The values a version splits; any other value stops the node.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Splittable {
    /// A list's elements, an object's values, any other value as one element.
    Anything,
    /// Lists and objects (Item Lists 2 and 2.1: "is not an array or object").
    ListsAndObjects,
    /// Lists only (Item Lists 1: "is not an array").
    Lists,
}

impl SplitRules {
    /// Split Out's rules.
    pub const CURRENT: SplitRules = SplitRules {
        missing_refused: false,
        splittable: Splittable::Anything,
        binary_field: true,
        selected_first: false,
    };
}

/// The items Split Out emits at once, at most: a long list's items go on in parts of this many.
const PART: usize = 1000;

/// What the parameters say to split for input item `index`.
fn split_of(ctx: &NodeContext<'_>, index: usize) -> Result<Split, NodeError> {
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
    let fields = field_list(
        ctx.parameter("fieldToSplitOut", index)?,
        "Fields To Split Out",
    )?;
    let include = text("include")?;
    let fields_to_include = if include == "selectedOtherFields" {
        let list = ctx.optional_parameter("fieldsToInclude", index)?;
        field_list(list.unwrap_or_default(), "Fields To Include")?
    } else {
        Vec::new()
    };
    Ok(Split {
        fields: fields
            .into_iter()
            .map(|field| {
                field
                    .strip_prefix("$json.")
                    .map_or(field.clone(), str::to_owned)
            })
            .collect(),
        destinations: names(&text("options.destinationFieldName")?),
        include,
        fields_to_include,
        dot_notation: !flag("disableDotNotation")?,
        binary: flag("includeBinary")?,
        rules: SplitRules::CURRENT,
    })
}

/// n8n's `prepareFieldsArray`: a comma-separated text's non-empty trimmed names, or an array's
/// elements as text; anything else is refused.
pub(super) fn field_list(value: Value, label: &str) -> Result<Vec<String>, NodeError> {
    match value {
        Value::String(text) => Ok(names(&text)),
        Value::Null => Ok(Vec::new()),
        Value::Array(elements) => Ok(elements
            .iter()
            .map(|element| to_js_string(Some(element)))
            .collect()),
        _ => Err(NodeError::operation(format!(
            "The '{label}' parameter must be a string of fields separated by commas or an array of strings."
        ))),
    }
}

/// The non-empty, trimmed names of a comma-separated list.
pub(super) fn names(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The field that splits the item's binary properties.
const BINARY_FIELD: &str = "$binary";

/// One output item in the making.
#[derive(Default)]
struct Row {
    json: Map<String, Value>,
    binary: Option<BTreeMap<String, BinaryData>>,
}

impl Split {
    /// The items for `input`: element `n` of every split field goes into item `n`.
    pub fn items(&self, input: &Item, index: usize) -> Result<Vec<Item>, NodeError> {
        Ok(self.lazy_items(input, index)?.collect())
    }

    /// The items for `input`, made as they are taken. Splitting one field reads its elements
    /// one at a time, so a list of a million gives its items without a copy of the list.
    pub fn lazy_items<'s>(
        &'s self,
        input: &'s Item,
        index: usize,
    ) -> Result<Box<dyn Iterator<Item = Item> + Send + 's>, NodeError> {
        if !self.destinations.is_empty() && self.destinations.len() != self.fields.len() {
            return Err(NodeError::operation(
                "If multiple fields to split out are given, the same number of destination \
                 fields must be given",
            )
            .with_description("hint: give one destination name per field, separated by commas"));
        }
        let single = match self.fields.as_slice() {
            [field] if !(field == BINARY_FIELD && self.rules.binary_field) => field,
            _ => return Ok(Box::new(self.row_items(input, index)?.into_iter())),
        };
        let elements = self.elements(input, single)?;
        self.check_included_fields(!elements.is_empty())?;
        let name = self.destinations.first().unwrap_or(single);
        let spread = self.destinations.is_empty() && self.include == "noOtherFields";
        Ok(Box::new(elements.into_iter().map(move |element| {
            let mut json = Map::new();
            put(&mut json, element.clone(), name, spread);
            self.item(input, index, json, None)
        })))
    }

    /// The items of several split fields (or of the item's binary properties): element `n` of
    /// every field goes into item `n`.
    fn row_items(&self, input: &Item, index: usize) -> Result<Vec<Item>, NodeError> {
        let several = self.fields.len() > 1;
        let mut rows: Vec<Row> = Vec::new();
        for (position, field) in self.fields.iter().enumerate() {
            let destination = self.destinations.get(position);
            if field == BINARY_FIELD && self.rules.binary_field {
                let binaries = input.binary.iter().flatten();
                for (row, (name, data)) in binaries.enumerate() {
                    row_at(&mut rows, row)
                        .binary
                        .get_or_insert_with(BTreeMap::new)
                        .insert(name.clone(), data.clone());
                }
                continue;
            }
            let name = destination.unwrap_or(field);
            let spread = destination.is_none() && !several && self.include == "noOtherFields";
            let elements = self.elements(input, field)?;
            for (row, element) in elements.into_iter().enumerate() {
                put(
                    &mut row_at(&mut rows, row).json,
                    element.clone(),
                    name,
                    spread,
                );
            }
        }
        self.check_included_fields(!rows.is_empty())?;
        Ok(rows
            .into_iter()
            .map(|row| self.item(input, index, row.json, row.binary))
            .collect())
    }

    /// Selected other fields need a field to select, once there is an item to put them in.
    fn check_included_fields(&self, any_item: bool) -> Result<(), NodeError> {
        if self.include == "selectedOtherFields" && any_item && self.fields_to_include.is_empty() {
            return Err(NodeError::operation("No fields specified")
                .with_description("Please add a field to include"));
        }
        Ok(())
    }

    /// One output item: the split values with the other fields kept, and the binary.
    fn item(
        &self,
        input: &Item,
        index: usize,
        split: Map<String, Value>,
        binary: Option<BTreeMap<String, BinaryData>>,
    ) -> Item {
        let mut item = Item::new(self.with_other_fields(input, split), index);
        item.binary = binary;
        if self.binary && item.binary.is_none() {
            item.binary = input.binary.clone();
        }
        item
    }

    /// The value of `field` in the input: a lodash path unless dot notation is off.
    fn value<'i>(&self, input: &'i Item, field: &str) -> Option<&'i Value> {
        if self.dot_notation {
            get_path(&input.json, field)
        } else {
            input.json.get(field)
        }
    }

    /// The elements of `field`: a list's elements, an object's values, or the single value, as
    /// far as the version's rules allow.
    fn elements<'i>(&self, input: &'i Item, field: &str) -> Result<Vec<&'i Value>, NodeError> {
        let refused = |message: String| Err(NodeError::operation(message));
        match (self.value(input, field), self.rules.splittable) {
            (None, _) if self.rules.missing_refused => {
                let error = NodeError::operation(format!(
                    "Couldn't find the field '{field}' in the input data"
                ));
                Err(if !self.dot_notation && field.contains('.') {
                    error.with_description(NESTED_FIELD_HINT)
                } else {
                    error
                })
            }
            (None, _) => Ok(Vec::new()),
            (Some(Value::Array(list)), _) => Ok(list.iter().collect()),
            (Some(_), Splittable::Lists) => {
                refused(format!("The provided field '{field}' is not an array"))
            }
            (Some(Value::Object(fields)), _) => Ok(fields.values().collect()),
            (Some(_), Splittable::ListsAndObjects) => refused(format!(
                "The provided field '{field}' is not an array or object"
            )),
            (Some(other), Splittable::Anything) => Ok(vec![other]),
        }
    }

    /// A row's split values with the input's other fields that `include` keeps.
    fn with_other_fields(&self, input: &Item, split: Map<String, Value>) -> Map<String, Value> {
        match self.include.as_str() {
            "selectedOtherFields" if self.rules.selected_first => {
                let mut json = Map::new();
                for name in &self.fields_to_include {
                    if let Some(value) = self
                        .value(input, name)
                        .filter(|_| !self.fields.contains(name))
                    {
                        json.insert(name.clone(), value.clone());
                    }
                }
                json.extend(split);
                json
            }
            "allOtherFields" => {
                let mut json = input.json.clone();
                for field in &self.fields {
                    if self.dot_notation {
                        remove_path(&mut json, field);
                    } else {
                        json.shift_remove(field);
                    }
                }
                json.extend(split);
                json
            }
            "selectedOtherFields" => {
                let mut json = split;
                for name in &self.fields_to_include {
                    match self.value(input, name) {
                        Some(value) => json.insert(name.clone(), value.clone()),
                        None => json.shift_remove(name), // set to undefined, which JSON leaves out
                    };
                }
                json
            }
            _ => split,
        }
    }
}

/// Puts one split element into an item's json: spread into it (an object's fields, or an
/// array's indexes as JavaScript's `{ ...element }` makes them), or under `name`.
fn put(json: &mut Map<String, Value>, element: Value, name: &str, spread: bool) {
    match element {
        Value::Object(fields) if spread => json.extend(fields),
        Value::Array(values) if spread => json.extend(
            values
                .into_iter()
                .enumerate()
                .map(|(index, value)| (index.to_string(), value)),
        ),
        other => {
            json.insert(name.to_owned(), other);
        }
    }
}

/// Row `at`, the rows before it made as needed.
fn row_at(rows: &mut Vec<Row>, at: usize) -> &mut Row {
    if rows.len() <= at {
        rows.resize_with(at + 1, Row::default);
    }
    &mut rows[at]
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
            rules: SplitRules::CURRENT,
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
    fn an_array_element_spreads_its_indexes_as_javascripts_spread_does() {
        let item = Item::new(
            serde_json::from_value(json!({ "rows": [["a", "b"], ["c"], 7] })).unwrap(),
            0,
        );
        let items = split("rows", "noOtherFields").items(&item, 0).unwrap();
        assert_eq!(
            jsons(items),
            json!([{ "0": "a", "1": "b" }, { "0": "c" }, { "rows": 7 }])
        );
        let mut renamed = split("rows", "noOtherFields");
        renamed.destinations = names("row");
        assert_eq!(
            jsons(renamed.items(&item, 0).unwrap()),
            json!([{ "row": ["a", "b"] }, { "row": ["c"] }, { "row": 7 }])
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
            json!([{ "tags": "x", "keep": 1 }, { "tags": "y", "keep": 1 }])
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

    fn with_binary() -> Item {
        let mut item = input();
        item.binary = serde_json::from_value(json!({
            "a": { "data": "aGk=", "mimeType": "text/plain" },
            "b": { "data": "aG8=", "mimeType": "text/plain" }
        }))
        .unwrap();
        item
    }

    #[test]
    fn split_out_v1_options_table() {
        // (fields, include, fields to include, destinations, dot notation, include binary,
        //  the items' json, whether each item has binary data)
        let cases = [
            (
                "people",
                "noOtherFields",
                "",
                "",
                true,
                false,
                json!([{ "name": "A" }, { "name": "B" }]),
                vec![false, false],
            ),
            (
                "people",
                "noOtherFields",
                "",
                "person",
                true,
                false,
                json!([{ "person": { "name": "A" } }, { "person": { "name": "B" } }]),
                vec![false, false],
            ),
            (
                "people, tags",
                "noOtherFields",
                "",
                "",
                true,
                false,
                json!([{ "people": { "name": "A" }, "tags": "x" }, { "people": { "name": "B" }, "tags": "y" }]),
                vec![false, false],
            ),
            (
                "people",
                "allOtherFields",
                "",
                "",
                true,
                false,
                json!([{ "tags": ["x", "y"], "keep": 1, "drop": 2, "nested": { "list": [1] }, "people": { "name": "A" } },
                    { "tags": ["x", "y"], "keep": 1, "drop": 2, "nested": { "list": [1] }, "people": { "name": "B" } }]),
                vec![false, false],
            ),
            (
                "nested.list",
                "allOtherFields",
                "",
                "n",
                true,
                false,
                json!([{ "people": [{ "name": "A" }, { "name": "B" }], "tags": ["x", "y"], "keep": 1, "drop": 2,
                      "nested": {}, "n": 1 }]),
                vec![false],
            ),
            (
                "tags",
                "selectedOtherFields",
                "nested.list, missing, tags",
                "",
                true,
                false,
                json!([{ "tags": ["x", "y"], "nested.list": [1] }, { "tags": ["x", "y"], "nested.list": [1] }]),
                vec![false, false],
            ),
            (
                "tags",
                "selectedOtherFields",
                "nested.list,keep",
                "",
                false,
                false,
                json!([{ "tags": "x", "keep": 1 }, { "tags": "y", "keep": 1 }]),
                vec![false, false],
            ),
            (
                "nested.list",
                "noOtherFields",
                "",
                "",
                false,
                false,
                json!([]),
                vec![],
            ),
            (
                "keep",
                "noOtherFields",
                "",
                "",
                true,
                true,
                json!([{ "keep": 1 }]),
                vec![true],
            ),
            (
                "$binary",
                "noOtherFields",
                "",
                "",
                true,
                false,
                json!([{}, {}]),
                vec![true, true],
            ),
            (
                "$binary, tags",
                "noOtherFields",
                "",
                "",
                true,
                false,
                json!([{ "tags": "x" }, { "tags": "y" }]),
                vec![true, true],
            ),
        ];
        for (fields, include, to_include, destinations, dot, binary, expected, has_binary) in cases
        {
            let split = Split {
                fields: names(fields),
                destinations: names(destinations),
                include: include.to_owned(),
                fields_to_include: names(to_include),
                dot_notation: dot,
                binary,
                rules: SplitRules::CURRENT,
            };
            let items = split.items(&with_binary(), 0).unwrap();
            let binaries: Vec<bool> = items.iter().map(|item| item.binary.is_some()).collect();
            assert_eq!(jsons(items), expected, "{fields} {include} {to_include}");
            assert_eq!(binaries, has_binary, "{fields} {include}");
        }
        let binary_split = split("$binary", "noOtherFields")
            .items(&with_binary(), 0)
            .unwrap();
        let names_of = |item: &Item| {
            item.binary
                .as_ref()
                .unwrap()
                .keys()
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(
            (names_of(&binary_split[0]), names_of(&binary_split[1])),
            (vec!["a".to_owned()], vec!["b".to_owned()])
        );
    }

    #[test]
    fn bad_field_lists_and_empty_selections_are_refused() {
        assert_eq!(field_list(json!(" a, ,b "), "F").unwrap(), ["a", "b"]);
        assert_eq!(field_list(json!(["a", 1]), "F").unwrap(), ["a", "1"]);
        assert_eq!(
            field_list(json!(5), "Fields To Split Out")
                .unwrap_err()
                .message,
            "The 'Fields To Split Out' parameter must be a string of fields separated by commas or an array of strings."
        );
        let mut none_selected = split("tags", "selectedOtherFields");
        none_selected.fields_to_include.clear();
        let error = none_selected.items(&input(), 0).unwrap_err();
        assert_eq!(
            (error.message.as_str(), error.description.as_deref()),
            ("No fields specified", Some("Please add a field to include"))
        );
        none_selected.fields = names("missing");
        assert!(
            none_selected.items(&input(), 0).unwrap().is_empty(),
            "no rows, so nothing is asked of the selection"
        );
    }
}
