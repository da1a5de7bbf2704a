//! The trigger's queries, as pure functions of the event, the cursor and the user's options:
//!
//! - [`manual_query`]: one arbitrary record (n8n-compat §5.5);
//! - [`newest_query`]: the newest record, where a new trigger's tracking begins;
//! - [`keyset_query`]: weft's scheduled read from server data (W13): `SystemModstamp` or
//!   `LastModifiedDate` with `Id` as the tie-break, inclusive lower bound with a lookback, ordered
//!   so that the last record of a poll is the next cursor. n8n's window from the local clock
//!   (`[lastTimeChecked − 15 min, now)`, with Updated requiring `CreatedDate < start`) is not
//!   copied: it misses updates to young records and rows that become visible late.

use serde_json::Value;

use super::event::{Change, Event};
use super::timestamp::Timestamp;
use super::tracking::CursorField;
use crate::NodeError;
use crate::salesforce::soql::{self, Condition, LiteralRules, Query};

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

/// weft's scheduled query: `select` (the user's fields plus those the cursor needs) with
/// `<field> >= <from>` (and for Created `CreatedDate >= <from>`) and the user's conditions,
/// ordered by `<field>, Id` so that the last record read is the next cursor. Records read again
/// inside the lookback are dropped by the dedupe keys (see [`super::tracking`]); Updated keeps
/// records with `LastModifiedDate != CreatedDate`, which SOQL cannot express, so the tracking
/// filters them. Without `from` (the object was empty when tracking began) every record is read.
pub fn keyset_query(
    event: &Event,
    field: CursorField,
    select: &str,
    from: Option<Timestamp>,
    conditions: &[Condition],
) -> Result<String, NodeError> {
    let mut all = Vec::new();
    if let Some(from) = from {
        let from = from.to_iso();
        all.push(condition(field.name(), ">=", &from));
        if event.change == Change::Created {
            all.push(condition("CreatedDate", ">=", &from));
        }
    }
    all.extend_from_slice(conditions);
    let query = soql::build(&Query {
        object: &event.object,
        fields: Some(&Value::String(select.to_owned())),
        conditions: &all,
        limit: None,
        rules: LiteralRules::V1_1,
    })?;
    Ok(format!(
        "{} ORDER BY {}, Id",
        query.trim_end(),
        field.name()
    ))
}

/// The baseline's query: the newest record by the cursor field.
pub fn newest_query(event: &Event, field: CursorField) -> Result<String, NodeError> {
    let name = field.name();
    let query = soql::build(&Query {
        object: &event.object,
        fields: Some(&Value::String(format!("Id,{name}"))),
        conditions: &[],
        limit: None,
        rules: LiteralRules::V1_1,
    })?;
    Ok(format!(
        "{} ORDER BY {name} DESC, Id DESC LIMIT 1",
        query.trim_end()
    ))
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
    fn keyset_queries_order_by_the_cursor_then_id_from_an_inclusive_lower_bound() {
        let from = at("2026-11-22T11:43:03.000+0000");
        let extra = [condition("Status", "equal", "Open")];
        assert_eq!(
            keyset_query(
                &event("leadUpdated"),
                CursorField::SystemModstamp,
                "id,name,Id,CreatedDate,LastModifiedDate,SystemModstamp",
                Some(from),
                &extra
            )
            .unwrap(),
            "SELECT id,name,Id,CreatedDate,LastModifiedDate,SystemModstamp FROM Lead WHERE SystemModstamp >= 2026-11-22T11:43:03.000+00:00 AND Status = 'Open' ORDER BY SystemModstamp, Id"
        );
        assert_eq!(
            keyset_query(
                &event("customObjectCreated"),
                CursorField::LastModifiedDate,
                "Id,CreatedDate,LastModifiedDate",
                Some(at("2026-11-22T10:00:00Z")),
                &[]
            )
            .unwrap(),
            "SELECT Id,CreatedDate,LastModifiedDate FROM Invoice__c WHERE LastModifiedDate >= 2026-11-22T10:00:00.000+00:00 AND CreatedDate >= 2026-11-22T10:00:00.000+00:00 ORDER BY LastModifiedDate, Id"
        );
        assert_eq!(
            keyset_query(
                &event("accountCreated"),
                CursorField::SystemModstamp,
                "Id",
                None,
                &[]
            )
            .unwrap(),
            "SELECT Id FROM Account ORDER BY SystemModstamp, Id"
        );
    }

    #[test]
    fn the_baseline_asks_for_the_newest_record() {
        assert_eq!(
            newest_query(&event("accountUpdated"), CursorField::SystemModstamp).unwrap(),
            "SELECT Id,SystemModstamp FROM Account ORDER BY SystemModstamp DESC, Id DESC LIMIT 1"
        );
    }
}
