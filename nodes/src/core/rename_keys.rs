//! Rename Keys (`n8n-nodes-base.renameKeys`, typeVersion 1): renames fields of each item.
//!
//! `keys.key` entries (`currentKey` → `newKey`, dot paths) read the value from the input item
//! and set it at the new path, then unset the old one, so a renamed field moves to the end of
//! its object. `additionalOptions.regexReplacement.replacements` then rewrite every key that
//! matches `searchRegex` with JavaScript's `String.prototype.replace` (first match, `$1`, `$&`,
//! `$<name>` …), objects in arrays included, down to `options.depth` levels (-1: all), case
//! insensitive with `options.caseInsensitive`. Each output item is paired to its input item.

mod regex;

use std::collections::HashMap;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::description::{Group, Literal, NodeDescription, Parameter, ParameterKind};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

use self::regex::KeyRegex;
use super::lodash::{get, js_key_order};
use super::paths::{remove_path, set_path};

/// The Rename Keys node.
pub struct RenameKeys;

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.renameKeys",
    display_name: "Rename Keys",
    description: "Update item field names",
    versions: &[1.0],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "keys",
            "Keys",
            ParameterKind::FixedCollection {
                multiple: true,
                groups: &[Group {
                    name: "key",
                    display_name: "Key",
                    values: &[
                        Parameter::new("currentKey", "Current Key Name", ParameterKind::String)
                            .describe("The current name of the key; dot notation reaches deep keys"),
                        Parameter::new("newKey", "New Key Name", ParameterKind::String)
                            .describe("The name the key should be renamed to; dot notation reaches deep keys"),
                    ],
                }],
            },
        )
        .default(Literal::Object(&[]))
        .describe("Adds a key which should be renamed"),
        Parameter::new(
            "additionalOptions",
            "Additional Options",
            ParameterKind::Collection(&[Parameter::new(
                "regexReplacement",
                "Regex",
                ParameterKind::FixedCollection {
                    multiple: true,
                    groups: &[Group {
                        name: "replacements",
                        display_name: "Replacement",
                        values: &[
                            Parameter::new("searchRegex", "Regular Expression", ParameterKind::String)
                                .describe("Regex to match the key name"),
                            Parameter::new("replaceRegex", "Replace With", ParameterKind::String)
                                .describe("The new name; regex captures such as $1 may be used"),
                            Parameter::new(
                                "options",
                                "Options",
                                ParameterKind::Collection(&[
                                    Parameter::new(
                                        "caseInsensitive",
                                        "Case Insensitive",
                                        ParameterKind::Boolean,
                                    )
                                    .default(Literal::Bool(false))
                                    .describe("Whether to use case insensitive match"),
                                    Parameter::new("depth", "Max Depth", ParameterKind::Number)
                                        .default(Literal::Number(-1.0))
                                        .describe("Maximum depth to replace keys (-1 for unlimited, 0 for top level only)"),
                                ]),
                            )
                            .default(Literal::Object(&[])),
                        ],
                    }],
                },
            )
            .default(Literal::Object(&[]))
            .describe("Adds a regular expression")]),
        )
        .default(Literal::Object(&[])),
    ],
    credentials: &[],
};

#[async_trait]
impl Node for RenameKeys {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    /// Item-wise: each item is renamed on its own and paired to its input item.
    fn item_wise(&self, _version: f64, _parameters: &Value) -> bool {
        true
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let mut patterns = Patterns::default();
        for (index, input) in ctx.input().iter().enumerate() {
            match rename_item(ctx, input, index, &mut patterns) {
                Ok(item) => out.emit(0, [item]).await?,
                Err(error) if ctx.continue_on_fail() => {
                    out.emit(0, [Item::failed(error, index)]).await?;
                }
                Err(error) => return Err(error.for_item(index)),
            }
        }
        Ok(())
    }
}

register_node!(RenameKeys);

/// One `keys.key` entry.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct KeyRename {
    current_key: String,
    new_key: String,
}

/// One `regexReplacement.replacements` entry.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Replacement {
    search_regex: String,
    replace_regex: String,
    options: ReplacementOptions,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct ReplacementOptions {
    case_insensitive: bool,
    /// Absent (JavaScript's `undefined`) never reaches 0, as -1 does not.
    depth: Option<f64>,
}

/// A list parameter read into `T`s, absent as empty.
fn entries<T: for<'de> Deserialize<'de>>(
    ctx: &NodeContext<'_>,
    path: &str,
    index: usize,
) -> Result<Vec<T>, NodeError> {
    let Some(value) = ctx.optional_parameter(path, index)? else {
        return Ok(Vec::new());
    };
    serde_json::from_value(value).map_err(|error| {
        NodeError::operation(format!("Parameter \"{path}\" has the wrong type: {error}"))
            .with_description(
                "hint: each entry is an object of text fields, as the editor writes it",
            )
    })
}

