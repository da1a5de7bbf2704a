//! What a Merge node was asked to do, read once (from item 0, as n8n reads every Merge
//! parameter) into a typed [`Settings`] per typeVersion family.

use serde_json::{Map, Value};

use crate::error::NodeError;

use super::objects::MergeMethod;

/// Reads a resolved parameter (expressions evaluated for item 0); `None` when absent.
pub type Read<'a> = dyn Fn(&str) -> Result<Option<Value>, NodeError> + 'a;

/// The typeVersion families, which differ in names and defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Generation {
    /// typeVersion 2 and 2.1.
    V2,
    /// typeVersion 3, 3.1 and 3.2.
    V3,
}

/// A v1 mode.
#[derive(Clone, Debug, PartialEq)]
pub enum V1Mode {
    /// `append`.
    Append,
    /// `passThrough`: the items of input `0` or `1`.
    PassThrough(usize),
    /// `wait`: one empty item.
    Wait,
    /// `mergeByIndex` with its `join`.
    ByIndex(IndexJoin),
    /// `mergeByKey`, `keepKeyMatches`, `removeKeyMatches`.
    ByKey(KeySettings),
    /// `multiplex`.
    Multiplex,
}

/// v1 `join` of `mergeByIndex`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexJoin {
    /// As many items as both inputs have.
    Inner,
    /// As many as input 1 has.
    Left,
    /// As many as the longer input has.
    Outer,
}

/// v1's key modes.
#[derive(Clone, Debug, PartialEq)]
pub struct KeySettings {
    /// Which of the three modes.
    pub kind: KeyMode,
    /// `propertyName1`.
    pub property1: String,
    /// `propertyName2`.
    pub property2: String,
    /// `overwrite`: `always`, `blank` or `undefined`.
    pub overwrite: String,
}

/// The v1 modes that match a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyMode {
    /// `mergeByKey`.
    Merge,
    /// `keepKeyMatches`.
    Keep,
    /// `removeKeyMatches`.
    Remove,
}

/// `options.clashHandling.values` as written (n8n reads it without defaults).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Clash {
    /// `resolveClash`; `None` when absent.
    pub resolve: Option<String>,
    /// `mergeMode` and `overrideEmpty`.
    pub method: MergeMethod,
}

impl Clash {
    /// `resolveClash: addSuffix`.
    pub fn adds_suffix(&self) -> bool {
        self.resolve.as_deref() == Some("addSuffix")
    }

    /// `resolveClash: preferInput1`.
    pub fn prefers_input1(&self) -> bool {
        self.resolve.as_deref() == Some("preferInput1")
    }
}

/// Which join the combine-by-fields mode makes (`joinMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinMode {
    /// `keepMatches` (inner join).
    KeepMatches,
    /// `keepNonMatches`.
    KeepNonMatches,
    /// `keepEverything` (outer join).
    KeepEverything,
    /// `enrichInput1` (left join).
    EnrichInput1,
    /// `enrichInput2` (right join).
    EnrichInput2,
}

/// `outputDataFrom`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFrom {
    /// `both`.
    Both,
    /// `input1`.
    Input1,
    /// `input2`.
    Input2,
}

/// Combine by matching fields (v2 `mergeByFields`, v3 `combineByFields`).
#[derive(Clone, Debug, PartialEq)]
pub struct FieldsSettings {
    /// The family (names of clash choices differ).
    pub generation: Generation,
    /// v2.0 checks that every field is present in some item of its input.
    pub check_presence: bool,
    /// `(field1, field2)` pairs.
    pub fields: Vec<(String, String)>,
    /// `joinMode`.
    pub join: JoinMode,
    /// `outputDataFrom`.
    pub output_from: OutputFrom,
    /// `options.clashHandling.values`.
    pub clash: Clash,
    /// `options.fuzzyCompare`.
    pub fuzzy: bool,
    /// `options.disableDotNotation`.
    pub disable_dot_notation: bool,
    /// `options.multipleMatches: first`.
    pub first_match_only: bool,
}

/// What a Merge node does.
#[derive(Clone, Debug, PartialEq)]
pub enum Settings {
    /// A v1 mode.
    V1(V1Mode),
    /// Every input's items, one input after the other.
    Append,
    /// Combine by matching fields.
    ByFields(FieldsSettings),
    /// Combine by position.
    ByPosition {
        /// The family (v3 merges any number of inputs).
        generation: Generation,
        /// `options.clashHandling.values`.
        clash: Clash,
        /// `options.includeUnpaired`.
        include_unpaired: bool,
    },
    /// Every pair of input 1 and input 2 items (v2 multiplex, v3 combineAll).
    CrossJoin {
        /// `options.clashHandling.values`.
        clash: Clash,
    },
    /// Choose a branch.
    ChooseBranch(Branch),
}

