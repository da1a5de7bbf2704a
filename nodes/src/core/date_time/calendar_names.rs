//! English (en-US) month and weekday names, shared by the Luxon and moment formatters.

/// January … December.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Monday … Sunday (ISO order: index 0 is Monday).
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The first `length` characters of a name (`Jan`, `J`).
pub fn abbreviated(name: &str, length: usize) -> &str {
    &name[..length.min(name.len())]
}

/// An English ordinal: `1st`, `2nd`, `3rd`, `11th`, `22nd`.
pub fn ordinal(number: i64) -> String {
    let suffix = match (number % 100, number % 10) {
        (11..=13, _) => "th",
        (_, 1) => "st",
        (_, 2) => "nd",
        (_, 3) => "rd",
        _ => "th",
    };
    format!("{number}{suffix}")
}

/// The week year and week number of `date` in weeks that start on Sunday, where week 1 is the
/// first week with at least `minimal_days` days in its year: 1 for moment's English `w`/`gg`
/// (the week of January 1), 4 for Luxon's en-US `n`/`ii`.
pub fn us_week(date: chrono::NaiveDate, minimal_days: i64) -> (i32, u32) {
    use chrono::Datelike;
    let first_week_start = |year: i32| {
        let jan_first = chrono::NaiveDate::from_ymd_opt(year, 1, 1)?;
        let since_sunday = i64::from(jan_first.weekday().num_days_from_sunday());
        let start = jan_first - chrono::Duration::days(since_sunday);
        Some(if 7 - since_sunday >= minimal_days {
            start
        } else {
            start + chrono::Duration::days(7)
        })
    };
    for year in [date.year() + 1, date.year(), date.year() - 1] {
        if let Some(start) = first_week_start(year).filter(|start| date >= *start) {
            let week = (date - start).num_days() / 7 + 1;
            return (year, u32::try_from(week).unwrap_or(1));
        }
    }
    (date.year(), 1)
}
