//! XML (`n8n-nodes-base.xml`, typeVersion 1): `xmlToJson` parses each item's
//! `dataPropertyName` string into the item's JSON (xml2js's shape, see `parse`), `jsonToxml`
//! writes each item's JSON as XML into `dataPropertyName` (xml2js's builder, see `build`).
//! Options are read from item 0, as n8n does.

mod build;
mod parse;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::core::conditions::js::to_js_string;
use crate::description::{Choice, Condition, Literal, NodeDescription, Parameter, ParameterKind};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;
use build::{BuildOptions, json_to_xml};
use parse::{ParseOptions, xml_to_json};

/// The XML node.
pub struct Xml;

const TO_XML: &[(&str, &[Condition])] = &[("mode", &[Condition::Is(Literal::String("jsonToxml"))])];
const TO_JSON: &[(&str, &[Condition])] =
    &[("mode", &[Condition::Is(Literal::String("xmlToJson"))])];

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.xml",
    display_name: "XML",
    description: "Convert data from and to XML",
    versions: &[1.0],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "mode",
            "Mode",
            ParameterKind::Options(&[
                Choice::new("JSON to XML", Literal::String("jsonToxml")),
                Choice::new("XML to JSON", Literal::String("xmlToJson")),
            ]),
        )
        .default(Literal::String("xmlToJson"))
        .describe("From and to what format the data should be converted"),
        Parameter::new("dataPropertyName", "Property Name", ParameterKind::String)
            .default(Literal::String("data"))
            .required()
            .show(TO_XML)
            .describe("Name of the property to which to write the converted XML data"),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                Parameter::new(
                    "allowSurrogateChars",
                    "Allow Surrogate Chars",
                    ParameterKind::Boolean,
                ),
                Parameter::new("attrkey", "Attribute Key", ParameterKind::String)
                    .default(Literal::String("$")),
                Parameter::new("cdata", "Cdata", ParameterKind::Boolean),
                Parameter::new("charkey", "Character Key", ParameterKind::String)
                    .default(Literal::String("_")),
                Parameter::new("headless", "Headless", ParameterKind::Boolean),
                Parameter::new("rootName", "Root Name", ParameterKind::String)
                    .default(Literal::String("root")),
            ]),
        )
        .show(TO_XML),
        Parameter::new("dataPropertyName", "Property Name", ParameterKind::String)
            .default(Literal::String("data"))
            .required()
            .show(TO_JSON)
            .describe("Name of the property which contains the XML data to convert"),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                Parameter::new("attrkey", "Attribute Key", ParameterKind::String)
                    .default(Literal::String("$")),
                Parameter::new("charkey", "Character Key", ParameterKind::String)
                    .default(Literal::String("_")),
                Parameter::new("explicitArray", "Explicit Array", ParameterKind::Boolean),
                Parameter::new("explicitRoot", "Explicit Root", ParameterKind::Boolean)
                    .default(Literal::Bool(true)),
                Parameter::new("ignoreAttrs", "Ignore Attributes", ParameterKind::Boolean),
                Parameter::new("mergeAttrs", "Merge Attributes", ParameterKind::Boolean)
                    .default(Literal::Bool(true)),
                Parameter::new("normalize", "Normalize", ParameterKind::Boolean),
                Parameter::new("normalizeTags", "Normalize Tags", ParameterKind::Boolean),
                Parameter::new("trim", "Trim", ParameterKind::Boolean),
            ]),
        )
        .show(TO_JSON),
    ],
    credentials: &[],
};

/// The options the user set (both modes' keys; each mode reads its own).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct XmlOptions {
    attrkey: Option<Value>,
    charkey: Option<Value>,
    explicit_array: Option<bool>,
    explicit_charkey: Option<bool>,
    explicit_root: Option<bool>,
    ignore_attrs: Option<bool>,
    merge_attrs: Option<bool>,
    normalize: Option<bool>,
    normalize_tags: Option<bool>,
    trim: Option<bool>,
    cdata: Option<bool>,
    headless: Option<bool>,
    root_name: Option<Value>,
}

impl XmlOptions {
    /// `attrkey` and `charkey` as strings, refusing names that reach an object's prototype.
    fn key(value: &Option<Value>, label: &str, default: &str) -> Result<String, NodeError> {
        let Some(value) = value else {
            return Ok(default.to_owned());
        };
        let key = to_js_string(Some(value));
        if matches!(key.as_str(), "__proto__" | "constructor" | "prototype") {
            return Err(NodeError::operation(format!(
                "The \"{label}\" option value \"{key}\" is not allowed"
            )));
        }
        Ok(key)
    }

