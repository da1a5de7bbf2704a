//! Time zones as Luxon and moment-timezone name them: a fixed offset (`UTC`, `GMT`, `UTC+3`,
//! `UTC-05:30`) or an IANA zone (`America/New_York`, `Etc/GMT-2`), with the offset in force at
//! an instant and the names the format tokens print (`EST`, `GMT+2`, `Eastern Standard Time`).

use chrono::{DateTime, NaiveDateTime, Offset, TimeZone};
use chrono_tz::{OffsetName, Tz};

/// A time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    /// A fixed offset in minutes east of UTC (Luxon's `FixedOffsetZone`; 0 is its `UTC`).
    Fixed(i32),
    /// An IANA zone, kept under the name it was given (`Etc/UTC` is not `UTC` to Luxon).
    Iana(Tz),
}

/// en-US zone names (as Node's Intl prints them) for common zones: the zones, then the short
/// and long names in standard and in daylight time. A short name left empty is `GMT±h`; zones
/// not listed get `GMT±h` and `GMT±hh:mm`.
struct ZoneNames {
    zones: &'static [&'static str],
    short: [&'static str; 2],
    long: [&'static str; 2],
}

const ZONE_NAMES: &[ZoneNames] = &[
    ZoneNames {
        zones: &[
            "America/New_York",
            "America/Detroit",
            "America/Toronto",
            "America/Indiana/Indianapolis",
            "America/Indianapolis",
            "America/Kentucky/Louisville",
            "US/Eastern",
            "EST5EDT",
        ],
        short: ["EST", "EDT"],
        long: ["Eastern Standard Time", "Eastern Daylight Time"],
    },
    ZoneNames {
        zones: &[
            "America/Chicago",
            "America/Winnipeg",
            "America/Mexico_City",
            "US/Central",
            "CST6CDT",
        ],
        short: ["CST", "CDT"],
        long: ["Central Standard Time", "Central Daylight Time"],
    },
    ZoneNames {
        zones: &[
            "America/Denver",
            "America/Edmonton",
            "America/Phoenix",
            "America/Boise",
            "US/Mountain",
            "US/Arizona",
            "MST7MDT",
        ],
        short: ["MST", "MDT"],
        long: ["Mountain Standard Time", "Mountain Daylight Time"],
    },
    ZoneNames {
        zones: &[
            "America/Los_Angeles",
            "America/Vancouver",
            "America/Tijuana",
            "US/Pacific",
            "PST8PDT",
        ],
        short: ["PST", "PDT"],
        long: ["Pacific Standard Time", "Pacific Daylight Time"],
    },
    ZoneNames {
        zones: &["America/Anchorage", "US/Alaska"],
        short: ["AKST", "AKDT"],
        long: ["Alaska Standard Time", "Alaska Daylight Time"],
    },
    ZoneNames {
        zones: &["Pacific/Honolulu", "US/Hawaii"],
        short: ["HST", "HDT"],
        long: [
            "Hawaii-Aleutian Standard Time",
            "Hawaii-Aleutian Daylight Time",
        ],
    },
    ZoneNames {
        zones: &["America/Sao_Paulo"],
        short: ["", ""],
        long: ["Brasilia Standard Time", "Brasilia Summer Time"],
    },
    ZoneNames {
        zones: &[
            "Europe/Berlin",
            "Europe/Paris",
            "Europe/Madrid",
            "Europe/Rome",
            "Europe/Amsterdam",
            "Europe/Brussels",
            "Europe/Vienna",
            "Europe/Zurich",
            "Europe/Stockholm",
            "Europe/Oslo",
            "Europe/Copenhagen",
            "Europe/Warsaw",
            "Europe/Prague",
            "Europe/Budapest",
            "Europe/Belgrade",
            "Europe/Luxembourg",
            "CET",
        ],
        short: ["", ""],
        long: [
            "Central European Standard Time",
            "Central European Summer Time",
        ],
    },
    ZoneNames {
        zones: &[
            "Europe/Athens",
            "Europe/Helsinki",
            "Europe/Kiev",
            "Europe/Kyiv",
            "Europe/Bucharest",
            "Europe/Sofia",
            "Europe/Riga",
            "Europe/Tallinn",
            "Europe/Vilnius",
            "EET",
        ],
        short: ["", ""],
        long: [
            "Eastern European Standard Time",
            "Eastern European Summer Time",
        ],
    },
    ZoneNames {
        zones: &["Europe/Lisbon", "Atlantic/Canary", "WET"],
        short: ["GMT+0", ""],
        long: [
            "Western European Standard Time",
            "Western European Summer Time",
        ],
    },
    ZoneNames {
        zones: &["Europe/London"],
        short: ["GMT", ""],
        long: ["Greenwich Mean Time", "British Summer Time"],
    },
    ZoneNames {
        zones: &["Europe/Dublin"],
        short: ["GMT", ""],
        long: ["Greenwich Mean Time", "Irish Standard Time"],
    },
    ZoneNames {
        zones: &["Europe/Moscow"],
        short: ["", ""],
        long: ["Moscow Standard Time", "Moscow Summer Time"],
    },
    ZoneNames {
        zones: &["Asia/Kolkata", "Asia/Calcutta"],
        short: ["", ""],
        long: ["India Standard Time", "India Standard Time"],
    },
    ZoneNames {
        zones: &["Asia/Tokyo"],
        short: ["", ""],
        long: ["Japan Standard Time", "Japan Daylight Time"],
    },
    ZoneNames {
        zones: &["Asia/Shanghai", "PRC"],
        short: ["", ""],
        long: ["China Standard Time", "China Daylight Time"],
    },
    ZoneNames {
        zones: &["Asia/Singapore"],
        short: ["", ""],
        long: ["Singapore Standard Time", "Singapore Standard Time"],
    },
    ZoneNames {
        zones: &["Asia/Dubai"],
        short: ["", ""],
        long: ["Gulf Standard Time", "Gulf Standard Time"],
    },
    ZoneNames {
        zones: &[
            "Australia/Sydney",
            "Australia/Melbourne",
            "Australia/Canberra",
            "Australia/Hobart",
        ],
        short: ["", ""],
        long: [
            "Australian Eastern Standard Time",
            "Australian Eastern Daylight Time",
        ],
    },
    ZoneNames {
        zones: &[
            "Etc/UTC",
            "Etc/UCT",
            "UCT",
            "Etc/Universal",
            "Universal",
            "Etc/Zulu",
            "Zulu",
            "Etc/GMT",
            "Etc/Greenwich",
            "Greenwich",
            "GMT0",
            "Etc/GMT0",
            "Etc/GMT+0",
            "Etc/GMT-0",
        ],
        short: ["UTC", "UTC"],
        long: ["Coordinated Universal Time", "Coordinated Universal Time"],
    },
];

impl Zone {
    /// UTC as Luxon's fixed zone (what `"UTC"` and `"GMT"` name).
    pub const UTC: Zone = Zone::Fixed(0);

    /// The zone a name stands for, as Luxon reads it: `utc`/`gmt` (any case) and `UTC±h[:mm]`
    /// are fixed offsets, anything else an IANA name (case-insensitive); `None` when unknown.
    pub fn named(name: &str) -> Option<Zone> {
        let lowered = name.to_ascii_lowercase();
        if lowered == "utc" || lowered == "gmt" {
            return Some(Zone::UTC);
        }
        if let Some(offset) = lowered.strip_prefix("utc").and_then(parse_offset_specifier) {
            return Some(Zone::Fixed(offset));
        }
        name.parse::<Tz>()
            .ok()
            .or_else(|| {
                chrono_tz::TZ_VARIANTS
                    .iter()
                    .copied()
                    .find(|zone| zone.name().eq_ignore_ascii_case(name))
            })
            .map(Zone::Iana)
    }

    /// The zone of a chrono-tz zone as the executor hands it over (`UTC` is Luxon's fixed UTC,
    /// every other name an IANA zone).
    pub fn of_workflow(zone: Tz) -> Zone {
        Zone::named(zone.name()).unwrap_or(Zone::Iana(zone))
    }

    /// The offset in minutes east of UTC at instant `ms` (milliseconds since the epoch).
    pub fn offset_at(&self, ms: i64) -> i32 {
        match self {
            Zone::Fixed(minutes) => *minutes,
            Zone::Iana(tz) => {
                let utc = DateTime::from_timestamp_millis(ms).unwrap_or_default();
                let seconds = tz.offset_from_utc_datetime(&utc.naive_utc()).fix();
                seconds.local_minus_utc().div_euclid(60)
            }
        }
    }

    /// Whether the offset never changes (Luxon's `isUniversal`: fixed zones only).
    pub fn is_fixed(&self) -> bool {
        matches!(self, Zone::Fixed(_))
    }

    /// The zone's name (Luxon's `zoneName`, the `z` token): `UTC`, `UTC+3`, `America/New_York`.
    pub fn name(&self) -> String {
        match self {
            Zone::Fixed(0) => "UTC".to_owned(),
            Zone::Fixed(minutes) => format!("UTC{}", offset_text(*minutes, OffsetStyle::Narrow)),
            Zone::Iana(tz) => tz.name().to_owned(),
        }
    }

    /// The en-US short name at instant `ms` (`ZZZZ`): `UTC`, `EST`, else `GMT+2`.
    pub fn short_name(&self, ms: i64) -> String {
        let offset = self.offset_at(ms);
        match self.names(ms) {
            Some((short, _)) if !short.is_empty() => short.to_owned(),
            _ if *self == Zone::UTC => "UTC".to_owned(),
            _ if offset == 0 => "GMT".to_owned(),
            _ => format!("GMT{}", offset_text(offset, OffsetStyle::Narrow)),
        }
    }

    /// The en-US long name at instant `ms` (`ZZZZZ`): `Eastern Standard Time`,
    /// `Coordinated Universal Time`, else `GMT+02:00`.
    pub fn long_name(&self, ms: i64) -> String {
        let offset = self.offset_at(ms);
        match self.names(ms) {
            Some((_, long)) => long.to_owned(),
            None if *self == Zone::UTC => "UTC".to_owned(),
            None if offset == 0 => "GMT".to_owned(),
            None => format!("GMT{}", offset_text(offset, OffsetStyle::Colon)),
        }
    }

    /// The listed short and long names in force at instant `ms`.
    fn names(&self, ms: i64) -> Option<(&'static str, &'static str)> {
        use chrono_tz::OffsetComponents;
        let Zone::Iana(tz) = self else {
            return None;
        };
        let names = ZONE_NAMES
            .iter()
            .find(|names| names.zones.contains(&tz.name()))?;
        let utc = DateTime::from_timestamp_millis(ms).unwrap_or_default();
        let daylight = !tz
            .offset_from_utc_datetime(&utc.naive_utc())
            .dst_offset()
            .is_zero();
        let index = usize::from(daylight);
        Some((names.short[index], names.long[index]))
    }

    /// The zone's abbreviation at instant `ms` as tzdata has it (moment-timezone's `z` token:
    /// `EST`, `CET`, `+08`).
    pub fn abbreviation(&self, ms: i64) -> String {
        match self {
            Zone::Fixed(0) => "UTC".to_owned(),
            Zone::Fixed(minutes) => offset_text(*minutes, OffsetStyle::Colon),
            Zone::Iana(tz) => {
                let utc = DateTime::from_timestamp_millis(ms).unwrap_or_default();
                let offset = tz.offset_from_utc_datetime(&utc.naive_utc());
                offset.abbreviation().unwrap_or("").to_owned()
            }
        }
    }

    /// The instant whose local time in this zone is `local`, resolved as Luxon does: start from
    /// offset `guess` (the offset before an arithmetic step), check it, correct once; in a gap
    /// the later offset wins, in an overlap the guess decides.
    pub fn resolve_local(&self, local: NaiveDateTime, guess: i32) -> (i64, i32) {
        let local_ms = local.and_utc().timestamp_millis();
        let at = |offset: i32| local_ms - i64::from(offset) * 60_000;
        let first = at(guess);
        let second_offset = self.offset_at(first);
        if second_offset == guess {
            return (first, guess);
        }
        let second = first - i64::from(second_offset - guess) * 60_000;
        let third_offset = self.offset_at(second);
        if second_offset == third_offset {
            return (second, second_offset);
        }
        (
            at(second_offset.min(third_offset)),
            second_offset.max(third_offset),
        )
    }

    /// The instant of local time `local` for a new Luxon date (`fromObject`, `fromFormat`
    /// without an offset): Luxon guesses the offset in force now, so in an overlap the offset
    /// of the current season wins.
    pub fn instant_of_local(&self, local: NaiveDateTime) -> i64 {
        let guess = self.offset_at(chrono::Utc::now().timestamp_millis());
        self.resolve_local(local, guess).0
    }

    /// The instant of local time `local` as JavaScript's `Date` (and so moment) reads it: the
    /// offset in force before a transition applies, so a wall time in a gap moves forward and
    /// one in an overlap is the earlier instant.
    pub fn instant_of_local_js(&self, local: NaiveDateTime) -> i64 {
        const DAY: i64 = 86_400_000;
        let local_ms = local.and_utc().timestamp_millis();
        let before = self.offset_at(local_ms - DAY);
        let after = self.offset_at(local_ms + DAY);
        let candidate = |offset: i32| local_ms - i64::from(offset) * 60_000;
        let valid = [before, after]
            .into_iter()
            .filter(|offset| self.offset_at(candidate(*offset)) == *offset)
            .map(candidate)
            .min();
        valid.unwrap_or_else(|| candidate(before))
    }
}

/// How an offset is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OffsetStyle {
    /// `+2`, `+5:30` (Luxon's `Z`).
    Narrow,
    /// `+02:00` (`ZZ`).
    Colon,
    /// `+0200` (`ZZZ`).
    Compact,
}

