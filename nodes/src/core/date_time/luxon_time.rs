//! [`LuxonTime`]: an instant in a zone, with the calendar arithmetic of Luxon's `DateTime`
//! (`plus`/`minus` by unit, `startOf`, `toString`, `get`, `weekNumber`). Calendar units move
//! the wall time and keep it across DST changes (a day is not always 24 hours); the month end
//! clamps (Jan 31 + 1 month = Feb 29 in 2024); hours and smaller add exact time.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use super::zone::{OffsetStyle, Zone, offset_text};

/// A calendar or time unit, Luxon's plural names (`years` … `milliseconds`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unit {
    Years,
    Quarters,
    Months,
    Weeks,
    Days,
    Hours,
    Minutes,
    Seconds,
    Milliseconds,
}

impl Unit {
    /// The unit a name stands for, singular or plural (Luxon's `normalizeUnit`).
    pub fn named(name: &str) -> Option<Unit> {
        let unit = match name.to_ascii_lowercase().trim_end_matches('s') {
            "year" => Unit::Years,
            "quarter" => Unit::Quarters,
            "month" => Unit::Months,
            "week" => Unit::Weeks,
            "day" => Unit::Days,
            "hour" => Unit::Hours,
            "minute" => Unit::Minutes,
            "second" => Unit::Seconds,
            "millisecond" => Unit::Milliseconds,
            _ => return None,
        };
        Some(unit)
    }

    /// The plural name (the keys of Luxon's `Duration.toObject()`).
    pub fn plural(self) -> &'static str {
        match self {
            Unit::Years => "years",
            Unit::Quarters => "quarters",
            Unit::Months => "months",
            Unit::Weeks => "weeks",
            Unit::Days => "days",
            Unit::Hours => "hours",
            Unit::Minutes => "minutes",
            Unit::Seconds => "seconds",
            Unit::Milliseconds => "milliseconds",
        }
    }

    /// Milliseconds in one unit by Luxon's casual conversion (a month is 30 days, a year 365).
    pub fn casual_millis(self) -> f64 {
        const DAY: f64 = 86_400_000.0;
        match self {
            Unit::Years => 365.0 * DAY,
            Unit::Quarters => 91.0 * DAY,
            Unit::Months => 30.0 * DAY,
            Unit::Weeks => 7.0 * DAY,
            Unit::Days => DAY,
            Unit::Hours => 3_600_000.0,
            Unit::Minutes => 60_000.0,
            Unit::Seconds => 1_000.0,
            Unit::Milliseconds => 1.0,
        }
    }

    /// Whether the unit moves the calendar (years to days) rather than the clock.
    pub fn is_calendar(self) -> bool {
        self <= Unit::Days
    }
}

/// An instant (milliseconds since the epoch) seen in a zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LuxonTime {
    millis: i64,
    offset: i32,
    zone: Zone,
}

/// The earliest and latest instants Luxon accepts (±100,000,000 days around the epoch).
const MAX_MILLIS: i64 = 8_640_000_000_000_000;

impl LuxonTime {
    /// The instant `millis` in `zone`; `None` outside JavaScript's date range.
    pub fn from_millis(millis: i64, zone: Zone) -> Option<Self> {
        (millis.abs() <= MAX_MILLIS).then(|| Self {
            millis,
            offset: zone.offset_at(millis),
            zone,
        })
    }

    /// The same instant in another zone (Luxon's `setZone`).
    pub fn in_zone(self, zone: Zone) -> Self {
        Self {
            offset: zone.offset_at(self.millis),
            zone,
            ..self
        }
    }

    /// Milliseconds since the epoch.
    pub fn millis(&self) -> i64 {
        self.millis
    }

    /// The zone.
    pub fn zone(&self) -> Zone {
        self.zone
    }

    /// The offset from UTC in minutes.
    pub fn offset(&self) -> i32 {
        self.offset
    }

    /// The wall time in the zone.
    pub fn local(&self) -> NaiveDateTime {
        let shifted = self.millis + i64::from(self.offset) * 60_000;
        chrono::DateTime::from_timestamp_millis(shifted)
            .unwrap_or_default()
            .naive_utc()
    }

    /// Luxon's `toString()` / `toISO()`: `2024-02-05T09:30:00.000Z` in fixed UTC,
    /// `2024-02-05T09:30:00.000+00:00` in an IANA zone at offset 0.
    pub fn to_iso(self) -> String {
        let local = self.local();
        let offset = if self.zone.is_fixed() && self.offset == 0 {
            "Z".to_owned()
        } else {
            offset_text(self.offset, OffsetStyle::Colon)
        };
        format!(
            "{}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{offset}",
            iso_year(local.year()),
            local.month(),
            local.day(),
            local.hour(),
            local.minute(),
            local.second(),
            local.nanosecond() / 1_000_000
        )
    }

