//! One scheduled poll of the Salesforce Trigger: read the options, learn from the object's
//! describe which fields the user can see and whether `SystemModstamp` can be filtered on, start
//! or continue the tracking ([`super::tracking`]), read every page of the keyset query and emit
//! the new records with the fields the user asked for.
//!
//! Describes are cached per process and object for an hour, so a poll costs one query (plus one
//! describe an hour); a query refused with `INVALID_FIELD` (a field hidden since) describes again
//! and retries once.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use super::event::Event;
use super::poll::{keyset_query, newest_query};
use super::timestamp::Timestamp;
use super::tracking::{Cursor, CursorField, Start, TriggerState};
use crate::node::{Emitter, NodeContext};
use crate::salesforce::api::Api;
use crate::salesforce::credential_type;
use crate::salesforce::operations::conditions;
use crate::salesforce::pager::{QueryScope, stream_query};
use crate::salesforce::soql::{self, Condition};
use crate::{Item, NodeError, Poll};

/// How long a describe is trusted.
const DESCRIBE_TTL: Duration = Duration::from_secs(3600);

/// The trigger's parameters for a scheduled poll.
struct Settings {
    event: Event,
    credential_type: &'static str,
    /// The fields items keep, as asked (the user's list or n8n's default list).
    requested: Vec<String>,
    conditions: Vec<Condition>,
    lookback_ms: i64,
    start_date: Option<Timestamp>,
}

impl Settings {
    fn read(ctx: &NodeContext<'_>) -> Result<Self, NodeError> {
        let text = |name: &str| -> Result<String, NodeError> {
            Ok(match ctx.optional_parameter(name, 0)? {
                Some(Value::String(text)) => text,
                _ => String::new(),
            })
        };
        let event = Event::parse(&text("triggerOn")?, &text("customObject")?)?;
        soql::validate_object(&event.object)?;
        let options = match ctx.optional_parameter("options", 0)? {
            Some(Value::Object(options)) => options,
            _ => Map::new(),
        };
        let fields = soql::field_list(&event.object, options.get("fields"))?;
        let lookback_minutes = options
            .get("lookback")
            .and_then(Value::as_f64)
            .unwrap_or(15.0);
        if !(lookback_minutes.is_finite() && lookback_minutes >= 0.0) {
            return Err(
                NodeError::operation("The lookback must be zero or more minutes")
                    .with_description("Set Options → Lookback (Minutes) to a number such as 15"),
            );
        }
        let start_date = match options.get("startDate") {
            Some(Value::String(text)) if !text.is_empty() => {
                Some(Timestamp::parse(text).ok_or_else(|| {
                    NodeError::operation(format!(
                        "The start date \"{text}\" is not a date and time"
                    ))
                    .with_description("Use ISO-8601 with an offset, e.g. 2026-11-22T09:00:00Z")
                })?)
            }
            _ => None,
        };
        Ok(Self {
            event,
            credential_type: credential_type(&text("authentication")?),
            requested: fields.split(',').map(str::to_owned).collect(),
            conditions: conditions(&options),
            lookback_ms: (lookback_minutes * 60_000.0) as i64,
            start_date,
        })
    }
}

/// What the poll needs from an object's describe.
#[derive(Clone, Debug)]
struct Described {
    /// Field names the user can see.
    visible: Vec<String>,
    /// `SystemModstamp` is there and filterable.
    modstamp_filterable: bool,
}

/// Describes per `<describe URL>`, with when they were fetched.
static DESCRIBES: LazyLock<Mutex<HashMap<String, (Instant, Described)>>> =
    LazyLock::new(Mutex::default);

/// One scheduled poll with the saved `state`.
pub(super) async fn poll(ctx: &NodeContext<'_>, saved: Option<Value>) -> Result<Poll, NodeError> {
    let settings = Settings::read(ctx)?;
    let api = Api::new(ctx, settings.credential_type);
    match poll_once(&api, &settings, saved.clone(), false).await {
        Err(error) if is_invalid_field(&error) => poll_once(&api, &settings, saved, true).await,
        result => result,
    }
}

