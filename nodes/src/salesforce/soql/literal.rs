//! Values into SOQL literals, in n8n's order of rules: null, booleans, numbers, arrays, date
//! literals, ISO dates and datetimes, numeric strings (typeVersion 1 only), quoted strings.

use serde_json::Value;

use crate::NodeError;
use crate::js_number::format_js_number;

/// How strings that look like numbers are treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiteralRules {
    /// typeVersion 1: `"307795203"` becomes the number `307795203`.
    V1,
    /// typeVersion 1.1: numeric-looking strings are quoted like any string.
    V1_1,
}

impl LiteralRules {
    /// The rules of a node's typeVersion.
    pub fn for_version(type_version: f64) -> Self {
        if type_version >= 1.1 {
            LiteralRules::V1_1
        } else {
            LiteralRules::V1
        }
    }
}

const DATE_LITERALS: &[&str] = &[
    "YESTERDAY",
    "TODAY",
    "TOMORROW",
    "LAST_WEEK",
    "THIS_WEEK",
    "NEXT_WEEK",
    "LAST_MONTH",
    "THIS_MONTH",
    "NEXT_MONTH",
    "LAST_90_DAYS",
    "NEXT_90_DAYS",
    "THIS_QUARTER",
    "LAST_QUARTER",
    "NEXT_QUARTER",
    "THIS_YEAR",
    "LAST_YEAR",
    "NEXT_YEAR",
    "THIS_FISCAL_QUARTER",
    "LAST_FISCAL_QUARTER",
    "NEXT_FISCAL_QUARTER",
    "THIS_FISCAL_YEAR",
    "LAST_FISCAL_YEAR",
    "NEXT_FISCAL_YEAR",
];

const RELATIVE_UNITS: &[&str] = &[
    "DAYS",
    "WEEKS",
    "MONTHS",
    "QUARTERS",
    "YEARS",
    "FISCAL_QUARTERS",
    "FISCAL_YEARS",
];

