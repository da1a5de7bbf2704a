//! Sort (`n8n-nodes-base.sort`, typeVersion 1): changes the order of the input items.
//!
//! `type` `simple` sorts by `sortFieldsUi.sortField` (`fieldName`, `order`), comparing as n8n
//! does: strings lower-cased, lodash's `isEqual` and `lt` (so text against numbers, missing
//! fields and objects are never "less"), through V8's sort ([`super::js_sort`]) so that even such
//! inconsistent comparisons give n8n's order. `random` shuffles (Fisher-Yates, as n8n's
//! `shuffleArray`); `code` runs the `code` parameter as the body of the comparator of
//! `items.sort((a, b) => { … })` in the Code sandbox. Items keep their pairing to the input.

use std::cmp::Ordering;

use async_trait::async_trait;
use rand::Rng;
use serde::Deserialize;
use serde_json::Value;

use crate::description::{
    Choice, Condition, Group, Literal, NodeDescription, Parameter, ParameterKind,
};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;
use crate::script::{ScriptKind, ScriptRequest};

use super::code::{all_items, failure_error};
use super::js_sort::js_sort;
use super::lodash::{NESTED_FIELD_HINT, field, is_equal, lt};

/// The Sort node.
pub struct Sort;

const SIMPLE: &[(&str, &[Condition])] = &[("type", &[Condition::Is(Literal::String("simple"))])];
const CODE: &[(&str, &[Condition])] = &[("type", &[Condition::Is(Literal::String("code"))])];

/// n8n's default comparator code, as its description has it.
const DEFAULT_CODE: &str = "// The two items to compare are in the variables a and b\n\t// Access the fields in a.json and b.json\n\t// Return -1 if a should go before b\n\t// Return 1 if b should go before a\n\t// Return 0 if there's no difference\n\n\tfieldName = 'myField';\n\n\tif (a.json[fieldName] < b.json[fieldName]) {\n\treturn -1;\n\t}\n\tif (a.json[fieldName] > b.json[fieldName]) {\n\treturn 1;\n\t}\n\treturn 0;";

/// One `sortFieldsUi.sortField` entry (also Item Lists' sort operation).
pub(super) const SORT_FIELD: &[Parameter] = &[
    Parameter::new("fieldName", "Field Name", ParameterKind::String)
        .required()
        .describe("The field to sort by"),
    Parameter::new(
        "order",
        "Order",
        ParameterKind::Options(&[
            Choice::new("Ascending", Literal::String("ascending")),
            Choice::new("Descending", Literal::String("descending")),
        ]),
    )
    .default(Literal::String("ascending"))
    .describe("The order to sort by"),
];

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.sort",
    display_name: "Sort",
    description: "Change items order",
    versions: &[1.0],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "type",
            "Type",
            ParameterKind::Options(&[
                Choice::new("Simple", Literal::String("simple")),
                Choice::new("Random", Literal::String("random")),
                Choice::new("Code", Literal::String("code")),
            ]),
        )
        .default(Literal::String("simple"))
        .describe("The type of sorting to perform"),
        Parameter::new(
            "sortFieldsUi",
            "Fields To Sort By",
            ParameterKind::FixedCollection {
                multiple: true,
                groups: &[Group {
                    name: "sortField",
                    display_name: "Sort Field",
                    values: SORT_FIELD,
                }],
            },
        )
        .default(Literal::Object(&[]))
        .show(SIMPLE)
        .describe("The fields of the input items to sort by"),
        Parameter::new("code", "Code", ParameterKind::String)
            .default(Literal::String(DEFAULT_CODE))
            .show(CODE)
            .describe("Javascript code to determine the order of any two items"),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[Parameter::new(
                "disableDotNotation",
                "Disable Dot Notation",
                ParameterKind::Boolean,
            )
            .default(Literal::Bool(false))
            .describe("Whether to disallow referencing child fields using `parent.child` in the field name")]),
        )
        .default(Literal::Object(&[]))
        .show(SIMPLE),
    ],
    credentials: &[],
};

#[async_trait]
impl Node for Sort {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        out.emit(0, sorted(ctx)?).await
    }
}

register_node!(Sort);

