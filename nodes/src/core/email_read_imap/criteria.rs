//! The Email Trigger's Custom Email Rules: node-imap's search criteria as JSON (`["UNSEEN",
//! ["SINCE", "19-Aug-2026"]]`), checked as n8n 2.41.1's `toSearchObject` checks them (its error
//! texts) and written as the text of an IMAP `UID SEARCH` (RFC 3501 §6.4.4) for the runtime to
//! send.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use serde_json::Value;

use crate::NodeError;

/// n8n's default rules.
pub(super) const DEFAULT_CRITERIA: &str = "UNSEEN";

/// The search text of the Custom Email Rules `written` (`None`: n8n's default, `UNSEEN`), or
/// n8n's error.
pub(super) fn search_text(written: Option<&str>) -> Result<String, NodeError> {
    let Some(written) = written else {
        return Ok(DEFAULT_CRITERIA.to_owned());
    };
    let parsed: Value = serde_json::from_str(written).map_err(|_| {
        NodeError::operation("Custom email config is not valid JSON.").with_description(
            "options.customEmailConfig must be a JSON array of IMAP search criteria, e.g. [\"UNSEEN\"] or [\"UNSEEN\", [\"FROM\", \"a@b.example\"]]",
        )
    })?;
    compile(&parsed).map_err(|message| {
        NodeError::operation(message)
            .with_description("in the node's options.customEmailConfig (Custom Email Rules)")
    })
}

/// The search text of parsed criteria, or the reason they are wrong.
fn compile(criteria: &Value) -> Result<String, String> {
    let Value::Array(criteria) = criteria else {
        return Err(format!(
            "Unexpected IMAP search criteria, expected an array of criteria: {criteria}"
        ));
    };
    if criteria.is_empty() {
        return Err("IMAP search needs at least one criterion.".to_owned());
    }
    let keys = criteria
        .iter()
        .map(criterion)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(keys.join(" "))
}

/// One criterion: a key (`"UNSEEN"`, `"!SEEN"`) or a key and its arguments (`["FROM", "x"]`).
fn criterion(criterion: &Value) -> Result<String, String> {
    let (key, args): (&str, &[Value]) = match criterion {
        Value::String(key) => (key, &[]),
        Value::Array(parts) => match parts.split_first() {
            Some((Value::String(key), args)) => (key, args),
            _ => return Err(unexpected(criterion)),
        },
        _ => return Err(unexpected(criterion)),
    };
    match key.strip_prefix('!') {
        Some(key) => Ok(format!("NOT {}", search_key(key, args)?)),
        None => search_key(key, args),
    }
}

fn unexpected(criterion: &Value) -> String {
    format!("Unexpected IMAP search criterion, expected a string or an array: {criterion}")
}

const FLAG_KEYS: &[&str] = &[
    "ALL",
    "ANSWERED",
    "DELETED",
    "DRAFT",
    "FLAGGED",
    "NEW",
    "OLD",
    "RECENT",
    "SEEN",
    "UNANSWERED",
    "UNDELETED",
    "UNDRAFT",
    "UNFLAGGED",
    "UNSEEN",
];
const STRING_KEYS: &[&str] = &["BCC", "BODY", "CC", "FROM", "SUBJECT", "TEXT", "TO"];
const DATE_KEYS: &[&str] = &["BEFORE", "ON", "SINCE", "SENTBEFORE", "SENTON", "SENTSINCE"];

