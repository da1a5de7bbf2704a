//! HTML extraction shared by the HTML node's `extractHtmlContent` and the legacy HTML Extract
//! node: each input HTML document is parsed (scraper, html5ever: the same HTML5 tree cheerio's
//! parse5 builds), each extraction value's CSS selector picks elements, and their text, inner
//! HTML, attribute or form value is taken the way cheerio's `text()`, `html()`, `attr()` and
//! `val()` give it, then trimmed or cleaned up as the node's options say.

use scraper::{ElementRef, Html, Selector};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::text::html_to_text;
use crate::core::binary_data;
use crate::core::conditions::js::to_js_string;
use crate::core::paths::get_path;
use crate::error::NodeError;
use crate::item::Item;

/// Which node extracts: the rules for empty results and options differ.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Flavor {
    /// HTML Extract 1: text is kept when empty; values are trimmed unless `trimValues` is false.
    Legacy,
    /// HTML at this typeVersion: empty text is left out; `trimValues` and `cleanUpText` apply
    /// only when set; from 1.2 text is html-to-text's conversion of the first element.
    Html(f64),
}

/// One entry of `extractionValues.values`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ExtractionValue {
    #[serde(default)]
    key: String,
    #[serde(default)]
    css_selector: String,
    #[serde(default = "text_return")]
    return_value: String,
    #[serde(default)]
    attribute: String,
    #[serde(default)]
    skip_selectors: String,
    #[serde(default)]
    return_array: bool,
}

fn text_return() -> String {
    "text".to_owned()
}

/// `extractionValues`: n8n reads `.values`, absent when the user added none.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ExtractionValues {
    #[serde(default)]
    values: Vec<ExtractionValue>,
}

/// The extraction options (`options`), only those the user set.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ExtractOptions {
    trim_values: Option<bool>,
    clean_up_text: Option<bool>,
}

/// Where the HTML comes from.
pub(crate) struct Source<'p> {
    /// `sourceData`: `json` or `binary`.
    pub(crate) kind: &'p str,
    /// `dataPropertyName`.
    pub(crate) property: &'p str,
}

/// The HTML documents of input item `index`: the property's string, or each string of its array.
pub(crate) fn documents(
    item: &Item,
    source: &Source<'_>,
    flavor: Flavor,
    index: usize,
) -> Result<Vec<String>, NodeError> {
    if source.kind == "binary" {
        let binary = binary_data::input_binary(item, source.property, index)?;
        let bytes = binary_data::content(binary, source.property, index)?;
        return Ok(vec![String::from_utf8_lossy(&bytes).into_owned()]);
    }
    let found = match flavor {
        Flavor::Html(1.0) => own_key(&item.json, source.property),
        _ => get_path(&item.json, source.property),
    };
    let Some(value) = found else {
        return Err(NodeError::operation(format!(
            "No property named \"{}\" exists!",
            source.property
        ))
        .with_context("itemIndex", Value::from(index)));
    };
    Ok(match value {
        Value::Array(list) => list.iter().map(as_html).collect(),
        other => vec![as_html(other)],
    })
}

/// HTML 1's key lookup: the key as written, else without `['…']` / `["…"]` around it.
fn own_key<'j>(json: &'j Map<String, Value>, key: &str) -> Option<&'j Value> {
    json.get(key).or_else(|| {
        let inner = key
            .strip_prefix("['")
            .and_then(|rest| rest.strip_suffix("']"))
            .or_else(|| {
                key.strip_prefix("[\"")
                    .and_then(|rest| rest.strip_suffix("\"]"))
            })?;
        json.get(inner)
    })
}

fn as_html(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => to_js_string(Some(other)),
    }
}

/// The output JSON for one HTML document: each extraction value under its key (a value cheerio
/// gives as `undefined` is left out, or `null` inside a returned array).
pub(crate) fn extract(
    html: &str,
    values: &ExtractionValues,
    options: &ExtractOptions,
    flavor: Flavor,
) -> Result<Map<String, Value>, NodeError> {
    let document = Html::parse_document(html);
    let mut json = Map::new();
    for value in &values.values {
        let selection = select(&document, &value.css_selector)?;
        if value.return_array {
            let list = selection
                .iter()
                .map(|element| {
                    single(&[*element], value, options, flavor)
                        .map(|found| found.map_or(Value::Null, Value::String))
                })
                .collect::<Result<Vec<_>, _>>()?;
            json.insert(value.key.clone(), Value::Array(list));
        } else if let Some(found) = single(&selection, value, options, flavor)? {
            json.insert(value.key.clone(), Value::String(found));
        } else {
            json.shift_remove(&value.key);
        }
    }
    Ok(json)
}

