//! Reading a date string as moment.js does without a format: its ISO 8601 forms
//! (`2024-01-05`, `2024-01-05T09:30:00.000+02:00`, `20240105T0930`, week and ordinal dates), then
//! RFC 2822 (`Fri, 05 Jan 2024 09:30:00 GMT`), then what JavaScript's `Date` reads
//! (`2024/01/05`, `01/05/2024 10:00 PM`, `Jan 5, 2024`, `Friday 5 January 2024 09:30 GMT+0100`).
//! A time without an offset is local time in the zone given (the machine's, for n8n).

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};

use super::calendar_names::{MONTHS, WEEKDAYS};
use super::zone::Zone;

/// The instant (epoch milliseconds) `text` stands for, `None` when moment finds it invalid.
pub fn parse(text: &str, local: Zone) -> Option<i64> {
    let text = text.trim_start();
    iso(text, local)
        .or_else(|| rfc2822(text))
        .or_else(|| legacy(text, local))
}

/// A naive date-time and an optional offset in minutes, to an instant.
fn instant(local_time: NaiveDateTime, offset: Option<i32>, zone: Zone) -> i64 {
    match offset {
        Some(minutes) => local_time.and_utc().timestamp_millis() - i64::from(minutes) * 60_000,
        None => zone.instant_of_local_js(local_time),
    }
}

