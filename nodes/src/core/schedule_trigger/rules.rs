//! The Schedule Trigger's rules (`rule.interval[]`) as n8n reads them: defaults per field, the
//! range checks of typeVersion 1.3 on, and the cron pattern (with seconds) each rule fires on.
//!
//! As n8n, parts a rule leaves open (the second of a minutes rule, the minute of an hours rule
//! without `triggerAtMinute`, …) come from a SHA-256 of `<workflow id>:<node id>:<label>`, so a
//! workflow keeps its times across restarts while different workflows spread over the minute.
//! Intervals that do not divide their period (every 7 minutes, every 5 hours, every 2 days, …)
//! fire on a finer pattern in n8n, which then skips ticks until the interval has passed (its
//! `recurrenceCheck`; not yet in weft).

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::NodeError;

/// One rule with n8n's defaults applied (`withIntervalDefaults`).
#[derive(Clone, Debug, PartialEq)]
pub enum Interval {
    /// `cronExpression`: the expression as written.
    Cron(String),
    /// Every `n` seconds.
    Seconds(f64),
    /// Every `n` minutes.
    Minutes(f64),
    /// Every `n` hours, at `minute`.
    Hours(f64, Option<u32>),
    /// Every `n` days at `hour`:`minute`.
    Days(f64, Option<u32>, Option<u32>),
    /// Every `n` weeks on `weekdays` (0 = Sunday) at `hour`:`minute`.
    Weeks(f64, Vec<u32>, Option<u32>, Option<u32>),
    /// Every `n` months on `day` at `hour`:`minute`.
    Months(f64, Option<u32>, Option<u32>, Option<u32>),
}

fn number(entry: &Value, name: &str, default: f64) -> f64 {
    match entry.get(name) {
        Some(Value::Number(number)) => number.as_f64().unwrap_or(default),
        Some(Value::String(text)) => text.trim().parse().unwrap_or(f64::NAN),
        _ => default,
    }
}

fn whole(entry: &Value, name: &str) -> Option<u32> {
    let value = number(entry, name, f64::NAN);
    (value.is_finite() && value >= 0.0).then_some(value as u32)
}

impl Interval {
    /// The rules of the resolved `rule` parameter; no rule at all is n8n's one `days` rule.
    pub fn all(rule: &Value) -> Vec<Self> {
        match rule.get("interval").and_then(Value::as_array) {
            Some(entries) => entries.iter().map(Self::from_entry).collect(),
            None => vec![Self::from_entry(&Value::Null)],
        }
    }

    /// One entry, with n8n's defaults (an unknown `field` is `days`).
    pub fn from_entry(entry: &Value) -> Self {
        let (hour, minute) = (
            whole(entry, "triggerAtHour"),
            whole(entry, "triggerAtMinute"),
        );
        match entry.get("field").and_then(Value::as_str).unwrap_or("days") {
            "cronExpression" => Self::Cron(
                entry
                    .get("expression")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned(),
            ),
            "seconds" => Self::Seconds(number(entry, "secondsInterval", 30.0)),
            "minutes" => Self::Minutes(number(entry, "minutesInterval", 5.0)),
            "hours" => Self::Hours(number(entry, "hoursInterval", 1.0), minute),
            "weeks" => {
                let weekdays = match entry.get("triggerAtDay").and_then(Value::as_array) {
                    Some(days) => days
                        .iter()
                        .filter_map(|day| day.as_u64().map(|day| day as u32))
                        .collect(),
                    None => vec![0],
                };
                Self::Weeks(number(entry, "weeksInterval", 1.0), weekdays, hour, minute)
            }
            "months" => Self::Months(
                number(entry, "monthsInterval", 1.0),
                whole(entry, "triggerAtDayOfMonth"),
                hour,
                minute,
            ),
            _ => Self::Days(number(entry, "daysInterval", 1.0), hour, minute),
        }
    }

    /// n8n's range check (typeVersion 1.3 on): `Invalid interval` with what is wrong.
    pub fn validate(&self, index: usize) -> Result<(), NodeError> {
        let outside = |value: f64, max: f64| !(1.0..=max).contains(&value);
        let problem = match self {
            Self::Seconds(n) if outside(*n, 59.0) => "Seconds must be in range 1-59",
            Self::Minutes(n) if outside(*n, 59.0) => "Minutes must be in range 1-59",
            Self::Hours(n, _) if outside(*n, 23.0) => "Hours must be in range 1-23",
            Self::Days(n, ..) if outside(*n, 31.0) => "Days must be in range 1-31",
            Self::Months(n, ..) if n.is_nan() || *n < 1.0 => "Months must be larger than 0",
            _ => return Ok(()),
        };
        Err(NodeError::operation("Invalid interval")
            .with_description(problem)
            .for_item(index))
    }

