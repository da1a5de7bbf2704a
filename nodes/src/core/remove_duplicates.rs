//! Remove Duplicates (`n8n-nodes-base.removeDuplicates`, typeVersions 1, 1.1 and 2): drops the
//! input items whose compared fields equal those of an earlier item, keeping the first of each
//! group in input order.
//!
//! `compare` picks the fields: `allFields` (every leaf path of every item, or the top-level
//! keys with `options.disableDotNotation`), `allFieldsExcept` (the first item's fields minus
//! `fieldsToExclude`) or `selectedFields` (`fieldsToCompare`). As n8n does, the items are sorted
//! by those fields (lodash `isEqual`/`lt` under V8's sort), checked (every field present, one
//! type per field; typeVersion 1.1 and later skip nulls) and neighbours compared; with
//! `options.removeOtherFields` only the compared fields are kept. Version 2's `operation`
//! `removeDuplicateInputItems` is the same; its operations across executions
//! (`dedupe_history`) keep their history in the runtime's store.

use std::collections::HashSet;

use async_trait::async_trait;
use serde_json::{Map, Value};

use crate::description::{
    Choice, Condition, Literal, NodeDescription, Parameter, ParameterKind, VERSION_KEY,
};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

use super::conditions::js::type_of;
use super::dedupe_history;
use super::js_sort::js_sort;
use super::lodash::{
    NESTED_FIELD_HINT, field, fields_list, flattened_keys, is_equal, js_key_order, lt, pick,
};

/// The Remove Duplicates node.
pub struct RemoveDuplicates;

const INPUT_ITEMS: &str = "removeDuplicateInputItems";
const SEEN_BEFORE: &str = "removeItemsSeenInPreviousExecutions";
const CLEAR_HISTORY: &str = "clearDeduplicationHistory";
const ALREADY_SEEN: &str = "removeItemsWithAlreadySeenKeyValues";

const COMPARE_CHOICES: &[Choice] = &[
    Choice::new("All Fields", Literal::String("allFields")),
    Choice::new("All Fields Except", Literal::String("allFieldsExcept")),
    Choice::new("Selected Fields", Literal::String("selectedFields")),
];

const V1: &[(&str, &[Condition])] = &[(VERSION_KEY, &[Condition::Lt(2.0)])];
const V1_FIELD_OPTIONS: &[(&str, &[Condition])] = &[
    (VERSION_KEY, &[Condition::Lt(2.0)]),
    (
        "compare",
        &[
            Condition::Is(Literal::String("allFieldsExcept")),
            Condition::Is(Literal::String("selectedFields")),
        ],
    ),
];
const V2: &[(&str, &[Condition])] = &[(VERSION_KEY, &[Condition::Gte(2.0)])];
const V2_INPUT_ITEMS: &[(&str, &[Condition])] = &[
    (VERSION_KEY, &[Condition::Gte(2.0)]),
    ("operation", &[Condition::Is(Literal::String(INPUT_ITEMS))]),
];
const V2_SEEN_BEFORE: &[(&str, &[Condition])] = &[
    (VERSION_KEY, &[Condition::Gte(2.0)]),
    ("operation", &[Condition::Is(Literal::String(SEEN_BEFORE))]),
];

