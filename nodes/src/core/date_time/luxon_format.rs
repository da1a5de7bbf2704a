//! Luxon's `toFormat` tokens (en-US), one table: `yyyy-MM-dd`, `cccc d LLLL yyyy HH:mm`,
//! `'literal'` text in single quotes, localized macros (`D`, `DDD`, `t`, `fff`), `X`/`x` for
//! epoch seconds/milliseconds. A run of letters that is no token is printed as written.

use chrono::{Datelike, NaiveDateTime, Timelike};

use super::calendar_names::{MONTHS, WEEKDAYS, abbreviated, us_week};
use super::luxon_time::LuxonTime;
use super::zone::{OffsetStyle, offset_text};

/// A piece of a format string: literal text or a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Piece {
    Literal(String),
    Token(String),
}

/// Splits a format into runs of one repeated character and quoted literals (Luxon's
/// `parseFormat`).
pub(super) fn pieces(format: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let push = |pieces: &mut Vec<Piece>, text: String, literal: bool| {
        let blank = text.chars().all(char::is_whitespace);
        pieces.push(if literal || blank {
            Piece::Literal(text)
        } else {
            Piece::Token(text)
        });
    };
    for character in format.chars() {
        if character == '\'' {
            if !current.is_empty() || quoted {
                let text = if current.is_empty() {
                    "'".to_owned()
                } else {
                    std::mem::take(&mut current)
                };
                push(&mut pieces, text, quoted);
            }
            quoted = !quoted;
        } else if quoted || current.starts_with(character) {
            current.push(character);
        } else {
            if !current.is_empty() {
                push(&mut pieces, std::mem::take(&mut current), false);
            }
            current.push(character);
        }
    }
    if !current.is_empty() {
        push(&mut pieces, current, quoted);
    }
    pieces
}

/// What a token prints for a date.
type Render = fn(&LuxonTime, &NaiveDateTime) -> String;

