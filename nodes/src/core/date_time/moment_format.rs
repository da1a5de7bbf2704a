//! moment.js's `format` tokens (English locale), one table: `MM/DD/YYYY`, `dddd, MMMM Do YYYY,
//! h:mm:ss a`, `[literal]` text, `\\` escapes, the localized `L`/`LL`/`LT`… forms, `X`/`x` for
//! epoch seconds/milliseconds. A character that is no token is printed as written.

use chrono::{Datelike, NaiveDateTime, Timelike};

use super::calendar_names::{MONTHS, WEEKDAYS, abbreviated, ordinal, us_week};
use super::zone::{OffsetStyle, Zone, offset_text};

/// A moment: an instant, the zone it is shown in, and whether it is in a named zone
/// (moment-timezone prints an abbreviation only then).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moment {
    /// Epoch milliseconds.
    pub millis: i64,
    /// The zone the moment is shown in.
    pub zone: Zone,
    /// Set by `moment.tz`: the `z` token prints the zone's abbreviation.
    pub named_zone: bool,
}

impl Moment {
    fn offset(&self) -> i32 {
        self.zone.offset_at(self.millis)
    }

    fn local(&self) -> NaiveDateTime {
        let shifted = self.millis + i64::from(self.offset()) * 60_000;
        chrono::DateTime::from_timestamp_millis(shifted)
            .unwrap_or_default()
            .naive_utc()
    }
}

/// The localized formats of the English locale.
const LOCALIZED: &[(&str, &str)] = &[
    ("LTS", "h:mm:ss A"),
    ("LT", "h:mm A"),
    ("LLLL", "dddd, MMMM D, YYYY h:mm A"),
    ("LLL", "MMMM D, YYYY h:mm A"),
    ("LL", "MMMM D, YYYY"),
    ("L", "MM/DD/YYYY"),
    ("llll", "ddd, MMM D, YYYY h:mm A"),
    ("lll", "MMM D, YYYY h:mm A"),
    ("ll", "MMM D, YYYY"),
    ("l", "M/D/YYYY"),
];

/// The token shapes moment's tokenizer tries, in its order: a letter and how many times it
/// may repeat, then an optional suffix.
const SHAPES: &[(&str, usize, usize)] = &[
    ("Hmmss", 1, 1),
    ("hmmss", 1, 1),
    ("Hmm", 1, 1),
    ("hmm", 1, 1),
    ("Mo", 1, 1),
    ("M", 1, 4),
    ("Do", 1, 1),
    ("DDDo", 1, 1),
    ("D", 1, 4),
    ("d", 2, 4),
    ("do", 1, 1),
    ("d", 1, 1),
    ("wo", 1, 1),
    ("w", 1, 2),
    ("Wo", 1, 1),
    ("W", 1, 2),
    ("Qo", 1, 1),
    ("N", 1, 5),
    ("Y", 6, 6),
    ("Y", 5, 5),
    ("Y", 4, 4),
    ("Y", 2, 2),
    ("y", 2, 4),
    ("yo", 1, 1),
    ("ggggg", 1, 1),
    ("gggg", 1, 1),
    ("gg", 1, 1),
    ("GGGGG", 1, 1),
    ("GGGG", 1, 1),
    ("GG", 1, 1),
    ("h", 1, 2),
    ("H", 1, 2),
    ("k", 1, 2),
    ("m", 1, 2),
    ("s", 1, 2),
    ("S", 1, 9),
    ("z", 1, 2),
    ("Z", 1, 2),
];

/// The token at the start of `text` and its length in bytes.
fn token_at(text: &str) -> &str {
    for (shape, min, max) in SHAPES {
        let letter = &shape[..1];
        if shape.len() > 1 && *min == 1 && *max == 1 {
            // a fixed token such as `Do`, `Hmmss` or `gggg`
            if text.starts_with(shape) {
                return &text[..shape.len()];
            }
            continue;
        }
        let run = text
            .bytes()
            .take_while(|byte| *byte == letter.as_bytes()[0])
            .count();
        if run >= *min {
            return &text[..run.min(*max)];
        }
    }
    let length = text.chars().next().map_or(0, char::len_utf8);
    &text[..length]
}

/// What a token prints.
type Render = fn(&Moment, &NaiveDateTime) -> String;

