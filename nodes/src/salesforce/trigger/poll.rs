//! The trigger's queries, as pure functions of the event, the saved state and the time, so the
//! scheduler (`weft start`) and the store can drive them later:
//!
//! - [`manual_query`]: one arbitrary record (n8n-compat §5.5);
//! - [`n8n_poll_query`]: n8n's overlapping window `[lastTimeChecked − 15 min, now)` (§5.3), kept
//!   for workflows that move between n8n and weft;
//! - [`keyset_query`]: weft's cursor from server data (W13): `SystemModstamp` or
//!   `LastModifiedDate` with `Id` as the tie-break, inclusive lower bound with a lookback, ordered
//!   so that the last record of a poll is the next cursor.

use serde_json::Value;

use super::event::{Change, Event};
use super::timestamp::Timestamp;
use crate::NodeError;
use crate::salesforce::soql::{self, Condition, LiteralRules, Query};

/// n8n's overlap: a scheduled poll starts 15 minutes before the previous one ended.
pub const N8N_OVERLAP_MS: i64 = 15 * 60 * 1000;

/// `SELECT <default fields> FROM <object>  LIMIT 1` (no conditions, hence two spaces).
pub fn manual_query(event: &Event) -> Result<String, NodeError> {
    soql::build(&Query {
        object: &event.object,
        fields: None,
        conditions: &[],
        limit: Some(1),
        rules: LiteralRules::V1_1,
    })
}

/// The window of one n8n poll: `end` is now, `start` is `lastTimeChecked` minus 15 minutes, or
/// now on the first poll (an empty window that only records `lastTimeChecked`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// Inclusive start.
    pub start: Timestamp,
    /// Exclusive end; the next `lastTimeChecked`.
    pub end: Timestamp,
}

impl Window {
    /// The window of a poll at `now` after a check that ended at `last_time_checked`.
    pub fn n8n(last_time_checked: Option<Timestamp>, now: Timestamp) -> Self {
        Self {
            start: last_time_checked.map_or(now, |last| last.minus_ms(N8N_OVERLAP_MS)),
            end: now,
        }
    }
}

/// n8n's scheduled query for `window`: Created filters `CreatedDate` into the window; Updated
/// filters `LastModifiedDate` into it and requires `CreatedDate` before its start (W13 (a):
/// this misses an update to a record created shortly before; [`keyset_query`] does not).
pub fn n8n_poll_query(event: &Event, window: Window) -> Result<String, NodeError> {
    let (start, end) = (window.start.to_iso(), window.end.to_iso());
    let conditions = match event.change {
        Change::Created => vec![
            condition("CreatedDate", ">=", &start),
            condition("CreatedDate", "<", &end),
        ],
        Change::Updated => vec![
            condition("LastModifiedDate", ">=", &start),
            condition("LastModifiedDate", "<", &end),
            condition("CreatedDate", "<", &start),
        ],
    };
    soql::build(&Query {
        object: &event.object,
        fields: None,
        conditions: &conditions,
        limit: None,
        rules: LiteralRules::V1_1,
    })
}

/// The timestamp field weft's cursor follows: `SystemModstamp` when the object allows filtering
/// on it (describe says `filterable`), else `LastModifiedDate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

/// weft's saved position: the cursor value and `Id` of the last record emitted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// The cursor field's value of the last record.
    pub at: Timestamp,
    /// That record's `Id` (the tie-break among equal timestamps; the dedupe keys cover the
    /// overlap).
    pub id: String,
}

/// weft's scheduled query: the minimal fields (W12: `Id`, `CreatedDate`, `LastModifiedDate` and
/// the cursor field) with `<field> >= <cursor − lookback>`, ordered by `<field>, Id`. Records read
/// again inside the lookback are dropped by the dedupe keys (`Id` for Created, `Id` plus the
/// cursor value for Updated), so a row that becomes visible late is still seen. Created also
/// requires `CreatedDate >= <lower bound>` (an old record modified now is no creation); Updated
/// keeps records with `LastModifiedDate != CreatedDate`, which SOQL cannot express, so the poller
/// filters them. Without a cursor (first poll) the lower bound is `start`.
pub fn keyset_query(
    event: &Event,
    field: CursorField,
    cursor: Option<&Cursor>,
    start: Timestamp,
    lookback_ms: i64,
) -> Result<String, NodeError> {
    let from = cursor
        .map_or(start, |cursor| cursor.at.minus_ms(lookback_ms))
        .to_iso();
    let mut conditions = vec![condition(field.name(), ">=", &from)];
    if event.change == Change::Created {
        conditions.push(condition("CreatedDate", ">=", &from));
    }
    let fields = match field {
        CursorField::SystemModstamp => "Id,CreatedDate,LastModifiedDate,SystemModstamp",
        CursorField::LastModifiedDate => "Id,CreatedDate,LastModifiedDate",
    };
    let select = soql::build(&Query {
        object: &event.object,
        fields: Some(&Value::String(fields.to_owned())),
        conditions: &conditions,
        limit: None,
        rules: LiteralRules::V1_1,
    })?;
    Ok(format!("{select} ORDER BY {}, Id", field.name()))
}

