//! HTML (`n8n-nodes-base.html`, typeVersions 1, 1.1, 1.2): `generateHtmlTemplate` (the template
//! with its `{{ }}` parts evaluated per item), `extractHtmlContent` (CSS-selector extraction from
//! a JSON property or binary field, shared with the legacy HTML Extract node) and
//! `convertToHtmlTable` (all input items as one table).

pub(crate) mod extract;
mod table;
mod text;

use async_trait::async_trait;
use serde_json::{Map, Value};

use crate::description::{
    Choice, Condition, Group, Literal, NodeDescription, Parameter, ParameterKind, VERSION_KEY,
};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;
use extract::{ExtractOptions, ExtractionValues, Flavor, Source};

/// The HTML node.
pub struct HtmlNode;

const EXTRACT: &[(&str, &[Condition])] = &[(
    "operation",
    &[Condition::Is(Literal::String("extractHtmlContent"))],
)];
const EXTRACT_V1: &[(&str, &[Condition])] = &[
    (
        "operation",
        &[Condition::Is(Literal::String("extractHtmlContent"))],
    ),
    (VERSION_KEY, &[Condition::Lt(1.1)]),
];
const EXTRACT_LATER: &[(&str, &[Condition])] = &[
    (
        "operation",
        &[Condition::Is(Literal::String("extractHtmlContent"))],
    ),
    (VERSION_KEY, &[Condition::Gte(1.1)]),
];
const TEMPLATE: &[(&str, &[Condition])] = &[(
    "operation",
    &[Condition::Is(Literal::String("generateHtmlTemplate"))],
)];
const TABLE: &[(&str, &[Condition])] = &[(
    "operation",
    &[Condition::Is(Literal::String("convertToHtmlTable"))],
)];
const TEXT_RETURN: &[(&str, &[Condition])] = &[
    ("returnValue", &[Condition::Is(Literal::String("text"))]),
    (VERSION_KEY, &[Condition::Gte(1.2)]),
];
const ATTRIBUTE_RETURN: &[(&str, &[Condition])] = &[(
    "returnValue",
    &[Condition::Is(Literal::String("attribute"))],
)];

/// n8n's default template.
const PLACEHOLDER: &str = "<!DOCTYPE html>\n\n<html>\n<head>\n  <meta charset=\"UTF-8\" />\n  <title>My HTML document</title>\n</head>\n<body>\n  <div class=\"container\">\n    <h1>This is an H1 heading</h1>\n    <h2>This is an H2 heading</h2>\n    <p>This is a paragraph</p>\n  </div>\n</body>\n</html>\n\n<style>\n.container {\n  background-color: #ffffff;\n  text-align: center;\n  padding: 16px;\n  border-radius: 8px;\n}\n\nh1 {\n  color: #ff6d5a;\n  font-size: 24px;\n  font-weight: bold;\n  padding: 8px;\n}\n\nh2 {\n  color: #909399;\n  font-size: 18px;\n  font-weight: bold;\n  padding: 8px;\n}\n</style>\n\n<script>\nconsole.log(\"Hello World!\");\n</script>";

/// The fields of one extraction value (shared with HTML Extract, which has no skip selectors).
const EXTRACTION_FIELDS: &[Parameter] = &[
    Parameter::new("key", "Key", ParameterKind::String)
        .describe("The key under which the extracted value should be saved"),
    Parameter::new("cssSelector", "CSS Selector", ParameterKind::String)
        .describe("The CSS selector to use"),
    RETURN_VALUE,
    Parameter::new("attribute", "Attribute", ParameterKind::String)
        .show(ATTRIBUTE_RETURN)
        .describe("The name of the attribute to return the value of"),
    Parameter::new("skipSelectors", "Skip Selectors", ParameterKind::String)
        .show(TEXT_RETURN)
        .describe("Comma-separated list of selectors to skip in the text extraction"),
    RETURN_ARRAY,
];

pub(crate) const RETURN_VALUE: Parameter = Parameter::new(
    "returnValue",
    "Return Value",
    ParameterKind::Options(&[
        Choice::new("Attribute", Literal::String("attribute")),
        Choice::new("HTML", Literal::String("html")),
        Choice::new("Text", Literal::String("text")),
        Choice::new("Value", Literal::String("value")),
    ]),
)
.default(Literal::String("text"))
.describe("What kind of data should be returned");

pub(crate) const RETURN_ARRAY: Parameter =
    Parameter::new("returnArray", "Return Array", ParameterKind::Boolean)
        .describe("Whether to return each found value separately in an array");

const EXTRACTION_GROUPS: &[Group] = &[Group {
    name: "values",
    display_name: "Values",
    values: EXTRACTION_FIELDS,
}];

