//! SOQL tokens. Identifiers keep their dots (`Account.Owner.Name` is one token); every token
//! remembers its 1-based column for Salesforce's `ERROR at Row:1:Column:N` messages.

use super::SoqlError;

/// A token kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Ident(String),
    Str(String),
    Num(String),
    Date(String),
    DateTime(String),
    Op(&'static str),
    Comma,
    LParen,
    RParen,
    Colon,
    Eof,
}

/// A token and its column.
#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub col: usize,
}

impl Token {
    /// The token as Salesforce quotes it in "unexpected token" messages.
    pub fn text(&self) -> String {
        match &self.tok {
            Tok::Ident(s) | Tok::Num(s) | Tok::Date(s) | Tok::DateTime(s) => s.clone(),
            Tok::Str(s) => format!("'{s}'"),
            Tok::Op(op) => (*op).to_string(),
            Tok::Comma => ",".into(),
            Tok::LParen => "(".into(),
            Tok::RParen => ")".into(),
            Tok::Colon => ":".into(),
            Tok::Eof => "<EOF>".into(),
        }
    }

    /// Whether this is the (case-insensitive) keyword `word`.
    pub fn is(&self, word: &str) -> bool {
        matches!(&self.tok, Tok::Ident(s) if s.eq_ignore_ascii_case(word))
    }
}

/// Splits a query into tokens, ending with [`Tok::Eof`].
pub fn tokenize(query: &str) -> Result<Vec<Token>, SoqlError> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        let single = |tok| Token { tok, col };
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let (tok, len) = match c {
            ',' => (Tok::Comma, 1),
            '(' => (Tok::LParen, 1),
            ')' => (Tok::RParen, 1),
            ':' => (Tok::Colon, 1),
            '=' => (Tok::Op("="), 1),
            '!' if chars.get(i + 1) == Some(&'=') => (Tok::Op("!="), 2),
            '<' if chars.get(i + 1) == Some(&'>') => (Tok::Op("<>"), 2),
            '<' if chars.get(i + 1) == Some(&'=') => (Tok::Op("<="), 2),
            '>' if chars.get(i + 1) == Some(&'=') => (Tok::Op(">="), 2),
            '<' => (Tok::Op("<"), 1),
            '>' => (Tok::Op(">"), 1),
            '\'' => {
                let (text, len) = string(&chars[i..], col)?;
                (Tok::Str(text), len)
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                number_or_date(&chars[i..])
            }
            c if c.is_alphabetic() || c == '_' => {
                let len = chars[i..]
                    .iter()
                    .take_while(|c| c.is_alphanumeric() || **c == '_' || **c == '.')
                    .count();
                (Tok::Ident(chars[i..i + len].iter().collect()), len)
            }
            other => {
                return Err(SoqlError::malformed(
                    format!("unexpected token: '{other}'"),
                    col,
                ));
            }
        };
        out.push(single(tok));
        i += len;
    }
    out.push(Token {
        tok: Tok::Eof,
        col: chars.len() + 1,
    });
    Ok(out)
}

fn string(chars: &[char], col: usize) -> Result<(String, usize), SoqlError> {
    let mut text = String::new();
    let mut i = 1;
    while let Some(&c) = chars.get(i) {
        match c {
            '\'' => return Ok((text, i + 1)),
            '\\' => {
                let next = *chars.get(i + 1).ok_or_else(|| unterminated(col))?;
                match next {
                    'n' => text.push('\n'),
                    't' => text.push('\t'),
                    'r' => text.push('\r'),
                    'b' => text.push('\u{8}'),
                    'f' => text.push('\u{c}'),
                    '\'' | '"' | '\\' => text.push(next),
                    // LIKE keeps `\%` and `\_` escaped for its own matching.
                    '%' | '_' => {
                        text.push('\\');
                        text.push(next);
                    }
                    _ => {
                        return Err(SoqlError::malformed(
                            "Invalid string literal. Illegal character sequence".to_string(),
                            col + i,
                        ));
                    }
                }
                i += 2;
            }
            _ => {
                text.push(c);
                i += 1;
            }
        }
    }
    Err(unterminated(col))
}

fn unterminated(col: usize) -> SoqlError {
    SoqlError::malformed(
        "unexpected token: <EOF>: unterminated string".to_string(),
        col,
    )
}

fn number_or_date(chars: &[char]) -> (Tok, usize) {
    let is_date = chars.len() >= 10
        && chars[..4].iter().all(char::is_ascii_digit)
        && chars[4] == '-'
        && chars[5..7].iter().all(char::is_ascii_digit)
        && chars[7] == '-';
    if is_date {
        let len = chars
            .iter()
            .take_while(|c| {
                c.is_ascii_digit() || matches!(c, '-' | ':' | '.' | '+' | 'T' | 'Z' | 't' | 'z')
            })
            .count();
        let text: String = chars[..len].iter().collect();
        let tok = if len > 10 {
            Tok::DateTime(text)
        } else {
            Tok::Date(text)
        };
        return (tok, len);
    }
    let len = 1 + chars[1..]
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == '.')
        .count();
    (Tok::Num(chars[..len].iter().collect()), len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_columns_and_kinds() {
        let toks = tokenize("SELECT Id FROM Account WHERE CreatedDate > 2024-01-01T00:00:00Z AND Name != 'O\\'Brien'").unwrap();
        let kinds: Vec<Tok> = toks.iter().map(|t| t.tok.clone()).collect();
        assert_eq!(kinds[6], Tok::Op(">"));
        assert_eq!(kinds[7], Tok::DateTime("2024-01-01T00:00:00Z".into()));
        assert_eq!(kinds[11], Tok::Str("O'Brien".into()));
        assert_eq!(toks[3].col, 16);
        assert!(tokenize("SELECT 'open").is_err());
    }
}