fn digits(text: &str, count: usize) -> Option<u32> {
    (text.len() == count && text.bytes().all(|byte| byte.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// moment's ISO 8601 forms (extended and basic).
fn iso(text: &str, zone: Zone) -> Option<i64> {
    let split = text.find(['T', ' ']).unwrap_or(text.len());
    let (date_text, rest) = text.split_at(split);
    let date = iso_date(date_text)?;
    if rest.is_empty() {
        return Some(instant(date.and_time(NaiveTime::MIN), None, zone));
    }
    let rest = &rest[1..];
    let zone_start = rest.find(['+', '-', 'Z', ' ']).unwrap_or(rest.len());
    let (time_text, offset_text) = rest.split_at(zone_start);
    let (time, next_day) = iso_time(time_text, date_text.contains('-'))?;
    let offset = match offset_text.trim_start() {
        "" if offset_text.is_empty() => None,
        "Z" => Some(0),
        other => Some(iso_offset(other)?),
    };
    let mut local_time = date.and_time(time);
    if next_day {
        local_time += chrono::Duration::days(1);
    }
    Some(instant(local_time, offset, zone))
}

fn iso_date(text: &str) -> Option<NaiveDate> {
    let (sign, body) = match text.as_bytes().first()? {
        b'+' | b'-' if text.len() > 7 => (text.starts_with('-'), &text[1..]),
        _ => (false, text),
    };
    let year_len = if text.len() != body.len() { 6 } else { 4 };
    let year = i32::try_from(digits(body.get(..year_len)?, year_len)?).ok()?;
    let year = if sign { -year } else { year };
    let rest = &body[year_len..];
    let extended = rest.starts_with('-');
    let rest = if extended { &rest[1..] } else { rest };
    if let Some(week_part) = rest.strip_prefix('W') {
        let week_part = week_part.replace('-', "");
        let week = digits(week_part.get(..2)?, 2)?;
        let day = match &week_part[2..] {
            "" => 1,
            day => digits(day, 1)?,
        };
        let weekday = chrono::Weekday::try_from(u8::try_from(day.checked_sub(1)?).ok()?).ok()?;
        return NaiveDate::from_isoywd_opt(year, week, weekday);
    }
    match (rest.len(), extended) {
        (0, false) if year_len == 4 => NaiveDate::from_ymd_opt(year, 1, 1),
        (2, _) => NaiveDate::from_ymd_opt(year, digits(rest, 2)?, 1),
        (3, _) => NaiveDate::from_yo_opt(year, digits(rest, 3)?),
        (5, true) if &rest[2..3] == "-" => {
            NaiveDate::from_ymd_opt(year, digits(&rest[..2], 2)?, digits(&rest[3..], 2)?)
        }
        (4, false) => NaiveDate::from_ymd_opt(year, digits(&rest[..2], 2)?, digits(&rest[2..], 2)?),
        _ => None,
    }
}

/// `HH`, `HH:mm`, `HH:mm:ss`, `HH:mm:ss.SSS` (or without colons); `24:00` is the next day.
fn iso_time(text: &str, extended: bool) -> Option<(NaiveTime, bool)> {
    let (main, fraction) = match text.find(['.', ',']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let parts: Vec<&str> = if extended && main.contains(':') {
        main.split(':').collect()
    } else {
        main.as_bytes()
            .chunks(2)
            .map(|chunk| std::str::from_utf8(chunk).unwrap_or(""))
            .collect()
    };
    if parts.is_empty() || parts.len() > 3 || (fraction.is_some() && parts.len() != 3) {
        return None;
    }
    let number = |index: usize| parts.get(index).map_or(Some(0), |part| digits(part, 2));
    let (hour, minute, second) = (number(0)?, number(1)?, number(2)?);
    let millis = match fraction {
        Some(fraction) if !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{fraction:0<3}")[..3].parse().ok()?
        }
        Some(_) => return None,
        None => 0,
    };
    if hour == 24 && minute == 0 && second == 0 && millis == 0 {
        return Some((NaiveTime::MIN, true));
    }
    NaiveTime::from_hms_milli_opt(hour, minute, second, millis).map(|time| (time, false))
}

/// `+02`, `+02:00`, `-0530`.
fn iso_offset(text: &str) -> Option<i32> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = text[1..].replace(':', "");
    let hours = digits(body.get(..2)?, 2)?;
    let minutes = match body.len() {
        2 => 0,
        4 => digits(&body[2..], 2)?,
        _ => return None,
    };
    Some(sign * i32::try_from(hours * 60 + minutes).ok()?)
}

fn rfc2822(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc2822(text)
        .ok()
        .map(|moment| moment.timestamp_millis())
}

/// One word of a free-form date.
fn month_named(word: &str) -> Option<u32> {
    let lowered = word.to_ascii_lowercase();
    (lowered.len() >= 3)
        .then(|| {
            MONTHS
                .iter()
                .position(|month| month.to_ascii_lowercase().starts_with(&lowered[..3]))
        })
        .flatten()
        .map(|index| index as u32 + 1)
}

fn is_weekday(word: &str) -> bool {
    let lowered = word.to_ascii_lowercase();
    lowered.len() >= 3
        && WEEKDAYS
            .iter()
            .any(|day| day.to_ascii_lowercase().starts_with(&lowered[..3]))
}

/// What JavaScript's `Date` reads from free-form text (the common forms of V8's legacy parser).
fn legacy(text: &str, zone: Zone) -> Option<i64> {
    let mut year = None;
    let mut month = None;
    let mut day = None;
    let mut time: Option<(u32, u32, u32, u32)> = None;
    let mut offset: Option<i32> = None;
    let mut pm: Option<bool> = None;
    let cleaned: String = strip_comments(text);
    let words = cleaned
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|word| !word.is_empty());
    for word in words {
        let lowered = word.to_ascii_lowercase();
        if let Some(rest) = lowered
            .strip_prefix("gmt")
            .or_else(|| lowered.strip_prefix("utc"))
            .or_else(|| lowered.strip_prefix('z').filter(|rest| rest.is_empty()))
        {
            offset = Some(if rest.is_empty() {
                0
            } else {
                iso_offset(rest)?
            });
        } else if (word.starts_with('+') || word.starts_with('-')) && word.len() > 2 {
            offset = Some(iso_offset(word)?);
        } else if lowered == "am" || lowered == "pm" {
            pm = Some(lowered == "pm");
        } else if word.contains(':') {
            time = Some(clock(word)?);
        } else if word.contains('/') || word.matches('-').count() == 2 {
            let parts: Vec<u32> = word
                .split(['/', '-'])
                .map(|part| part.parse().ok())
                .collect::<Option<_>>()?;
            let [a, b, c] = parts[..] else { return None };
            let first_is_year = word
                .split(['/', '-'])
                .next()
                .is_some_and(|part| part.len() >= 3);
            let (y, m, d) = if first_is_year { (a, b, c) } else { (c, a, b) };
            year = Some(full_year(y));
            month = Some(m);
            day = Some(d);
        } else if let Ok(number) = word.parse::<u32>() {
            if day.is_none() && word.len() <= 2 && number <= 31 {
                day = Some(number);
            } else if year.is_none() {
                year = Some(full_year(number));
            } else {
                return None;
            }
        } else if let Some(named) = month_named(word) {
            month = Some(named);
        } else if !is_weekday(word) {
            return None;
        }
    }
    let (hour, minute, second, millis) = time.unwrap_or((0, 0, 0, 0));
    let hour = match pm {
        Some(true) if hour < 12 => hour + 12,
        Some(false) if hour == 12 => 0,
        _ => hour,
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(year?).ok()?, month?, day.unwrap_or(1))?;
    let local_time = date.and_time(NaiveTime::from_hms_milli_opt(hour, minute, second, millis)?);
    Some(instant(local_time, offset, zone))
}

fn strip_comments(text: &str) -> String {
    let mut depth = 0_usize;
    text.chars()
        .filter(|character| match character {
            '(' => {
                depth += 1;
                false
            }
            ')' => {
                depth = depth.saturating_sub(1);
                false
            }
            _ => depth == 0,
        })
        .collect()
}

fn clock(word: &str) -> Option<(u32, u32, u32, u32)> {
    let (main, fraction) = word.split_once('.').unwrap_or((word, "0"));
    let parts: Vec<u32> = main
        .split(':')
        .map(|part| part.parse().ok())
        .collect::<Option<_>>()?;
    let millis = format!("{fraction:0<3}").get(..3)?.parse().ok()?;
    match parts[..] {
        [hour, minute] => Some((hour, minute, 0, millis)),
        [hour, minute, second] => Some((hour, minute, second, millis)),
        _ => None,
    }
}

/// Two-digit years as `Date` reads them (00-49 → 2000s, 50-99 → 1900s).
fn full_year(year: u32) -> u32 {
    match year {
        0..=49 => 2000 + year,
        50..=99 => 1900 + year,
        _ => year,
    }
}
