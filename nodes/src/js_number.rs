//! JavaScript's `Number.prototype.toString()` for finite numbers, the one formatter every node uses
//! where n8n turns a number into text (SOQL literals, Merge keys, filter error messages): `1.5`,
//! `-3`, `100`, `1e+21`, `1e-7`, `0` for `-0`.

/// Formats `value` as JavaScript would (the shortest digits that round-trip, then ECMAScript's
/// choice between plain and exponential notation).
pub fn format_js_number(value: f64) -> String {
    if value == 0.0 {
        return "0".to_owned();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "1.2345e-7", "1e21".
    let scientific = format!("{:e}", value.abs());
    let (mantissa, exponent) = scientific
        .split_once('e')
        .expect("`{:e}` always has an exponent");
    let exponent: i32 = exponent.parse().expect("`{:e}` exponents are integers");
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = i32::try_from(digits.len()).expect("f64 has at most 17 significant digits");
    let n = exponent + 1;
    let sign = if value < 0.0 { "-" } else { "" };
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let exponent = n - 1;
        let exponent_sign = if exponent >= 0 { "+" } else { "-" };
        let mantissa = if k == 1 {
            digits
        } else {
            format!("{}.{}", &digits[..1], &digits[1..])
        };
        format!("{mantissa}e{exponent_sign}{}", exponent.abs())
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_javascript() {
        let cases = [
            (1.5, "1.5"),
            (-3.0, "-3"),
            (100.0, "100"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (1e-7, "1e-7"),
            (0.000001, "0.000001"),
            (-0.0, "0"),
            (0.1 + 0.2, "0.30000000000000004"),
            (307795203.0, "307795203"),
            (1.25e-10, "1.25e-10"),
            (2.5e25, "2.5e+25"),
        ];
        for (value, expected) in cases {
            assert_eq!(format_js_number(value), expected, "{value}");
        }
    }
}
