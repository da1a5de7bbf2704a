//! The Date & Time node against n8n 2.41.1's own node classes: `testdata/cases.json` holds
//! each case's parameters, workflow zone and what n8n output (the item's json) or threw, written
//! by `scripts/date-time-truth.py`. Every case runs through the same `operate` the node runs,
//! with the machine's zone UTC (as the recordings). Unit tests cover what a table cannot: the
//! current date, and each module's edge cases.

use chrono_tz::Tz;
use serde_json::{Map, Value, json};

use super::zone::Zone;
use super::{v1, v2};
use crate::error::NodeError;

/// One case's output: the item's json as n8n wrote it, or the error message.
fn run_case(case: &Value) -> Result<Map<String, Value>, String> {
    let tz: Tz = case["tz"].as_str().unwrap().parse().unwrap();
    let params = &case["params"];
    let parameters = |path: &str| -> Result<Option<Value>, NodeError> {
        Ok(path
            .split('.')
            .try_fold(params, |value, key| value.get(key))
            .cloned())
    };
    let mut json = Map::from_iter([("id".to_owned(), json!(1))]);
    if case["version"] == 1 {
        let zones = v1::Zones {
            workflow: Zone::of_workflow(tz),
            machine: Zone::UTC,
        };
        let action = params["action"].as_str().unwrap();
        let (property, text) = v1::operate(action, &parameters, &zones)
            .map_err(|error| error.message)?
            .unwrap();
        json.insert(property, Value::String(text));
    } else {
        let zones = v2::Zones {
            workflow: tz.name().to_owned(),
            default: Zone::of_workflow(tz),
            machine: Zone::UTC,
        };
        let operation = params["operation"].as_str().unwrap();
        let (field, value) =
            v2::operate(operation, &parameters, &zones).map_err(|error| error.message)?;
        json = Map::from_iter([(field, value)]);
    }
    Ok(json)
}

#[test]
fn every_case_matches_what_n8n_output() {
    let cases: Vec<Value> = serde_json::from_str(include_str!("testdata/cases.json")).unwrap();
    assert!(cases.len() > 200, "the case table is missing cases");
    let mut failures = Vec::new();
    for case in &cases {
        let expected = match &case["expected"] {
            Value::Object(outcome) if outcome.contains_key("error") => {
                Err(outcome["error"].as_str().unwrap().to_owned())
            }
            outcome => Ok(outcome["json"][0].as_object().unwrap().clone()),
        };
        let actual = run_case(case);
        if actual != expected {
            failures.push(format!(
                "{}\n    expected {expected:?}\n    actual   {actual:?}",
                case["name"].as_str().unwrap()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from n8n:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The zones of a workflow in `tz`, the machine in UTC.
fn v2_zones(tz: Tz) -> v2::Zones {
    v2::Zones {
        workflow: tz.name().to_owned(),
        default: Zone::of_workflow(tz),
        machine: Zone::UTC,
    }
}

fn current_date(tz: Tz, parameters: Value) -> Result<String, String> {
    let parameters = |path: &str| -> Result<Option<Value>, NodeError> {
        Ok(path
            .split('.')
            .try_fold(&parameters, |value, key| value.get(key))
            .cloned())
    };
    let (field, value) =
        v2::operate("getCurrentDate", &parameters, &v2_zones(tz)).map_err(|error| error.message)?;
    assert_eq!(field, "currentDate");
    Ok(value.as_str().unwrap().to_owned())
}

#[test]
fn the_current_date_is_now_in_the_workflow_zone_or_the_option_zone() {
    let before = chrono::Utc::now().timestamp_millis();
    let now = current_date(
        Tz::America__New_York,
        json!({"includeTime": true, "outputFieldName": "currentDate", "options": {}}),
    )
    .unwrap();
    let after = chrono::Utc::now().timestamp_millis();
    let parsed = chrono::DateTime::parse_from_rfc3339(&now).unwrap();
    assert!(
        (before..=after).contains(&parsed.timestamp_millis()),
        "{now}"
    );
    let expected_offset = Zone::Iana(Tz::America__New_York).offset_at(before) * 60;
    assert_eq!(parsed.offset().local_minus_utc(), expected_offset, "{now}");

    let tokyo = current_date(
        Tz::UTC,
        json!({"includeTime": true, "outputFieldName": "currentDate", "options": {"timezone": "Asia/Tokyo"}}),
    )
    .unwrap();
    assert!(tokyo.ends_with("+09:00"), "{tokyo}");
    let utc = current_date(
        Tz::UTC,
        json!({"includeTime": true, "outputFieldName": "currentDate", "options": {}}),
    )
    .unwrap();
    assert!(
        utc.ends_with('Z'),
        "the workflow's UTC is Luxon's fixed UTC: {utc}"
    );
}

#[test]
fn the_current_date_without_time_is_midnight_in_its_zone() {
    let today = current_date(
        Tz::UTC,
        json!({"includeTime": false, "outputFieldName": "currentDate", "options": {"timezone": "Europe/Berlin"}}),
    )
    .unwrap();
    assert!(today.contains("T00:00:00.000+0"), "{today}");
}

#[test]
fn an_unknown_timezone_is_refused_with_n8ns_message() {
    let error = current_date(
        Tz::UTC,
        json!({"includeTime": true, "outputFieldName": "currentDate", "options": {"timezone": "Mars/Olympus"}}),
    )
    .unwrap_err();
    assert_eq!(
        error,
        "The timezone Mars/Olympus is not valid. Please check the timezone."
    );
}

#[test]
fn zone_names_are_read_as_luxon_reads_them() {
    assert_eq!(Zone::named("utc"), Some(Zone::UTC));
    assert_eq!(Zone::named("GMT"), Some(Zone::UTC));
    assert_eq!(Zone::named("UTC+3"), Some(Zone::Fixed(180)));
    assert_eq!(Zone::named("utc-05:30"), Some(Zone::Fixed(-330)));
    assert_eq!(
        Zone::named("america/new_york"),
        Some(Zone::Iana(Tz::America__New_York))
    );
    assert_eq!(
        Zone::named("Etc/GMT-2"),
        Some(Zone::Iana(Tz::Etc__GMTMinus2))
    );
    assert_eq!(Zone::named("Etc/GMT-NaN"), None);
    assert_eq!(Zone::named("UTC+123"), None);
}

#[test]
fn a_wall_time_in_a_gap_or_an_overlap_resolves_as_javascripts_date() {
    let new_york = Zone::Iana(Tz::America__New_York);
    let at = |text: &str| {
        let local = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
        chrono::DateTime::from_timestamp_millis(new_york.instant_of_local_js(local))
            .unwrap()
            .to_rfc3339()
    };
    // 02:30 does not exist on 10 March 2024: the offset before the change (EST) applies.
    assert_eq!(at("2024-03-10 02:30"), "2024-03-10T07:30:00+00:00");
    // 01:30 happens twice on 3 November 2024: the earlier (EDT) one.
    assert_eq!(at("2024-11-03 01:30"), "2024-11-03T05:30:00+00:00");
    assert_eq!(at("2024-07-01 12:00"), "2024-07-01T16:00:00+00:00");
}
