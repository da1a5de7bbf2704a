//! What the trigger remembers between polls, and how one poll's records change it. Pure: no I/O,
//! the time is an argument, so property tests can drive it through any history.
//!
//! The saved JSON keeps n8n's two keys (`lastTimeChecked`, `processedIds`, n8n-compat §5.4) so a
//! workflow can move between n8n and weft, and adds weft's tracking under `weft`:
//!
//! - the cursor field (`SystemModstamp` when filterable, else `LastModifiedDate`) and the cursor,
//!   the `(value, Id)` of the last record read: the largest, as queries are ordered by it;
//! - the dedupe keys (`Id` for Created, `Id_LastModifiedDate` for Updated) of records already
//!   handled, each with its event time, kept while a poll can still return it.
//!
//! A poll reads every record whose cursor field is at or after `cursor − lookback`, so a record
//! that becomes visible up to `lookback` late is still read; keys drop out only once their event
//! time is before the next poll's lower bound, where no poll can return them again. Nothing is
//! emitted twice and nothing visible within the lookback is missed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::event::Change;
use super::timestamp::Timestamp;

/// n8n keeps this many dedupe keys in `processedIds`.
const N8N_PROCESSED_IDS: usize = 10_000;

/// The timestamp field weft's cursor follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CursorField {
    /// `SystemModstamp`: also moves on system changes, indexed.
    SystemModstamp,
    /// `LastModifiedDate`.
    LastModifiedDate,
}

impl CursorField {
    /// The field's API name.
    pub fn name(self) -> &'static str {
        match self {
            CursorField::SystemModstamp => "SystemModstamp",
            CursorField::LastModifiedDate => "LastModifiedDate",
        }
    }
}

/// The position of the last record read: its cursor field value and `Id`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Cursor {
    /// The cursor field's value.
    pub at: Timestamp,
    /// The record's `Id` (the tie-break among equal timestamps).
    pub id: String,
}

/// The trigger's saved state (the node's static data).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TriggerState {
    /// n8n: when the last poll ran (its upper bound).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_time_checked: Option<String>,
    /// n8n: the latest dedupe keys, oldest first, at most 10,000.
    #[serde(default)]
    pub processed_ids: Vec<String>,
    /// weft's cursor and dedupe keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weft: Option<Tracking>,
}

/// weft's cursor and dedupe keys.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tracking {
    /// The field the cursor follows.
    pub field: CursorField,
    /// The last record read; `None` while the object had no record since tracking began, so
    /// every record read is new.
    pub cursor: Option<Cursor>,
    /// Dedupe keys of handled records with their event time (milliseconds).
    #[serde(default)]
    pub seen: BTreeMap<String, i64>,
}

/// What a poll must do before it can read records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Start {
    /// Nothing is known: find the newest record, then read the lookback before it without
    /// emitting (the first poll after activation emits nothing, as n8n's).
    Baseline,
    /// Read (and emit) every new record whose cursor field is at or after `from` (all when
    /// `None`).
    Read {
        /// The inclusive lower bound.
        from: Option<Timestamp>,
    },
}

impl TriggerState {
    /// The state saved as `value`, n8n's shape or weft's; none starts afresh. A state of another
    /// shape is an error: starting afresh would silently skip what changed since it was saved.
    pub fn from_value(value: Option<Value>) -> Result<Self, serde_json::Error> {
        value.map_or_else(|| Ok(Self::default()), serde_json::from_value)
    }

    /// How this poll starts. Without weft tracking: from `start_date` when the user set one,
    /// else from n8n's `lastTimeChecked` minus the lookback (a workflow moved from n8n, whose
    /// `processedIds` become the dedupe keys), else a baseline.
    pub fn start(
        &mut self,
        field: CursorField,
        start_date: Option<Timestamp>,
        lookback_ms: i64,
    ) -> Start {
        if let Some(tracking) = &self.weft {
            return Start::Read {
                from: tracking.lower_bound(lookback_ms),
            };
        }
        let from = match (start_date, self.n8n_last_check()) {
            (Some(start), _) => start,
            (None, Some(last)) => last.minus_ms(lookback_ms),
            (None, None) => return Start::Baseline,
        };
        let seen = self
            .processed_ids
            .iter()
            .map(|key| (key.clone(), key_time(key).unwrap_or(from).0))
            .collect();
        self.weft = Some(Tracking {
            field,
            cursor: None,
            seen,
        });
        Start::Read { from: Some(from) }
    }

