//! Text from stored data (credential names, ids) made safe to print on a terminal: control
//! characters and the Unicode controls that reorder text are escaped (`\n`, `\u{1b}`, `\u{202e}`),
//! so a name can neither forge an output line nor send terminal escape sequences. Everything else,
//! other scripts included, prints as it is.

use std::borrow::Cow;

/// `text` with every character that could change how a terminal shows the output escaped.
pub fn escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if needs_escape(c) {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// C0 and C1 controls, DEL, and the bidirectional embedding, override and isolate controls.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::escaped;

    #[test]
    fn controls_are_escaped_and_other_text_is_kept() {
        let cases = [
            ("Production API", "Production API"),
            ("Zürich 東京", "Zürich 東京"),
            ("a\nimported x y \"z\"", "a\\nimported x y \"z\""),
            ("\u{1b}[2Jgone", "\\u{1b}[2Jgone"),
            ("tab\there\r", "tab\\there\\r"),
            ("\u{202e}txt.exe", "\\u{202e}txt.exe"),
            ("\u{85}next line", "\\u{85}next line"),
        ];
        for (name, shown) in cases {
            assert_eq!(escaped(name), shown, "{name:?}");
        }
    }
}
