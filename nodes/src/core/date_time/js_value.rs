//! JavaScript's `Number(value)` and `String(number)` for the values a date parameter may hold,
//! as the Date & Time node tests them (`"1704447000"` is a number, `""` and `null` are 0).

use serde_json::Value;

use crate::js_number::format_js_number;

/// `Number(value)`: `None` for `NaN`.
pub fn to_number(value: &Value) -> Option<f64> {
    let number = match value {
        Value::Null => 0.0,
        Value::Bool(flag) => f64::from(u8::from(*flag)),
        Value::Number(number) => number.as_f64()?,
        Value::String(text) => string_to_number(text)?,
        Value::Array(items) => match items.as_slice() {
            [] => 0.0,
            [single] if !single.is_object() && !single.is_array() => to_number(single)?,
            _ => return None,
        },
        Value::Object(_) => return None,
    };
    (!number.is_nan()).then_some(number)
}

/// `Number(text)`: decimal (with exponent), `0x`/`0o`/`0b` integers, `Infinity`, blank is 0.
fn string_to_number(text: &str) -> Option<f64> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Some(0.0);
    }
    let radix = |prefix: [&str; 2], radix: u32| {
        prefix
            .iter()
            .find_map(|prefix| trimmed.strip_prefix(prefix))
            .map(|digits| u64::from_str_radix(digits, radix).ok().map(|n| n as f64))
    };
    if let Some(parsed) = radix(["0x", "0X"], 16)
        .or_else(|| radix(["0o", "0O"], 8))
        .or_else(|| radix(["0b", "0B"], 2))
    {
        return parsed;
    }
    let (sign, body) = match trimmed.as_bytes()[0] {
        b'-' => (-1.0, &trimmed[1..]),
        b'+' => (1.0, &trimmed[1..]),
        _ => (1.0, trimmed),
    };
    if body == "Infinity" {
        return Some(sign * f64::INFINITY);
    }
    let decimal = body
        .bytes()
        .all(|byte| byte.is_ascii_digit() || matches!(byte, b'.' | b'e' | b'E' | b'+' | b'-'));
    if !decimal || body.starts_with(['e', 'E']) || body.is_empty() {
        return None;
    }
    body.parse::<f64>().ok().map(|number| sign * number)
}

/// `String(number)` for a number (`1704447000`, `1e+21`).
pub fn number_text(number: f64) -> String {
    format_js_number(number)
}

/// Whether a number is an integer to JavaScript (`Number.isInteger`).
pub fn is_integer(number: f64) -> bool {
    number.is_finite() && number.fract() == 0.0
}