/// An offset in minutes written in `style`.
pub fn offset_text(minutes: i32, style: OffsetStyle) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let (hours, rest) = (minutes.abs() / 60, minutes.abs() % 60);
    match style {
        OffsetStyle::Narrow if rest == 0 => format!("{sign}{hours}"),
        OffsetStyle::Narrow => format!("{sign}{hours}:{rest:02}"),
        OffsetStyle::Colon => format!("{sign}{hours:02}:{rest:02}"),
        OffsetStyle::Compact => format!("{sign}{hours:02}{rest:02}"),
    }
}

/// `+3`, `-05:30`, `+0530` after `UTC` (Luxon's `FixedOffsetZone.parseSpecifier`).
fn parse_offset_specifier(rest: &str) -> Option<i32> {
    let (sign, digits) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    let (hours, minutes) = digits.split_once(':').unwrap_or((digits, "0"));
    let valid = |text: &str, max_len: usize| {
        !text.is_empty() && text.len() <= max_len && text.bytes().all(|byte| byte.is_ascii_digit())
    };
    if !valid(hours, 2) || !valid(minutes, 2) {
        return None;
    }
    let hours: i32 = hours.parse().ok()?;
    let minutes: i32 = minutes.parse().ok()?;
    Some(sign * (hours * 60 + minutes))
}