/// What chooseBranch outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Branch {
    /// The items of this input (0-based).
    Input(usize),
    /// One empty item paired with every item of inputs 1 and 2.
    Empty,
    /// An unknown `chooseBranchMode` or `output`: nothing.
    Nothing,
}

impl Settings {
    /// Reads the settings of a Merge node of typeVersion `version`.
    pub fn read(version: f64, read: &Read<'_>) -> Result<Settings, NodeError> {
        if version < 2.0 {
            return read_v1(read).map(Settings::V1);
        }
        let generation = if version < 3.0 {
            Generation::V2
        } else {
            Generation::V3
        };
        let mode = text(read, "mode")?;
        match mode.as_str() {
            "append" => Ok(Settings::Append),
            "chooseBranch" => read_branch(generation, read).map(Settings::ChooseBranch),
            "combine" => read_combine(generation, version, read),
            other => Err(
                NodeError::operation(format!("The Merge mode \"{other}\" is not known"))
                    .with_description("use one of append, combine, chooseBranch"),
            ),
        }
    }
}

fn read_v1(read: &Read<'_>) -> Result<V1Mode, NodeError> {
    let mode = text(read, "mode")?;
    let key = |kind| -> Result<V1Mode, NodeError> {
        Ok(V1Mode::ByKey(KeySettings {
            kind,
            property1: text_or(read, "propertyName1", "")?,
            property2: text_or(read, "propertyName2", "")?,
            overwrite: text_or(read, "overwrite", "always")?,
        }))
    };
    match mode.as_str() {
        "append" => Ok(V1Mode::Append),
        "passThrough" => Ok(V1Mode::PassThrough(usize::from(
            text_or(read, "output", "input1")? != "input1",
        ))),
        "wait" => Ok(V1Mode::Wait),
        "multiplex" => Ok(V1Mode::Multiplex),
        "mergeByIndex" => Ok(V1Mode::ByIndex(match text_or(read, "join", "left")?.as_str() {
            "inner" => IndexJoin::Inner,
            "outer" => IndexJoin::Outer,
            _ => IndexJoin::Left,
        })),
        "mergeByKey" => key(KeyMode::Merge),
        "keepKeyMatches" => key(KeyMode::Keep),
        "removeKeyMatches" => key(KeyMode::Remove),
        other => Err(NodeError::operation(format!(
            "The Merge mode \"{other}\" is not known"
        ))
        .with_description(
            "use one of append, passThrough, wait, mergeByIndex, mergeByKey, multiplex, keepKeyMatches, removeKeyMatches",
        )),
    }
}

fn read_branch(generation: Generation, read: &Read<'_>) -> Result<Branch, NodeError> {
    let (waiting, specified) = match generation {
        Generation::V2 => ("waitForBoth", None),
        Generation::V3 => ("waitForAll", Some("specifiedInput")),
    };
    if text(read, "chooseBranchMode")? != waiting {
        return Ok(Branch::Nothing);
    }
    let output = text(read, "output")?;
    Ok(match output.as_str() {
        "empty" => Branch::Empty,
        "input1" if generation == Generation::V2 => Branch::Input(0),
        "input2" if generation == Generation::V2 => Branch::Input(1),
        chosen if Some(chosen) == specified => {
            let number = read("useDataOfInput")?
                .as_ref()
                .and_then(number_of)
                .filter(|number| *number >= 1.0 && number.fract() == 0.0)
                .ok_or_else(|| {
                    NodeError::operation("Parameter \"useDataOfInput\" must be an input number")
                        .with_description(
                            "set Use Data of Input to 1, 2, … up to the number of inputs",
                        )
                })?;
            Branch::Input(number as usize - 1)
        }
        _ => Branch::Nothing,
    })
}

fn read_combine(
    generation: Generation,
    version: f64,
    read: &Read<'_>,
) -> Result<Settings, NodeError> {
    let by = match generation {
        Generation::V2 => text(read, "combinationMode")?,
        Generation::V3 => text(read, "combineBy")?,
    };
    let clash = read_clash(read)?;
    match by.as_str() {
        "multiplex" | "combineAll" => Ok(Settings::CrossJoin { clash }),
        "mergeByPosition" | "combineByPosition" => Ok(Settings::ByPosition {
            generation,
            clash,
            include_unpaired: flag(read, "options.includeUnpaired")?,
        }),
        "mergeByFields" | "combineByFields" => {
            let fields = read_fields(generation, read)?;
            Ok(Settings::ByFields(FieldsSettings {
                generation,
                check_presence: version < 2.1,
                fields,
                join: read_join(read)?,
                output_from: match text_or(read, "outputDataFrom", "both")?.as_str() {
                    "input1" => OutputFrom::Input1,
                    "input2" => OutputFrom::Input2,
                    _ => OutputFrom::Both,
                },
                clash,
                fuzzy: flag(read, "options.fuzzyCompare")?,
                disable_dot_notation: flag(read, "options.disableDotNotation")?,
                first_match_only: text_or(read, "options.multipleMatches", "all")? == "first",
            }))
        }
        other => Err(NodeError::operation(format!(
            "The Merge combination \"{other}\" is not known"
        ))
        .with_description("combine by matching fields, by position, or all combinations")),
    }
}