    /// Adds `amount` of `unit` (negative subtracts), as Luxon's `plus`: whole calendar units
    /// move the wall time (the day clamped to the month's end), then the fractional parts of
    /// calendar units (casually converted) and the clock units are added as exact time.
    /// `None` when the result leaves the date range.
    pub fn plus(self, unit: Unit, amount: f64) -> Option<Self> {
        let whole = amount.trunc();
        let (months, days) = match unit {
            Unit::Years => (whole * 12.0, 0.0),
            Unit::Quarters => (whole * 3.0, 0.0),
            Unit::Months => (whole, 0.0),
            Unit::Weeks => (0.0, whole * 7.0),
            Unit::Days => (0.0, whole),
            _ => (0.0, 0.0),
        };
        let exact = if unit.is_calendar() {
            (amount - whole) * unit.casual_millis()
        } else {
            amount * unit.casual_millis()
        };
        self.add(to_whole(months)?, to_whole(days)?, exact)
    }

    /// One Luxon `plus` of `months` and `days` on the calendar (the day clamped to the new
    /// month's end before the days are added) and `exact` milliseconds on the clock.
    pub fn add(self, months: i64, days: i64, exact: f64) -> Option<Self> {
        let mut moved = self;
        if months != 0 || days != 0 {
            let local = self.local();
            let month_index = i64::from(local.year()) * 12 + i64::from(local.month0()) + months;
            let year = i32::try_from(month_index.div_euclid(12)).ok()?;
            let month = u32::try_from(month_index.rem_euclid(12)).ok()? + 1;
            let day = local.day().min(days_in_month(year, month));
            let date = NaiveDate::from_ymd_opt(year, month, day)?
                .checked_add_signed(chrono::Duration::try_days(days)?)?;
            let (millis, offset) = self
                .zone
                .resolve_local(date.and_time(local.time()), self.offset);
            moved = Self::from_millis(millis, self.zone)?;
            moved.offset = offset;
        }
        if exact != 0.0 {
            if !exact.is_finite() || exact.abs() > 2.0 * MAX_MILLIS as f64 {
                return None;
            }
            let millis = moved.millis.checked_add(exact.trunc() as i64)?;
            moved = Self::from_millis(millis, self.zone)?;
        }
        Some(moved)
    }

    /// The start of the `unit` the time is in (Luxon's `startOf`; weeks start on Monday).
    pub fn start_of(self, unit: Unit) -> Option<Self> {
        let local = self.local();
        let date = local.date();
        let (date, time) = match unit {
            Unit::Years => (NaiveDate::from_ymd_opt(date.year(), 1, 1)?, (0, 0, 0)),
            Unit::Quarters => {
                let month = (date.month0() / 3) * 3 + 1;
                (NaiveDate::from_ymd_opt(date.year(), month, 1)?, (0, 0, 0))
            }
            Unit::Months => (date.with_day(1)?, (0, 0, 0)),
            Unit::Weeks => {
                let back = i64::from(date.weekday().num_days_from_monday());
                (
                    date.checked_sub_signed(chrono::Duration::try_days(back)?)?,
                    (0, 0, 0),
                )
            }
            Unit::Days => (date, (0, 0, 0)),
            Unit::Hours => (date, (local.hour(), 0, 0)),
            Unit::Minutes => (date, (local.hour(), local.minute(), 0)),
            Unit::Seconds | Unit::Milliseconds => {
                (date, (local.hour(), local.minute(), local.second()))
            }
        };
        let start = if unit == Unit::Milliseconds {
            local
        } else {
            date.and_hms_opt(time.0, time.1, time.2)?
        };
        let (millis, offset) = self.zone.resolve_local(start, self.offset);
        let mut result = Self::from_millis(millis, self.zone)?;
        result.offset = offset;
        Some(result)
    }

    /// The ISO week number (Luxon's `weekNumber`).
    pub fn week_number(&self) -> u32 {
        self.local().iso_week().week()
    }
}

/// A whole number of units as an integer; `None` beyond any date.
fn to_whole(value: f64) -> Option<i64> {
    (value.is_finite() && value.abs() < 1e12).then_some(value as i64)
}

/// Days in `month` (1-12) of `year`.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|first| first.pred_opt())
        .map_or(31, |last| last.day())
}

/// A year as ISO 8601 writes it: four digits, six with a sign outside 0-9999.
pub fn iso_year(year: i32) -> String {
    if (0..=9999).contains(&year) {
        format!("{year:04}")
    } else {
        let sign = if year < 0 { '-' } else { '+' };
        format!("{sign}{:06}", year.abs())
    }
}