/// The search patterns compiled so far, so that a pattern every item shares (the usual case) is
/// compiled once; bounded, as an expression could give each item its own.
#[derive(Default)]
struct Patterns(HashMap<(String, bool), KeyRegex>);

impl Patterns {
    const MOST: usize = 64;

    fn compiled(&mut self, pattern: &str, case_insensitive: bool) -> Result<&KeyRegex, NodeError> {
        let key = (pattern.to_owned(), case_insensitive);
        if !self.0.contains_key(&key) {
            if self.0.len() == Self::MOST {
                self.0.clear();
            }
            let regex = KeyRegex::new(pattern, case_insensitive)?;
            self.0.insert(key.clone(), regex);
        }
        Ok(&self.0[&key])
    }
}

fn rename_item(
    ctx: &NodeContext<'_>,
    input: &Item,
    index: usize,
    patterns: &mut Patterns,
) -> Result<Item, NodeError> {
    let renames: Vec<KeyRename> = entries(ctx, "keys.key", index)?;
    let replacements: Vec<Replacement> = entries(
        ctx,
        "additionalOptions.regexReplacement.replacements",
        index,
    )?;
    let mut item = input.clone().paired_to(index);
    item.json = renamed(&input.json, &renames, &replacements, patterns)?;
    Ok(item)
}

/// `json` with the plain renames, then the regex replacements, applied.
fn renamed(
    json: &Map<String, Value>,
    renames: &[KeyRename],
    replacements: &[Replacement],
    patterns: &mut Patterns,
) -> Result<Map<String, Value>, NodeError> {
    let mut output = json.clone();
    for rename in renames {
        let (current, new) = (&rename.current_key, &rename.new_key);
        if current.is_empty() || new.is_empty() || current == new {
            continue;
        }
        let Some(value) = get(json, current) else {
            continue;
        };
        if output.contains_key(new) {
            output.insert(new.clone(), value.clone());
        } else {
            set_path(&mut output, new, value.clone())?;
        }
        if output.contains_key(current) {
            output.shift_remove(current);
        } else {
            remove_path(&mut output, current);
        }
    }
    for replacement in replacements {
        let regex = patterns.compiled(
            &replacement.search_regex,
            replacement.options.case_insensitive,
        )?;
        let depth = replacement.options.depth.unwrap_or(f64::NAN);
        rename_object_keys(&mut output, depth, regex, &replacement.replace_regex)?;
    }
    Ok(output)
}

/// n8n's `renameObjectKeys`: nested values first (while `depth` is not 0), then the key itself.
fn rename_matching_keys(
    value: &mut Value,
    depth: f64,
    regex: &KeyRegex,
    replacement: &str,
) -> Result<(), NodeError> {
    match value {
        Value::Array(elements) if depth != 0.0 => {
            for element in elements {
                rename_matching_keys(element, depth - 1.0, regex, replacement)?;
            }
        }
        Value::String(text) => {
            // `for … in` over a string visits its indexes; renaming one throws, as assigning
            // a property of a string does in strict mode.
            for position in 0..text.encode_utf16().count() {
                let key = position.to_string();
                if let Some(new_key) = regex.replace(&key, replacement)?.filter(|new| *new != key) {
                    return Err(NodeError::operation(format!(
                        "Cannot create property '{new_key}' on string '{text}'"
                    ))
                    .with_description("hint: the regex renames the positions of a text inside a list; anchor it so it cannot match digits alone"));
                }
            }
        }
        Value::Object(fields) => rename_object_keys(fields, depth, regex, replacement)?,
        _ => {}
    }
    Ok(())
}

/// [`rename_matching_keys`] of an object. Keys are visited as `for … in` does: those present
/// when the loop started, in JavaScript's key order, if still present.
fn rename_object_keys(
    fields: &mut Map<String, Value>,
    depth: f64,
    regex: &KeyRegex,
    replacement: &str,
) -> Result<(), NodeError> {
    for key in js_key_order(fields.keys().cloned().collect()) {
        let Some(nested) = fields.get_mut(&key) else {
            continue;
        };
        if matches!(nested, Value::Object(_) | Value::Array(_)) && depth != 0.0 {
            rename_matching_keys(nested, depth - 1.0, regex, replacement)?;
        }
        let Some(new_key) = regex.replace(&key, replacement)? else {
            continue;
        };
        if new_key != key {
            let moved = fields[&key].clone();
            fields.insert(new_key, moved);
            fields.shift_remove(&key);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