/// One search key with its arguments, checked as n8n checks it.
fn search_key(key: &str, args: &[Value]) -> Result<String, String> {
    let upper = key.to_ascii_uppercase();
    let upper = upper.as_str();
    if FLAG_KEYS.contains(&upper) {
        return Ok(upper.to_owned());
    }
    if STRING_KEYS.contains(&upper) {
        let [value] = one(key, args)?;
        return Ok(format!("{upper} {}", quoted(key, &text(key, value)?)?));
    }
    if DATE_KEYS.contains(&upper) {
        let [value] = one(key, args)?;
        return Ok(format!("{upper} {}", imap_date(&date(key, value)?)));
    }
    match upper {
        "KEYWORD" | "UNKEYWORD" => {
            let [value] = one(key, args)?;
            let keyword = text(key, value)?;
            if keyword.eq_ignore_ascii_case("\\recent") {
                return Err(format!(
                    "IMAP search criterion \"{key}\" cannot be used with the \\Recent flag."
                ));
            }
            if !keyword.chars().all(is_atom_char) {
                return Err(format!(
                    "IMAP search criterion \"{key}\" needs a flag name without spaces, quotes or brackets."
                ));
            }
            Ok(format!("{upper} {keyword}"))
        }
        "LARGER" | "SMALLER" => {
            let [value] = one(key, args)?;
            let written = js_string(value);
            let size: i64 = written
                .trim()
                .parse()
                .map_err(|_| format!("IMAP search criterion \"{key}\" needs a whole number, got \"{written}\"."))?;
            if size < 1 {
                return Err(format!(
                    "IMAP search criterion \"{key}\" needs a positive number of bytes, got \"{size}\"."
                ));
            }
            Ok(format!("{upper} {size}"))
        }
        "HEADER" => {
            let [name, value] = exactly::<2>(key, args)?;
            let name = text(key, name)?;
            Ok(format!(
                "HEADER {} {}",
                quoted(key, &name)?,
                quoted(key, &js_string(value))?
            ))
        }
        "UID" => sequence_set(args).map(|set| format!("UID {set}")).ok_or_else(|| {
            let written: Vec<String> = args.iter().map(js_string).collect();
            format!(
                "IMAP search criterion \"{key}\" needs a sequence set such as \"42:*\", got \"{}\".",
                written.join(",")
            )
        }),
        "OR" => {
            let [left, right] = exactly::<2>(key, args)?;
            let is_criterion = |value: &Value| match value {
                Value::String(_) => true,
                Value::Array(parts) => matches!(parts.first(), Some(Value::String(_))),
                _ => false,
            };
            if !is_criterion(left) || !is_criterion(right) {
                return Err(format!(
                    "IMAP search criterion \"{key}\" takes two search criteria as arguments."
                ));
            }
            Ok(format!("OR {} {}", criterion(left)?, criterion(right)?))
        }
        "X-GM-RAW" | "X-GM-LABELS" => {
            let [value] = one(key, args)?;
            Ok(format!("{upper} {}", quoted(key, &text(key, value)?)?))
        }
        "X-GM-MSGID" | "X-GM-THRID" | "MODSEQ" => {
            let [value] = one(key, args)?;
            let written = js_string(value);
            let number: u64 = written
                .trim()
                .parse()
                .map_err(|_| format!("IMAP search criterion \"{key}\" needs a whole number, got \"{written}\"."))?;
            if number < 1 {
                return Err(format!(
                    "IMAP search criterion \"{key}\" needs a positive value, got \"{number}\"."
                ));
            }
            Ok(format!("{upper} {number}"))
        }
        _ => {
            let mut parts = vec![Value::String(key.to_owned())];
            parts.extend(args.iter().cloned());
            sequence_set(&parts).ok_or_else(|| {
                format!(
                    "Unknown IMAP search criterion \"{key}\". Expected a standard IMAP search key such as \"UNSEEN\", [\"SINCE\", \"19-Aug-2026\"] or [\"UID\", \"42:*\"]."
                )
            })
        }
    }
}

fn one<'v>(key: &str, args: &'v [Value]) -> Result<[&'v Value; 1], String> {
    exactly::<1>(key, args)
}

fn exactly<'v, const N: usize>(key: &str, args: &'v [Value]) -> Result<[&'v Value; N], String> {
    let refs: Vec<&Value> = args.iter().collect();
    refs.try_into().map_err(|_| {
        format!(
            "IMAP search criterion \"{key}\" takes {N} argument(s), got {}.",
            args.len()
        )
    })
}

/// JavaScript's `String(value)` for a JSON value.
fn js_string(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => "null".to_owned(),
        Value::Array(items) => items.iter().map(js_string).collect::<Vec<_>>().join(","),
        Value::Object(_) => "[object Object]".to_owned(),
        other => other.to_string(),
    }
}

/// A non-empty text argument.
fn text(key: &str, value: &Value) -> Result<String, String> {
    let text = js_string(value);
    if text.is_empty() {
        return Err(format!(
            "IMAP search criterion \"{key}\" needs a non-empty value."
        ));
    }
    Ok(text)
}

