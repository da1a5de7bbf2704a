//! HTML 1.2's text extraction: html-to-text's `convert` with its default options, for HTML made
//! of text and inline phrasing elements (whitespace collapsed, lines wrapped at 80 columns),
//! with `skipSelectors` leaving elements out. Block structure (paragraphs, headings, lists,
//! links, images, tables) is formatted by html-to-text in ways weft does not reproduce: such
//! content is refused with an error rather than converted differently.

use scraper::{ElementRef, Html, Node, Selector};

use super::extract::parse_selector;
use crate::error::NodeError;

/// html-to-text's default `wordwrap`.
const WRAP_COLUMN: usize = 80;

/// Inline elements html-to-text renders as their text alone.
const PHRASING: &[&str] = &[
    "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    "label",
];

/// html-to-text's whitespace characters.
fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{000C}' | '\u{200B}')
}

/// The plain text of `html`, as html-to-text converts it, skipping elements matched by the
/// comma-separated `skip_selectors`.
pub(crate) fn html_to_text(html: &str, skip_selectors: &str) -> Result<String, NodeError> {
    let skip = skip_selectors
        .split(',')
        .map(str::trim)
        .filter(|css| !css.is_empty())
        .map(parse_selector)
        .collect::<Result<Vec<_>, _>>()?;
    let fragment = Html::parse_fragment(html);
    let mut text = String::new();
    collect(fragment.root_element(), &skip, &mut text)?;
    Ok(wrap(&text))
}

fn collect(element: ElementRef<'_>, skip: &[Selector], text: &mut String) -> Result<(), NodeError> {
    for child in element.children() {
        match child.value() {
            Node::Text(content) => text.push_str(content),
            Node::Element(_) => {
                let Some(child) = ElementRef::wrap(child) else {
                    continue;
                };
                if skip.iter().any(|selector| selector.matches(&child)) {
                    continue;
                }
                let name = child.value().name();
                if !PHRASING.contains(&name) {
                    return Err(NodeError::operation(format!(
                        "weft cannot convert the <{name}> element to text as HTML 1.2 does"
                    ))
                    .with_description(
                        "HTML 1.2's text extraction formats block elements, links and images \
                         with html-to-text; weft converts text and inline elements only. hint: \
                         select the inner elements, add the element to Skip Selectors, or use \
                         typeVersion 1.1",
                    ));
                }
                collect(child, skip, text)?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whitespace runs made single spaces, trimmed, words wrapped onto lines of at most 80 columns
/// (a longer word stays whole on its own line).
fn wrap(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(is_html_space).filter(|word| !word.is_empty()) {
        let width = line.chars().count();
        if !line.is_empty() && width + 1 + word.chars().count() > WRAP_COLUMN {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.join("\n")
}