/// The options every version has; version 2 adds the history ones.
const FIELD_OPTIONS: [Parameter; 2] = [
    Parameter::new(
        "disableDotNotation",
        "Disable Dot Notation",
        ParameterKind::Boolean,
    )
    .default(Literal::Bool(false))
    .describe(
        "Whether to disallow referencing child fields using `parent.child` in the field name",
    ),
    Parameter::new(
        "removeOtherFields",
        "Remove Other Fields",
        ParameterKind::Boolean,
    )
    .default(Literal::Bool(false))
    .describe("Whether to remove any fields that are not being compared"),
];

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.removeDuplicates",
    display_name: "Remove Duplicates",
    description: "Delete items with matching field values",
    versions: &[1.0, 1.1, 2.0],
    versioned: true,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "operation",
            "Operation",
            ParameterKind::Options(&[
                Choice::new(
                    "Remove Items Repeated Within Current Input",
                    Literal::String(INPUT_ITEMS),
                ),
                Choice::new(
                    "Remove Items Processed in Previous Executions",
                    Literal::String(SEEN_BEFORE),
                ),
                Choice::new(
                    "Clear Deduplication History",
                    Literal::String(CLEAR_HISTORY),
                ),
            ]),
        )
        .default(Literal::String(INPUT_ITEMS))
        .no_data_expression()
        .show(V2),
        Parameter::new(
            "compare",
            "Compare",
            ParameterKind::Options(COMPARE_CHOICES),
        )
        .default(Literal::String("allFields"))
        .show(V1)
        .describe("The fields of the input items to compare to see if they are the same"),
        Parameter::new(
            "compare",
            "Compare",
            ParameterKind::Options(COMPARE_CHOICES),
        )
        .default(Literal::String("allFields"))
        .show(V2_INPUT_ITEMS)
        .describe("The fields of the input items to compare to see if they are the same"),
        Parameter::new(
            "fieldsToExclude",
            "Fields To Exclude",
            ParameterKind::String,
        )
        .show(&[(
            "compare",
            &[Condition::Is(Literal::String("allFieldsExcept"))],
        )])
        .describe("Fields in the input to exclude from the comparison"),
        Parameter::new(
            "fieldsToCompare",
            "Fields To Compare",
            ParameterKind::String,
        )
        .show(&[(
            "compare",
            &[Condition::Is(Literal::String("selectedFields"))],
        )])
        .describe("Fields in the input to add to the comparison"),
        Parameter::new(
            "logic",
            "Keep Items Where",
            ParameterKind::Options(&[
                Choice::new("Value Is New", Literal::String(ALREADY_SEEN)),
                Choice::new(
                    "Value Is Higher than Any Previous Value",
                    Literal::String("removeItemsUpToStoredIncrementalKey"),
                ),
                Choice::new(
                    "Value Is a Date Later than Any Previous Date",
                    Literal::String("removeItemsUpToStoredDate"),
                ),
            ]),
        )
        .default(Literal::String(ALREADY_SEEN))
        .no_data_expression()
        .show(V2_SEEN_BEFORE),
        Parameter::new("dedupeValue", "Value to Dedupe On", ParameterKind::String)
            .required()
            .show(&[
                (VERSION_KEY, &[Condition::Gte(2.0)]),
                ("operation", &[Condition::Is(Literal::String(SEEN_BEFORE))]),
                ("logic", &[Condition::Is(Literal::String(ALREADY_SEEN))]),
            ]),
        Parameter::new(
            "incrementalDedupeValue",
            "Value to Dedupe On",
            ParameterKind::Number,
        )
        .default(Literal::String(""))
        .show(&[
            (VERSION_KEY, &[Condition::Gte(2.0)]),
            ("operation", &[Condition::Is(Literal::String(SEEN_BEFORE))]),
            (
                "logic",
                &[Condition::Is(Literal::String(
                    "removeItemsUpToStoredIncrementalKey",
                ))],
            ),
        ]),
        Parameter::new(
            "dateDedupeValue",
            "Value to Dedupe On",
            ParameterKind::DateTime,
        )
        .default(Literal::String(""))
        .show(&[
            (VERSION_KEY, &[Condition::Gte(2.0)]),
            ("operation", &[Condition::Is(Literal::String(SEEN_BEFORE))]),
            (
                "logic",
                &[Condition::Is(Literal::String("removeItemsUpToStoredDate"))],
            ),
        ]),
        Parameter::new(
            "mode",
            "Mode",
            ParameterKind::Options(&[Choice::new(
                "Clean Database",
                Literal::String("cleanDatabase"),
            )]),
        )
        .default(Literal::String("cleanDatabase"))
        .show(&[
            (VERSION_KEY, &[Condition::Gte(2.0)]),
            (
                "operation",
                &[Condition::Is(Literal::String(CLEAR_HISTORY))],
            ),
        ]),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&FIELD_OPTIONS),
        )
        .default(Literal::Object(&[]))
        .show(V1_FIELD_OPTIONS),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                FIELD_OPTIONS[0],
                FIELD_OPTIONS[1],
                Parameter::new(
                    "scope",
                    "Scope",
                    ParameterKind::Options(&[
                        Choice::new("Workflow", Literal::String("workflow")),
                        Choice::new("Node", Literal::String("node")),
                    ]),
                )
                .default(Literal::String("node")),
                Parameter::new("historySize", "History Size", ParameterKind::Number)
                    .default(Literal::Number(10000.0)),
            ]),
        )
        .default(Literal::Object(&[]))
        .show(V2),
    ],
    credentials: &[],
};