fn read_join(read: &Read<'_>) -> Result<JoinMode, NodeError> {
    let join = text(read, "joinMode")?;
    Ok(match join.as_str() {
        "keepMatches" => JoinMode::KeepMatches,
        "keepNonMatches" => JoinMode::KeepNonMatches,
        "keepEverything" => JoinMode::KeepEverything,
        "enrichInput1" => JoinMode::EnrichInput1,
        "enrichInput2" => JoinMode::EnrichInput2,
        other => {
            return Err(NodeError::operation(format!(
                "The Merge output type \"{other}\" is not known"
            ))
            .with_description(
                "use one of keepMatches, keepNonMatches, keepEverything, enrichInput1, enrichInput2",
            ));
        }
    })
}

/// The field pairs, checked as n8n's `checkMatchFieldsInput` does.
fn read_fields(
    generation: Generation,
    read: &Read<'_>,
) -> Result<Vec<(String, String)>, NodeError> {
    let advanced = generation == Generation::V2 || flag(read, "advanced")?;
    let pairs: Vec<(String, String)> = if advanced {
        let entries = read("mergeByFields.values")?.unwrap_or(Value::Array(Vec::new()));
        let entries = match entries {
            Value::Array(entries) => entries,
            other => vec![other],
        };
        entries
            .iter()
            .map(|entry| {
                let field = |name: &str| entry.get(name).map(display_text).unwrap_or_default();
                (field("field1"), field("field2"))
            })
            .collect()
    } else {
        text_or(read, "fieldsToMatchString", "")?
            .split(',')
            .map(|field| (field.trim().to_owned(), field.trim().to_owned()))
            .collect()
    };
    if let [(first, second)] = pairs.as_slice()
        && first.is_empty()
        && second.is_empty()
    {
        return Err(NodeError::operation(
            "You need to define at least one pair of fields in \"Fields to Match\" to match on",
        )
        .with_description("name the field of input 1 and of input 2 whose values must be equal"));
    }
    if let Some(index) = pairs
        .iter()
        .position(|(first, second)| first.is_empty() || second.is_empty())
    {
        let (first, second) = &pairs[index];
        return Err(NodeError::operation(format!(
            "You need to define both fields in \"Fields to Match\" for pair {},\n\t\t\t\t field 1 = '{first}'\n\t\t\t\t field 2 = '{second}'",
            index + 1
        ))
        .with_description("fill in both field names of every pair"));
    }
    Ok(pairs)
}

fn read_clash(read: &Read<'_>) -> Result<Clash, NodeError> {
    let values = match read("options.clashHandling.values")? {
        Some(Value::Object(values)) => values,
        _ => Map::new(),
    };
    let mode = values.get("mergeMode").and_then(Value::as_str);
    let override_empty = values.get("overrideEmpty").is_some_and(truthy);
    Ok(Clash {
        resolve: values.get("resolveClash").map(display_text),
        // n8n honours overrideEmpty only with an explicit deepMerge or shallowMerge.
        method: MergeMethod {
            shallow: mode == Some("shallowMerge"),
            keep_earlier_over_empty: override_empty
                && matches!(mode, Some("deepMerge" | "shallowMerge")),
        },
    })
}

/// A parameter that must be present (its default is filled by the runtime).
fn text(read: &Read<'_>, path: &str) -> Result<String, NodeError> {
    read(path)?
        .map(|value| display_text(&value))
        .ok_or_else(|| NodeError::missing_parameter(path))
}

fn text_or(read: &Read<'_>, path: &str, default: &str) -> Result<String, NodeError> {
    Ok(read(path)?
        .map(|value| display_text(&value))
        .unwrap_or_else(|| default.to_owned()))
}

fn flag(read: &Read<'_>, path: &str) -> Result<bool, NodeError> {
    Ok(read(path)?.is_some_and(|value| truthy(&value)))
}

/// JavaScript truthiness of a JSON value.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::Number(number) => number.as_f64().is_some_and(|n| n != 0.0),
        Value::String(text) => !text.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

fn number_of(value: &Value) -> Option<f64> {
    match value {
        Value::Number(number) => number.as_f64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

fn display_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