fn condition(field: &str, operation: &str, value: &str) -> Condition {
    Condition {
        field: field.to_owned(),
        operation: operation.to_owned(),
        value: Value::String(value.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(trigger_on: &str) -> Event {
        Event::parse(trigger_on, "Invoice__c").unwrap()
    }

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    #[test]
    fn manual_mode_asks_for_one_record_of_the_default_fields() {
        assert_eq!(
            manual_query(&event("accountCreated")).unwrap(),
            "SELECT id,name,type,LastModifiedDate FROM Account  LIMIT 1"
        );
        assert_eq!(
            manual_query(&event("customObjectUpdated")).unwrap(),
            "SELECT id,LastModifiedDate FROM Invoice__c  LIMIT 1"
        );
        assert!(manual_query(&Event::parse("customObjectCreated", "").unwrap()).is_err());
    }

    #[test]
    fn n8n_windows_overlap_by_15_minutes_and_start_empty() {
        let now = at("2026-11-22T12:00:00.000+00:00");
        assert_eq!(
            Window::n8n(None, now),
            Window {
                start: now,
                end: now
            }
        );
        let window = Window::n8n(Some(at("2026-11-22T12:00:00Z")), now);
        assert_eq!(window.start.to_iso(), "2026-11-22T11:45:00.000+00:00");
        assert_eq!(window.end, now);
    }

    #[test]
    fn n8n_queries_are_byte_exact() {
        let window = Window::n8n(
            Some(at("2026-11-22T12:00:00.000+00:00")),
            at("2026-11-22T12:00:00.000+00:00"),
        );
        assert_eq!(
            n8n_poll_query(&event("accountCreated"), window).unwrap(),
            "SELECT id,name,type,LastModifiedDate FROM Account WHERE CreatedDate >= 2026-11-22T11:45:00.000+00:00 AND CreatedDate < 2026-11-22T12:00:00.000+00:00"
        );
        assert_eq!(
            n8n_poll_query(&event("contactUpdated"), window).unwrap(),
            "SELECT id,firstname,lastname,email,LastModifiedDate FROM Contact WHERE LastModifiedDate >= 2026-11-22T11:45:00.000+00:00 AND LastModifiedDate < 2026-11-22T12:00:00.000+00:00 AND CreatedDate < 2026-11-22T11:45:00.000+00:00"
        );
    }

    #[test]
    fn keyset_queries_order_by_the_cursor_then_id_from_an_inclusive_lower_bound() {
        let cursor = Cursor {
            at: at("2026-11-22T11:58:03.000+0000"),
            id: "001Ak00000AbCdEIAV".into(),
        };
        let start = at("2026-11-22T10:00:00Z");
        assert_eq!(
            keyset_query(
                &event("leadUpdated"),
                CursorField::SystemModstamp,
                Some(&cursor),
                start,
                N8N_OVERLAP_MS
            )
            .unwrap(),
            "SELECT Id,CreatedDate,LastModifiedDate,SystemModstamp FROM Lead WHERE SystemModstamp >= 2026-11-22T11:43:03.000+00:00 ORDER BY SystemModstamp, Id"
        );
        assert_eq!(
            keyset_query(
                &event("customObjectCreated"),
                CursorField::LastModifiedDate,
                None,
                start,
                N8N_OVERLAP_MS
            )
            .unwrap(),
            "SELECT Id,CreatedDate,LastModifiedDate FROM Invoice__c WHERE LastModifiedDate >= 2026-11-22T10:00:00.000+00:00 AND CreatedDate >= 2026-11-22T10:00:00.000+00:00 ORDER BY LastModifiedDate, Id"
        );
    }
}
