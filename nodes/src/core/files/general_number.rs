//! Numbers as spreadsheet text in Excel's "General" format, the way SheetJS (which n8n's
//! Convert to File uses) writes them into CSV: up to 11 characters, 10 significant digits for
//! small magnitudes, `1.23457E+19` beyond (`SSF_general_num`). JavaScript's `toFixed`,
//! `toPrecision` and `toExponential` are rebuilt on the number's exact decimal value, rounding
//! half away from zero as JavaScript does.

/// `value` in the General format.
pub(crate) fn general(value: f64) -> String {
    if !value.is_finite() {
        return if value.is_nan() { "#NUM!" } else { "#DIV/0!" }.to_owned();
    }
    let magnitude = (value.abs().ln() * std::f64::consts::LOG10_E).floor();
    let text = if (-4.0..=-1.0).contains(&magnitude) {
        to_precision(value, (10.0 + magnitude) as usize)
    } else if magnitude.abs() <= 9.0 {
        small_exponent(value)
    } else if magnitude == 10.0 {
        to_fixed(value, 10).chars().take(12).collect()
    } else {
        large_exponent(value)
    };
    strip_decimal(&normalize_exponent(&text.to_uppercase()))
}

/// `SSF_small_exp`: 12 decimals if they fit, else 10 significant digits, else exponential.
fn small_exponent(value: f64) -> String {
    let width = if value < 0.0 { 12 } else { 11 };
    let fixed = strip_decimal(&to_fixed(value, 12));
    if fixed.len() <= width {
        return fixed;
    }
    let precise = to_precision(value, 10);
    if precise.len() <= width {
        return precise;
    }
    to_exponential(value, 5)
}

/// `SSF_large_exp`: 11 decimals if they fit and are not zero, else 6 significant digits.
fn large_exponent(value: f64) -> String {
    let fixed = strip_decimal(&to_fixed(value, 11));
    let width = if value < 0.0 { 12 } else { 11 };
    if fixed.len() > width || fixed == "0" || fixed == "-0" {
        to_precision(value, 6)
    } else {
        fixed
    }
}

/// `SSF_strip_decimal`: trailing zeros of the fraction (and a bare `.`) removed.
fn strip_decimal(text: &str) -> String {
    let Some(point) = text.find('.') else {
        return text.to_owned();
    };
    let (number, exponent) = match text.find(['E', 'e']) {
        Some(at) if at > point => text.split_at(at),
        _ => (text, ""),
    };
    if !exponent.is_empty() {
        return text.to_owned();
    }
    let trimmed = number.trim_end_matches('0');
    trimmed.strip_suffix('.').unwrap_or(trimmed).to_owned()
}

/// `SSF_normalize_exp`: the mantissa's trailing zeros dropped and a two-digit exponent.
fn normalize_exponent(text: &str) -> String {
    let Some(at) = text.find('E') else {
        return text.to_owned();
    };
    let (mantissa, exponent) = text.split_at(at);
    let mantissa = if mantissa.contains('.') {
        let trimmed = mantissa.trim_end_matches('0');
        trimmed.strip_suffix('.').unwrap_or(trimmed)
    } else {
        mantissa
    };
    let (sign, digits) = exponent[1..].split_at(1);
    let digits = if digits.len() == 1 {
        format!("0{digits}")
    } else {
        digits.to_owned()
    };
    format!("{mantissa}E{sign}{digits}")
}

/// The exact decimal value of `value.abs()`: its digits (no leading zero) and the power of ten
/// of the first digit. Zero is `("0", 0)`.
fn exact_digits(value: f64) -> (Vec<u8>, i32) {
    // 767 fraction digits hold every f64 exactly.
    let text = format!("{:.767e}", value.abs());
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let mut digits: Vec<u8> = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    while digits.len() > 1 && digits.last() == Some(&0) {
        digits.pop();
    }
    (digits, exponent.parse().unwrap_or(0))
}

/// `digits` rounded half up to `keep` digits (at least 0); the carry may add a digit in front,
/// in which case the exponent grows by one (returned).
fn round_digits(digits: &[u8], keep: i64) -> (Vec<u8>, bool) {
    if keep < 0 {
        return (Vec::new(), false);
    }
    let keep = keep as usize;
    if digits.len() <= keep {
        let mut kept = digits.to_vec();
        kept.resize(keep, 0);
        return (kept, false);
    }
    let mut kept = digits[..keep].to_vec();
    if digits[keep] >= 5 {
        let mut at = keep;
        loop {
            if at == 0 {
                kept.insert(0, 1);
                return (kept, true);
            }
            at -= 1;
            if kept[at] == 9 {
                kept[at] = 0;
            } else {
                kept[at] += 1;
                break;
            }
        }
    }
    (kept, false)
}

fn sign(value: f64) -> &'static str {
    if value < 0.0 { "-" } else { "" }
}

fn text_of(digits: &[u8]) -> String {
    digits
        .iter()
        .map(|digit| char::from(b'0' + digit))
        .collect()
}

/// JavaScript's `value.toFixed(fraction)` (below 10²¹).
fn to_fixed(value: f64, fraction: usize) -> String {
    if value.abs() >= 1e21 {
        return javascript_string(value);
    }
    let (digits, exponent) = exact_digits(value);
    let integer_digits = i64::from(exponent) + 1;
    let (mut kept, _) = round_digits(&digits, integer_digits + fraction as i64);
    // Pad on the left so that the integer part has at least one digit.
    let missing = (fraction as i64 + 1) - kept.len() as i64;
    if missing > 0 {
        let mut padded = vec![0; missing as usize];
        padded.extend(kept);
        kept = padded;
    }
    let split = kept.len() - fraction;
    let negative = value < 0.0 && kept.iter().any(|digit| *digit != 0);
    let mut text = format!(
        "{}{}",
        if negative { "-" } else { "" },
        text_of(&kept[..split])
    );
    if fraction > 0 {
        text.push('.');
        text.push_str(&text_of(&kept[split..]));
    }
    text
}