async fn poll_once(
    api: &Api<'_, '_>,
    settings: &Settings,
    saved: Option<Value>,
    fresh_describe: bool,
) -> Result<Poll, NodeError> {
    let event = &settings.event;
    let described = describe(api, &event.object, fresh_describe).await?;
    let mut state = TriggerState::from_value(saved).map_err(|error| {
        NodeError::operation("The saved state of this trigger cannot be read").with_description(
            format!(
                "{error} (hint: run `weft start --reset-state` with the workflow to forget it; the next poll takes a new baseline and emits nothing)"
            ),
        )
    })?;
    let field = match &state.weft {
        Some(tracking) => tracking.field,
        None if described.modstamp_filterable => CursorField::SystemModstamp,
        None => CursorField::LastModifiedDate,
    };
    let mut warnings = Vec::new();
    let kept = visible_fields(
        &settings.requested,
        &described,
        &event.object,
        &mut warnings,
    );
    let select = select_list(&kept, field);
    let lookback = settings.lookback_ms;
    let (from, emit) = match state.start(field, settings.start_date, lookback) {
        Start::Read { from } => (from, true),
        Start::Baseline => {
            let newest = newest(api, event, field).await?;
            let empty = newest.is_none();
            let from = state.begin_at(field, newest, lookback);
            if empty {
                state.finish(now());
                return Ok(Poll {
                    items: Vec::new(),
                    state: to_value(&state),
                    warnings,
                    after_commit: None,
                });
            }
            (from, false)
        }
    };
    let soql = keyset_query(event, field, &select, from, &settings.conditions)?;
    let records = read_all(api, &soql).await?;
    let emitted = state
        .tracking()
        .observe(event.change, from, &records, emit, lookback);
    state.finish(now());
    let mut records: Vec<Option<Map<String, Value>>> = records.into_iter().map(Some).collect();
    let items = emitted
        .into_iter()
        .filter_map(|index| records[index].take())
        .map(|record| Item::new(keep_fields(record, &kept), 0))
        .collect();
    Ok(Poll {
        items,
        state: to_value(&state),
        warnings,
        after_commit: None,
    })
}

/// The describe of `object`, from the cache unless `fresh` or older than [`DESCRIBE_TTL`].
async fn describe(api: &Api<'_, '_>, object: &str, fresh: bool) -> Result<Described, NodeError> {
    let url = api.url(&["sobjects", object, "describe"]).await?;
    let key = url.to_string();
    if !fresh {
        let cache = DESCRIBES
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if let Some((at, described)) = cache.get(&key)
            && at.elapsed() < DESCRIBE_TTL
        {
            return Ok(described.clone());
        }
    }
    let answer = api.get(url).await?;
    let fields = answer.get("fields").and_then(Value::as_array);
    let described = Described {
        visible: fields
            .into_iter()
            .flatten()
            .filter_map(|field| field.get("name").and_then(Value::as_str))
            .map(str::to_owned)
            .collect(),
        modstamp_filterable: fields.into_iter().flatten().any(|field| {
            field.get("name").and_then(Value::as_str) == Some("SystemModstamp")
                && field.get("filterable").and_then(Value::as_bool) == Some(true)
        }),
    };
    DESCRIBES
        .lock()
        .unwrap_or_else(|poison| poison.into_inner())
        .insert(key, (Instant::now(), described.clone()));
    Ok(described)
}

/// The requested fields the user can see; each other one becomes a warning (W12: n8n's poll
/// failed instead). Relationship paths (`Account.Name`) are kept as asked.
fn visible_fields(
    requested: &[String],
    described: &Described,
    object: &str,
    warnings: &mut Vec<String>,
) -> Vec<String> {
    requested
        .iter()
        .filter(|name| {
            let visible = name.contains('.')
                || described
                    .visible
                    .iter()
                    .any(|field| field.eq_ignore_ascii_case(name));
            if !visible {
                warnings.push(format!(
                    "The field \"{name}\" of {object} is not visible to the credential's user \
                     (field-level security) or does not exist; items leave it out. Hint: grant \
                     read access to it, or remove it from Options → Fields"
                ));
            }
            visible
        })
        .cloned()
        .collect()
}

