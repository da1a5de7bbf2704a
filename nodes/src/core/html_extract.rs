//! HTML Extract (`n8n-nodes-base.htmlExtract`, typeVersion 1, legacy): the HTML node's
//! extraction (see `html::extract`) with its older rules: empty text is kept and values are
//! trimmed unless `options.trimValues` is false.

use async_trait::async_trait;

use super::html::extract::Flavor;
use super::html::{RETURN_ARRAY, RETURN_VALUE, extract_item};
use crate::description::{
    Choice, Condition, Group, Literal, NodeDescription, Parameter, ParameterKind,
};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

/// The HTML Extract node.
pub struct HtmlExtract;

const EXTRACTION_FIELDS: &[Parameter] = &[
    Parameter::new("key", "Key", ParameterKind::String)
        .describe("The key under which the extracted value should be saved"),
    Parameter::new("cssSelector", "CSS Selector", ParameterKind::String)
        .describe("The CSS selector to use"),
    RETURN_VALUE,
    Parameter::new("attribute", "Attribute", ParameterKind::String)
        .show(&[(
            "returnValue",
            &[Condition::Is(Literal::String("attribute"))],
        )])
        .describe("The name of the attribute to return the value of"),
    RETURN_ARRAY,
];

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.htmlExtract",
    display_name: "HTML Extract",
    description: "Extracts data from HTML",
    versions: &[1.0],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "sourceData",
            "Source Data",
            ParameterKind::Options(&[
                Choice::new("Binary", Literal::String("binary")),
                Choice::new("JSON", Literal::String("json")),
            ]),
        )
        .default(Literal::String("json"))
        .describe("If HTML should be read from binary or JSON data"),
        Parameter::new("dataPropertyName", "JSON Property", ParameterKind::String)
            .default(Literal::String("data"))
            .required()
            .describe(
                "The JSON property (a string or array of strings) or binary field holding the HTML",
            ),
        Parameter::new(
            "extractionValues",
            "Extraction Values",
            ParameterKind::FixedCollection {
                multiple: true,
                groups: &[Group {
                    name: "values",
                    display_name: "Values",
                    values: EXTRACTION_FIELDS,
                }],
            },
        )
        .default(Literal::Object(&[])),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[Parameter::new(
                "trimValues",
                "Trim Values",
                ParameterKind::Boolean,
            )
            .default(Literal::Bool(true))
            .describe("Whether to trim spaces and newlines from both ends of the values")]),
        ),
    ],
    credentials: &[],
};

#[async_trait]
impl Node for HtmlExtract {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    fn item_wise(&self, _version: f64, _parameters: &serde_json::Value) -> bool {
        true
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        for (index, item) in ctx.input().iter().enumerate() {
            match extract_item(ctx, item, index, Flavor::Legacy) {
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

register_node!(HtmlExtract);
