//! XML to JSON in the shape xml2js's `Parser` gives with n8n's options: an element becomes an
//! object of its attributes (merged in, or under `attrkey`) and children (a repeated name
//! becomes an array; every value an array under `explicitArray`), its text under `charkey`
//! when it has attributes or children, else the text itself; whitespace-only text is dropped.
//! Parsed with quick-xml, a fast pull parser that leaves the tree shape to us.

use quick_xml::Reader;
use quick_xml::errors::IllFormedError;
use quick_xml::events::Event;
use serde_json::{Map, Value};
use thiserror::Error;

/// Why a document could not be parsed.
#[derive(Debug, Error)]
pub(crate) enum XmlParseError {
    #[error("Non-whitespace before first tag.")]
    TextBeforeRoot,
    #[error("Unclosed root tag")]
    Unclosed,
    #[error("Unexpected close tag")]
    UnexpectedClose,
    #[error("{0}")]
    Malformed(String),
}

/// xml2js's parser options as n8n passes them.
#[derive(Clone, Debug)]
pub(crate) struct ParseOptions {
    pub(crate) attrkey: String,
    pub(crate) charkey: String,
    pub(crate) explicit_array: bool,
    pub(crate) explicit_charkey: bool,
    pub(crate) explicit_root: bool,
    pub(crate) ignore_attrs: bool,
    pub(crate) merge_attrs: bool,
    pub(crate) normalize: bool,
    pub(crate) normalize_tags: bool,
    pub(crate) trim: bool,
}

impl Default for ParseOptions {
    /// n8n's defaults: attributes merged, arrays only for repeats, the root kept.
    fn default() -> Self {
        Self {
            attrkey: "$".to_owned(),
            charkey: "_".to_owned(),
            explicit_array: false,
            explicit_charkey: false,
            explicit_root: true,
            ignore_attrs: false,
            merge_attrs: true,
            normalize: false,
            normalize_tags: false,
            trim: false,
        }
    }
}

/// An element being read: its name, its object so far (the text key first, as xml2js
/// creates it) and whether CDATA was seen.
struct Open {
    name: String,
    object: Map<String, Value>,
    cdata: bool,
}

/// The JSON of `xml` (`Null` for an empty document), as xml2js parses it.
pub(crate) fn xml_to_json(xml: &str, options: &ParseOptions) -> Result<Value, XmlParseError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Open> = Vec::new();
    loop {
        let event = reader.read_event().map_err(|error| match error {
            quick_xml::Error::IllFormed(
                IllFormedError::MismatchedEndTag { .. } | IllFormedError::UnmatchedEndTag(_),
            ) => XmlParseError::UnexpectedClose,
            other => XmlParseError::Malformed(other.to_string()),
        })?;
        let self_closing = matches!(event, Event::Empty(_));
        match event {
            Event::Start(start) | Event::Empty(start) => {
                let name = tag_name(start.name().as_ref(), options);
                let mut object = Map::new();
                object.insert(options.charkey.clone(), Value::String(String::new()));
                if !options.ignore_attrs {
                    for attribute in start.attributes() {
                        let attribute = attribute
                            .map_err(|error| XmlParseError::Malformed(error.to_string()))?;
                        let raw_key: &str = attribute.key.as_ref();
                        if raw_key == "__proto__" {
                            continue; // sax stores attributes in a plain object: this one is lost
                        }
                        let key = sanitize(raw_key);
                        let raw = attribute.value;
                        let value = quick_xml::escape::unescape(&raw)
                            .map_err(|error| XmlParseError::Malformed(error.to_string()))?
                            .into_owned();
                        if options.merge_attrs {
                            add_child(&mut object, key, Value::String(value), options);
                        } else {
                            let attributes = object
                                .entry(options.attrkey.clone())
                                .or_insert_with(|| Value::Object(Map::new()));
                            if let Value::Object(attributes) = attributes {
                                attributes.insert(key, Value::String(value));
                            }
                        }
                    }
                }
                stack.push(Open {
                    name,
                    object,
                    cdata: false,
                });
                if self_closing && let Some(done) = close(&mut stack, options) {
                    return Ok(done);
                }
            }
            Event::End(_) => {
                if let Some(done) = close(&mut stack, options) {
                    return Ok(done);
                }
            }
            Event::Text(text) => append_text(&mut stack, &options.charkey, &text)?,
            Event::CData(cdata) => {
                let content = cdata.to_string();
                append_text(&mut stack, &options.charkey, &content)?;
                if let Some(open) = stack.last_mut() {
                    open.cdata = true;
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference
                    .resolve_char_ref()
                    .map_err(|error| XmlParseError::Malformed(error.to_string()))?
                {
                    Some(c) => c.to_string(),
                    None => predefined(&reference)
                        .ok_or_else(|| {
                            XmlParseError::Malformed(format!(
                                "Invalid character entity &{};",
                                &*reference
                            ))
                        })?
                        .to_owned(),
                };
                append_text(&mut stack, &options.charkey, &resolved)?;
            }
            Event::Eof => {
                return if stack.is_empty() {
                    Ok(Value::Null)
                } else {
                    Err(XmlParseError::Unclosed)
                };
            }
            _ => {} // declarations, comments, processing instructions, doctype
        }
    }
}

