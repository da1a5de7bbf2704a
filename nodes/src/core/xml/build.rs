//! JSON to XML as xml2js's `Builder` writes it (through xmlbuilder): an object's keys become
//! child elements (an array repeats the element), `attrkey` holds attributes and `charkey` text;
//! a single top-level key names the root unless `rootName` is set otherwise. Output is pretty
//! printed with two-space indentation under an XML declaration (unless `headless`); text that
//! needs escaping goes in CDATA sections when `cdata` is set.

use serde_json::{Map, Value};
use thiserror::Error;

use crate::core::conditions::js::to_js_string;

/// Why an object cannot be written as XML (xmlbuilder's messages).
#[derive(Debug, Error, PartialEq)]
pub(crate) enum XmlBuildError {
    #[error("Invalid character in name")]
    InvalidName,
    #[error("Invalid character in string: {text} at index {index}")]
    InvalidCharacter { text: String, index: usize },
}

/// xml2js's builder options as n8n passes them.
#[derive(Clone, Debug)]
pub(crate) struct BuildOptions {
    pub(crate) attrkey: String,
    pub(crate) charkey: String,
    pub(crate) cdata: bool,
    pub(crate) headless: bool,
    pub(crate) root_name: String,
}

impl Default for BuildOptions {
    fn default() -> Self {
        Self {
            attrkey: "$".to_owned(),
            charkey: "_".to_owned(),
            cdata: false,
            headless: false,
            root_name: "root".to_owned(),
        }
    }
}

const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>";

/// A node of the document being built.
enum XmlNode {
    Element(Element),
    Text(String),
    Raw(String),
}

struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<XmlNode>,
}

impl Element {
    fn new(name: &str) -> Result<Self, XmlBuildError> {
        if !is_xml_name(name) {
            return Err(XmlBuildError::InvalidName);
        }
        Ok(Self {
            name: name.to_owned(),
            attributes: Vec::new(),
            children: Vec::new(),
        })
    }

    fn text(&mut self, text: String) -> Result<(), XmlBuildError> {
        check_chars(&text)?;
        self.children.push(XmlNode::Text(text));
        Ok(())
    }
}

/// The XML xml2js's builder writes for `json`.
pub(crate) fn json_to_xml(
    json: &Map<String, Value>,
    options: &BuildOptions,
) -> Result<String, XmlBuildError> {
    let (name, body) = match json.iter().next() {
        Some((key, value)) if json.len() == 1 && options.root_name == "root" => {
            (key.as_str(), value.clone())
        }
        _ => (options.root_name.as_str(), Value::Object(json.clone())),
    };
    let mut root = Element::new(name)?;
    render(&mut root, &body, options)?;
    let mut out = String::new();
    if !options.headless {
        out.push_str(DECLARATION);
        out.push('\n');
    }
    write_element(&root, 0, &mut out);
    out.pop(); // xmlbuilder leaves off the last newline
    Ok(out)
}

/// xml2js's `render` of `value` into `element`.
fn render(
    element: &mut Element,
    value: &Value,
    options: &BuildOptions,
) -> Result<(), XmlBuildError> {
    match value {
        Value::Object(fields) => {
            for (key, child) in fields {
                if *key == options.attrkey {
                    if let Value::Object(attributes) = child {
                        for (name, value) in attributes {
                            if !value.is_null() {
                                element.attributes.push((name.clone(), scalar(value)));
                            }
                        }
                    }
                } else if *key == options.charkey {
                    text_or_cdata(element, child, options)?;
                } else if let Value::Array(entries) = child {
                    for entry in entries {
                        let mut inner = Element::new(key)?;
                        match entry {
                            Value::String(_) => text_or_cdata(&mut inner, entry, options)?,
                            other => render(&mut inner, other, options)?,
                        }
                        element.children.push(XmlNode::Element(inner));
                    }
                } else {
                    let mut inner = Element::new(key)?;
                    match child {
                        Value::Object(_) | Value::Null => render(&mut inner, child, options)?,
                        other => text_or_cdata(&mut inner, other, options)?,
                    }
                    element.children.push(XmlNode::Element(inner));
                }
            }
        }
        Value::Array(entries) => {
            for entry in entries {
                for (key, child) in keys_of(entry) {
                    let mut inner = Element::new(&key)?;
                    render(&mut inner, &child, options)?;
                    element.children.push(XmlNode::Element(inner));
                }
            }
        }
        Value::Null => {}
        other => text_or_cdata(element, other, options)?,
    }
    Ok(())
}

