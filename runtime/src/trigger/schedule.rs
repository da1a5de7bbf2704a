//! When a polling trigger polls: n8n's `pollTimes` (n8n-compat §5.1) turned into cron
//! expressions with seconds, evaluated in the workflow's time zone.
//!
//! As n8n does, each entry gets a random second (and `everyX` hours a random minute) so that
//! triggers spread over the minute, and a schedule that fires more often than the minimum
//! interval (a minute, as n8n's) is refused; `weft start --min-poll-interval` lowers it.

use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use croner::Cron;
use croner::parser::{CronParser, Seconds};
use rand::Rng;
use serde_json::Value;

/// A trigger's schedule: one or more cron expressions.
#[derive(Clone, Debug)]
pub struct Schedule {
    crons: Vec<Cron>,
    zone: Tz,
}

/// Why a schedule cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} (hint: {hint})")]
pub struct ScheduleError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

fn error(message: impl Into<String>, hint: impl Into<String>) -> ScheduleError {
    ScheduleError {
        message: message.into(),
        hint: hint.into(),
    }
}

impl Schedule {
    /// The schedule of resolved `pollTimes` in the IANA time zone `zone` (UTC when `None`),
    /// refusing one that fires more often than `min_interval`.
    pub fn from_poll_times(
        poll_times: &Value,
        zone: Option<&str>,
        min_interval: Duration,
    ) -> Result<Self, ScheduleError> {
        let zone = match zone {
            Some(name) => name.parse::<Tz>().map_err(|_| {
                error(
                    format!("The time zone \"{name}\" is not known"),
                    "use an IANA name such as Europe/Berlin in settings.timezone",
                )
            })?,
            None => Tz::UTC,
        };
        let entries = poll_times
            .get("item")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if entries.is_empty() {
            return Err(error(
                "The trigger has no poll times",
                "add at least one entry under Poll Times",
            ));
        }
        let parser = CronParser::builder().seconds(Seconds::Optional).build();
        let mut rng = rand::rng();
        let crons = entries
            .iter()
            .map(|entry| {
                let pattern =
                    cron_pattern(entry, rng.random_range(0..60), rng.random_range(0..60))?;
                parser.parse(&pattern).map_err(|problem| {
                    error(
                        format!("The cron expression \"{pattern}\" is not valid: {problem}"),
                        "write six fields: second minute hour day-of-month month weekday",
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let schedule = Self { crons, zone };
        schedule.check_interval(min_interval)?;
        Ok(schedule)
    }

    /// The schedule of cron `patterns` (five or six fields) in `zone`, as a Schedule Trigger
    /// computes them (`weft_nodes::core::cron_patterns`).
    pub fn from_patterns(patterns: &[String], zone: Tz) -> Result<Self, ScheduleError> {
        let parser = CronParser::builder().seconds(Seconds::Optional).build();
        let crons = patterns
            .iter()
            .map(|pattern| {
                parser.parse(pattern).map_err(|problem| {
                    error(
                        format!("The cron expression \"{pattern}\" is not valid: {problem}"),
                        "write five or six fields: [second] minute hour day-of-month month weekday",
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { crons, zone })
    }

    /// The first tick strictly after `after`.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = after.with_timezone(&self.zone);
        self.crons
            .iter()
            .filter_map(|cron| cron.find_next_occurrence(&local, false).ok())
            .map(|next| next.with_timezone(&Utc))
            .min()
    }

    /// n8n: "The polling interval is too short. It has to be at least a minute."
    fn check_interval(&self, min_interval: Duration) -> Result<(), ScheduleError> {
        let min = chrono::Duration::from_std(min_interval).unwrap_or(chrono::Duration::MAX);
        let mut at = Utc::now();
        for _ in 0..5 {
            let Some(next) = self.next_after(at) else {
                return Ok(());
            };
            let Some(after) = self.next_after(next) else {
                return Ok(());
            };
            if after - next < min {
                return Err(error(
                    format!(
                        "The polling interval is too short. It has to be at least {} seconds",
                        min_interval.as_secs()
                    ),
                    "poll at most once a minute, or start weft with --min-poll-interval",
                ));
            }
            at = after;
        }
        Ok(())
    }
}

/// n8n's cron pattern for one `pollTimes` entry, with `second` (and `minute` for `everyX`
/// hours) chosen at random by the caller.
fn cron_pattern(entry: &Value, second: u32, random_minute: u32) -> Result<String, ScheduleError> {
    let number = |name: &str, default: u32| -> String {
        entry
            .get(name)
            .and_then(Value::as_f64)
            .map_or(default, |value| value as u32)
            .to_string()
    };
    let text = |name: &str, default: &str| -> String {
        entry
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or(default)
            .to_owned()
    };
    let (minute, hour) = (number("minute", 0), number("hour", 14));
    Ok(match text("mode", "everyDay").as_str() {
        "everyMinute" => format!("{second} * * * * *"),
        "everyHour" => format!("{second} {minute} * * * *"),
        "everyDay" => format!("{second} {minute} {hour} * * *"),
        "everyWeek" => format!("{second} {minute} {hour} * * {}", text("weekday", "1")),
        "everyMonth" => format!("{second} {minute} {hour} {} * *", number("dayOfMonth", 1)),
        "everyX" => {
            let value = number("value", 2);
            match text("unit", "hours").as_str() {
                "minutes" => format!("{second} */{value} * * * *"),
                _ => format!("{second} {random_minute} */{value} * * *"),
            }
        }
        "custom" => text("cronExpression", "* * * * * *").trim().to_owned(),
        other => {
            return Err(error(
                format!("The poll time mode \"{other}\" is not known"),
                "use everyMinute, everyHour, everyDay, everyWeek, everyMonth, everyX or custom",
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn each_mode_becomes_n8n_s_cron_pattern() {
        let cases = [
            (json!({"mode": "everyMinute"}), "7 * * * * *"),
            (json!({"mode": "everyHour", "minute": 5}), "7 5 * * * *"),
            (json!({"mode": "everyDay"}), "7 0 14 * * *"),
            (
                json!({"mode": "everyWeek", "hour": 9, "minute": 30, "weekday": "0"}),
                "7 30 9 * * 0",
            ),
            (
                json!({"mode": "everyMonth", "hour": 1, "dayOfMonth": 15}),
                "7 0 1 15 * *",
            ),
            (
                json!({"mode": "everyX", "value": 10, "unit": "minutes"}),
                "7 */10 * * * *",
            ),
            (json!({"mode": "everyX", "value": 3}), "7 42 */3 * * *"),
            (
                json!({"mode": "custom", "cronExpression": " 0 */5 * * * * "}),
                "0 */5 * * * *",
            ),
        ];
        for (entry, pattern) in cases {
            assert_eq!(cron_pattern(&entry, 7, 42).unwrap(), pattern, "{entry}");
        }
        assert!(cron_pattern(&json!({"mode": "hourly"}), 7, 42).is_err());
    }

    #[test]
    fn the_next_tick_is_the_earliest_of_all_entries_in_the_zone() {
        let times = json!({"item": [
            {"mode": "everyDay", "hour": 9, "minute": 0},
            {"mode": "everyDay", "hour": 8, "minute": 0}
        ]});
        let schedule = Schedule::from_poll_times(&times, Some("Europe/Berlin"), MINUTE).unwrap();
        let noon_utc: DateTime<Utc> = "2026-11-23T12:00:00Z".parse().unwrap();
        let next = schedule.next_after(noon_utc).unwrap();
        // 08:00:ss in Berlin (UTC+1 in November) is 07:00:ss UTC the next day.
        assert_eq!(
            next.format("%Y-%m-%d %H:%M").to_string(),
            "2026-11-24 07:00"
        );
    }

    /// Next fire times of Schedule Trigger rules on fixed clocks, in zones, across DST.
    #[test]
    fn schedule_trigger_rules_fire_when_n8n_computes() {
        let key = "wf:node";
        let cases: &[(Value, &str, &str, &[&str])] = &[
            (
                json!({"field": "seconds", "secondsInterval": 10}),
                "UTC",
                "2026-01-01T00:00:03Z",
                &["2026-01-01T00:00:10Z", "2026-01-01T00:00:20Z"],
            ),
            (
                json!({"field": "minutes", "minutesInterval": 15}),
                "UTC",
                "2026-01-01T00:00:00Z",
                &["2026-01-01T00:00:SSZ", "2026-01-01T00:15:SSZ"],
            ),
            (
                json!({"field": "hours", "hoursInterval": 6, "triggerAtMinute": 30}),
                "Asia/Kolkata",
                "2026-01-01T00:00:00Z",
                // Kolkata is UTC+05:30: 06:30 and 12:30 local.
                &["2026-01-01T01:00:SSZ", "2026-01-01T07:00:SSZ"],
            ),
            // Berlin goes from 02:00 to 03:00 on 2026-03-29: 09:00 local is 08:00 then 07:00 UTC.
            (
                json!({"field": "days", "triggerAtHour": 9, "triggerAtMinute": 0}),
                "Europe/Berlin",
                "2026-03-28T00:00:00Z",
                &["2026-03-28T08:00:SSZ", "2026-03-29T07:00:SSZ"],
            ),
            (
                json!({"field": "weeks", "triggerAtDay": [1, 3], "triggerAtHour": 8, "triggerAtMinute": 15}),
                "America/New_York",
                "2026-03-06T00:00:00Z",
                // Monday 9 March (EDT from 8 March), Wednesday 11 March.
                &["2026-03-09T12:15:SSZ", "2026-03-11T12:15:SSZ"],
            ),
            (
                json!({"field": "months", "triggerAtDayOfMonth": 31, "triggerAtHour": 0, "triggerAtMinute": 0}),
                "UTC",
                "2026-01-31T12:00:00Z",
                // Months without a 31st are skipped, as n8n warns.
                &["2026-03-31T00:00:SSZ", "2026-05-31T00:00:SSZ"],
            ),
            (
                json!({"field": "cronExpression", "expression": "0 15 * * sun"}),
                "UTC",
                "2026-01-01T00:00:00Z",
                &["2026-01-04T15:00:00Z", "2026-01-11T15:00:00Z"],
            ),
        ];
        for (rule, zone, from, expected) in cases {
            let parameters = json!({"rule": {"interval": [rule]}});
            let patterns = weft_nodes::core::cron_patterns(1.4, &parameters, key).unwrap();
            let second = patterns[0].split(' ').next().unwrap().to_owned();
            let schedule = Schedule::from_patterns(&patterns, zone.parse().unwrap()).unwrap();
            let mut at: DateTime<Utc> = from.parse().unwrap();
            for want in *expected {
                at = schedule.next_after(at).unwrap();
                let want = want.replace("SS", &format!("{second:0>2}"));
                assert_eq!(
                    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    want,
                    "{rule} in {zone}"
                );
            }
        }
    }

    #[test]
    fn schedules_faster_than_the_minimum_and_bad_input_are_refused() {
        let every_second = json!({"item": [{"mode": "custom", "cronExpression": "* * * * * *"}]});
        let refused = Schedule::from_poll_times(&every_second, None, MINUTE).unwrap_err();
        assert!(
            refused
                .message
                .starts_with("The polling interval is too short"),
            "{refused}"
        );
        assert!(Schedule::from_poll_times(&every_second, None, Duration::from_secs(1)).is_ok());
        assert!(Schedule::from_poll_times(&json!({"item": []}), None, MINUTE).is_err());
        let zone = Schedule::from_poll_times(
            &json!({"item": [{"mode": "everyMinute"}]}),
            Some("Mars/Olympus"),
            MINUTE,
        );
        assert!(zone.unwrap_err().message.contains("Mars/Olympus"));
        let bad = json!({"item": [{"mode": "custom", "cronExpression": "61 * * * * *"}]});
        assert!(
            Schedule::from_poll_times(&bad, None, MINUTE)
                .unwrap_err()
                .message
                .contains("61 * * * * *")
        );
    }
}