/// `text` as an IMAP quoted string. Text beyond ASCII would need a literal with `CHARSET UTF-8`,
/// which weft does not send.
fn quoted(key: &str, text: &str) -> Result<String, String> {
    if !text.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
        return Err(format!(
            "IMAP search criterion \"{key}\" has characters beyond ASCII or control characters, which weft cannot search for yet."
        ));
    }
    Ok(format!(
        "\"{}\"",
        text.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

fn is_atom_char(c: char) -> bool {
    c.is_ascii_graphic() && !"(){%*\"\\]".contains(c)
}

/// node-imap's sequence sets: `42`, `42:*`, `1,3:5` (parts may be split over several values).
fn sequence_set(values: &[Value]) -> Option<String> {
    let parts: Vec<String> = values
        .iter()
        .flat_map(|value| {
            js_string(value)
                .split(',')
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    let number = |part: &str| {
        part == "*"
            || (!part.is_empty()
                && !part.starts_with('0')
                && part.chars().all(|c| c.is_ascii_digit()))
    };
    let valid = |part: &String| match part.split_once(':') {
        Some((from, to)) => number(from) && number(to),
        None => number(part),
    };
    (!parts.is_empty() && parts.iter().all(valid)).then(|| parts.join(","))
}

/// A date argument as JavaScript's `new Date(...)` reads the common forms: a number of
/// milliseconds, `2026-08-19` (with or without a time), `19-Aug-2026`, `Aug 19, 2026`.
fn date(key: &str, value: &Value) -> Result<NaiveDate, String> {
    let failed = || {
        format!(
            "IMAP search criterion \"{key}\" needs a Date or a parseable date string, got \"{}\".",
            js_string(value)
        )
    };
    if let Value::Number(number) = value {
        let millis = number.as_f64().ok_or_else(failed)?;
        return Utc
            .timestamp_millis_opt(millis as i64)
            .single()
            .map(|moment| moment.date_naive())
            .ok_or_else(failed);
    }
    let written = js_string(value);
    let written = written.trim();
    if let Ok(moment) = DateTime::parse_from_rfc3339(written) {
        return Ok(moment.date_naive());
    }
    let date_part = written.get(..10).unwrap_or(written);
    [
        "%Y-%m-%d",
        "%d-%b-%Y",
        "%b %d, %Y",
        "%B %d, %Y",
        "%d %b %Y",
        "%Y/%m/%d",
    ]
    .iter()
    .find_map(|format| {
        NaiveDate::parse_from_str(written, format)
            .or_else(|_| NaiveDate::parse_from_str(date_part, format))
            .ok()
    })
    .ok_or_else(failed)
}

/// RFC 3501's `date`: `19-Aug-2026`.
fn imap_date(date: &NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}-{}-{}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_become_the_search_text_n8n_s_search_object_means() {
        let cases = [
            (r#"["UNSEEN"]"#, "UNSEEN"),
            (r#"["unseen", "!FLAGGED"]"#, "UNSEEN NOT FLAGGED"),
            (
                r#"["UNSEEN", ["FROM", "boss@acme.test"]]"#,
                r#"UNSEEN FROM "boss@acme.test""#,
            ),
            (r#"[["SINCE", "2026-08-19"]]"#, "SINCE 19-Aug-2026"),
            (r#"[["since", "19-Aug-2026"]]"#, "SINCE 19-Aug-2026"),
            (r#"[["BEFORE", "August 1, 2026"]]"#, "BEFORE 1-Aug-2026"),
            (r#"[["UID", "42:*"]]"#, "UID 42:*"),
            (
                r#"[["OR", "SEEN", ["SUBJECT", "say \"hi\""]]]"#,
                r#"OR SEEN SUBJECT "say \"hi\"""#,
            ),
            (r#"[["HEADER", "X-Tag", ""]]"#, r#"HEADER "X-Tag" """#),
            (r#"[["LARGER", 1000]]"#, "LARGER 1000"),
            (r#"["1:5"]"#, "1:5"),
        ];
        for (written, expected) in cases {
            assert_eq!(search_text(Some(written)).unwrap(), expected, "{written}");
        }
        assert_eq!(search_text(None).unwrap(), "UNSEEN");
    }

    #[test]
    fn wrong_rules_give_n8n_s_errors() {
        let cases = [
            (
                "contractreview@company.com",
                "Custom email config is not valid JSON.",
            ),
            ("[]", "IMAP search needs at least one criterion."),
            (
                r#"["NEWEST"]"#,
                "Unknown IMAP search criterion \"NEWEST\". Expected a standard IMAP search key such as \"UNSEEN\", [\"SINCE\", \"19-Aug-2026\"] or [\"UID\", \"42:*\"].",
            ),
            (
                r#"[["FROM"]]"#,
                "IMAP search criterion \"FROM\" takes 1 argument(s), got 0.",
            ),
            (
                r#"[["SUBJECT", ""]]"#,
                "IMAP search criterion \"SUBJECT\" needs a non-empty value.",
            ),
            (
                r#"[["SINCE", "soon"]]"#,
                "IMAP search criterion \"SINCE\" needs a Date or a parseable date string, got \"soon\".",
            ),
            (
                r#"[["UID", "abc"]]"#,
                "IMAP search criterion \"UID\" needs a sequence set such as \"42:*\", got \"abc\".",
            ),
            (
                r#"[["SMALLER", 0]]"#,
                "IMAP search criterion \"SMALLER\" needs a positive number of bytes, got \"0\".",
            ),
            (
                r#"[["OR", "SEEN"]]"#,
                "IMAP search criterion \"OR\" takes 2 argument(s), got 1.",
            ),
            (
                r#"[["KEYWORD", "\\Recent"]]"#,
                "IMAP search criterion \"KEYWORD\" cannot be used with the \\Recent flag.",
            ),
            (
                "[7]",
                "Unexpected IMAP search criterion, expected a string or an array: 7",
            ),
        ];
        for (written, message) in cases {
            let error = search_text(Some(written)).unwrap_err();
            assert_eq!(error.message, message, "{written}");
        }
    }
}