/// Every token Luxon knows, with what it prints.
const TOKENS: &[(&str, Render)] = &[
    ("S", |_, l| millis(l).to_string()),
    ("SSS", |_, l| format!("{:03}", millis(l))),
    ("u", |_, l| format!("{:03}", millis(l))),
    ("uu", |_, l| format!("{:02}", millis(l) / 10)),
    ("uuu", |_, l| (millis(l) / 100).to_string()),
    ("s", |_, l| l.second().to_string()),
    ("ss", |_, l| format!("{:02}", l.second())),
    ("m", |_, l| l.minute().to_string()),
    ("mm", |_, l| format!("{:02}", l.minute())),
    ("h", |_, l| hour12(l).to_string()),
    ("hh", |_, l| format!("{:02}", hour12(l))),
    ("H", |_, l| l.hour().to_string()),
    ("HH", |_, l| format!("{:02}", l.hour())),
    ("Z", |t, _| offset_text(t.offset(), OffsetStyle::Narrow)),
    ("ZZ", |t, _| offset_text(t.offset(), OffsetStyle::Colon)),
    ("ZZZ", |t, _| offset_text(t.offset(), OffsetStyle::Compact)),
    ("ZZZZ", |t, _| t.zone().short_name(t.millis())),
    ("ZZZZZ", |t, _| t.zone().long_name(t.millis())),
    ("z", |t, _| t.zone().name()),
    ("a", |_, l| meridiem(l).to_owned()),
    ("d", |_, l| l.day().to_string()),
    ("dd", |_, l| format!("{:02}", l.day())),
    ("c", |_, l| weekday_number(l).to_string()),
    ("E", |_, l| weekday_number(l).to_string()),
    ("ccc", |_, l| abbreviated(weekday(l), 3).to_owned()),
    ("EEE", |_, l| abbreviated(weekday(l), 3).to_owned()),
    ("cccc", |_, l| weekday(l).to_owned()),
    ("EEEE", |_, l| weekday(l).to_owned()),
    ("ccccc", |_, l| abbreviated(weekday(l), 1).to_owned()),
    ("EEEEE", |_, l| abbreviated(weekday(l), 1).to_owned()),
    ("L", |_, l| l.month().to_string()),
    ("M", |_, l| l.month().to_string()),
    ("LL", |_, l| format!("{:02}", l.month())),
    ("MM", |_, l| format!("{:02}", l.month())),
    ("LLL", |_, l| abbreviated(month(l), 3).to_owned()),
    ("MMM", |_, l| abbreviated(month(l), 3).to_owned()),
    ("LLLL", |_, l| month(l).to_owned()),
    ("MMMM", |_, l| month(l).to_owned()),
    ("LLLLL", |_, l| abbreviated(month(l), 1).to_owned()),
    ("MMMMM", |_, l| abbreviated(month(l), 1).to_owned()),
    ("y", |_, l| l.year().to_string()),
    ("yy", |_, l| two_digits(i64::from(l.year()))),
    ("yyyy", |_, l| padded(i64::from(l.year()), 4)),
    ("yyyyyy", |_, l| padded(i64::from(l.year()), 6)),
    ("G", |_, l| era(l, ["BC", "AD"])),
    ("GG", |_, l| era(l, ["Before Christ", "Anno Domini"])),
    ("GGGGG", |_, l| era(l, ["B", "A"])),
    ("kk", |_, l| two_digits(i64::from(l.iso_week().year()))),
    ("kkkk", |_, l| padded(i64::from(l.iso_week().year()), 4)),
    ("W", |_, l| l.iso_week().week().to_string()),
    ("WW", |_, l| format!("{:02}", l.iso_week().week())),
    ("n", |_, l| us_week(l.date(), 4).1.to_string()),
    ("nn", |_, l| format!("{:02}", us_week(l.date(), 4).1)),
    ("ii", |_, l| two_digits(i64::from(us_week(l.date(), 4).0))),
    ("iiii", |_, l| padded(i64::from(us_week(l.date(), 4).0), 4)),
    ("o", |_, l| l.ordinal().to_string()),
    ("ooo", |_, l| format!("{:03}", l.ordinal())),
    ("q", |_, l| quarter(l).to_string()),
    ("qq", |_, l| format!("{:02}", quarter(l))),
    ("X", |t, _| t.millis().div_euclid(1000).to_string()),
    ("x", |t, _| t.millis().to_string()),
    ("D", |_, l| short_date(l)),
    ("DD", |_, l| medium_date(l)),
    ("DDD", |_, l| long_date(l)),
    ("DDDD", |_, l| format!("{}, {}", weekday(l), long_date(l))),
    ("t", |t, l| clock12(t, l, false)),
    ("tt", |t, l| clock12(t, l, true)),
    ("ttt", |t, l| {
        format!(
            "{} {}",
            clock12(t, l, true),
            t.zone().short_name(t.millis())
        )
    }),
    ("tttt", |t, l| {
        format!("{} {}", clock12(t, l, true), t.zone().long_name(t.millis()))
    }),
    ("T", |_, l| clock24(l, false)),
    ("TT", |_, l| clock24(l, true)),
    ("TTT", |t, l| {
        format!("{} {}", clock24(l, true), t.zone().short_name(t.millis()))
    }),
    ("TTTT", |t, l| {
        format!("{} {}", clock24(l, true), t.zone().long_name(t.millis()))
    }),
    ("f", |t, l| {
        format!("{}, {}", short_date(l), clock12(t, l, false))
    }),
    ("ff", |t, l| {
        format!("{}, {}", medium_date(l), clock12(t, l, false))
    }),
    ("fff", |t, l| {
        format!(
            "{} at {} {}",
            long_date(l),
            clock12(t, l, false),
            t.zone().short_name(t.millis())
        )
    }),
    ("ffff", |t, l| {
        format!(
            "{}, {} at {} {}",
            weekday(l),
            long_date(l),
            clock12(t, l, false),
            t.zone().long_name(t.millis())
        )
    }),
    ("F", |t, l| {
        format!("{}, {}", short_date(l), clock12(t, l, true))
    }),
    ("FF", |t, l| {
        format!("{}, {}", medium_date(l), clock12(t, l, true))
    }),
    ("FFF", |t, l| {
        format!(
            "{} at {} {}",
            long_date(l),
            clock12(t, l, true),
            t.zone().short_name(t.millis())
        )
    }),
    ("FFFF", |t, l| {
        format!(
            "{}, {} at {} {}",
            weekday(l),
            long_date(l),
            clock12(t, l, true),
            t.zone().long_name(t.millis())
        )
    }),
];

