//! The item a Schedule Trigger fires with: the moment in the workflow's time zone, in n8n's
//! field names and moment.js formats.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value};

/// moment's `Do`: the day of the month with its English ordinal suffix.
fn ordinal(day: u32) -> String {
    let suffix = match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{day}{suffix}")
}

/// n8n's `resultData` for `now` in `zone`.
pub fn timestamp_fields(now: DateTime<Utc>, zone: Tz) -> Map<String, Value> {
    let local = now.with_timezone(&zone);
    let text = |format: &str| Value::String(local.format(format).to_string());
    let readable_time = local.format("%-I:%M:%S %P").to_string();
    let fields = [
        ("timestamp", text("%Y-%m-%dT%H:%M:%S%.3f%:z")),
        (
            "Readable date",
            Value::String(format!(
                "{} {} {}, {readable_time}",
                local.format("%B"),
                ordinal(local.day()),
                local.format("%Y")
            )),
        ),
        ("Readable time", Value::String(readable_time.clone())),
        ("Day of week", text("%A")),
        ("Year", text("%Y")),
        ("Month", text("%B")),
        ("Day of month", text("%d")),
        ("Hour", text("%H")),
        ("Minute", text("%M")),
        ("Second", text("%S")),
        (
            "Timezone",
            Value::String(format!("{} (UTC{})", zone.name(), local.format("%:z"))),
        ),
    ];
    fields
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn fields_are_n8n_s_in_the_zone() {
        let now: DateTime<Utc> = "2026-03-01T13:05:09.042Z".parse().unwrap();
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        assert_eq!(
            Value::Object(timestamp_fields(now, berlin)),
            json!({
                "timestamp": "2026-03-01T14:05:09.042+01:00",
                "Readable date": "March 1st 2026, 2:05:09 pm",
                "Readable time": "2:05:09 pm",
                "Day of week": "Sunday",
                "Year": "2026",
                "Month": "March",
                "Day of month": "01",
                "Hour": "14",
                "Minute": "05",
                "Second": "09",
                "Timezone": "Europe/Berlin (UTC+01:00)"
            })
        );
        let midnight: DateTime<Utc> = "2026-07-22T00:00:00Z".parse().unwrap();
        let fields = timestamp_fields(midnight, Tz::UTC);
        assert_eq!(fields["Readable date"], "July 22nd 2026, 12:00:00 am");
        assert_eq!(fields["timestamp"], "2026-07-22T00:00:00.000+00:00");
        assert_eq!(fields["Timezone"], "UTC (UTC+00:00)");
    }

    #[test]
    fn ordinals_follow_english() {
        let cases = [
            (1, "1st"),
            (2, "2nd"),
            (3, "3rd"),
            (4, "4th"),
            (11, "11th"),
            (12, "12th"),
            (13, "13th"),
            (21, "21st"),
            (22, "22nd"),
            (23, "23rd"),
            (31, "31st"),
        ];
        for (day, text) in cases {
            assert_eq!(ordinal(day), text);
        }
    }
}