    /// Begins tracking after a baseline found `newest` (none: the object is empty) and returns
    /// the lower bound to read without emitting.
    pub fn begin_at(
        &mut self,
        field: CursorField,
        newest: Option<Cursor>,
        lookback_ms: i64,
    ) -> Option<Timestamp> {
        let tracking = Tracking {
            field,
            cursor: newest,
            seen: BTreeMap::new(),
        };
        let from = tracking.lower_bound(lookback_ms);
        self.weft = Some(tracking);
        from
    }

    /// The tracking (after [`TriggerState::start`] or [`TriggerState::begin_at`]).
    pub fn tracking(&mut self) -> &mut Tracking {
        self.weft.get_or_insert_with(|| Tracking {
            field: CursorField::LastModifiedDate,
            cursor: None,
            seen: BTreeMap::new(),
        })
    }

    /// Ends a poll at `now`: n8n's `lastTimeChecked` and `processedIds` follow weft's state.
    pub fn finish(&mut self, now: Timestamp) {
        self.last_time_checked = Some(now.to_iso());
        if let Some(tracking) = &self.weft {
            let mut keys: Vec<(&i64, &String)> =
                tracking.seen.iter().map(|(key, at)| (at, key)).collect();
            keys.sort();
            let skip = keys.len().saturating_sub(N8N_PROCESSED_IDS);
            self.processed_ids = keys
                .into_iter()
                .skip(skip)
                .map(|(_, key)| key.clone())
                .collect();
        }
    }

    fn n8n_last_check(&self) -> Option<Timestamp> {
        self.last_time_checked.as_deref().and_then(Timestamp::parse)
    }
}

impl Tracking {
    /// The lower bound of the next read: the cursor minus the lookback.
    pub fn lower_bound(&self, lookback_ms: i64) -> Option<Timestamp> {
        self.cursor
            .as_ref()
            .map(|cursor| cursor.at.minus_ms(lookback_ms))
    }

    /// Takes one read's records (query order) that started at `from`; returns the indexes of
    /// the records to emit (none when `emit` is false), moves the cursor and forgets keys that
    /// no later read can return. Records without a string `Id` or a readable cursor value are
    /// skipped; so are Updated records never modified after creation.
    pub fn observe(
        &mut self,
        change: Change,
        from: Option<Timestamp>,
        records: &[Map<String, Value>],
        emit: bool,
        lookback_ms: i64,
    ) -> Vec<usize> {
        let mut emitted = Vec::new();
        for (index, record) in records.iter().enumerate() {
            let Some(id) = record.get("Id").and_then(Value::as_str) else {
                continue;
            };
            let Some(at) = time_of(record, self.field.name()) else {
                continue;
            };
            let position = Cursor {
                at,
                id: id.to_owned(),
            };
            if self.cursor.as_ref().is_none_or(|cursor| *cursor < position) {
                self.cursor = Some(position);
            }
            let Some((key, event_time)) = event_key(change, id, record) else {
                continue;
            };
            if from.is_some_and(|from| event_time < from) || self.seen.contains_key(&key) {
                continue;
            }
            self.seen.insert(key, event_time.0);
            if emit {
                emitted.push(index);
            }
        }
        if let Some(bound) = self.lower_bound(lookback_ms) {
            self.seen.retain(|_, at| *at >= bound.0);
        }
        emitted
    }
}

/// A record's dedupe key and event time: `Id` and `CreatedDate` for Created;
/// `Id_LastModifiedDate` (Salesforce's text) and `LastModifiedDate` for Updated, only when the
/// record was modified after its creation.
fn event_key(change: Change, id: &str, record: &Map<String, Value>) -> Option<(String, Timestamp)> {
    let created = time_of(record, "CreatedDate")?;
    match change {
        Change::Created => Some((id.to_owned(), created)),
        Change::Updated => {
            let text = record.get("LastModifiedDate")?.as_str()?;
            let modified = Timestamp::parse(text)?;
            (modified != created).then(|| (format!("{id}_{text}"), modified))
        }
    }
}

fn time_of(record: &Map<String, Value>, field: &str) -> Option<Timestamp> {
    record.get(field)?.as_str().and_then(Timestamp::parse)
}