/// `time` written in Luxon's `format` (`toFormat`).
pub fn format(time: &LuxonTime, format: &str) -> String {
    let local = time.local();
    pieces(format)
        .into_iter()
        .map(|piece| match piece {
            Piece::Literal(text) => text,
            Piece::Token(token) => TOKENS
                .iter()
                .find(|(name, _)| *name == token)
                .map_or(token, |(_, render)| render(time, &local)),
        })
        .collect()
}

fn millis(local: &NaiveDateTime) -> u32 {
    local.nanosecond() / 1_000_000
}

fn hour12(local: &NaiveDateTime) -> u32 {
    match local.hour() % 12 {
        0 => 12,
        hour => hour,
    }
}

fn meridiem(local: &NaiveDateTime) -> &'static str {
    if local.hour() < 12 { "AM" } else { "PM" }
}

fn weekday_number(local: &NaiveDateTime) -> u32 {
    local.weekday().number_from_monday()
}

fn weekday(local: &NaiveDateTime) -> &'static str {
    WEEKDAYS[local.weekday().num_days_from_monday() as usize]
}

fn month(local: &NaiveDateTime) -> &'static str {
    MONTHS[local.month0() as usize]
}

fn quarter(local: &NaiveDateTime) -> u32 {
    local.month0() / 3 + 1
}

fn era(local: &NaiveDateTime, names: [&'static str; 2]) -> String {
    names[usize::from(local.year() > 0)].to_owned()
}

/// The last two digits, zero-padded (`24`, `05`).
fn two_digits(value: i64) -> String {
    let text = value.to_string();
    let tail = &text[text.len().saturating_sub(2)..];
    format!("{tail:0>2}")
}

/// Zero-padded to `width` digits, the sign in front (`-0044`).
fn padded(value: i64, width: usize) -> String {
    if value < 0 {
        format!("-{:0width$}", value.abs())
    } else {
        format!("{value:0width$}")
    }
}

fn short_date(local: &NaiveDateTime) -> String {
    format!("{}/{}/{}", local.month(), local.day(), local.year())
}

fn medium_date(local: &NaiveDateTime) -> String {
    format!(
        "{} {}, {}",
        abbreviated(month(local), 3),
        local.day(),
        local.year()
    )
}

fn long_date(local: &NaiveDateTime) -> String {
    format!("{} {}, {}", month(local), local.day(), local.year())
}

/// `9:30 AM`; Intl puts a narrow no-break space before the meridiem in Luxon's fixed-offset
/// zones (`UTC`), a plain space in IANA zones.
fn clock12(time: &LuxonTime, local: &NaiveDateTime, seconds: bool) -> String {
    let mut text = format!("{}:{:02}", hour12(local), local.minute());
    if seconds {
        text.push_str(&format!(":{:02}", local.second()));
    }
    let space = if time.zone().is_fixed() {
        '\u{202f}'
    } else {
        ' '
    };
    format!("{text}{space}{}", meridiem(local))
}

fn clock24(local: &NaiveDateTime, seconds: bool) -> String {
    let mut text = format!("{:02}:{:02}", local.hour(), local.minute());
    if seconds {
        text.push_str(&format!(":{:02}", local.second()));
    }
    text
}
