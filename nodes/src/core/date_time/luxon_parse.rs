//! Luxon's `DateTime.fromFormat` for the Date & Time node's `fromFormat` option: the text must
//! match the format's tokens from start to end (case-insensitive names, `'quoted'` literals);
//! units larger than the largest given come from now, smaller ones start at their minimum; a
//! value out of range (month 13, Feb 30) gives an invalid date rather than a parse error.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

use super::calendar_names::{MONTHS, WEEKDAYS};
use super::luxon_format::{Piece, pieces};
use super::luxon_time::LuxonTime;
use super::zone::Zone;

/// Why a text did not become a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseFailure {
    /// The text does not match the format (Luxon's `unparsable`): the node fails.
    Unparsable,
    /// A unit is out of range (Luxon's `unit out of range`): the date is invalid.
    OutOfRange,
}

/// The fields a format can set.
#[derive(Clone, Copy, Debug, Default)]
struct Fields {
    year: Option<i64>,
    month: Option<i64>,
    day: Option<i64>,
    ordinal: Option<i64>,
    hour: Option<i64>,
    minute: Option<i64>,
    second: Option<i64>,
    millisecond: Option<i64>,
    pm: Option<bool>,
    offset: Option<i32>,
    zone: Option<Zone>,
}

/// How a token reads its part of the text.
#[derive(Clone, Copy, Debug)]
enum Reader {
    /// Between `min` and `max` digits.
    Digits(usize, usize),
    /// One of the names, each also matching its first three letters when `short`.
    Names(&'static [&'static str], Length),
    /// `AM` / `PM`.
    Meridiem,
    /// An offset: `+5`, `+05:00`, `+0500`, `Z`.
    Offset,
    /// An IANA zone name.
    ZoneName,
}

/// Whether a name matches in full or by its first three letters.
#[derive(Clone, Copy, Debug)]
enum Length {
    Short,
    Long,
}

/// Which field a token sets.
#[derive(Clone, Copy, Debug)]
enum Target {
    Year,
    TwoDigitYear,
    Month,
    Day,
    Ordinal,
    Hour24,
    Hour12,
    Minute,
    Second,
    Millisecond,
    Fraction,
    Weekday,
    Meridiem,
    Offset,
    Zone,
}

/// Every token `fromFormat` reads.
const TOKENS: &[(&str, Reader, Target)] = &[
    ("y", Reader::Digits(1, 6), Target::Year),
    ("yy", Reader::Digits(2, 4), Target::TwoDigitYear),
    ("yyyy", Reader::Digits(4, 4), Target::Year),
    ("yyyyy", Reader::Digits(4, 6), Target::Year),
    ("yyyyyy", Reader::Digits(6, 6), Target::Year),
    ("M", Reader::Digits(1, 2), Target::Month),
    ("L", Reader::Digits(1, 2), Target::Month),
    ("MM", Reader::Digits(2, 2), Target::Month),
    ("LL", Reader::Digits(2, 2), Target::Month),
    ("MMM", Reader::Names(&MONTHS, Length::Short), Target::Month),
    ("LLL", Reader::Names(&MONTHS, Length::Short), Target::Month),
    ("MMMM", Reader::Names(&MONTHS, Length::Long), Target::Month),
    ("LLLL", Reader::Names(&MONTHS, Length::Long), Target::Month),
    ("d", Reader::Digits(1, 2), Target::Day),
    ("dd", Reader::Digits(2, 2), Target::Day),
    ("o", Reader::Digits(1, 3), Target::Ordinal),
    ("ooo", Reader::Digits(3, 3), Target::Ordinal),
    ("H", Reader::Digits(1, 2), Target::Hour24),
    ("HH", Reader::Digits(2, 2), Target::Hour24),
    ("h", Reader::Digits(1, 2), Target::Hour12),
    ("hh", Reader::Digits(2, 2), Target::Hour12),
    ("m", Reader::Digits(1, 2), Target::Minute),
    ("mm", Reader::Digits(2, 2), Target::Minute),
    ("s", Reader::Digits(1, 2), Target::Second),
    ("ss", Reader::Digits(2, 2), Target::Second),
    ("S", Reader::Digits(1, 3), Target::Millisecond),
    ("SSS", Reader::Digits(3, 3), Target::Millisecond),
    ("u", Reader::Digits(1, 9), Target::Fraction),
    ("uu", Reader::Digits(1, 2), Target::Fraction),
    ("uuu", Reader::Digits(1, 1), Target::Fraction),
    ("E", Reader::Digits(1, 1), Target::Weekday),
    ("c", Reader::Digits(1, 1), Target::Weekday),
    (
        "EEE",
        Reader::Names(&WEEKDAYS, Length::Short),
        Target::Weekday,
    ),
    (
        "ccc",
        Reader::Names(&WEEKDAYS, Length::Short),
        Target::Weekday,
    ),
    (
        "EEEE",
        Reader::Names(&WEEKDAYS, Length::Long),
        Target::Weekday,
    ),
    (
        "cccc",
        Reader::Names(&WEEKDAYS, Length::Long),
        Target::Weekday,
    ),
    ("a", Reader::Meridiem, Target::Meridiem),
    ("Z", Reader::Offset, Target::Offset),
    ("ZZ", Reader::Offset, Target::Offset),
    ("ZZZ", Reader::Offset, Target::Offset),
    ("z", Reader::ZoneName, Target::Zone),
];

