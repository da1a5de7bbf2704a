//! The time between two dates in chosen units, as Luxon's `DateTime.diff` computes it: calendar
//! units (years to days) are counted on the calendar from the earlier date, the rest is exact
//! time shared out over the clock units; without clock units the smallest calendar unit takes
//! the remainder as a fraction. Printed as `Duration.toObject()` or `Duration.toISO()`.

use serde_json::{Map, Value};

use super::luxon_time::{LuxonTime, Unit};
use crate::js_number::format_js_number;

/// A duration: an amount per unit, in Luxon's unit order.
#[derive(Clone, Debug, PartialEq)]
pub struct Duration {
    values: Vec<(Unit, f64)>,
}

impl Duration {
    /// `later - earlier` (or its negation when `end` is before `start`) in `units`.
    /// `None` when a step leaves the date range.
    pub fn between(start: LuxonTime, end: LuxonTime, units: &[Unit]) -> Option<Duration> {
        let mut units: Vec<Unit> = units.to_vec();
        units.sort();
        units.dedup();
        let (earlier, later, negate) = if start.millis() > end.millis() {
            (end, start, true)
        } else {
            (start, end, false)
        };
        let mut duration = diff(earlier, later, &units)?;
        if negate {
            for (_, value) in &mut duration.values {
                *value = -*value + 0.0;
            }
        }
        Some(duration)
    }

    /// Luxon's `toObject()`: `{ "days": 69.5 }`.
    pub fn to_object(&self) -> Map<String, Value> {
        self.values
            .iter()
            .map(|(unit, value)| (unit.plural().to_owned(), number(*value)))
            .collect()
    }

    /// Luxon's `toISO()`: `P2M9DT12H`, `PT0S` when empty.
    pub fn to_iso(&self) -> String {
        let get = |unit: Unit| {
            self.values
                .iter()
                .find(|(candidate, _)| *candidate == unit)
                .map_or(0.0, |(_, value)| *value)
        };
        let js = format_js_number;
        let mut text = "P".to_owned();
        let mut part = |value: f64, suffix: char| {
            if value != 0.0 {
                text.push_str(&js(value));
                text.push(suffix);
            }
        };
        part(get(Unit::Years), 'Y');
        part(get(Unit::Months) + get(Unit::Quarters) * 3.0, 'M');
        part(get(Unit::Weeks), 'W');
        part(get(Unit::Days), 'D');
        let (hours, minutes) = (get(Unit::Hours), get(Unit::Minutes));
        let seconds = get(Unit::Seconds) + get(Unit::Milliseconds) / 1000.0;
        if hours != 0.0 || minutes != 0.0 || seconds != 0.0 {
            text.push('T');
        }
        if hours != 0.0 {
            text.push_str(&format!("{}H", js(hours)));
        }
        if minutes != 0.0 {
            text.push_str(&format!("{}M", js(minutes)));
        }
        if get(Unit::Seconds) != 0.0 || get(Unit::Milliseconds) != 0.0 {
            text.push_str(&format!("{}S", js((seconds * 1000.0).round() / 1000.0)));
        }
        if text == "P" {
            text.push_str("T0S");
        }
        text
    }
}

/// A JSON number, integral values without a fraction (as JavaScript prints them).
fn number(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 9e15 {
        Value::from(value as i64)
    } else {
        serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)
    }
}

/// Whole days between the two dates' wall-clock calendar days.
fn day_difference(earlier: LuxonTime, later: LuxonTime) -> i64 {
    let day = |time: LuxonTime| time.local().date();
    (day(later) - day(earlier)).num_days()
}

/// The calendar-unit count from `a` to `b`.
fn calendar_difference(unit: Unit, a: LuxonTime, b: LuxonTime) -> i64 {
    let (a, b) = (a.local(), b.local());
    use chrono::Datelike;
    let years = i64::from(b.year() - a.year());
    match unit {
        Unit::Years => years,
        Unit::Quarters => {
            let quarter = |month: u32| i64::from((month - 1) / 3 + 1);
            quarter(b.month()) - quarter(a.month()) + years * 4
        }
        Unit::Months => i64::from(b.month()) - i64::from(a.month()) + years * 12,
        _ => unreachable!("only years, quarters and months are counted on the calendar"),
    }
}