/// The input items ordered as `type` says (also Item Lists' `sort`, whose parameters are the
/// same in every typeVersion).
pub(super) fn sorted(ctx: &NodeContext<'_>) -> Result<Vec<Item>, NodeError> {
    let mut items = ctx.input().to_vec();
    let kind: String = ctx.parameter_as("type", 0)?;
    match kind.as_str() {
        "random" => shuffle(&mut items),
        "simple" => {
            let fields = ctx
                .optional_parameter("sortFieldsUi.sortField", 0)?
                .map(serde_json::from_value::<Vec<SortField>>)
                .transpose()
                .map_err(|error| {
                    NodeError::operation(format!(
                        "Parameter \"sortFieldsUi.sortField\" has the wrong type: {error}"
                    ))
                    .with_description("hint: give each field to sort by a fieldName and an order (ascending or descending)")
                })?
                .unwrap_or_default();
            let dot_notation = !ctx
                .optional_parameter("options.disableDotNotation", 0)?
                .is_some_and(|flag| flag == Value::Bool(true));
            sort_by_fields(&mut items, &fields, dot_notation)?;
        }
        "code" => {
            let code: String = ctx.parameter_as("code", 0)?;
            items = sort_by_code(ctx, &code)?;
        }
        other => {
            return Err(NodeError::operation(format!(
                "Parameter \"type\" has the unknown value \"{other}\""
            ))
            .with_description("hint: use simple, random or code"));
        }
    }
    Ok(items)
}

/// One entry of `sortFieldsUi.sortField`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SortField {
    #[serde(default)]
    field_name: String,
    #[serde(default = "ascending")]
    order: String,
}

fn ascending() -> String {
    "ascending".to_owned()
}

/// n8n's `shuffleArray`: Fisher-Yates from the end.
fn shuffle(items: &mut [Item]) {
    let mut random = rand::rng();
    for i in (1..items.len()).rev() {
        items.swap(i, random.random_range(0..=i));
    }
}

/// Simple mode: every field must be present in some item, then the items are sorted by the
/// fields in turn.
fn sort_by_fields(
    items: &mut Vec<Item>,
    fields: &[SortField],
    dot_notation: bool,
) -> Result<(), NodeError> {
    if fields.is_empty() {
        return Err(NodeError::operation(
            "No sorting specified. Please add a field to sort by",
        ));
    }
    for sort_field in fields {
        let name = &sort_field.field_name;
        if items
            .iter()
            .any(|item| field(&item.json, name, dot_notation).is_some())
        {
            continue;
        }
        let error = NodeError::operation(format!(
            "Couldn't find the field '{name}' in the input data"
        ));
        return Err(if !dot_notation && name.contains('.') {
            error.with_description(NESTED_FIELD_HINT)
        } else {
            error
        });
    }
    // Each item's (lower-cased) values, read once; the sort then orders indexes.
    let rows: Vec<Vec<Option<Value>>> = items
        .iter()
        .map(|item| {
            fields
                .iter()
                .map(|sort_field| {
                    lower_cased(field(&item.json, &sort_field.field_name, dot_notation))
                })
                .collect()
        })
        .collect();
    let ascending: Vec<bool> = fields
        .iter()
        .map(|sort_field| sort_field.order == "ascending")
        .collect();
    let mut order: Vec<usize> = (0..items.len()).collect();
    js_sort(&mut order, |&a, &b| {
        compare_rows(&rows[a], &rows[b], &ascending)
    });
    let mut unsorted = std::mem::take(items);
    *items = order
        .iter()
        .map(|&index| std::mem::take(&mut unsorted[index]))
        .collect();
    Ok(())
}

/// n8n's simple comparator over two items' values: the first field whose values differ decides.
fn compare_rows(a: &[Option<Value>], b: &[Option<Value>], ascending: &[bool]) -> Ordering {
    for ((left, right), ascending) in a.iter().zip(b).zip(ascending) {
        if is_equal(left.as_ref(), right.as_ref()) {
            continue;
        }
        let before = lt(left.as_ref(), right.as_ref()) == *ascending;
        return if before {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    Ordering::Equal
}

/// A string lower-cased, as n8n compares them; anything else as it is.
fn lower_cased(value: Option<&Value>) -> Option<Value> {
    value.map(|value| match value {
        Value::String(text) => Value::String(text.to_lowercase()),
        other => other.clone(),
    })
}

/// Code mode: `items.sort((a, b) => { code })` in the Code sandbox, its result read as the Code
/// node reads a return value.
fn sort_by_code(ctx: &NodeContext<'_>, code: &str) -> Result<Vec<Item>, NodeError> {
    if !returns(code) {
        return Err(NodeError::operation(
            "Sort code doesn't return. Please add a 'return' statement to your code",
        ));
    }
    let code = format!("return items.sort((a, b) => {{ {code} }})");
    let request = ScriptRequest {
        code: &code,
        kind: ScriptKind::CodeAllItems,
        stop_at_failure: true,
    };
    let outcome = ctx.script()?.run(&request)?.into_iter().next();
    match outcome {
        Some(Ok(returned)) => all_items(returned),
        Some(Err(failure)) => Err(failure_error(&failure)),
        None => Ok(Vec::new()),
    }
}

/// n8n's `/\breturn\b/` test of the comparator code.
fn returns(code: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    code.match_indices("return").any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + "return".len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

#[cfg(test)]
mod tests;