/// The five entities XML predefines.
fn predefined(name: &str) -> Option<&'static str> {
    Some(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => return None,
    })
}

fn tag_name(name: &str, options: &ParseOptions) -> String {
    let name = if options.normalize_tags {
        name.to_lowercase()
    } else {
        name.to_owned()
    };
    sanitize(&name)
}

/// n8n's `sanitizeXmlName`: names that would reach an object's prototype get a prefix.
fn sanitize(name: &str) -> String {
    if matches!(name, "__proto__" | "constructor" | "prototype") {
        format!("sanitized_{name}")
    } else {
        name.to_owned()
    }
}

fn append_text(stack: &mut [Open], charkey: &str, text: &str) -> Result<(), XmlParseError> {
    let Some(open) = stack.last_mut() else {
        if text.trim().is_empty() {
            return Ok(());
        }
        return Err(XmlParseError::TextBeforeRoot);
    };
    match open.object.get_mut(charkey) {
        Some(Value::String(existing)) => existing.push_str(text),
        _ => {
            open.object
                .insert(charkey.to_owned(), Value::String(text.to_owned()));
        }
    }
    Ok(())
}

/// xml2js's `processItem`: the first value under `key`, or the values as an array.
fn add_child(object: &mut Map<String, Value>, key: String, value: Value, options: &ParseOptions) {
    match object.get_mut(&key) {
        None if options.explicit_array => {
            object.insert(key, Value::Array(vec![value]));
        }
        None => {
            object.insert(key, value);
        }
        Some(Value::Array(list)) => list.push(value),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, value]);
        }
    }
}

/// Closes the innermost element; the document's value once the root closes.
fn close(stack: &mut Vec<Open>, options: &ParseOptions) -> Option<Value> {
    let Open {
        name,
        mut object,
        cdata,
    } = stack.pop()?;
    let text = match object.get(&options.charkey) {
        Some(Value::String(text)) => text.clone(),
        _ => String::new(),
    };
    let mut empty_text = String::new();
    let mut value = if text.chars().all(char::is_whitespace) && !cdata {
        object.shift_remove(&options.charkey);
        empty_text = text;
        Value::Object(object)
    } else {
        let mut text = text;
        if options.trim {
            text = text.trim().to_owned();
        }
        if options.normalize {
            text = collapse_runs(&text).trim().to_owned();
        }
        if object.len() == 1 && !options.explicit_charkey {
            Value::String(text)
        } else {
            object.insert(options.charkey.clone(), Value::String(text));
            Value::Object(object)
        }
    };
    if matches!(&value, Value::Object(map) if map.is_empty()) {
        value = Value::String(empty_text);
    }
    match stack.last_mut() {
        Some(parent) => {
            add_child(&mut parent.object, name, value, options);
            None
        }
        None if options.explicit_root => Some(Value::Object(Map::from_iter([(name, value)]))),
        None => Some(value),
    }
}

/// `replace(/\s{2,}/g, " ")`.
fn collapse_runs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars() {
        if c.is_whitespace() {
            run.push(c);
            continue;
        }
        flush_run(&mut out, &mut run);
        out.push(c);
    }
    flush_run(&mut out, &mut run);
    out
}

fn flush_run(out: &mut String, run: &mut String) {
    if run.chars().count() >= 2 {
        out.push(' ');
    } else {
        out.push_str(run);
    }
    run.clear();
}
