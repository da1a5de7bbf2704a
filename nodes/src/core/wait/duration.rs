//! How long a Wait holds the run: n8n's computation, pure over the current time and the
//! workflow's time zone, with n8n's error texts.

use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::Value;

use crate::core::conditions::parse_date_time_in;
use crate::error::NodeError;
use crate::node::NodeContext;

/// What the Wait was asked, read from item 0 as n8n reads it.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum WaitRequest {
    /// `resume: timeInterval`: `amount` of `unit`.
    Interval {
        /// The wait amount as written.
        amount: Value,
        /// The wait unit as written.
        unit: Value,
    },
    /// `resume: specificTime`: until `dateTime`.
    Until(Value),
}

impl WaitRequest {
    /// The request of the node's parameters (item 0, as n8n).
    pub(super) fn read(ctx: &NodeContext<'_>) -> Result<Self, NodeError> {
        let resume = ctx.parameter("resume", 0)?;
        Ok(match resume.as_str() {
            Some("specificTime") => Self::Until(ctx.parameter("dateTime", 0)?),
            _ => Self::Interval {
                amount: ctx.parameter("amount", 0)?,
                unit: ctx.parameter("unit", 0)?,
            },
        })
    }
}

/// How long to wait from `now`: an interval as given, a date and time (read in `zone` when it
/// has no offset) minus `now`, never below zero.
pub(super) fn wait_duration(
    request: &WaitRequest,
    now: DateTime<Utc>,
    zone: Tz,
) -> Result<Duration, NodeError> {
    match request {
        WaitRequest::Interval { amount, unit } => {
            let seconds_per_unit = match unit.as_str() {
                Some("seconds") => 1.0,
                Some("minutes") => 60.0,
                Some("hours") => 3_600.0,
                Some("days") => 86_400.0,
                _ => {
                    return Err(NodeError::operation(
                        "Invalid wait unit. Valid units are 'seconds', 'minutes', 'hours', or 'days'.",
                    ));
                }
            };
            let amount = amount
                .as_f64()
                .or_else(|| amount.as_str().and_then(|text| text.trim().parse().ok()))
                .filter(|amount: &f64| *amount >= 0.0)
                .ok_or_else(|| {
                    NodeError::operation(
                        "Invalid wait amount. Please enter a number that is 0 or greater.",
                    )
                })?;
            // Whole milliseconds, as n8n's timer; an amount too large for a Duration is longer
            // than any bound.
            let millis = (amount * seconds_per_unit * 1000.0).floor();
            Ok(Duration::try_from_secs_f64(millis / 1000.0).unwrap_or(Duration::MAX))
        }
        WaitRequest::Until(date_time) => {
            let until = match date_time {
                Value::String(text) => parse_date_time_in(text, zone),
                Value::Number(millis) => millis
                    .as_i64()
                    .and_then(DateTime::<Utc>::from_timestamp_millis),
                _ => None,
            }
            .ok_or_else(|| {
                NodeError::operation(
                    "Cannot put execution to wait because `dateTime` parameter is not a valid date. Please pick a specific date and time to wait until.",
                )
            })?;
            Ok((until - now).to_std().unwrap_or_default())
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn interval(amount: Value, unit: &str) -> WaitRequest {
        WaitRequest::Interval {
            amount,
            unit: json!(unit),
        }
    }

    #[test]
    fn intervals_and_dates_become_n8n_s_wait() {
        let now = at("2026-03-29T00:30:00Z");
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let cases: &[(&str, WaitRequest, Tz, u64)] = &[
            ("one second", interval(json!(1), "seconds"), Tz::UTC, 1_000),
            ("fractions", interval(json!(1.5), "seconds"), Tz::UTC, 1_500),
            ("zero", interval(json!(0), "minutes"), Tz::UTC, 0),
            ("minutes", interval(json!(2), "minutes"), Tz::UTC, 120_000),
            ("hours", interval(json!(0.5), "hours"), Tz::UTC, 1_800_000),
            ("days", interval(json!(1), "days"), Tz::UTC, 86_400_000),
            (
                "a numeric string",
                interval(json!(" 3 "), "seconds"),
                Tz::UTC,
                3_000,
            ),
            (
                "an offset wins over the zone",
                WaitRequest::Until(json!("2026-03-29T00:31:00Z")),
                berlin,
                60_000,
            ),
            (
                "no offset: UTC",
                WaitRequest::Until(json!("2026-03-29T00:30:10")),
                Tz::UTC,
                10_000,
            ),
            // 03:00 in Berlin on the day clocks go forward (02:00 -> 03:00) is 01:00 UTC.
            (
                "no offset: the workflow's zone, across a DST change",
                WaitRequest::Until(json!("2026-03-29T03:00:00")),
                berlin,
                1_800_000,
            ),
            (
                "a date in the past waits not at all",
                WaitRequest::Until(json!("2020-01-01T00:00:00Z")),
                Tz::UTC,
                0,
            ),
            (
                "epoch milliseconds",
                WaitRequest::Until(json!(now.timestamp_millis() + 250)),
                Tz::UTC,
                250,
            ),
        ];
        for (name, request, zone, millis) in cases {
            let wait = wait_duration(request, now, *zone).unwrap();
            assert_eq!(wait, Duration::from_millis(*millis), "{name}");
        }
    }

    #[test]
    fn bad_amounts_units_and_dates_get_n8n_s_errors() {
        let now = at("2026-01-01T00:00:00Z");
        let cases = [
            (interval(json!(-1), "seconds"), "Invalid wait amount"),
            (interval(json!("soon"), "seconds"), "Invalid wait amount"),
            (interval(json!(1), "weeks"), "Invalid wait unit"),
            (
                WaitRequest::Until(json!("")),
                "`dateTime` parameter is not a valid date",
            ),
            (
                WaitRequest::Until(json!("tomorrow")),
                "`dateTime` parameter is not a valid date",
            ),
        ];
        for (request, message) in cases {
            let error = wait_duration(&request, now, Tz::UTC).unwrap_err();
            assert!(
                error.message.contains(message),
                "{request:?}: {}",
                error.message
            );
        }
    }

    #[test]
    fn an_amount_too_large_for_a_duration_is_the_longest_wait() {
        let request = interval(json!(1e300), "days");
        let wait = wait_duration(&request, Utc::now(), Tz::UTC).unwrap();
        assert_eq!(wait, Duration::MAX);
    }
}
