//! The HTML node's `convertToHtmlTable`: every input item a row, the union of their keys (in
//! first-seen order) the columns, with n8n's default inline styles unless `customStyling`, and the
//! caption and attribute options written in verbatim. One output item pairs to every input item.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::core::conditions::js::to_js_string;
use crate::error::NodeError;
use crate::item::{Item, PairedItem, PairedItems};
use crate::node::NodeContext;

const TABLE_STYLE: &str = "style='border-spacing:0; font-family:helvetica,arial,sans-serif'";
const HEADER_STYLE: &str = "style='margin:0; padding:7px 20px 7px 0px; border-bottom:1px solid #eee; text-align:left; color:#888; font-weight:normal'";
const CELL_STYLE: &str = "style='margin:0; padding:7px 20px 7px 0px; border-bottom:1px solid #eee'";

/// The options read from item 0.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TableOptions {
    #[serde(default)]
    capitalize: bool,
    #[serde(default)]
    custom_styling: bool,
    #[serde(default)]
    caption: String,
    #[serde(default)]
    table_attributes: String,
    #[serde(default)]
    header_attributes: String,
}

/// The single table item for the whole input (none for no input).
pub(super) fn convert(ctx: &NodeContext<'_>, input: &[Item]) -> Result<Option<Item>, NodeError> {
    if input.is_empty() {
        return Ok(None);
    }
    let options: TableOptions = ctx.parameter_as("options", 0)?;
    let (table_style, header_style, cell_style) = if options.custom_styling {
        ("", "", "")
    } else {
        (TABLE_STYLE, HEADER_STYLE, CELL_STYLE)
    };
    let mut headers: Vec<&String> = Vec::new();
    for item in input {
        for key in item.json.keys() {
            if !headers.contains(&key) {
                headers.push(key);
            }
        }
    }
    let mut table = format!("<table {table_style} {}>", options.table_attributes);
    if !options.caption.is_empty() {
        table += &format!("<caption>{}</caption>", options.caption);
    }
    table += &format!("<thead {header_style} {}>", options.header_attributes);
    table += "<tr>";
    for header in &headers {
        table += &format!("<th>{}</th>", capitalize_header(header, options.capitalize));
    }
    table += "</tr></thead><tbody>";
    for (index, item) in input.iter().enumerate() {
        let row_attributes = text_option(ctx, "options.rowAttributes", index)?;
        let cell_attributes = text_option(ctx, "options.cellAttributes", index)?;
        table += &format!("<tr  {row_attributes}>");
        for header in &headers {
            table += &format!("<td {cell_style} {cell_attributes}>");
            table += &cell(item.json.get(*header));
            table += "</td>";
        }
        table += "</tr>";
    }
    table += "</tbody></table>";
    let mut item = Item::new(
        Map::from_iter([("table".to_owned(), Value::String(table))]),
        0,
    );
    item.paired_item = Some(PairedItems::Many(
        (0..input.len()).map(PairedItem::new).collect(),
    ));
    Ok(Some(item))
}

fn text_option(ctx: &NodeContext<'_>, path: &str, index: usize) -> Result<String, NodeError> {
    Ok(match ctx.optional_parameter(path, index)? {
        Some(value) => to_js_string(Some(&value)),
        None => String::new(),
    })
}

/// A cell: a checkbox for a boolean, else the value as JavaScript concatenates it.
fn cell(value: Option<&Value>) -> String {
    match value {
        Some(Value::Bool(true)) => "<input type=\"checkbox\" checked=\"checked\"/>".to_owned(),
        Some(Value::Bool(false)) => "<input type=\"checkbox\" />".to_owned(),
        other => to_js_string(other),
    }
}

/// `capitalize`: `first_name` becomes `First Name`.
pub(super) fn capitalize_header(header: &str, capitalize: bool) -> String {
    if !capitalize {
        return header.to_owned();
    }
    header
        .split('_')
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}
