//! A condition's regular expression as n8n builds it: `/source/flags` or a bare source, with
//! JavaScript's flags `i`, `m`, `s` and `y` (sticky: matched at the start) honoured.

use fancy_regex::Regex;

use super::error::ConditionError;

/// The regex for `pattern`; `ignore_case` adds `i` (the filter's case option; the legacy
/// conditions pass false).
pub fn compile(pattern: &str, ignore_case: bool) -> Result<Regex, ConditionError> {
    let (source, mut flags) = split_literal(pattern)
        .map(|(source, flags)| (source, flags.to_owned()))
        .unwrap_or((pattern, String::new()));
    if ignore_case && !flags.contains('i') {
        flags.push('i');
    }
    let inline: String = flags
        .chars()
        .filter(|f| matches!(f, 'i' | 'm' | 's'))
        .collect();
    let mut translated = String::new();
    if !inline.is_empty() {
        translated.push_str(&format!("(?{inline})"));
    }
    if flags.contains('y') {
        translated.push_str(&format!("\\A(?:{source})"));
    } else {
        translated.push_str(source);
    }
    Regex::new(&translated).map_err(|error| ConditionError::Regex {
        pattern: format!("/{source}/{flags}"),
        reason: error.to_string(),
    })
}

/// `/source/flags` split, when `pattern` has that form (flags among `gimsuy`).
fn split_literal(pattern: &str) -> Option<(&str, &str)> {
    let body = pattern.strip_prefix('/')?;
    // n8n's `^/(.*?)/([gimusy]*)$`: the shortest source such that the rest is flags only.
    body.match_indices('/').find_map(|(slash, _)| {
        let flags = &body[slash + 1..];
        flags
            .chars()
            .all(|flag| "gimusy".contains(flag))
            .then(|| (&body[..slash], flags))
    })
}

/// `regex.test(text)`; a match that runs out of backtracking budget counts as no match.
pub fn test(regex: &Regex, text: &str) -> bool {
    regex.is_match(text).unwrap_or(false)
}