const TOKENS: &[(&str, Render)] = &[
    ("M", |_, l| l.month().to_string()),
    ("Mo", |_, l| ordinal(i64::from(l.month()))),
    ("MM", |_, l| format!("{:02}", l.month())),
    ("MMM", |_, l| abbreviated(month(l), 3).to_owned()),
    ("MMMM", |_, l| month(l).to_owned()),
    ("Q", |_, l| quarter(l).to_string()),
    ("Qo", |_, l| ordinal(i64::from(quarter(l)))),
    ("D", |_, l| l.day().to_string()),
    ("Do", |_, l| ordinal(i64::from(l.day()))),
    ("DD", |_, l| format!("{:02}", l.day())),
    ("DDD", |_, l| l.ordinal().to_string()),
    ("DDDo", |_, l| ordinal(i64::from(l.ordinal()))),
    ("DDDD", |_, l| format!("{:03}", l.ordinal())),
    ("d", |_, l| l.weekday().num_days_from_sunday().to_string()),
    ("do", |_, l| {
        ordinal(i64::from(l.weekday().num_days_from_sunday()))
    }),
    ("dd", |_, l| abbreviated(weekday(l), 2).to_owned()),
    ("ddd", |_, l| abbreviated(weekday(l), 3).to_owned()),
    ("dddd", |_, l| weekday(l).to_owned()),
    ("e", |_, l| l.weekday().num_days_from_sunday().to_string()),
    ("E", |_, l| l.weekday().number_from_monday().to_string()),
    ("w", |_, l| us_week(l.date(), 1).1.to_string()),
    ("wo", |_, l| ordinal(i64::from(us_week(l.date(), 1).1))),
    ("ww", |_, l| format!("{:02}", us_week(l.date(), 1).1)),
    ("W", |_, l| l.iso_week().week().to_string()),
    ("Wo", |_, l| ordinal(i64::from(l.iso_week().week()))),
    ("WW", |_, l| format!("{:02}", l.iso_week().week())),
    ("Y", |_, l| signed_year(l.year())),
    ("YY", |_, l| format!("{:02}", l.year().rem_euclid(100))),
    ("YYYY", |_, l| four_digit_year(l.year())),
    ("YYYYY", |_, l| padded(l.year(), 5)),
    ("YYYYYY", |_, l| padded_signed(l.year(), 6)),
    ("gg", |_, l| {
        format!("{:02}", us_week(l.date(), 1).0.rem_euclid(100))
    }),
    ("gggg", |_, l| padded(us_week(l.date(), 1).0, 4)),
    ("ggggg", |_, l| padded(us_week(l.date(), 1).0, 5)),
    ("GG", |_, l| {
        format!("{:02}", l.iso_week().year().rem_euclid(100))
    }),
    ("GGGG", |_, l| padded(l.iso_week().year(), 4)),
    ("GGGGG", |_, l| padded(l.iso_week().year(), 5)),
    ("N", |_, l| era(l)),
    ("NN", |_, l| era(l)),
    ("NNN", |_, l| era(l)),
    ("NNNN", |_, l| {
        if l.year() > 0 {
            "Anno Domini"
        } else {
            "Before Christ"
        }
        .to_owned()
    }),
    ("NNNNN", |_, l| era(l)),
    ("A", |_, l| meridiem(l).to_owned()),
    ("a", |_, l| meridiem(l).to_ascii_lowercase()),
    ("H", |_, l| l.hour().to_string()),
    ("HH", |_, l| format!("{:02}", l.hour())),
    ("h", |_, l| hour12(l).to_string()),
    ("hh", |_, l| format!("{:02}", hour12(l))),
    ("k", |_, l| hour24(l).to_string()),
    ("kk", |_, l| format!("{:02}", hour24(l))),
    ("hmm", |_, l| format!("{}{:02}", hour12(l), l.minute())),
    ("hmmss", |_, l| {
        format!("{}{:02}{:02}", hour12(l), l.minute(), l.second())
    }),
    ("Hmm", |_, l| format!("{}{:02}", l.hour(), l.minute())),
    ("Hmmss", |_, l| {
        format!("{}{:02}{:02}", l.hour(), l.minute(), l.second())
    }),
    ("m", |_, l| l.minute().to_string()),
    ("mm", |_, l| format!("{:02}", l.minute())),
    ("s", |_, l| l.second().to_string()),
    ("ss", |_, l| format!("{:02}", l.second())),
    ("S", |_, l| (millis(l) / 100).to_string()),
    ("SS", |_, l| format!("{:02}", millis(l) / 10)),
    ("SSS", |_, l| format!("{:03}", millis(l))),
    ("SSSS", |_, l| format!("{:03}0", millis(l))),
    ("SSSSS", |_, l| format!("{:03}00", millis(l))),
    ("SSSSSS", |_, l| format!("{:03}000", millis(l))),
    ("SSSSSSS", |_, l| format!("{:03}0000", millis(l))),
    ("SSSSSSSS", |_, l| format!("{:03}00000", millis(l))),
    ("SSSSSSSSS", |_, l| format!("{:03}000000", millis(l))),
    ("z", |m, _| abbreviation(m)),
    ("zz", |m, _| abbreviation(m)),
    ("Z", |m, _| offset_text(m.offset(), OffsetStyle::Colon)),
    ("ZZ", |m, _| offset_text(m.offset(), OffsetStyle::Compact)),
    ("X", |m, _| m.millis.div_euclid(1000).to_string()),
    ("x", |m, _| m.millis.to_string()),
];

