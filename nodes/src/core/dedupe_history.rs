//! Remove Duplicates across executions (typeVersion 2's `removeItemsSeenInPreviousExecutions`
//! and `clearDeduplicationHistory`), with n8n 2.41's rules: input items are grouped by their
//! value to dedupe on (in JavaScript's object key order), each group kept (output 0) or
//! discarded (output 1) by the history of the node or workflow (`options.scope`), which the
//! runtime keeps through [`ProcessedData`]:
//!
//! - `removeItemsWithAlreadySeenKeyValues`: a value is new when the history does not hold it;
//!   new values join the history (as SHA-256 digests, not as they are). A run whose items would
//!   take the history past `options.historySize` fails, as in n8n: clear it or raise the size;
//! - `removeItemsUpToStoredIncrementalKey` / `removeItemsUpToStoredDate`: a value is new when it
//!   is higher (later) than the stored one, which becomes the highest seen (the first run keeps
//!   everything).
//!
//! A history written under one logic refuses another, as n8n's does; `cleanDatabase` removes it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::conditions::js::{number_to_string, string_to_number, to_js_string};
use super::conditions::parse_date_time_in;
use super::lodash::js_key_order;
use crate::error::NodeError;
use crate::item::Item;
use crate::node::NodeContext;
use crate::processed_data::HistoryScope;

/// n8n's `historySize` when not set.
const DEFAULT_HISTORY_SIZE: f64 = 10_000.0;

/// How values are compared with the history (n8n's processed-data modes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// A set of the latest values.
    Entries,
    /// The highest number.
    LatestIncrementalKey,
    /// The latest date.
    LatestDate,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Self::Entries => "entries",
            Self::LatestIncrementalKey => "latestIncrementalKey",
            Self::LatestDate => "latestDate",
        }
    }
}

/// Items grouped by the value they are deduplicated on, in JavaScript's key order.
struct Groups {
    keys: Vec<String>,
    items: std::collections::HashMap<String, Vec<Item>>,
}

impl Groups {
    fn new(keyed: Vec<(String, Item)>) -> Self {
        let mut order = Vec::new();
        let mut items: std::collections::HashMap<String, Vec<Item>> = Default::default();
        for (key, item) in keyed {
            let group = items.entry(key.clone()).or_default();
            if group.is_empty() {
                order.push(key);
            }
            group.push(item);
        }
        Self {
            keys: js_key_order(order),
            items,
        }
    }

    fn take(&mut self, keys: &[String]) -> Vec<Item> {
        keys.iter()
            .flat_map(|key| self.items.remove(key).unwrap_or_default())
            .collect()
    }
}

/// `removeItemsSeenInPreviousExecutions`: the kept and the discarded items.
pub(super) fn remove_seen(ctx: &NodeContext<'_>) -> Result<(Vec<Item>, Vec<Item>), NodeError> {
    let items = ctx.input();
    let logic: String = ctx.parameter_as("logic", 0)?;
    let scope = scope(ctx)?;
    let mode = match logic.as_str() {
        "removeItemsWithAlreadySeenKeyValues" => Mode::Entries,
        "removeItemsUpToStoredIncrementalKey" => Mode::LatestIncrementalKey,
        "removeItemsUpToStoredDate" => Mode::LatestDate,
        _ => return Ok((items.to_vec(), Vec::new())),
    };
    let mut keyed = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        keyed.push((dedupe_key(ctx, mode, index)?, item.clone()));
    }
    let mut groups = Groups::new(keyed);
    let history_size = match mode {
        Mode::Entries => Some(
            ctx.optional_parameter("options.historySize", 0)?
                .and_then(|size| size.as_f64())
                .unwrap_or(DEFAULT_HISTORY_SIZE),
        ),
        _ => None,
    };
    let mut outcome = None;
    ctx.processed_data()?.update(scope, &mut |stored| {
        let (value, new, processed) =
            record(stored, mode, &groups.keys, items.len(), history_size)?;
        outcome = Some((new, processed));
        Ok(Some(value))
    })?;
    let (new, processed) = outcome.unwrap_or_default();
    Ok((groups.take(&new), groups.take(&processed)))
}

/// `clearDeduplicationHistory`: `cleanDatabase` forgets the scope's history.
pub(super) fn clear(ctx: &NodeContext<'_>) -> Result<(), NodeError> {
    let mode: String = ctx.parameter_as("mode", 0)?;
    if mode == "cleanDatabase" {
        let scope = scope(ctx)?;
        ctx.processed_data()?.update(scope, &mut |_| Ok(None))?;
    }
    Ok(())
}