const EXTRACTION_KIND: ParameterKind = ParameterKind::FixedCollection {
    multiple: true,
    groups: EXTRACTION_GROUPS,
};

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.html",
    display_name: "HTML",
    description: "Work with HTML",
    versions: &[1.0, 1.1, 1.2],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "operation",
            "Operation",
            ParameterKind::Options(&[
                Choice::new(
                    "Generate HTML Template",
                    Literal::String("generateHtmlTemplate"),
                ),
                Choice::new(
                    "Extract HTML Content",
                    Literal::String("extractHtmlContent"),
                ),
                Choice::new(
                    "Convert to HTML Table",
                    Literal::String("convertToHtmlTable"),
                ),
            ]),
        )
        .default(Literal::String("generateHtmlTemplate"))
        .no_data_expression(),
        Parameter::new("html", "HTML Template", ParameterKind::String)
            .default(Literal::String(PLACEHOLDER))
            .template()
            .show(TEMPLATE)
            .describe("HTML template to render; its {{ }} parts are evaluated per item"),
        Parameter::new(
            "sourceData",
            "Source Data",
            ParameterKind::Options(&[
                Choice::new("Binary", Literal::String("binary")),
                Choice::new("JSON", Literal::String("json")),
            ]),
        )
        .default(Literal::String("json"))
        .show(EXTRACT)
        .describe("If HTML should be read from binary or JSON data"),
        Parameter::new("dataPropertyName", "JSON Property", ParameterKind::String)
            .default(Literal::String("data"))
            .required()
            .show(EXTRACT)
            .describe(
                "The JSON property (a string or array of strings) or binary field holding the HTML",
            ),
        Parameter::new("extractionValues", "Extraction Values", EXTRACTION_KIND)
            .default(Literal::Object(&[]))
            .show(EXTRACT_V1),
        Parameter::new("extractionValues", "Extraction Values", EXTRACTION_KIND)
            .default(Literal::Object(&[(
                "values",
                Literal::Array(&[Literal::Object(&[
                    ("key", Literal::String("")),
                    ("cssSelector", Literal::String("")),
                    ("returnValue", Literal::String("text")),
                    ("returnArray", Literal::Bool(false)),
                ])]),
            )]))
            .show(EXTRACT_LATER),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                Parameter::new("trimValues", "Trim Values", ParameterKind::Boolean)
                    .default(Literal::Bool(true))
                    .describe("Whether to trim spaces and newlines from both ends of the values"),
                Parameter::new("cleanUpText", "Clean Up Text", ParameterKind::Boolean)
                    .default(Literal::Bool(true))
                    .describe("Whether to trim, remove line breaks and condense whitespace"),
            ]),
        )
        .show(EXTRACT),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                Parameter::new("capitalize", "Capitalize Headers", ParameterKind::Boolean),
                Parameter::new("customStyling", "Custom Styling", ParameterKind::Boolean),
                Parameter::new("caption", "Caption", ParameterKind::String),
                Parameter::new("tableAttributes", "Table Attributes", ParameterKind::String),
                Parameter::new(
                    "headerAttributes",
                    "Header Attributes",
                    ParameterKind::String,
                ),
                Parameter::new("rowAttributes", "Row Attributes", ParameterKind::String),
                Parameter::new("cellAttributes", "Cell Attributes", ParameterKind::String),
            ]),
        )
        .show(TABLE),
    ],
    credentials: &[],
};

#[async_trait]
impl Node for HtmlNode {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let operation: String = ctx.parameter_as("operation", 0)?;
        if operation == "convertToHtmlTable" {
            if let Some(table) = table::convert(ctx, ctx.input())? {
                out.emit(0, [table]).await?;
            }
            return Ok(());
        }
        let version = ctx.node().type_version;
        for (index, item) in ctx.input().iter().enumerate() {
            let result = match operation.as_str() {
                "generateHtmlTemplate" => template(ctx, index).map(|item| vec![item]),
                "extractHtmlContent" => extract_item(ctx, item, index, Flavor::Html(version)),
                other => Err(NodeError::operation(format!(
                    "The operation \"{other}\" is not known!"
                ))),
            };
            match result {
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

register_node!(HtmlNode);

/// `generateHtmlTemplate`: the resolved template as `{ html }`.
fn template(ctx: &NodeContext<'_>, index: usize) -> Result<Item, NodeError> {
    let html: String = ctx.parameter_as("html", index)?;
    Ok(Item::new(
        Map::from_iter([("html".to_owned(), Value::String(html))]),
        index,
    ))
}

/// One output item per HTML document of input item `index` (the extraction of HTML and of the
/// legacy HTML Extract node).
pub(crate) fn extract_item(
    ctx: &NodeContext<'_>,
    item: &Item,
    index: usize,
    flavor: Flavor,
) -> Result<Vec<Item>, NodeError> {
    let property: String = ctx.parameter_as("dataPropertyName", index)?;
    let kind: String = ctx.parameter_as("sourceData", index)?;
    let values: ExtractionValues = ctx.parameter_as("extractionValues", index)?;
    let options: ExtractOptions = ctx
        .optional_parameter("options", index)?
        .map(serde_json::from_value)
        .transpose()
        .map_err(|error| {
            NodeError::operation("Parameter \"options\" has the wrong type")
                .with_description(error.to_string())
        })?
        .unwrap_or_default();
    let source = Source {
        kind: &kind,
        property: &property,
    };
    extract::documents(item, &source, flavor, index)?
        .iter()
        .map(|html| {
            extract::extract(html, &values, &options, flavor).map(|json| Item::new(json, index))
        })
        .collect()
}

#[cfg(test)]
mod tests;
