//! Instants as the trigger's queries and state write them: milliseconds since the Unix epoch,
//! printed as ISO-8601 with milliseconds and a `+00:00` offset (n8n prints the host's offset; UTC
//! is one of its valid outputs), and parsed from any ISO-8601 datetime with a `Z` or numeric offset
//! (n8n's `lastTimeChecked`, Salesforce's `2026-11-22T11:58:03.000+0000`).

/// An instant, in milliseconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(pub i64);

const MS_PER_DAY: i64 = 86_400_000;

impl Timestamp {
    /// This instant minus `ms` milliseconds.
    pub fn minus_ms(self, ms: i64) -> Self {
        Self(self.0 - ms)
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmm+00:00`.
    pub fn to_iso(self) -> String {
        let days = self.0.div_euclid(MS_PER_DAY);
        let ms = self.0.rem_euclid(MS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}+00:00",
            ms / 3_600_000,
            ms / 60_000 % 60,
            ms / 1000 % 60,
            ms % 1000
        )
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let field = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = text.get(range)?;
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let bytes = text.as_bytes();
        if bytes.len() < 20
            || bytes[4] != b'-'
            || bytes[7] != b'-'
            || !matches!(bytes[10], b'T' | b't' | b' ')
            || bytes[13] != b':'
            || bytes[16] != b':'
        {
            return None;
        }
        let (year, month, day) = (field(0..4)?, field(5..7)?, field(8..10)?);
        let (hour, minute, second) = (field(11..13)?, field(14..16)?, field(17..19)?);
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
            return None;
        }
        let mut rest = &text[19..];
        let mut millis = 0;
        if let Some(fraction) = rest.strip_prefix('.') {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            let padded = format!("{:0<3}", &fraction[..digits.min(3)]);
            millis = padded.parse::<i64>().ok()?;
            rest = &fraction[digits..];
        }
        let offset_minutes = match rest {
            "Z" | "z" => 0,
            _ => {
                let sign = match rest.as_bytes().first()? {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                let digits = rest[1..].replace(':', "");
                if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                sign * (digits[..2].parse::<i64>().ok()? * 60 + digits[2..].parse::<i64>().ok()?)
            }
        };
        let days = days_from_civil(year, month, day);
        Some(Self(
            days * MS_PER_DAY
                + ((hour * 60 + minute - offset_minutes) * 60 + second) * 1000
                + millis,
        ))
    }
}

/// Saved as its ISO-8601 text, so trigger state stays readable.
impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_iso())
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("\"{text}\" is not an ISO-8601 date and time"))
        })
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day count since 1970-01-01 (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn prints_and_parses_the_forms_n8n_and_salesforce_use() {
        let noon = Timestamp::parse("2026-11-22T12:00:00.000+00:00").unwrap();
        assert_eq!(noon.to_iso(), "2026-11-22T12:00:00.000+00:00");
        assert_eq!(Timestamp::parse("2026-11-22T12:00:00Z"), Some(noon));
        assert_eq!(Timestamp::parse("2026-11-22T13:00:00.000+0100"), Some(noon));
        assert_eq!(
            Timestamp::parse("2026-11-22T07:30:00.000-04:30"),
            Some(noon)
        );
        assert_eq!(
            Timestamp::parse("2026-11-22T11:58:03.5+0000")
                .unwrap()
                .to_iso(),
            "2026-11-22T11:58:03.500+00:00"
        );
        assert_eq!(Timestamp(0).to_iso(), "1970-01-01T00:00:00.000+00:00");
        for bad in [
            "",
            "2026-11-22",
            "2026-13-01T00:00:00Z",
            "2026-11-22T12:00:00",
            "x026-11-22T12:00:00Z",
        ] {
            assert_eq!(Timestamp::parse(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn printing_then_parsing_is_the_identity(ms in -62_135_596_800_000i64..253_402_300_799_999) {
            prop_assert_eq!(Timestamp::parse(&Timestamp(ms).to_iso()), Some(Timestamp(ms)));
        }
    }
}