    /// The cron pattern (n8n's `toCronExpression`) for the node keyed `node_key`
    /// (`<workflow id>:<node id>`).
    pub fn cron_pattern(&self, node_key: &str) -> String {
        let filler = |label: &str, min: u32, max: u32| stable_int(node_key, label, min, max);
        let divides = |period: f64, n: f64| n > 0.0 && period % n == 0.0;
        let second = || filler("second", 0, 60);
        let minute = |at: &Option<u32>| at.unwrap_or_else(|| filler("minute", 0, 60));
        let hour = |at: &Option<u32>| at.unwrap_or_else(|| filler("hour", 0, 24));
        match self {
            Self::Cron(expression) => expression.clone(),
            Self::Seconds(n) => format!("*/{n} * * * * *"),
            Self::Minutes(n) if divides(60.0, *n) => format!("{} */{n} * * * *", second()),
            Self::Minutes(_) => format!("{} * * * * *", second()),
            Self::Hours(n, at) if divides(24.0, *n) => {
                format!("{} {} */{n} * * *", second(), minute(at))
            }
            Self::Hours(_, at) => format!("{} {} * * * *", second(), minute(at)),
            Self::Days(_, h, m) => format!("{} {} {} * * *", second(), minute(m), hour(h)),
            Self::Weeks(_, days, h, m) => {
                let days = if days.is_empty() {
                    "*".to_owned()
                } else {
                    days.iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(",")
                };
                format!("{} {} {} * * {days}", second(), minute(m), hour(h))
            }
            Self::Months(n, day, h, m) => {
                let day = day.unwrap_or_else(|| filler("dayOfMonth", 1, 29));
                let months = if divides(12.0, *n) {
                    format!("*/{n}")
                } else {
                    "*".to_owned()
                };
                format!("{} {} {} {day} {months} *", second(), minute(m), hour(h))
            }
        }
    }
}

/// n8n's `stableInt`: an integer in `[min, max)` from SHA-256 of `<seed>:<label>` (its first four
/// bytes, big-endian).
fn stable_int(seed: &str, label: &str, min: u32, max: u32) -> u32 {
    let hash = Sha256::digest(format!("{seed}:{label}").as_bytes());
    let first = u32::from_be_bytes([hash[0], hash[1], hash[2], hash[3]]);
    min + first % (max - min)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const KEY: &str = "wf1:node1";

    #[test]
    fn each_rule_kind_becomes_n8n_s_cron_pattern() {
        let (s, m, h, d) = (
            stable_int(KEY, "second", 0, 60),
            stable_int(KEY, "minute", 0, 60),
            stable_int(KEY, "hour", 0, 24),
            stable_int(KEY, "dayOfMonth", 1, 29),
        );
        let cases = [
            (
                json!({"field": "seconds", "secondsInterval": 5}),
                "*/5 * * * * *".to_owned(),
            ),
            (json!({"field": "seconds"}), "*/30 * * * * *".to_owned()),
            (json!({"field": "minutes"}), format!("{s} */5 * * * *")),
            (
                json!({"field": "minutes", "minutesInterval": 7}),
                format!("{s} * * * * *"),
            ),
            (
                json!({"field": "hours", "triggerAtMinute": 15}),
                format!("{s} 15 */1 * * *"),
            ),
            (
                json!({"field": "hours", "hoursInterval": 5}),
                format!("{s} {m} * * * *"),
            ),
            (json!({}), format!("{s} {m} {h} * * *")),
            (
                json!({"field": "days", "daysInterval": 2, "triggerAtHour": 9, "triggerAtMinute": 30}),
                format!("{s} 30 9 * * *"),
            ),
            (
                json!({"field": "weeks", "triggerAtDay": [1, 5], "triggerAtHour": 8, "triggerAtMinute": 0}),
                format!("{s} 0 8 * * 1,5"),
            ),
            (
                json!({"field": "weeks", "triggerAtDay": []}),
                format!("{s} {m} {h} * * *"),
            ),
            (
                json!({"field": "months", "monthsInterval": 3, "triggerAtDayOfMonth": 15}),
                format!("{s} {m} {h} 15 */3 *"),
            ),
            (
                json!({"field": "months", "monthsInterval": 5}),
                format!("{s} {m} {h} {d} * *"),
            ),
            (
                json!({"field": "cronExpression", "expression": "0 15 * 1 sun"}),
                "0 15 * 1 sun".to_owned(),
            ),
            (json!({"field": "fortnights"}), format!("{s} {m} {h} * * *")),
        ];
        for (entry, pattern) in cases {
            assert_eq!(
                Interval::from_entry(&entry).cron_pattern(KEY),
                pattern,
                "{entry}"
            );
        }
    }

    #[test]
    fn filler_values_are_stable_and_in_range() {
        assert_eq!(
            stable_int(KEY, "second", 0, 60),
            stable_int(KEY, "second", 0, 60)
        );
        for seed in ["a:b", "core:1", ":n"] {
            assert!(stable_int(seed, "dayOfMonth", 1, 29) >= 1);
            assert!(stable_int(seed, "dayOfMonth", 1, 29) < 29);
            assert!(stable_int(seed, "hour", 0, 24) < 24);
        }
    }

    #[test]
    fn out_of_range_intervals_are_refused_with_n8n_s_text() {
        let cases = [
            (
                json!({"field": "seconds", "secondsInterval": 0}),
                Some("Seconds must be in range 1-59"),
            ),
            (
                json!({"field": "minutes", "minutesInterval": 60}),
                Some("Minutes must be in range 1-59"),
            ),
            (
                json!({"field": "hours", "hoursInterval": 24}),
                Some("Hours must be in range 1-23"),
            ),
            (
                json!({"field": "days", "daysInterval": 32}),
                Some("Days must be in range 1-31"),
            ),
            (
                json!({"field": "months", "monthsInterval": 0}),
                Some("Months must be larger than 0"),
            ),
            (json!({"field": "weeks", "weeksInterval": 0}), None),
            (json!({"field": "seconds", "secondsInterval": 59}), None),
        ];
        for (entry, problem) in cases {
            let result = Interval::from_entry(&entry).validate(0);
            match problem {
                None => assert!(result.is_ok(), "{entry}"),
                Some(problem) => {
                    let error = result.unwrap_err();
                    assert_eq!(error.message, "Invalid interval");
                    assert_eq!(error.description.as_deref(), Some(problem), "{entry}");
                }
            }
        }
    }
}