/// JavaScript's `value.toPrecision(precision)`.
fn to_precision(value: f64, precision: usize) -> String {
    if value == 0.0 {
        return format_fixed_digits("", &vec![0; precision], 0);
    }
    let (digits, exponent) = exact_digits(value);
    let (kept, carried) = round_digits(&digits, precision as i64);
    let (kept, exponent) = if carried {
        (kept[..precision].to_vec(), exponent + 1)
    } else {
        (kept, exponent)
    };
    if exponent < -6 || exponent >= precision as i32 {
        return exponential(sign(value), &kept, exponent);
    }
    format_fixed_digits(sign(value), &kept, exponent)
}

/// JavaScript's `value.toExponential(fraction)`.
fn to_exponential(value: f64, fraction: usize) -> String {
    if value == 0.0 {
        return exponential("", &vec![0; fraction + 1], 0);
    }
    let (digits, exponent) = exact_digits(value);
    let (kept, carried) = round_digits(&digits, fraction as i64 + 1);
    let (kept, exponent) = if carried {
        (kept[..=fraction].to_vec(), exponent + 1)
    } else {
        (kept, exponent)
    };
    exponential(sign(value), &kept, exponent)
}

/// `d.ddde+x` from significant digits.
fn exponential(sign: &str, digits: &[u8], exponent: i32) -> String {
    let mut text = format!("{sign}{}", digits[0]);
    if digits.len() > 1 {
        text.push('.');
        text.push_str(&text_of(&digits[1..]));
    }
    let exponent_sign = if exponent < 0 { '-' } else { '+' };
    format!("{text}e{exponent_sign}{}", exponent.abs())
}

/// Significant `digits` whose first digit is at 10^`exponent`, written without an exponent.
fn format_fixed_digits(sign: &str, digits: &[u8], exponent: i32) -> String {
    if exponent < 0 {
        let zeros = "0".repeat((-exponent - 1) as usize);
        return format!("{sign}0.{zeros}{}", text_of(digits));
    }
    let integer = (exponent + 1) as usize;
    if digits.len() <= integer {
        return format!(
            "{sign}{}{}",
            text_of(digits),
            "0".repeat(integer - digits.len())
        );
    }
    format!(
        "{sign}{}.{}",
        text_of(&digits[..integer]),
        text_of(&digits[integer..])
    )
}

/// JavaScript's `String(value)` for the large numbers `toFixed` hands back unchanged.
fn javascript_string(value: f64) -> String {
    let text = format!("{value:e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{}", exponent.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected texts recorded from SheetJS 0.20.3 (`@e965/xlsx`, as n8n 2.41.1 ships it).
    #[test]
    fn numbers_are_written_as_sheetjs_writes_them() {
        let cases: [(f64, &str); 39] = [
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (-1.0, "-1"),
            (1000.0, "1000"),
            (0.1 + 0.2, "0.3"),
            (1.0 / 3.0, "0.333333333"),
            (-1.0 / 3.0, "-0.333333333"),
            (2.0 / 3.0 * 1000.0, "666.6666667"),
            (123456789.0, "123456789"),
            (1234567890.0, "1234567890"),
            (12345678901.0, "12345678901"),
            (123456789012.0, "1.23457E+11"),
            (-12345678901.0, "-12345678901"),
            (0.001, "0.001"),
            (0.0001234, "0.0001234"),
            (0.00001234, "0.00001234"),
            (1e-10, "1E-10"),
            (1.5e-7, "0.00000015"),
            (12345678901234567890.0, "1.23457E+19"),
            (1e21, "1E+21"),
            (1e100, "1E+100"),
            (-1e100, "-1E+100"),
            (5e-324, "4.94066E-324"),
            (0.5, "0.5"),
            (2.5, "2.5"),
            (1234.5, "1234.5"),
            (99999999999.0, "99999999999"),
            (9999999999.5, "1E+10"),
            (0.000123456789012, "0.000123457"),
            (f64::MAX, "1.79769E+308"),
            (100.0, "100"),
            (1e10, "10000000000"),
            (1e11, "1E+11"),
            (-1e10, "-10000000000"),
            (0.1, "0.1"),
            (0.01, "0.01"),
            (12.345678901234, "12.3456789"),
            (5.43210987654321, "5.432109877"),
        ];
        for (value, expected) in cases {
            assert_eq!(general(value), expected, "{value:e}");
        }
    }

    #[test]
    fn javascript_rounding_is_half_up() {
        assert_eq!(to_fixed(0.5, 0), "1");
        assert_eq!(to_fixed(2.5, 0), "3");
        assert_eq!(to_fixed(-2.5, 0), "-3");
        assert_eq!(to_fixed(1.005, 2), "1.00", "1.005 is below 1.005 in binary");
        assert_eq!(to_precision(0.000125, 2), "0.00013");
        assert_eq!(to_exponential(125.0, 1), "1.3e+2");
        assert_eq!(to_precision(99.99, 3), "100");
        assert_eq!(to_precision(123456.0, 2), "1.2e+5");
    }
}
