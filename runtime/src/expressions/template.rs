//! n8n templates: a parameter value `=…` is text with `{{ code }}` parts. The closing `}}` is the
//! first one outside strings and outside braces opened in the code, so `{{ { "a": { "b": 1 } } }}`
//! is one part.

/// One part of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part<'t> {
    /// Text taken as is.
    Text(&'t str),
    /// JavaScript between `{{` and `}}`, trimmed.
    Code(&'t str),
}

/// The parts of `template` (the value without its leading `=`). An unclosed `{{` is text.
pub fn parse(template: &str) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let code_start = open + 2;
        let Some(close) = closing(&rest[code_start..]) else {
            break;
        };
        if open > 0 {
            parts.push(Part::Text(&rest[..open]));
        }
        parts.push(Part::Code(rest[code_start..code_start + close].trim()));
        rest = &rest[code_start + close + 2..];
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest));
    }
    parts
}

/// The offset of the `}}` that ends the code at the start of `code`.
fn closing(code: &str) -> Option<usize> {
    let bytes = code.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        match quote {
            Some(_) if byte == b'\\' => index += 1,
            Some(open) if byte == open => quote = None,
            Some(_) => {}
            None => match byte {
                b'"' | b'\'' | b'`' => quote = Some(byte),
                b'}' if depth == 0 && bytes.get(index + 1) == Some(&b'}') => return Some(index),
                b'{' => depth += 1,
                b'}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        index += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_split_into_text_and_code() {
        assert_eq!(
            parse("Follow-up for {{ $json.FirstName }} {{ $json.LastName }}"),
            [
                Part::Text("Follow-up for "),
                Part::Code("$json.FirstName"),
                Part::Text(" "),
                Part::Code("$json.LastName"),
            ]
        );
        assert_eq!(parse("abc"), [Part::Text("abc")]);
        assert_eq!(parse("{{ 1 "), [Part::Text("{{ 1 ")]);
    }

    #[test]
    fn braces_and_strings_inside_code_do_not_close_it() {
        assert_eq!(
            parse(r#"{{ { "a": { "b": "}}" } } }}!"#),
            [Part::Code(r#"{ "a": { "b": "}}" } }"#), Part::Text("!")]
        );
    }
}