/// The kept fields plus those the tracking reads (`Id`, `CreatedDate`, `LastModifiedDate`, the
/// cursor field), each once whatever its case.
fn select_list(kept: &[String], field: CursorField) -> String {
    let mut select = kept.to_vec();
    for needed in ["Id", "CreatedDate", "LastModifiedDate", field.name()] {
        if !select.iter().any(|name| name.eq_ignore_ascii_case(needed)) {
            select.push(needed.to_owned());
        }
    }
    select.join(",")
}

/// The record with `attributes` and the kept fields only (a relationship path keeps its
/// top-level object).
fn keep_fields(record: Map<String, Value>, kept: &[String]) -> Map<String, Value> {
    record
        .into_iter()
        .filter(|(key, _)| {
            key == "attributes"
                || kept.iter().any(|name| {
                    let top = name.split('.').next().unwrap_or(name);
                    top.eq_ignore_ascii_case(key)
                })
        })
        .collect()
}

/// The newest record by the cursor field, if the object has any.
async fn newest(
    api: &Api<'_, '_>,
    event: &Event,
    field: CursorField,
) -> Result<Option<Cursor>, NodeError> {
    let records = read_all(api, &newest_query(event, field)?).await?;
    Ok(records.first().and_then(|record| {
        Some(Cursor {
            at: Timestamp::parse(record.get(field.name())?.as_str()?)?,
            id: record.get("Id")?.as_str()?.to_owned(),
        })
    }))
}

/// Every record of `soql`, all pages.
async fn read_all(api: &Api<'_, '_>, soql: &str) -> Result<Vec<Map<String, Value>>, NodeError> {
    let mut out = Emitter::new(1);
    stream_query(api, soql, QueryScope::Live, 0, &mut out).await?;
    Ok(out
        .into_outputs()
        .into_iter()
        .flatten()
        .map(|item| item.json)
        .collect())
}

fn is_invalid_field(error: &NodeError) -> bool {
    error.context.get("errorCode").and_then(Value::as_str) == Some("INVALID_FIELD")
}

fn to_value(state: &TriggerState) -> Value {
    serde_json::to_value(state).unwrap_or(Value::Null)
}

fn now() -> Timestamp {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis());
    Timestamp(i64::try_from(ms).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_select_list_adds_what_the_cursor_needs_once() {
        let kept = [
            "id".to_owned(),
            "name".to_owned(),
            "LastModifiedDate".to_owned(),
        ];
        assert_eq!(
            select_list(&kept, CursorField::SystemModstamp),
            "id,name,LastModifiedDate,CreatedDate,SystemModstamp"
        );
    }

    #[test]
    fn invisible_fields_are_dropped_with_a_warning_and_items_keep_the_asked_fields() {
        let described = Described {
            visible: vec!["Id".into(), "Name".into(), "LastModifiedDate".into()],
            modstamp_filterable: true,
        };
        let mut warnings = Vec::new();
        let requested = ["id", "name", "type", "Owner.Name"].map(str::to_owned);
        let kept = visible_fields(&requested, &described, "Account", &mut warnings);
        assert_eq!(kept, ["id", "name", "Owner.Name"]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("\"type\" of Account"), "{warnings:?}");
        let record = json!({"attributes": {"type": "Account"}, "Id": "001", "Name": "A",
            "Owner": {"Name": "Ann"}, "CreatedDate": "x", "SystemModstamp": "y"});
        let kept = keep_fields(record.as_object().unwrap().clone(), &kept);
        assert_eq!(
            Value::Object(kept),
            json!({"attributes": {"type": "Account"}, "Id": "001", "Name": "A", "Owner": {"Name": "Ann"}})
        );
    }
}