/// JavaScript's `for (key in value)` over a JSON value, with the values.
fn keys_of(value: &Value) -> Vec<(String, Value)> {
    match value {
        Value::Object(fields) => fields.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Value::Array(list) => list
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v.clone()))
            .collect(),
        Value::String(text) => text
            .encode_utf16()
            .enumerate()
            .map(|(i, _)| (i.to_string(), Value::Null))
            .collect(),
        _ => Vec::new(),
    }
}

fn text_or_cdata(
    element: &mut Element,
    value: &Value,
    options: &BuildOptions,
) -> Result<(), XmlBuildError> {
    match value {
        Value::String(text) if options.cdata && text.contains(['&', '<', '>']) => {
            element.children.push(XmlNode::Raw(format!(
                "<![CDATA[{}]]>",
                text.replacen("]]>", "]]]]><![CDATA[>", 1)
            )));
            Ok(())
        }
        other => element.text(scalar(other)),
    }
}

/// A value as JavaScript's `String(value)` writes it.
fn scalar(value: &Value) -> String {
    to_js_string(Some(value))
}

/// xmlbuilder's pretty printer: an element with no content self-closes, one with a single text
/// child stays on one line, any other has each child on its own indented line.
fn write_element(element: &Element, level: usize, out: &mut String) {
    let indent = "  ".repeat(level);
    out.push_str(&indent);
    out.push('<');
    out.push_str(&element.name);
    for (name, value) in &element.attributes {
        out.push_str(&format!(" {name}=\"{}\"", escape_attribute(value)));
    }
    let blank = element.children.iter().all(|child| match child {
        XmlNode::Text(text) | XmlNode::Raw(text) => text.is_empty(),
        XmlNode::Element(_) => false,
    });
    if blank {
        out.push_str("/>\n");
        return;
    }
    if let [XmlNode::Text(_) | XmlNode::Raw(_)] = element.children.as_slice() {
        out.push('>');
        write_inline(&element.children[0], out);
        out.push_str(&format!("</{}>\n", element.name));
        return;
    }
    out.push_str(">\n");
    for child in &element.children {
        match child {
            XmlNode::Element(inner) => write_element(inner, level + 1, out),
            other => {
                out.push_str(&"  ".repeat(level + 1));
                write_inline(other, out);
                out.push('\n');
            }
        }
    }
    out.push_str(&format!("{indent}</{}>\n", element.name));
}

fn write_inline(node: &XmlNode, out: &mut String) {
    match node {
        XmlNode::Text(text) => out.push_str(&escape_text(text)),
        XmlNode::Raw(raw) => out.push_str(raw),
        XmlNode::Element(_) => {}
    }
}

fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\r', "&#xD;")
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
        .replace('\t', "&#x9;")
        .replace('\n', "&#xA;")
        .replace('\r', "&#xD;")
}

/// xmlbuilder's check of text: control characters other than tab, newline and carriage return,
/// and U+FFFE/U+FFFF, are not allowed in XML 1.0.
fn check_chars(text: &str) -> Result<(), XmlBuildError> {
    let bad = text
        .encode_utf16()
        .position(|unit| matches!(unit, 0x0..=0x8 | 0xB | 0xC | 0xE..=0x1F | 0xFFFE | 0xFFFF));
    match bad {
        Some(index) => Err(XmlBuildError::InvalidCharacter {
            text: text.to_owned(),
            index,
        }),
        None => Ok(()),
    }
}

/// An XML 1.0 Name.
fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(is_name_start) && chars.all(|c| is_name_start(c) || is_name_char(c))
}

fn is_name_start(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}
