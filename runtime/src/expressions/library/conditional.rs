//! n8n's `$if(test, then, else)` is not a function call: n8n rewrites it into
//! `test ? then : else` (`else` defaulting to `false`), so only the chosen branch runs and
//! `$if($json.a, $json.a.b, "none")` does not fail when `a` is missing. This does the same
//! rewrite on the source text; calls it cannot take apart (fewer than two arguments, a spread,
//! unbalanced brackets) stay calls of the `$if` function, which throws n8n's error.

use std::borrow::Cow;

/// `code` with each `$if(…)` call written as a conditional expression.
pub fn rewrite(code: &str) -> Cow<'_, str> {
    if !code.contains("$if") {
        return Cow::Borrowed(code);
    }
    let mut out = String::with_capacity(code.len() + 16);
    let mut rest = code;
    let mut changed = false;
    while let Some(at) = next_call(rest) {
        let open = at + "$if".len() + rest[at + 3..].len() - rest[at + 3..].trim_start().len();
        let Some((arguments, end)) = arguments(&rest[open + 1..]) else {
            break;
        };
        out.push_str(&rest[..at]);
        if arguments.len() < 2 || arguments.iter().any(|a| a.trim_start().starts_with("...")) {
            out.push_str(&rest[at..open + 1 + end + 1]);
        } else {
            let branch = |index: usize| arguments.get(index).map(|a| rewrite(a.trim()));
            let otherwise = branch(2).unwrap_or(Cow::Borrowed("false"));
            out.push_str(&format!(
                "(({}) ? ({}) : ({otherwise}))",
                branch(0).unwrap_or_default(),
                branch(1).unwrap_or_default()
            ));
            changed = true;
        }
        rest = &rest[open + 1 + end + 1..];
    }
    if !changed {
        return Cow::Borrowed(code);
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The byte offset of the next `$if` that is a call outside string literals: not part of a
/// longer name or a property (`.$if`), followed by `(`.
fn next_call(code: &str) -> Option<usize> {
    let bytes = code.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            quote @ (b'\'' | b'"' | b'`') => index = string_end(bytes, index, quote)?,
            b'$' if code[index..].starts_with("$if") => {
                let before = index.checked_sub(1).map(|i| bytes[i]);
                let after = code[index + 3..].trim_start();
                let name_continues = bytes
                    .get(index + 3)
                    .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$');
                let part_of_name = before.is_some_and(|b| {
                    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b == b'.'
                });
                if !name_continues && !part_of_name && after.starts_with('(') {
                    return Some(index);
                }
                index += 1;
            }
            _ => index += 1,
        }
    }
    None
}

/// The top-level comma-separated arguments of a call whose text starts just after `(`, and the
/// offset of the closing `)`; `None` when the brackets do not balance.
fn arguments(code: &str) -> Option<(Vec<&str>, usize)> {
    let bytes = code.as_bytes();
    let mut depth = 0usize;
    let mut start = 0;
    let mut found = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            quote @ (b'\'' | b'"' | b'`') => {
                index = string_end(bytes, index, quote)?;
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' if depth == 0 => {
                let last = &code[start..index];
                if !(found.is_empty() && last.trim().is_empty()) {
                    found.push(last);
                }
                return Some((found, index));
            }
            b')' | b']' | b'}' => depth = depth.checked_sub(1)?,
            b',' if depth == 0 => {
                found.push(&code[start..index]);
                start = index + 1;
            }
            _ => {}
        }
        index += 1;
    }
    None
}

/// The offset just past the string literal opening at `start` with `quote`.
fn string_end(bytes: &[u8], start: usize, quote: u8) -> Option<usize> {
    let mut index = start + 1;
    while index < bytes.len() {
        match bytes[index] {
            b'\\' => index += 2,
            byte if byte == quote => return Some(index + 1),
            _ => index += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn calls_become_conditionals_and_the_rest_stays() {
        for (code, expected) in [
            ("$if(a, b, c)", "((a) ? (b) : (c))"),
            ("$if(a, b)", "((a) ? (b) : (false))"),
            (
                "1 + $if (f(x, y), [1, 2], { k: ')' }) + 2",
                "1 + ((f(x, y)) ? ([1, 2]) : ({ k: ')' })) + 2",
            ),
            (
                "$if(a, $if(b, 1, 2), 3)",
                "((a) ? (((b) ? (1) : (2))) : (3))",
            ),
            (
                "'$if(a, b)' + x.$if(a, b) + $iffy(a, b)",
                "'$if(a, b)' + x.$if(a, b) + $iffy(a, b)",
            ),
            ("$if(a)", "$if(a)"),
            ("$if(...list)", "$if(...list)"),
            ("$if(a, (b", "$if(a, (b"),
        ] {
            assert_eq!(rewrite(code), expected, "{code}");
        }
    }
}
