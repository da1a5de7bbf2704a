//! A key-matching regular expression as Rename Keys builds it (`new RegExp(source, 'i'?)`,
//! no global flag) and JavaScript's `String.prototype.replace` with it: the first match only,
//! the replacement's `$$`, `$&`, `` $` ``, `$'`, `$1`…`$99` and `$<name>` patterns expanded.

use fancy_regex::{Captures, Regex};

use crate::error::NodeError;

/// n8n's message when a regex runs too long; fancy-regex's backtracking limit stands in for
/// n8n's 250 ms timeout.
const TIMED_OUT: &str = "Regular expression execution timed out";

/// A compiled `searchRegex`.
#[derive(Debug)]
pub struct KeyRegex {
    regex: Regex,
    named_groups: bool,
}

impl KeyRegex {
    /// Compiles `source`, case-insensitive when asked.
    pub fn new(source: &str, case_insensitive: bool) -> Result<Self, NodeError> {
        let pattern = if case_insensitive {
            format!("(?i){source}")
        } else {
            source.to_owned()
        };
        let regex = Regex::new(&pattern).map_err(|error| {
            let flags = if case_insensitive { "i" } else { "" };
            NodeError::operation(format!(
                "Invalid regular expression: /{source}/{flags}: {error}"
            ))
            .with_description("hint: check the Regular Expression of the regex replacement")
        })?;
        let named_groups = regex.capture_names().any(|name| name.is_some());
        Ok(Self {
            regex,
            named_groups,
        })
    }

    /// `text` with its first match replaced, or `None` when nothing matches.
    pub fn replace(&self, text: &str, replacement: &str) -> Result<Option<String>, NodeError> {
        let captures = self.regex.captures(text).map_err(|_| {
            NodeError::operation(TIMED_OUT).with_description(
                "hint: simplify the regular expression (nested quantifiers backtrack a lot)",
            )
        })?;
        let Some(captures) = captures else {
            return Ok(None);
        };
        let whole = captures.get(0).map_or(0..0, |found| found.range());
        let mut output = String::with_capacity(text.len() + replacement.len());
        output.push_str(&text[..whole.start]);
        self.expand(replacement, text, &captures, &mut output);
        output.push_str(&text[whole.end..]);
        Ok(Some(output))
    }

    /// JavaScript's `GetSubstitution`.
    fn expand(
        &self,
        replacement: &str,
        text: &str,
        captures: &Captures<'_, str>,
        output: &mut String,
    ) {
        let whole = captures.get(0).map_or(0..0, |found| found.range());
        let groups = captures.len() - 1;
        let group = |number: usize| captures.get(number).map_or("", |found| found.as_str());
        let mut rest = replacement;
        while let Some(at) = rest.find('$') {
            output.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            let mut chars = after.chars();
            let consumed = match chars.next() {
                Some('$') => {
                    output.push('$');
                    1
                }
                Some('&') => {
                    output.push_str(&text[whole.clone()]);
                    1
                }
                Some('`') => {
                    output.push_str(&text[..whole.start]);
                    1
                }
                Some('\'') => {
                    output.push_str(&text[whole.end..]);
                    1
                }
                Some(first @ '0'..='9') => {
                    let one = first as usize - '0' as usize;
                    let two = chars
                        .next()
                        .filter(char::is_ascii_digit)
                        .map(|second| one * 10 + (second as usize - '0' as usize));
                    match two {
                        Some(number) if (1..=groups).contains(&number) => {
                            output.push_str(group(number));
                            2
                        }
                        _ if (1..=groups).contains(&one) => {
                            output.push_str(group(one));
                            1
                        }
                        _ => {
                            output.push('$');
                            0
                        }
                    }
                }
                Some('<') if self.named_groups => match after.find('>') {
                    Some(end) => {
                        let name = &after[1..end];
                        output.push_str(captures.name(name).map_or("", |found| found.as_str()));
                        end + 1
                    }
                    None => {
                        output.push('$');
                        0
                    }
                },
                _ => {
                    output.push('$');
                    0
                }
            };
            rest = &after[consumed..];
        }
        output.push_str(rest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_first_match_as_javascript_does() {
        // (source, case insensitive, text, replacement, result); checked with node.
        let cases = [
            ("^order", true, "OrderId", "so_", Some("so_Id")),
            ("^order", false, "OrderId", "so_", None),
            ("a", false, "banana", "o", Some("bonana")),
            ("(a)(n)", false, "banana", "$2$1", Some("bnaana")),
            (
                "(a)",
                false,
                "banana",
                "[$&|$`|$'|$$|$0|$2|$10]",
                Some("b[a|b|nana|$|$0|$2|a0]nana"),
            ),
            (
                "(?<first>b)",
                false,
                "banana",
                "<$<first>$<none>>",
                Some("<b>anana"),
            ),
            ("b", false, "banana", "$<first>", Some("$<first>anana")),
            ("x*", false, "key", "_", Some("_key")),
        ];
        for (source, case_insensitive, text, replacement, expected) in cases {
            let regex = KeyRegex::new(source, case_insensitive).unwrap();
            assert_eq!(
                regex.replace(text, replacement).unwrap().as_deref(),
                expected,
                "{text}.replace(/{source}/, {replacement})"
            );
        }
    }

    #[test]
    fn an_invalid_regex_is_reported_with_its_source() {
        let error = KeyRegex::new("(", false).unwrap_err();
        assert!(
            error
                .message
                .starts_with("Invalid regular expression: /(/: "),
            "{}",
            error.message
        );
    }
}
