//! `Problem`: a failed action told as weft tells every problem, a message and a hint, so the
//! command line and `weft serve` show the same words.

use std::fmt;

/// What went wrong and what to change. Neither part ever holds a secret.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// What happened, naming the credential and what the server said.
    pub message: String,
    /// What to change.
    pub hint: String,
}

impl Problem {
    /// A problem from its two parts.
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// A problem from an error whose text ends in weft's `(hint: ...)`, as [`AuthError`] and the
    /// token errors do; without one, `fallback_hint` is the hint.
    ///
    /// [`AuthError`]: crate::auth::AuthError
    pub fn from_error(error: &dyn fmt::Display, fallback_hint: &str) -> Self {
        let text = error.to_string();
        match text.rsplit_once(" (hint: ") {
            Some((message, hint)) if hint.ends_with(')') => {
                Self::new(message, &hint[..hint.len() - 1])
            }
            _ => Self::new(text, fallback_hint),
        }
    }
}

/// `<message>\n  hint: <hint>`, the command line's format.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n  hint: {}", self.message, self.hint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_trailing_hint_off_an_error() {
        let problem = Problem::from_error(&"credential \"a\": refused (hint: fix (it))", "other");
        assert_eq!(
            problem,
            Problem::new("credential \"a\": refused", "fix (it)")
        );
        let plain = Problem::from_error(&"cannot reach", "check the network");
        assert_eq!(plain, Problem::new("cannot reach", "check the network"));
    }
}