#[async_trait]
impl Node for RemoveDuplicates {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    /// Removing items seen in earlier executions gives the kept and the discarded items.
    fn outputs(&self, version: f64, parameters: &Value) -> usize {
        if version >= 2.0 && parameters["operation"].as_str() == Some(SEEN_BEFORE) {
            2
        } else {
            1
        }
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let items = ctx.input();
        if items.is_empty() {
            return out.emit(0, Vec::new()).await;
        }
        if ctx.node().type_version >= 2.0 {
            match ctx
                .optional_parameter("operation", 0)?
                .as_ref()
                .and_then(Value::as_str)
            {
                Some(SEEN_BEFORE) => {
                    let (kept, discarded) = dedupe_history::remove_seen(ctx)?;
                    out.emit(0, kept).await?;
                    return out.emit(1, discarded).await;
                }
                Some(CLEAR_HISTORY) => {
                    dedupe_history::clear(ctx)?;
                    return out.emit(0, items.to_vec()).await;
                }
                _ => {}
            }
        }
        let flag = |name: &str| -> Result<bool, NodeError> {
            Ok(ctx.optional_parameter(name, 0)? == Some(Value::Bool(true)))
        };
        let compare = match ctx.optional_parameter("compare", 0)? {
            Some(Value::String(compare)) => compare,
            _ => "allFields".to_owned(),
        };
        let dedupe = Dedupe {
            fields_to_exclude: fields_list(
                ctx.optional_parameter("fieldsToExclude", 0)?,
                "Fields To Exclude",
            )?,
            fields_to_compare: fields_list(
                ctx.optional_parameter("fieldsToCompare", 0)?,
                "Fields To Compare",
            )?,
            compare,
            dot_notation: !flag("options.disableDotNotation")?,
            remove_other_fields: flag("options.removeOtherFields")?,
            skip_nulls: ctx.node().type_version > 1.0,
            check_types: true,
            types_first: false,
        };
        out.emit(0, dedupe.apply(items)?).await
    }
}

register_node!(RemoveDuplicates);

/// What to compare, as the parameters say.
#[derive(Debug)]
pub(super) struct Dedupe {
    pub compare: String,
    pub fields_to_exclude: Vec<String>,
    pub fields_to_compare: Vec<String>,
    pub dot_notation: bool,
    pub remove_other_fields: bool,
    /// typeVersion 1.1 and later: a null value passes the checks, and a type that varies names
    /// the two items.
    pub skip_nulls: bool,
    /// Whether a field whose type varies between items stops the node (all but Item Lists 3.1).
    pub check_types: bool,
    /// Item Lists 3.1: the sort orders values by their type first (n8n's `typeToNumber`).
    pub types_first: bool,
}

impl Dedupe {
    /// The items left once duplicates are removed (`items` is not empty).
    pub fn apply(&self, items: &[Item]) -> Result<Vec<Item>, NodeError> {
        let keys = self.keys(items)?;
        // Each item's values of the keys, read once; the sort then orders indexes.
        let rows: Vec<Vec<Option<&Value>>> = items
            .iter()
            .map(|item| keys.iter().map(|key| self.value(&item.json, key)).collect())
            .collect();
        let mut order: Vec<usize> = (0..items.len()).collect();
        js_sort(&mut order, |&a, &b| {
            compare_rows(&rows[a], &rows[b], self.types_first)
        });
        self.check(&rows, &order, &keys)?;
        let mut removed = HashSet::new();
        let mut first = order[0];
        for &index in &order[1..] {
            let same = rows[index]
                .iter()
                .zip(&rows[first])
                .all(|(left, right)| is_equal(*left, *right));
            if same {
                removed.insert(index);
            } else {
                first = index;
            }
        }
        let kept = items
            .iter()
            .enumerate()
            .filter(|(index, _)| !removed.contains(index))
            .map(|(_, item)| item);
        Ok(if self.remove_other_fields {
            kept.enumerate()
                .map(|(position, item)| Item::new(pick(&item.json, &keys), position))
                .collect()
        } else {
            kept.cloned().collect()
        })
    }