/// The time in an n8n Updated key (`<Id>_<LastModifiedDate>`), if it has one.
fn key_time(key: &str) -> Option<Timestamp> {
    key.split_once('_').and_then(|(_, at)| Timestamp::parse(at))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const LOOKBACK: i64 = 15 * 60 * 1000;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    fn record(id: &str, created: &str, modified: &str) -> Map<String, Value> {
        json!({"Id": id, "CreatedDate": created, "LastModifiedDate": modified, "SystemModstamp": modified})
            .as_object()
            .unwrap()
            .clone()
    }

    #[test]
    fn a_new_trigger_starts_with_a_baseline_and_a_start_date_reads_from_it() {
        let mut state = TriggerState::default();
        assert_eq!(
            state.start(CursorField::SystemModstamp, None, LOOKBACK),
            Start::Baseline
        );
        let start = at("2026-11-22T10:00:00Z");
        assert_eq!(
            state.start(CursorField::SystemModstamp, Some(start), LOOKBACK),
            Start::Read { from: Some(start) }
        );
        assert_eq!(state.tracking().field, CursorField::SystemModstamp);
    }

    #[test]
    fn a_state_of_another_shape_is_refused_rather_than_restarted() {
        assert_eq!(
            TriggerState::from_value(None).unwrap(),
            TriggerState::default()
        );
        for wrong in [
            json!([1]),
            json!({"processedIds": "001A"}),
            json!({"weft": {"field": "Name"}}),
        ] {
            assert!(
                TriggerState::from_value(Some(wrong.clone())).is_err(),
                "{wrong}"
            );
        }
    }

    #[test]
    fn n8n_state_continues_from_last_time_checked_with_its_keys() {
        let mut state = TriggerState::from_value(Some(json!({
            "lastTimeChecked": "2026-11-22T12:00:00.000+00:00",
            "processedIds": ["001A", "001B_2026-11-22T11:58:03.000+0000"]
        })))
        .unwrap();
        assert_eq!(
            state.start(CursorField::LastModifiedDate, None, LOOKBACK),
            Start::Read {
                from: Some(at("2026-11-22T11:45:00Z"))
            }
        );
        let seen = &state.tracking().seen;
        assert_eq!(seen["001A"], at("2026-11-22T11:45:00Z").0);
        assert_eq!(
            seen["001B_2026-11-22T11:58:03.000+0000"],
            at("2026-11-22T11:58:03Z").0
        );
    }

    #[test]
    fn updated_skips_records_never_modified_and_keys_by_modification() {
        let mut state = TriggerState::default();
        let from = state.begin_at(CursorField::SystemModstamp, None, LOOKBACK);
        let records = [
            record(
                "001A",
                "2026-11-22T12:00:00.000+0000",
                "2026-11-22T12:00:00.000+0000",
            ),
            record(
                "001B",
                "2026-11-22T12:00:00.000+0000",
                "2026-11-22T12:01:00.000+0000",
            ),
        ];
        let tracking = state.tracking();
        assert_eq!(
            tracking.observe(Change::Updated, from, &records, true, LOOKBACK),
            [1]
        );
        assert_eq!(
            tracking.observe(Change::Updated, from, &records, true, LOOKBACK),
            Vec::<usize>::new()
        );
        let later = [record(
            "001B",
            "2026-11-22T12:00:00.000+0000",
            "2026-11-22T12:02:00.000+0000",
        )];
        assert_eq!(
            tracking.observe(Change::Updated, from, &later, true, LOOKBACK),
            [0]
        );
        assert_eq!(
            tracking.cursor.as_ref().unwrap().at,
            at("2026-11-22T12:02:00Z")
        );
    }

    #[test]
    fn finishing_writes_n8n_keys_oldest_first() {
        let mut state = TriggerState::default();
        let from = state.begin_at(CursorField::LastModifiedDate, None, LOOKBACK);
        let records = [
            record(
                "001B",
                "2026-11-22T12:01:00.000+0000",
                "2026-11-22T12:01:00.000+0000",
            ),
            record(
                "001A",
                "2026-11-22T12:00:00.000+0000",
                "2026-11-22T12:00:00.000+0000",
            ),
        ];
        state
            .tracking()
            .observe(Change::Created, from, &records, true, LOOKBACK);
        state.finish(at("2026-11-22T12:05:00Z"));
        assert_eq!(state.processed_ids, ["001A", "001B"]);
        assert_eq!(
            state.last_time_checked.as_deref(),
            Some("2026-11-22T12:05:00.000+00:00")
        );
        let saved = serde_json::to_value(&state).unwrap();
        assert_eq!(
            saved["weft"]["cursor"]["at"],
            "2026-11-22T12:01:00.000+00:00"
        );
        assert_eq!(TriggerState::from_value(Some(saved)).unwrap(), state);
    }
}