/// The elements `css` selects in `document`; an empty selector selects nothing, as in cheerio.
fn select<'d>(document: &'d Html, css: &str) -> Result<Vec<ElementRef<'d>>, NodeError> {
    if css.trim().is_empty() {
        return Ok(Vec::new());
    }
    let selector = parse_selector(css)?;
    Ok(document.select(&selector).collect())
}

pub(super) fn parse_selector(css: &str) -> Result<Selector, NodeError> {
    Selector::parse(css).map_err(|error| {
        NodeError::operation(format!("The CSS selector \"{css}\" is not valid")).with_description(
            format!("{error}; hint: write a selector such as .price or div > a"),
        )
    })
}

/// One extraction value of a selection, with the options applied; `None` is cheerio's
/// `undefined`.
fn single(
    selection: &[ElementRef<'_>],
    value: &ExtractionValue,
    options: &ExtractOptions,
    flavor: Flavor,
) -> Result<Option<String>, NodeError> {
    let raw = match value.return_value.as_str() {
        "attribute" => selection
            .first()
            .and_then(|element| element.value().attr(&value.attribute))
            .map(str::to_owned),
        "html" => selection
            .first()
            .map(|element| element.inner_html())
            .filter(|html| !html.is_empty()),
        "value" => form_value(selection),
        "text" => match flavor {
            Flavor::Legacy => Some(text(selection)),
            Flavor::Html(version) if version < 1.2 => {
                Some(text(selection)).filter(|t| !t.is_empty())
            }
            Flavor::Html(_) => {
                let html = selection.first().map(|element| element.inner_html());
                Some(html_to_text(
                    html.as_deref().unwrap_or(""),
                    &value.skip_selectors,
                )?)
            }
        },
        other => {
            return Err(
                NodeError::operation(format!("The return value \"{other}\" is not known"))
                    .with_description("hint: use attribute, html, text or value"),
            );
        }
    };
    Ok(raw.map(|found| apply_options(found, options, flavor)))
}

/// cheerio's `text()`: the text of every selected element's descendants, comments left out.
fn text(selection: &[ElementRef<'_>]) -> String {
    selection
        .iter()
        .flat_map(|element| element.text())
        .collect()
}

/// cheerio's `val()` of the first selected element.
fn form_value(selection: &[ElementRef<'_>]) -> Option<String> {
    let first = selection.first()?;
    match first.value().name() {
        "textarea" => Some(text(selection)),
        "input" | "option" => first.value().attr("value").map(str::to_owned),
        "select" => {
            let selected = selected_options(*first);
            if first.value().attr("multiple").is_some() {
                let texts: Vec<String> = selected
                    .iter()
                    .map(|option| option.text().collect())
                    .collect();
                Some(texts.join(","))
            } else {
                selected
                    .first()
                    .and_then(|option| option.value().attr("value"))
                    .map(str::to_owned)
            }
        }
        _ => None,
    }
}

/// css-select's `option:selected` within a select: options marked `selected`, else the first
/// option when none is.
fn selected_options(select: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    let options: Vec<ElementRef<'_>> = select
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|element| element.value().name() == "option")
        .collect();
    let marked: Vec<ElementRef<'_>> = options
        .iter()
        .copied()
        .filter(|option| option.value().attr("selected").is_some())
        .collect();
    if marked.is_empty() {
        options.into_iter().take(1).collect()
    } else {
        marked
    }
}

fn apply_options(value: String, options: &ExtractOptions, flavor: Flavor) -> String {
    match flavor {
        Flavor::Legacy if options.trim_values == Some(false) => value,
        Flavor::Legacy => value.trim().to_owned(),
        Flavor::Html(_) => {
            let mut value = value;
            if options.trim_values == Some(true) {
                value = value.trim().to_owned();
            }
            if options.clean_up_text == Some(true) {
                value = clean_up(&value);
            }
            value
        }
    }
}

/// `cleanUpText`: trimmed, line breaks removed, each whitespace run made one space.
fn clean_up(value: &str) -> String {
    let joined: String = value
        .trim()
        .chars()
        .filter(|c| !matches!(c, '\r' | '\n'))
        .collect();
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}
