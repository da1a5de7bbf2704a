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

/// The en-US week year and week number of `date`: weeks start on Sunday and week 1 is the
/// one that holds January 1 (Luxon's `n`/`ii`, moment's `w`/`gg`).
pub fn us_week(date: chrono::NaiveDate) -> (i32, u32) {
    use chrono::Datelike;
    let week = date.week(chrono::Weekday::Sun);
    let (first, last) = (week.first_day(), week.last_day());
    let year = if last.year() > first.year() {
        last.year()
    } else {
        date.year()
    };
    let first_week = chrono::NaiveDate::from_ymd_opt(year, 1, 1).map_or(first, |jan_first| {
        jan_first.week(chrono::Weekday::Sun).first_day()
    });
    let number = (first - first_week).num_days() / 7 + 1;
    (year, u32::try_from(number).unwrap_or(1))
}