    fn value<'v>(&self, json: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
        field(json, key, self.dot_notation)
    }

    fn keys_of(&self, item: &Item) -> Vec<String> {
        if self.dot_notation {
            flattened_keys(&item.json)
        } else {
            js_key_order(item.json.keys().cloned().collect())
        }
    }

    /// The fields compared.
    fn keys(&self, items: &[Item]) -> Result<Vec<String>, NodeError> {
        match self.compare.as_str() {
            "allFieldsExcept" => {
                if self.fields_to_exclude.is_empty() {
                    return Err(NodeError::operation(
                        "No fields specified. Please add a field to exclude from comparison",
                    ));
                }
                let mut keys = if self.dot_notation {
                    self.keys_of(&items[0])
                } else {
                    self.all_keys(items)
                };
                keys.retain(|key| !self.fields_to_exclude.contains(key));
                Ok(keys)
            }
            "selectedFields" => {
                if self.fields_to_compare.is_empty() {
                    return Err(NodeError::operation(
                        "No fields specified. Please add a field to compare on",
                    ));
                }
                Ok(self
                    .fields_to_compare
                    .iter()
                    .map(|key| key.trim().to_owned())
                    .collect())
            }
            _ => Ok(self.all_keys(items)),
        }
    }

    /// Every item's fields, each once, in order of first appearance.
    fn all_keys(&self, items: &[Item]) -> Vec<String> {
        let mut keys = Vec::new();
        let mut seen = HashSet::new();
        for item in items {
            for key in self.keys_of(item) {
                if seen.insert(key.clone()) {
                    keys.push(key);
                }
            }
        }
        keys
    }

    /// n8n's `validateInputData`, over the items in sorted order (its messages name positions
    /// in that order).
    fn check(
        &self,
        rows: &[Vec<Option<&Value>>],
        order: &[usize],
        keys: &[String],
    ) -> Result<(), NodeError> {
        for (column, key) in keys.iter().enumerate() {
            let mut kind: Option<&str> = None;
            for (position, &index) in order.iter().enumerate() {
                if key.is_empty() {
                    return Err(NodeError::operation("Name of field to compare is blank")
                        .with_description("hint: remove the empty name from the list of fields"));
                }
                let value = rows[index][column];
                if value == Some(&Value::Null) && self.skip_nulls {
                    continue;
                }
                let Some(value) = value else {
                    let error = NodeError::operation(format!(
                        "'{key}' field is missing from some input items"
                    ));
                    return Err(if !self.dot_notation && key.contains('.') {
                        error.with_description(NESTED_FIELD_HINT)
                    } else {
                        error
                    });
                };
                let this_kind = type_of(Some(value));
                match kind {
                    Some(earlier) if earlier != this_kind && self.check_types => {
                        let mut description =
                            "The type of this field varies between items".to_owned();
                        if self.skip_nulls {
                            description.push_str(&format!(
                                ", in item [{}] it's a {earlier} and in item [{position}] it's a {this_kind} ",
                                position - 1
                            ));
                        }
                        return Err(NodeError::operation(format!(
                            "'{key}' isn't always the same type"
                        ))
                        .with_description(description));
                    }
                    _ => kind = Some(this_kind),
                }
            }
        }
        Ok(())
    }
}

/// n8n's sort comparator over two items' values: the first field that differs decides, by type
/// first when `types_first`.
fn compare_rows(
    a: &[Option<&Value>],
    b: &[Option<&Value>],
    types_first: bool,
) -> std::cmp::Ordering {
    for (left, right) in a.iter().zip(b) {
        if types_first && type_rank(*left) != type_rank(*right) {
            return type_rank(*left).cmp(&type_rank(*right));
        }
        if !is_equal(*left, *right) {
            return if lt(*left, *right) {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Greater
            };
        }
    }
    std::cmp::Ordering::Equal
}

/// n8n's `typeToNumber`: strings, numbers, booleans, `undefined`, objects, arrays, null.
fn type_rank(value: Option<&Value>) -> u8 {
    match value {
        Some(Value::String(_)) => 1,
        Some(Value::Number(_)) => 2,
        Some(Value::Bool(_)) => 4,
        None => 6,
        Some(Value::Object(_)) => 7,
        Some(Value::Array(_)) => 9,
        Some(Value::Null) => 10,
    }
}

#[cfg(test)]
mod tests;
