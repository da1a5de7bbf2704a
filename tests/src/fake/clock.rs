//! The fake's clock and Salesforce's date formats.
//!
//! Times are epoch milliseconds (UTC) and dates are days since 1970-01-01. Records carry dateTimes as
//! `2025-03-30T17:57:34.000+0000` (always UTC, milliseconds, offset without a colon); request bodies
//! and SOQL literals may use `Z`, `±hh:mm`, `±hhmm`, no offset (taken as UTC) and optional fractions.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// Wall-clock time shifted by an adjustable offset, so tests can move time forward (expiring tokens
/// and query locators, revealing late records) without sleeping.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// The fake's current time in epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        system_ms() + self.offset_ms.load(Ordering::Relaxed)
    }

    /// Moves the clock by `ms` (may be negative).
    pub fn advance(&self, ms: i64) {
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }

    /// Sets the clock so that it reads `ms` now.
    pub fn set(&self, ms: i64) {
        self.offset_ms.store(ms - system_ms(), Ordering::Relaxed);
    }
}

fn system_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Days since the epoch of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `(year, month, day)` of a day number.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `YYYY-MM-DD` of a day number.
pub fn format_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Salesforce's record dateTime form, `YYYY-MM-DDTHH:MM:SS.mmm+0000`.
pub fn format_datetime(ms: i64) -> String {
    let days = ms.div_euclid(DAY_MS);
    let in_day = ms.rem_euclid(DAY_MS);
    let (h, rest) = (in_day / 3_600_000, in_day % 3_600_000);
    let (min, rest) = (rest / 60_000, rest % 60_000);
    let (s, milli) = (rest / 1000, rest % 1000);
    format!(
        "{}T{h:02}:{min:02}:{s:02}.{milli:03}+0000",
        format_date(days)
    )
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: i64 = digits(&text[0..4])?;
    let month: u32 = digits(&text[5..7])?;
    let day: u32 = digits(&text[8..10])?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

fn days_in_month(year: i64, month: u32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.bytes().all(|c| c.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

/// Parses a dateTime: `YYYY-MM-DDTHH:MM[:SS[.fff]]` followed by `Z`, `±hh:mm`, `±hhmm` or nothing
/// (UTC). Returns epoch milliseconds.
pub fn parse_datetime(text: &str) -> Option<i64> {
    let (date, time) = text.split_once(['T', 't'])?;
    let days = parse_date(date)?;
    let (clock, offset_min) = split_offset(time)?;
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, f)) => (hms, f),
        None => (clock, ""),
    };
    let mut parts = hms.split(':');
    let h: i64 = digits(parts.next()?)?;
    let m: i64 = digits(parts.next()?)?;
    let s: i64 = parts.next().map_or(Some(0), digits)?;
    if parts.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let milli = if fraction.is_empty() {
        0
    } else {
        let padded: String = fraction.chars().chain("000".chars()).take(3).collect();
        if !fraction.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        digits::<i64>(&padded)?
    };
    Some(days * DAY_MS + ((h * 60 + m) * 60 + s) * 1000 + milli - offset_min * 60_000)
}

/// Splits `HH:MM:SS.fff±hh:mm` into the clock part and the offset in minutes.
fn split_offset(time: &str) -> Option<(&str, i64)> {
    if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    let Some(pos) = time.rfind(['+', '-']) else {
        return Some((time, 0));
    };
    let (clock, offset) = time.split_at(pos);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let offset = offset[1..].replace(':', "");
    if offset.len() != 4 {
        return None;
    }
    let hours: i64 = digits(&offset[..2])?;
    let minutes: i64 = digits(&offset[2..])?;
    Some((clock, sign * (hours * 60 + minutes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for days in [-1000, 0, 19_000, 20_500] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(parse_date("2024-02-29"), Some(days_from_civil(2024, 2, 29)));
        assert_eq!(parse_date("2023-02-29"), None);
    }

    #[test]
    fn datetimes_use_salesforce_form() {
        let ms = parse_datetime("2025-03-30T17:57:34.000+0000").unwrap();
        assert_eq!(format_datetime(ms), "2025-03-30T17:57:34.000+0000");
        assert_eq!(parse_datetime("2025-03-30T18:57:34+01:00"), Some(ms));
        assert_eq!(parse_datetime("2025-03-30T17:57:34Z"), Some(ms));
        assert_eq!(parse_datetime("2025-03-30T17:57:34"), Some(ms));
        assert_eq!(parse_datetime("2025-03-30T17:57:34.5Z"), Some(ms + 500));
        assert_eq!(parse_datetime("2025-03-30"), None);
    }
}