/// `text` read with Luxon `format` in `zone` (unless the text carries an offset or zone), as
/// epoch milliseconds.
pub fn parse(text: &str, format: &str, zone: Zone) -> Result<i64, ParseFailure> {
    let mut fields = Fields::default();
    let mut rest = text;
    for piece in pieces(format) {
        rest = match piece {
            Piece::Literal(literal) => strip_literal(rest, &literal)?,
            Piece::Token(token) => match TOKENS.iter().find(|(name, _, _)| *name == token) {
                Some((_, reader, target)) => {
                    let (value, after) = read(rest, *reader)?;
                    store(&mut fields, *target, value)?;
                    after
                }
                // Anything else must appear as written.
                None => strip_literal(rest, &token)?,
            },
        };
    }
    if !rest.is_empty() {
        return Err(ParseFailure::Unparsable);
    }
    build(fields, zone)
}

fn strip_literal<'t>(text: &'t str, literal: &str) -> Result<&'t str, ParseFailure> {
    let mut rest = text;
    for expected in literal.chars() {
        let mut chars = rest.chars();
        let found = chars.next().ok_or(ParseFailure::Unparsable)?;
        let same = found.to_lowercase().eq(expected.to_lowercase())
            || (expected.is_whitespace() && (found == ' ' || found == '\u{a0}'));
        if !same {
            return Err(ParseFailure::Unparsable);
        }
        rest = chars.as_str();
    }
    Ok(rest)
}

/// A read value: a number, or text for zone names.
enum Value<'t> {
    Number(i64, usize),
    Zone(Zone),
    Text(&'t str),
}

fn read(text: &str, reader: Reader) -> Result<(Value<'_>, &str), ParseFailure> {
    match reader {
        Reader::Digits(min, max) => {
            let count = text
                .bytes()
                .take(max)
                .take_while(u8::is_ascii_digit)
                .count();
            if count < min {
                return Err(ParseFailure::Unparsable);
            }
            let number = text[..count]
                .parse()
                .map_err(|_| ParseFailure::Unparsable)?;
            Ok((Value::Number(number, count), &text[count..]))
        }
        Reader::Names(names, length) => {
            let lowered = text.to_lowercase();
            for (index, name) in names.iter().enumerate() {
                let candidate = match length {
                    Length::Short => &name[..3],
                    Length::Long => name,
                };
                if lowered.starts_with(&candidate.to_lowercase()) {
                    return Ok((Value::Number(index as i64 + 1, 0), &text[candidate.len()..]));
                }
            }
            Err(ParseFailure::Unparsable)
        }
        Reader::Meridiem => {
            let head = text.get(..2).ok_or(ParseFailure::Unparsable)?;
            match head.to_ascii_lowercase().as_str() {
                "am" | "pm" => Ok((Value::Text(head), &text[2..])),
                _ => Err(ParseFailure::Unparsable),
            }
        }
        Reader::Offset => {
            if let Some(rest) = text.strip_prefix(['Z', 'z']) {
                return Ok((Value::Number(0, 0), rest));
            }
            let sign = match text.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return Err(ParseFailure::Unparsable),
            };
            let body = &text[1..];
            let hours_len = body.bytes().take(2).take_while(u8::is_ascii_digit).count();
            let hours: i64 = body[..hours_len]
                .parse()
                .map_err(|_| ParseFailure::Unparsable)?;
            let mut rest = &body[hours_len..];
            let mut minutes = 0;
            let after_colon = rest.strip_prefix(':').unwrap_or(rest);
            if after_colon.len() >= 2 && after_colon.as_bytes()[..2].iter().all(u8::is_ascii_digit)
            {
                minutes = after_colon[..2]
                    .parse()
                    .map_err(|_| ParseFailure::Unparsable)?;
                rest = &after_colon[2..];
            }
            Ok((Value::Number(sign * (hours * 60 + minutes), 0), rest))
        }
        Reader::ZoneName => {
            let length = text
                .find(|c: char| !(c.is_ascii_alphanumeric() || "/_+-".contains(c)))
                .unwrap_or(text.len());
            let zone = Zone::named(&text[..length]).ok_or(ParseFailure::Unparsable)?;
            Ok((Value::Zone(zone), &text[length..]))
        }
    }
}