fn scope(ctx: &NodeContext<'_>) -> Result<HistoryScope, NodeError> {
    let scope = ctx
        .optional_parameter("options.scope", 0)?
        .map(|scope| to_js_string(Some(&scope)))
        .unwrap_or_else(|| "node".to_owned());
    match scope.as_str() {
        "node" => Ok(HistoryScope::Node),
        "workflow" => Ok(HistoryScope::Workflow),
        other => Err(NodeError::operation(format!(
            "The scope '{other}' is not supported. Please select either \"node\" or \"workflow\"."
        ))),
    }
}

/// The value item `index` is deduplicated on, as the history compares it.
fn dedupe_key(ctx: &NodeContext<'_>, mode: Mode, index: usize) -> Result<String, NodeError> {
    let parameter = match mode {
        Mode::Entries => "dedupeValue",
        Mode::LatestIncrementalKey => "incrementalDedupeValue",
        Mode::LatestDate => "dateDedupeValue",
    };
    let value = ctx.optional_parameter(parameter, index)?;
    let text = match value {
        None | Some(Value::Null) => String::new(),
        Some(value) => to_js_string(Some(&value)),
    };
    let empty =
        || NodeError::operation("The `Value to Dedupe` On is empty. Please provide a value.");
    match mode {
        Mode::Entries => Ok(text),
        Mode::LatestIncrementalKey => {
            if text.is_empty() {
                return Err(empty());
            }
            let number = string_to_number(&text);
            if number.is_nan() {
                return Err(NodeError::operation(format!(
                    "The value '{text}' is not a number. Please provide a number."
                )));
            }
            Ok(number_to_string(number))
        }
        Mode::LatestDate => {
            if text.is_empty() {
                return Err(empty());
            }
            if parse_date_time_in(&text, ctx.settings().time_zone).is_none() {
                return Err(NodeError::operation(format!(
                    "The value '{text}' is not a valid date. Please provide a valid date."
                )));
            }
            Ok(text)
        }
    }
}

/// n8n's `checkProcessedAndRecord` over the `stored` history: the history to store, the new
/// keys and the keys processed before. `item_count` and `history_size` are for n8n's refusal
/// of more items than the history holds.
fn record(
    stored: Option<Value>,
    mode: Mode,
    keys: &[String],
    item_count: usize,
    history_size: Option<f64>,
) -> Result<(Value, Vec<String>, Vec<String>), NodeError> {
    if let Some(stored_mode) = stored
        .as_ref()
        .and_then(|value| value.get("mode"))
        .and_then(Value::as_str)
        .filter(|stored_mode| *stored_mode != mode.name())
    {
        return Err(NodeError::operation(
            "Deduplication data was originally saved with an incompatible setting of the ‘Keep \
             Items Where’ parameter. Try ’Clean Database’ operation to reset.",
        )
        .with_description(format!(
            "the history was written by the logic `{stored_mode}` (hint: run the operation \
             clearDeduplicationHistory once, or keep the logic)"
        )));
    }
    let data = stored.and_then(|mut value| value.get_mut("data").map(Value::take));
    match mode {
        Mode::Entries => record_entries(data, keys, item_count, history_size),
        Mode::LatestIncrementalKey | Mode::LatestDate => record_latest(data, mode, keys),
    }
}

