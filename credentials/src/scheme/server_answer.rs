//! Telling what a server answered without quoting it. A token endpoint's body holds tokens and an
//! API's error body may echo a request, so errors describe a body's shape ("an HTML page", "JSON
//! that ends early (line 1, column 40)") and quote only words that cannot carry a secret: an
//! error code, or a description cleaned into one bounded line.

use serde_json::Value;

/// The longest description quoted from a server, in characters.
pub const MAX_QUOTED_CHARS: usize = 200;

/// The longest error code quoted from a server.
const MAX_CODE_CHARS: usize = 64;

/// `text` as one line of at most [`MAX_QUOTED_CHARS`] characters: control and bidirectional
/// formatting characters become spaces (so a server cannot forge output lines or reorder what a
/// terminal shows), the ends are trimmed, and a longer text is cut with `…`.
pub fn plain_line(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if is_unsafe_in_a_line(c) { ' ' } else { c })
        .collect();
    let cleaned = cleaned.trim();
    match cleaned.char_indices().nth(MAX_QUOTED_CHARS) {
        Some((cut, _)) => format!("{}…", cleaned[..cut].trim_end()),
        None => cleaned.to_owned(),
    }
}

fn is_unsafe_in_a_line(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `text` looks like an error code (`invalid_grant`, `Bad_OAuth_Token`,
/// `INVALID_SESSION_ID`): short, ASCII letters, digits, `_`, `-` and `.` only. Such a word is safe
/// to quote.
pub fn is_error_code(text: &str) -> bool {
    (1..=MAX_CODE_CHARS).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// The JSON type of `value`, with its article: "a JSON number", "a JSON object", ...
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "JSON null",
        Value::Bool(_) => "a JSON boolean",
        Value::Number(_) => "a JSON number",
        Value::String(_) => "a JSON string",
        Value::Array(_) => "a JSON array",
        Value::Object(_) => "a JSON object",
    }
}

/// What a body that failed to parse as JSON is: "an empty body", "an HTML page", "JSON that ends
/// early (line L, column C)" or "text that is not JSON (line L, column C)". Built from the error's
/// category and position only: serde_json's own message can quote the text it saw.
pub fn describe_unparsable(body: &str, error: &serde_json::Error) -> String {
    let trimmed = body.trim_start();
    if trimmed.is_empty() {
        "an empty body".to_owned()
    } else if trimmed.starts_with('<') {
        "an HTML page".to_owned()
    } else if error.is_eof() {
        format!(
            "JSON that ends early (line {}, column {})",
            error.line(),
            error.column()
        )
    } else {
        format!(
            "text that is not JSON (line {}, column {})",
            error.line(),
            error.column()
        )
    }
}

/// A short account of an error body for an error message: its error code when it has one (plain
/// text such as `Bad_OAuth_Token`, or JSON's `error`, `errorCode` or `[0].errorCode`), else its
/// shape. Never the body itself.
pub fn describe_error_body(body: &str) -> String {
    let trimmed = body.trim();
    if is_error_code(trimmed) {
        return format!("`{trimmed}`");
    }
    match serde_json::from_str::<Value>(trimmed) {
        Ok(value) => {
            let code = ["/error", "/errorCode", "/0/errorCode"]
                .iter()
                .find_map(|pointer| value.pointer(pointer).and_then(Value::as_str))
                .filter(|code| is_error_code(code));
            match code {
                Some(code) => format!("JSON with the error code `{code}`"),
                None => format!("{} without an error code", json_type(&value)),
            }
        }
        Err(error) => describe_unparsable(body, &error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_are_described_by_code_or_shape() {
        for (body, described) in [
            ("Bad_OAuth_Token", "`Bad_OAuth_Token`"),
            (
                r#"[{"message":"Session expired","errorCode":"INVALID_SESSION_ID"}]"#,
                "JSON with the error code `INVALID_SESSION_ID`",
            ),
            (
                r#"{"error":"invalid_token","error_description":"x"}"#,
                "JSON with the error code `invalid_token`",
            ),
            (
                r#"{"echo":"Bearer 00D!secret"}"#,
                "a JSON object without an error code",
            ),
            (
                "Bearer 00D!secret",
                "text that is not JSON (line 1, column 1)",
            ),
            ("<html>00D!secret</html>", "an HTML page"),
            ("", "an empty body"),
            (
                r#"{"a":"00D!sec"#,
                "JSON that ends early (line 1, column 13)",
            ),
        ] {
            assert_eq!(describe_error_body(body), described, "{body}");
        }
    }

    #[test]
    fn plain_lines_are_cleaned_and_bounded() {
        assert_eq!(plain_line(" a\nb\u{1b}[2J\u{202e}c "), "a b [2J c");
        let long = plain_line(&"é".repeat(500));
        assert_eq!(long.chars().count(), MAX_QUOTED_CHARS + 1);
        assert!(long.ends_with('…'));
    }
}