/// `moment` written in moment's `format`.
pub fn format(moment: &Moment, format: &str) -> String {
    let expanded = expand_localized(format);
    let local = moment.local();
    let mut output = String::new();
    let mut rest = expanded.as_str();
    while !rest.is_empty() {
        if let Some((body, end)) = rest.strip_prefix('[').and_then(|body| {
            body.find(']')
                .filter(|end| !body[..*end].contains('['))
                .map(|end| (body, end))
        }) {
            output.push_str(&body[..end]);
            rest = &body[end + 1..];
            continue;
        }
        if let Some(escaped) = rest.strip_prefix('\\') {
            let token = token_at(escaped);
            if !token.is_empty() {
                output.push_str(token);
                rest = &escaped[token.len()..];
                continue;
            }
        }
        let token = token_at(rest);
        match TOKENS.iter().find(|(name, _)| *name == token) {
            Some((_, render)) => output.push_str(&render(moment, &local)),
            None => output.push_str(token),
        }
        rest = &rest[token.len()..];
    }
    output
}

/// The format with the localized forms (`LL`, `LT` …) written out, outside `[literals]`.
fn expand_localized(format: &str) -> String {
    let mut output = String::new();
    let mut rest = format;
    'outer: while !rest.is_empty() {
        if let Some(end) = rest.find(']').filter(|_| rest.starts_with('[')) {
            output.push_str(&rest[..=end]);
            rest = &rest[end + 1..];
            continue;
        }
        if let Some(escaped) = rest.strip_prefix('\\') {
            let length = escaped.chars().next().map_or(0, char::len_utf8);
            output.push_str(&rest[..=length]);
            rest = &escaped[length..];
            continue;
        }
        for (name, expansion) in LOCALIZED {
            if let Some(after) = rest.strip_prefix(name) {
                output.push_str(expansion);
                rest = after;
                continue 'outer;
            }
        }
        let length = rest.chars().next().map_or(0, char::len_utf8);
        output.push_str(&rest[..length]);
        rest = &rest[length..];
    }
    output
}

fn abbreviation(moment: &Moment) -> String {
    if moment.named_zone {
        moment.zone.abbreviation(moment.millis)
    } else {
        String::new()
    }
}

fn millis(local: &NaiveDateTime) -> u32 {
    local.nanosecond() / 1_000_000
}

fn month(local: &NaiveDateTime) -> &'static str {
    MONTHS[local.month0() as usize]
}

fn weekday(local: &NaiveDateTime) -> &'static str {
    WEEKDAYS[local.weekday().num_days_from_monday() as usize]
}

fn quarter(local: &NaiveDateTime) -> u32 {
    local.month0() / 3 + 1
}

fn hour12(local: &NaiveDateTime) -> u32 {
    match local.hour() % 12 {
        0 => 12,
        hour => hour,
    }
}

fn hour24(local: &NaiveDateTime) -> u32 {
    match local.hour() {
        0 => 24,
        hour => hour,
    }
}

fn meridiem(local: &NaiveDateTime) -> &'static str {
    if local.hour() < 12 { "AM" } else { "PM" }
}

fn era(local: &NaiveDateTime) -> String {
    if local.year() > 0 { "AD" } else { "BC" }.to_owned()
}

fn padded(value: i32, width: usize) -> String {
    if value < 0 {
        format!("-{:0width$}", value.unsigned_abs())
    } else {
        format!("{value:0width$}")
    }
}

fn padded_signed(value: i32, width: usize) -> String {
    let sign = if value < 0 { '-' } else { '+' };
    format!("{sign}{:0width$}", value.unsigned_abs())
}

fn four_digit_year(year: i32) -> String {
    if year <= 9999 {
        padded(year, 4)
    } else {
        format!("+{year}")
    }
}

fn signed_year(year: i32) -> String {
    if year <= 9999 {
        year.to_string()
    } else {
        format!("+{year}")
    }
}