fn store(fields: &mut Fields, target: Target, value: Value<'_>) -> Result<(), ParseFailure> {
    let number = match &value {
        Value::Number(number, _) => *number,
        Value::Zone(zone) => {
            fields.zone = Some(*zone);
            return Ok(());
        }
        Value::Text(text) => {
            fields.pm = Some(text.eq_ignore_ascii_case("pm"));
            return Ok(());
        }
    };
    match target {
        Target::Year => fields.year = Some(number),
        Target::TwoDigitYear => {
            fields.year = Some(if number < 100 {
                if number > 60 {
                    1900 + number
                } else {
                    2000 + number
                }
            } else {
                number
            });
        }
        Target::Month => fields.month = Some(number),
        Target::Day => fields.day = Some(number),
        Target::Ordinal => fields.ordinal = Some(number),
        Target::Hour24 | Target::Hour12 => fields.hour = Some(number),
        Target::Minute => fields.minute = Some(number),
        Target::Second => fields.second = Some(number),
        Target::Millisecond => fields.millisecond = Some(number),
        Target::Fraction => {
            let Value::Number(_, digits) = value else {
                return Ok(());
            };
            let scale = 10_f64.powi(i32::try_from(digits).unwrap_or(0));
            fields.millisecond = Some((number as f64 / scale * 1000.0).floor() as i64);
        }
        Target::Weekday => {}
        Target::Meridiem => {}
        Target::Offset => {
            fields.offset = Some(i32::try_from(number).map_err(|_| ParseFailure::OutOfRange)?)
        }
        Target::Zone => {}
    }
    Ok(())
}

fn build(fields: Fields, default_zone: Zone) -> Result<i64, ParseFailure> {
    let zone = match (fields.offset, fields.zone) {
        (Some(offset), _) => Zone::Fixed(offset),
        (None, Some(zone)) => zone,
        (None, None) => default_zone,
    };
    let hour = match (fields.hour, fields.pm) {
        (Some(hour), Some(true)) if hour < 12 => Some(hour + 12),
        (Some(12), Some(false)) => Some(0),
        (hour, _) => hour,
    };
    let now = LuxonTime::from_millis(chrono::Utc::now().timestamp_millis(), zone)
        .map(|time| time.local())
        .unwrap_or_default();
    // Units above the largest one given come from now; the rest start at their minimum.
    let given = [
        fields.year,
        fields.month.or(fields.ordinal),
        fields.day.or(fields.ordinal),
        hour,
        fields.minute,
        fields.second,
        fields.millisecond,
    ];
    let first = given
        .iter()
        .position(Option::is_some)
        .unwrap_or(given.len());
    let current = [
        i64::from(now.year()),
        i64::from(now.month()),
        i64::from(now.day()),
        i64::from(now.hour()),
        i64::from(now.minute()),
        i64::from(now.second()),
        i64::from(now.nanosecond() / 1_000_000),
    ];
    let minimum = [0, 1, 1, 0, 0, 0, 0];
    let unit = |index: usize| {
        given[index].unwrap_or(if index < first {
            current[index]
        } else {
            minimum[index]
        })
    };
    let in_range =
        |value: i64, max: i64| u32::try_from(value).ok().filter(|v| i64::from(*v) <= max);
    let year = i32::try_from(unit(0)).map_err(|_| ParseFailure::OutOfRange)?;
    let date = match fields.ordinal {
        Some(ordinal) if fields.month.is_none() => NaiveDate::from_yo_opt(
            year,
            in_range(ordinal, 366).ok_or(ParseFailure::OutOfRange)?,
        ),
        _ => NaiveDate::from_ymd_opt(
            year,
            in_range(unit(1), 12).ok_or(ParseFailure::OutOfRange)?,
            in_range(unit(2), 31).ok_or(ParseFailure::OutOfRange)?,
        ),
    }
    .ok_or(ParseFailure::OutOfRange)?;
    let time = NaiveTime::from_hms_milli_opt(
        in_range(unit(3), 23).ok_or(ParseFailure::OutOfRange)?,
        in_range(unit(4), 59).ok_or(ParseFailure::OutOfRange)?,
        in_range(unit(5), 59).ok_or(ParseFailure::OutOfRange)?,
        in_range(unit(6), 999).ok_or(ParseFailure::OutOfRange)?,
    )
    .ok_or(ParseFailure::OutOfRange)?;
    let local = date.and_time(time);
    Ok(match zone {
        Zone::Fixed(offset) => local.and_utc().timestamp_millis() - i64::from(offset) * 60_000,
        zone => zone.instant_of_local(local),
    })
}