fn record_entries(
    data: Option<Value>,
    keys: &[String],
    item_count: usize,
    history_size: Option<f64>,
) -> Result<(Value, Vec<String>, Vec<String>), NodeError> {
    let size = history_size.unwrap_or(DEFAULT_HISTORY_SIZE);
    let mut digests: Vec<String> = match &data {
        Some(Value::Array(values)) => values
            .iter()
            .filter_map(|value| value.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    if digests.len() as f64 + item_count as f64 > size {
        return Err(NodeError::operation(
            "The number of items to be processed exceeds the maximum history size. Please \
             increase the history size or reduce the number of items to be processed.",
        ));
    }
    let first = data.is_none();
    let seen: std::collections::HashSet<String> = digests.iter().cloned().collect();
    let (mut new, mut processed) = (Vec::new(), Vec::new());
    for key in keys {
        let digest = digest(key);
        if !first && seen.contains(&digest) {
            processed.push(key.clone());
        } else {
            new.push(key.clone());
            digests.push(digest);
        }
    }
    // n8n keeps the latest `historySize` values (all of them when it is 0); the check above
    // leaves this to a history written with a larger size.
    if size >= 1.0 {
        let keep = size as usize;
        let excess = digests.len().saturating_sub(keep);
        digests.drain(..excess);
    }
    Ok((
        json!({"mode": Mode::Entries.name(), "data": digests}),
        new,
        processed,
    ))
}

fn record_latest(
    data: Option<Value>,
    mode: Mode,
    keys: &[String],
) -> Result<(Value, Vec<String>, Vec<String>), NodeError> {
    let order = |key: &str| -> f64 {
        match mode {
            Mode::LatestIncrementalKey => string_to_number(key),
            _ => parse_date_time_in(key, chrono_tz::Tz::UTC)
                .map_or(f64::NAN, |moment| moment.timestamp_millis() as f64),
        }
    };
    let mut sorted = keys.to_vec();
    sorted.sort_by(|a, b| order(a).total_cmp(&order(b)));
    let stored = data.as_ref().and_then(Value::as_str).map(str::to_owned);
    let (largest, new, processed) = match stored {
        None => (sorted.last().cloned(), keys.to_vec(), Vec::new()),
        Some(stored) => {
            let threshold = order(&stored);
            let (new, processed): (Vec<String>, Vec<String>) =
                sorted.into_iter().partition(|key| order(key) > threshold);
            let largest = new.last().cloned().unwrap_or(stored);
            (Some(largest), new, processed)
        }
    };
    Ok((
        json!({"mode": mode.name(), "data": largest}),
        new,
        processed,
    ))
}

/// How a value is kept in the history: its SHA-256, base64.
fn digest(key: &str) -> String {
    STANDARD.encode(Sha256::digest(key.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|key| (*key).to_owned()).collect()
    }

    #[test]
    fn entries_remember_the_latest_values_up_to_the_history_size() {
        let (history, new, processed) =
            record(None, Mode::Entries, &keys(&["a", "b"]), 2, Some(3.0)).unwrap();
        assert_eq!((new, processed), (keys(&["a", "b"]), keys(&[])));
        let (history, new, processed) =
            record(Some(history), Mode::Entries, &keys(&["b"]), 1, Some(3.0)).unwrap();
        assert_eq!((new, processed), (keys(&[]), keys(&["b"])));
        let (history, new, _) =
            record(Some(history), Mode::Entries, &keys(&["c"]), 1, Some(3.0)).unwrap();
        assert_eq!(new, keys(&["c"]));
        // Three values held: one more item than the size allows is refused.
        let error = record(
            Some(history.clone()),
            Mode::Entries,
            &keys(&["d"]),
            1,
            Some(3.0),
        )
        .unwrap_err();
        assert!(error.message.contains("exceeds the maximum history size"));
        let (_, new, processed) = record(
            Some(history),
            Mode::Entries,
            &keys(&["a", "d"]),
            2,
            Some(5.0),
        )
        .unwrap();
        assert_eq!((new, processed), (keys(&["d"]), keys(&["a"])));
        let (history, ..) = record(None, Mode::Entries, &keys(&["secret@x"]), 1, None).unwrap();
        assert!(
            !history.to_string().contains("secret"),
            "values are kept as digests"
        );
    }

    #[test]
    fn latest_modes_keep_what_is_beyond_the_stored_value() {
        let (history, new, _) = record(
            None,
            Mode::LatestIncrementalKey,
            &keys(&["5", "3"]),
            2,
            None,
        )
        .unwrap();
        assert_eq!(new, keys(&["5", "3"]), "the first run keeps everything");
        assert_eq!(history["data"], "5");
        let (history, new, processed) = record(
            Some(history),
            Mode::LatestIncrementalKey,
            &keys(&["7", "5", "10"]),
            3,
            None,
        )
        .unwrap();
        assert_eq!((new, processed), (keys(&["7", "10"]), keys(&["5"])));
        assert_eq!(history["data"], "10");
        let (history, ..) = record(
            None,
            Mode::LatestDate,
            &keys(&["2024-01-02T00:00:00Z", "2024-01-01T00:00:00Z"]),
            2,
            None,
        )
        .unwrap();
        let (_, new, processed) = record(
            Some(history),
            Mode::LatestDate,
            &keys(&["2024-01-02T00:00:00Z", "2024-03-01T00:00:00Z"]),
            2,
            None,
        )
        .unwrap();
        assert_eq!(
            (new, processed),
            (
                keys(&["2024-03-01T00:00:00Z"]),
                keys(&["2024-01-02T00:00:00Z"])
            )
        );
    }

    #[test]
    fn a_history_of_another_logic_is_refused() {
        let (history, ..) = record(None, Mode::Entries, &keys(&["a"]), 1, None).unwrap();
        let error = record(
            Some(history),
            Mode::LatestDate,
            &keys(&["2024-01-01"]),
            1,
            None,
        )
        .unwrap_err();
        assert!(error.message.contains("incompatible setting"), "{error:?}");
    }
}
