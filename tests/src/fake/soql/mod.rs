//! The SOQL subset the fake answers: lexing, parsing, resolution against the schema (with
//! Salesforce's literal type checks), relative date literals, and evaluation over the store.

pub mod compile;
mod dates;
pub mod eval;
mod lexer;
pub mod parser;

use super::error::ApiError;

/// A SOQL error before it is laid out in Salesforce's message format.
#[derive(Clone, Debug, PartialEq)]
pub struct SoqlError {
    pub code: &'static str,
    pub text: String,
    /// 1-based column the caret points at.
    pub col: usize,
}

impl SoqlError {
    pub fn new(code: &'static str, text: String, col: usize) -> Self {
        SoqlError { code, text, col }
    }

    pub fn malformed(text: String, col: usize) -> Self {
        Self::new("MALFORMED_QUERY", text, col)
    }

    /// The REST error: the query, a caret line, `ERROR at Row:1:Column:N` and the text.
    pub fn into_api(self, query: &str) -> ApiError {
        let line = query.lines().next().unwrap_or_default();
        let caret = " ".repeat(self.col.saturating_sub(1));
        ApiError::bad(
            self.code,
            format!(
                "\n{line}\n{caret}^\nERROR at Row:1:Column:{}\n{}",
                self.col, self.text
            ),
        )
    }
}