/// `start` plus whole calendar `counts`, in one Luxon `plus`.
fn plus_all(start: LuxonTime, counts: &[(Unit, f64)]) -> Option<LuxonTime> {
    let (mut months, mut days) = (0_i64, 0_i64);
    for (unit, count) in counts {
        let count = *count as i64;
        match unit {
            Unit::Years => months += count * 12,
            Unit::Quarters => months += count * 3,
            Unit::Months => months += count,
            Unit::Weeks => days += count * 7,
            _ => days += count,
        }
    }
    start.add(months, days, 0.0)
}

fn diff(earlier: LuxonTime, later: LuxonTime, units: &[Unit]) -> Option<Duration> {
    let mut counts: Vec<(Unit, f64)> = Vec::new();
    let mut cursor = earlier;
    let mut high_water = None;
    let mut lowest = None;
    for unit in units.iter().copied().filter(|unit| unit.is_calendar()) {
        lowest = Some(unit);
        let mut count = match unit {
            Unit::Weeks => {
                let days = day_difference(cursor, later);
                (days - days % 7) / 7
            }
            Unit::Days => day_difference(cursor, later),
            other => calendar_difference(other, cursor, later),
        } as f64;
        counts.push((unit, count));
        let mut water = plus_all(earlier, &counts)?;
        if water.millis() > later.millis() {
            count -= 1.0;
            set_count(&mut counts, unit, count);
            cursor = plus_all(earlier, &counts)?;
            if cursor.millis() > later.millis() {
                water = cursor;
                count -= 1.0;
                set_count(&mut counts, unit, count);
                cursor = plus_all(earlier, &counts)?;
            }
        } else {
            cursor = water;
        }
        high_water = Some(water);
    }
    let remaining = (later.millis() - cursor.millis()) as f64;
    let clock: Vec<Unit> = units
        .iter()
        .copied()
        .filter(|unit| !unit.is_calendar())
        .collect();
    if clock.is_empty() {
        let lowest = lowest?;
        let mut water = high_water?;
        if water.millis() < later.millis() {
            water = cursor.plus(lowest, 1.0)?;
        }
        if water.millis() != cursor.millis() {
            let span = (water.millis() - cursor.millis()) as f64;
            let count = counts
                .iter()
                .find(|(unit, _)| *unit == lowest)
                .map_or(0.0, |(_, count)| *count);
            set_count(&mut counts, lowest, count + remaining / span);
        }
        return Some(Duration { values: counts });
    }
    counts.extend(share_out(remaining, &clock));
    counts.sort_by_key(|(unit, _)| *unit);
    Some(Duration { values: counts })
}

/// `millis` in the clock `units` as Luxon's `shiftTo` gives them: all of it in the smallest
/// unit, whole larger units rolled up from it, then any fraction of a larger unit rolled down.
fn share_out(millis: f64, units: &[Unit]) -> Vec<(Unit, f64)> {
    let mut values: Vec<(Unit, f64)> = units.iter().map(|unit| (*unit, 0.0)).collect();
    let Some(last) = values.last_mut() else {
        return values;
    };
    last.1 = millis / last.0.casual_millis();
    for index in (1..values.len()).rev() {
        let conversion = values[index - 1].0.casual_millis() / values[index].0.casual_millis();
        let roll_up = (values[index].1 / conversion).floor();
        values[index - 1].1 += roll_up;
        values[index].1 -= roll_up * conversion;
    }
    for index in 1..values.len() {
        let fraction = values[index - 1].1 % 1.0;
        values[index - 1].1 -= fraction;
        let conversion = values[index - 1].0.casual_millis() / values[index].0.casual_millis();
        values[index].1 += fraction * conversion;
    }
    values
}

fn set_count(counts: &mut [(Unit, f64)], unit: Unit, value: f64) {
    if let Some(entry) = counts.iter_mut().find(|(candidate, _)| *candidate == unit) {
        entry.1 = value;
    }
}