/// The SOQL text of `value`.
pub fn literal(value: &Value, rules: LiteralRules) -> Result<String, NodeError> {
    match value {
        Value::Null => Ok("null".to_owned()),
        Value::Bool(flag) => Ok(flag.to_string()),
        Value::Number(number) => Ok(format_js_number(number.as_f64().unwrap_or(f64::NAN))),
        Value::Array(items) => {
            let parts = items
                .iter()
                .map(|item| match item {
                    Value::String(text) => Ok(quote(text)),
                    Value::Number(_) | Value::Bool(_) => literal(item, rules),
                    _ => Err(NodeError::operation(
                        "Array values must be strings, numbers, or booleans",
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(format!("({})", parts.join(",")))
        }
        Value::String(text) => Ok(string_literal(text.trim(), rules)),
        Value::Object(_) => Err(NodeError::operation("Unsupported value type: object")),
    }
}

fn string_literal(text: &str, rules: LiteralRules) -> String {
    let upper = text.to_ascii_uppercase();
    if DATE_LITERALS.contains(&upper.as_str()) || is_relative_date_literal(&upper) {
        return upper;
    }
    if is_datetime(text) || is_date(text) {
        return text.to_owned();
    }
    if rules == LiteralRules::V1 && is_plain_number(text) {
        return format_js_number(text.parse().unwrap_or(f64::NAN));
    }
    quote(text)
}

/// `LAST_N_DAYS:7`, `NEXT_N_FISCAL_YEARS:2`, `N_WEEKS_AGO:3`.
fn is_relative_date_literal(upper: &str) -> bool {
    let Some((head, count)) = upper.split_once(':') else {
        return false;
    };
    if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let unit = head
        .strip_prefix("LAST_N_")
        .or_else(|| head.strip_prefix("NEXT_N_"))
        .or_else(|| {
            head.strip_prefix("N_")
                .and_then(|rest| rest.strip_suffix("_AGO"))
        });
    unit.is_some_and(|unit| RELATIVE_UNITS.contains(&unit))
}

/// `-?(0|[1-9]\d*)(\.\d+)?`
fn is_plain_number(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (integer, fraction) = match unsigned.split_once('.') {
        Some((integer, fraction)) => (integer, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    digits(integer) && (integer == "0" || !integer.starts_with('0')) && fraction.is_none_or(digits)
}

/// `YYYY-MM-DD` naming a real day.
fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    text.is_ascii()
        && bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && number(&text[0..4]).is_some_and(|year| {
            let month = number(&text[5..7]);
            let day = number(&text[8..10]);
            matches!((month, day), (Some(month), Some(day)) if (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
        })
}

/// `YYYY-MM-DDTHH:MM:SS(.mmm)?(Z|±HH:MM)?` naming a real instant.
fn is_datetime(text: &str) -> bool {
    if !text.is_ascii() || text.len() < 19 || !is_date(&text[..10]) {
        return false;
    }
    let time = &text[11..19];
    let bytes = time.as_bytes();
    let valid_time = text.as_bytes()[10] == b'T'
        && bytes[2] == b':'
        && bytes[5] == b':'
        && number(&time[0..2]).is_some_and(|hour| hour < 24)
        && number(&time[3..5]).is_some_and(|minute| minute < 60)
        && number(&time[6..8]).is_some_and(|second| second < 60);
    if !valid_time {
        return false;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        if fraction.len() < 3 || number(&fraction[..3]).is_none() {
            return false;
        }
        rest = &fraction[3..];
    }
    match rest.as_bytes() {
        [] | [b'Z'] => true,
        [b'+' | b'-', ..] if rest.len() == 6 && rest.as_bytes()[3] == b':' => {
            number(&rest[1..3]).is_some_and(|hours| hours < 24)
                && number(&rest[4..6]).is_some_and(|minutes| minutes < 60)
        }
        _ => false,
    }
}

fn number(digits: &str) -> Option<u32> {
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `'` + escaped + `'`, escaping `\ ' " \n \r \t \f \b` in that order.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{c}' => out.push_str("\\f"),
            '\u{8}' => out.push_str("\\b"),
            other => out.push(other),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn v1(value: Value) -> String {
        literal(&value, LiteralRules::V1).unwrap()
    }

    fn v11(value: Value) -> String {
        literal(&value, LiteralRules::V1_1).unwrap()
    }

    #[test]
    fn follows_n8n_rules_in_order() {
        assert_eq!(v1(Value::Null), "null");
        assert_eq!(v1(json!(true)), "true");
        assert_eq!(v1(json!(1.5)), "1.5");
        assert_eq!(v1(json!(["a'b", 2, false])), "('a\\'b',2,false)");
        assert_eq!(v1(json!(" today ")), "TODAY");
        assert_eq!(v1(json!("last_n_days:7")), "LAST_N_DAYS:7");
        assert_eq!(v1(json!("n_weeks_ago:3")), "N_WEEKS_AGO:3");
        assert_eq!(v1(json!("LAST_N_DAYS:")), "'LAST_N_DAYS:'");
        assert_eq!(
            v1(json!("2024-01-01T10:00:00.000+01:00")),
            "2024-01-01T10:00:00.000+01:00"
        );
        assert_eq!(v1(json!("2024-01-01T10:00:00Z")), "2024-01-01T10:00:00Z");
        assert_eq!(
            v1(json!("2024-01-01T10:00:00.0Z")),
            "'2024-01-01T10:00:00.0Z'"
        );
        assert_eq!(v1(json!("2024-02-29")), "2024-02-29");
        assert_eq!(v1(json!("2024-02-30")), "'2024-02-30'");
        assert_eq!(v1(json!("2023-02-29")), "'2023-02-29'");
        assert_eq!(v1(json!("307795203")), "307795203");
        assert_eq!(v1(json!("1.50")), "1.5");
        assert_eq!(v1(json!("-0")), "0");
        assert_eq!(v1(json!("007")), "'007'");
        assert_eq!(v1(json!("12345678901234567890")), "12345678901234567000");
        assert_eq!(v11(json!("307795203")), "'307795203'");
        assert_eq!(v1(json!("  Acme ")), "'Acme'");
        assert_eq!(v1(json!("a\\b\"c\nd\te")), "'a\\\\b\\\"c\\nd\\te'");
    }

    proptest::proptest! {
        #[test]
        fn any_string_becomes_a_literal_without_panicking(text in "\\PC{0,40}") {
            let quoted = v11(json!(text));
            proptest::prop_assert!(!quoted.is_empty());
        }

        #[test]
        fn quoted_strings_never_end_early(text in "[a-z'\\\\\"]{0,20}") {
            let quoted = v11(json!(format!("x{text}x")));
            let inner = &quoted[1..quoted.len() - 1];
            let mut escaped = false;
            for c in inner.chars() {
                proptest::prop_assert!(escaped || c != '\'', "unescaped quote in {}", quoted);
                escaped = !escaped && c == '\\';
            }
        }
    }

    #[test]
    fn refuses_objects_and_nested_arrays() {
        assert_eq!(
            literal(&json!({"a": 1}), LiteralRules::V1)
                .unwrap_err()
                .message,
            "Unsupported value type: object"
        );
        assert_eq!(
            literal(&json!([[1]]), LiteralRules::V1)
                .unwrap_err()
                .message,
            "Array values must be strings, numbers, or booleans"
        );
    }
}
