//! Relative date literals (`TODAY`, `LAST_N_DAYS:30`, `THIS_MONTH`, ...) as half-open day ranges
//! relative to the fake clock, in UTC (the fake's users live in UTC).

use crate::fake::clock::{civil_from_days, days_from_civil};

/// The `[start, end)` day range of a relative literal on day `today`; `None` if unknown.
pub fn range(word: &str, n: Option<i64>, today: i64) -> Option<(i64, i64)> {
    let week_start = today - (today + 4).rem_euclid(7); // 1970-01-01 was a Thursday; weeks start Sunday
    let (y, m, _) = civil_from_days(today);
    let month = |delta: i64| {
        let index = y * 12 + i64::from(m) - 1 + delta;
        let start = days_from_civil(index.div_euclid(12), (index.rem_euclid(12) + 1) as u32, 1);
        let next = index + 1;
        (
            start,
            days_from_civil(next.div_euclid(12), (next.rem_euclid(12) + 1) as u32, 1),
        )
    };
    let year = |delta: i64| {
        (
            days_from_civil(y + delta, 1, 1),
            days_from_civil(y + delta + 1, 1, 1),
        )
    };
    Some(match (word, n) {
        ("TODAY", None) => (today, today + 1),
        ("YESTERDAY", None) => (today - 1, today),
        ("TOMORROW", None) => (today + 1, today + 2),
        ("THIS_WEEK", None) => (week_start, week_start + 7),
        ("LAST_WEEK", None) => (week_start - 7, week_start),
        ("NEXT_WEEK", None) => (week_start + 7, week_start + 14),
        ("THIS_MONTH", None) => month(0),
        ("LAST_MONTH", None) => month(-1),
        ("NEXT_MONTH", None) => month(1),
        ("THIS_YEAR", None) => year(0),
        ("LAST_YEAR", None) => year(-1),
        ("NEXT_YEAR", None) => year(1),
        ("LAST_90_DAYS", None) => (today - 90, today + 1),
        ("NEXT_90_DAYS", None) => (today + 1, today + 91),
        ("LAST_N_DAYS", Some(n)) => (today - n, today + 1),
        ("NEXT_N_DAYS", Some(n)) => (today + 1, today + n + 1),
        ("N_DAYS_AGO", Some(n)) => (today - n, today - n + 1),
        ("LAST_N_WEEKS", Some(n)) => (week_start - 7 * n, week_start),
        ("NEXT_N_WEEKS", Some(n)) => (week_start + 7, week_start + 7 * (n + 1)),
        ("LAST_N_MONTHS", Some(n)) => (month(-n).0, month(0).0),
        ("NEXT_N_MONTHS", Some(n)) => (month(1).0, month(n).1),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_relative_to_today() {
        let today = days_from_civil(2024, 6, 12); // a Wednesday
        assert_eq!(range("TODAY", None, today), Some((today, today + 1)));
        assert_eq!(
            range("LAST_N_DAYS", Some(7), today),
            Some((today - 7, today + 1))
        );
        assert_eq!(
            range("THIS_WEEK", None, today).unwrap().0,
            days_from_civil(2024, 6, 9)
        );
        assert_eq!(
            range("LAST_MONTH", None, today),
            Some((days_from_civil(2024, 5, 1), days_from_civil(2024, 6, 1)))
        );
        assert_eq!(range("LAST_N_DAYS", None, today), None);
    }
}