    fn parse_options(&self) -> Result<ParseOptions, NodeError> {
        let defaults = ParseOptions::default();
        Ok(ParseOptions {
            attrkey: Self::key(&self.attrkey, "Attribute Key", &defaults.attrkey)?,
            charkey: Self::key(&self.charkey, "Character Key", &defaults.charkey)?,
            explicit_array: self.explicit_array.unwrap_or(defaults.explicit_array),
            explicit_charkey: self.explicit_charkey.unwrap_or(defaults.explicit_charkey),
            explicit_root: self.explicit_root.unwrap_or(defaults.explicit_root),
            ignore_attrs: self.ignore_attrs.unwrap_or(defaults.ignore_attrs),
            merge_attrs: self.merge_attrs.unwrap_or(defaults.merge_attrs),
            normalize: self.normalize.unwrap_or(defaults.normalize),
            normalize_tags: self.normalize_tags.unwrap_or(defaults.normalize_tags),
            trim: self.trim.unwrap_or(defaults.trim),
        })
    }

    fn build_options(&self) -> Result<BuildOptions, NodeError> {
        let defaults = BuildOptions::default();
        Ok(BuildOptions {
            attrkey: Self::key(&self.attrkey, "Attribute Key", &defaults.attrkey)?,
            charkey: Self::key(&self.charkey, "Character Key", &defaults.charkey)?,
            cdata: self.cdata.unwrap_or(defaults.cdata),
            headless: self.headless.unwrap_or(defaults.headless),
            root_name: self
                .root_name
                .as_ref()
                .map_or(defaults.root_name, |name| to_js_string(Some(name))),
        })
    }
}

#[async_trait]
impl Node for Xml {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let mode: String = ctx.parameter_as("mode", 0)?;
        let property: String = ctx.parameter_as("dataPropertyName", 0)?;
        let options: XmlOptions = match ctx.optional_parameter("options", 0)? {
            Some(value) => serde_json::from_value(value).map_err(|error| {
                NodeError::operation("Parameter \"options\" has the wrong type")
                    .with_description(error.to_string())
            })?,
            None => XmlOptions::default(),
        };
        let convert = Conversion::new(&mode, &options)?;
        for (index, item) in ctx.input().iter().enumerate() {
            match convert.item(item, &property, index) {
                Ok(item) => out.emit(0, [item]).await?,
                // n8n writes the error over the input item, not into its output: nothing is emitted.
                Err(_) if ctx.continue_on_fail() => {}
                Err(error) => return Err(error.for_item(index)),
            }
        }
        Ok(())
    }
}

register_node!(Xml);

/// The conversion of one mode with its options.
enum Conversion {
    ToJson(ParseOptions),
    ToXml(BuildOptions),
}

impl Conversion {
    fn new(mode: &str, options: &XmlOptions) -> Result<Self, NodeError> {
        match mode {
            "xmlToJson" => Ok(Self::ToJson(options.parse_options()?)),
            "jsonToxml" => Ok(Self::ToXml(options.build_options()?)),
            other => Err(
                NodeError::operation(format!("The operation \"{other}\" is not known!"))
                    .with_description("hint: set Mode to jsonToxml or xmlToJson"),
            ),
        }
    }

    fn item(&self, item: &Item, property: &str, index: usize) -> Result<Item, NodeError> {
        match self {
            Self::ToJson(options) => {
                let Some(xml) = item.json.get(property) else {
                    return Err(NodeError::operation(format!(
                        "Item has no JSON property called \"{property}\""
                    ))
                    .with_context("itemIndex", Value::from(index)));
                };
                let json = xml_to_json(&to_js_string(Some(xml)), options)
                    .map_err(|error| NodeError::operation(error.to_string()))?;
                let mut output = match json {
                    Value::Object(map) => Item::new(map, index),
                    Value::Null => Item::new(Map::new(), index),
                    other => Item::from_value(other, index),
                };
                output.paired_item = None; // n8n's node sets no pairing here
                Ok(output)
            }
            Self::ToXml(options) => {
                let xml = json_to_xml(&item.json, options)
                    .map_err(|error| NodeError::operation(error.to_string()))?;
                Ok(Item::new(
                    Map::from_iter([(property.to_owned(), Value::String(xml))]),
                    index,
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests;
