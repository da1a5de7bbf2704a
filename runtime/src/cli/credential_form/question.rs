//! One question of the form: how it is shown on stderr (title, help, default, numbered choices)
//! and how an answer becomes a value. Enter keeps the default, `@path` reads a file (`@@` starts
//! a value with a literal `@`), a number or a value picks a choice, and a multi-line field takes a
//! pasted PEM up to its `-----END ...-----` line. A refused answer is explained and asked again,
//! up to [`MAX_TRIES`] answers in all.

use std::path::Path;

use anyhow::bail;
use serde_json::Value;

use super::input::Input;
use crate::bounded_read;

/// How many answers one question takes before the form gives up.
const MAX_TRIES: usize = 5;

/// One choice of a question: the value stored and what the list shows.
pub struct Choice {
    /// The value stored when it is picked.
    pub value: Value,
    /// Its title in the numbered list.
    pub title: String,
    /// What it means, shown after the title.
    pub description: Option<String>,
}

/// One question and the rules for its answer.
#[derive(Default)]
pub struct Question {
    /// The field's title.
    pub title: String,
    /// The lines of help under the title (description, example).
    pub help: Vec<String>,
    /// The value Enter keeps.
    pub default: Option<Value>,
    /// The allowed values, shown as a numbered list; empty for free text.
    pub choices: Vec<Choice>,
    /// Whether an empty answer is refused (when there is no default).
    pub required: bool,
    /// Whether the answer is read masked and never shown.
    pub secret: bool,
    /// Whether a pasted multi-line PEM is read up to its `-----END` line.
    pub multiline: bool,
    /// Whether the answer is JSON (a number, a boolean, ...) rather than text.
    pub json: bool,
}

impl Question {
    /// Shows the question and reads answers until one is acceptable, [`MAX_TRIES`] at most;
    /// `None` leaves an optional field without a default out.
    pub fn ask(&self, input: &mut Input) -> anyhow::Result<Option<Value>> {
        self.show(input.masks_secrets());
        for _ in 0..MAX_TRIES {
            eprint!("> ");
            let mut answer = input.line(self.secret)?;
            if self.multiline && answer.trim_start().starts_with("-----BEGIN ") {
                answer = read_pem(answer, input, self.secret)?;
            }
            match self.interpret(&answer) {
                Ok(value) => return Ok(value),
                Err(reason) => eprintln!("  {reason}"),
            }
        }
        bail!(
            "{} was refused {MAX_TRIES} times; nothing was stored (hint: see the refusals above, or use --data <file>)",
            self.title
        )
    }

    fn show(&self, masked: bool) {
        eprintln!();
        eprintln!("{}{}", self.title, self.note());
        for line in &self.help {
            eprintln!("  {line}");
        }
        for (number, choice) in (1..).zip(&self.choices) {
            match &choice.description {
                Some(description) if description.trim_end_matches('.') != choice.title => {
                    eprintln!("  {number}) {} - {description}", choice.title);
                }
                _ => eprintln!("  {number}) {}", choice.title),
            }
        }
        if self.multiline {
            eprintln!(
                "  paste it (up to its -----END ...----- line) or enter @path to read a file"
            );
        }
        if self.secret && masked {
            eprintln!("  (typing is masked)");
        }
    }

    /// ` [default: X]`, ` (required)` or ` (optional)`.
    fn note(&self) -> String {
        match &self.default {
            Some(default) if default.as_str() != Some("") => {
                format!(" [default: {}]", self.shown(default))
            }
            _ if self.required => " (required)".to_owned(),
            _ => " (optional)".to_owned(),
        }
    }

    /// How a value is shown: a choice by number and title, a secret not at all.
    fn shown(&self, value: &Value) -> String {
        if self.secret {
            return "hidden".to_owned();
        }
        if let Some((number, choice)) = (1..).zip(&self.choices).find(|(_, c)| &c.value == value) {
            return format!("{number}) {}", choice.title);
        }
        value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned)
    }

    /// The value of one answer, or why it is refused.
    fn interpret(&self, answer: &str) -> Result<Option<Value>, String> {
        if answer.trim().is_empty() {
            return match &self.default {
                Some(default) => Ok(Some(default.clone())),
                None if self.required => Err(format!("{} is required: enter a value", self.title)),
                None => Ok(None),
            };
        }
        let text = match answer.strip_prefix('@') {
            Some(literal) if literal.starts_with('@') => literal.to_owned(),
            Some(path) => read_file(path.trim())?,
            None => answer.to_owned(),
        };
        if !self.choices.is_empty() {
            return self.choose(&text).map(Some);
        }
        if self.json {
            return serde_json::from_str(&text).map(Some).map_err(|_| {
                format!("{} takes a JSON value (a number or true/false)", self.title)
            });
        }
        Ok(Some(Value::String(text)))
    }

    /// The choice picked by its number or its value.
    fn choose(&self, text: &str) -> Result<Value, String> {
        let text = text.trim();
        let by_number = text
            .parse::<usize>()
            .ok()
            .and_then(|number| number.checked_sub(1))
            .and_then(|index| self.choices.get(index));
        let by_value = || {
            self.choices
                .iter()
                .find(|choice| choice.value.as_str() == Some(text))
        };
        by_number
            .or_else(by_value)
            .map(|choice| choice.value.clone())
            .ok_or_else(|| {
                format!(
                    "{} is one of the listed choices: enter a number from 1 to {}",
                    self.title,
                    self.choices.len()
                )
            })
    }
}

/// A pasted PEM: `first` and the lines after it up to the `-----END ...-----` line, joined by
/// newlines.
fn read_pem(first: String, input: &mut Input, secret: bool) -> anyhow::Result<String> {
    let mut lines = vec![first];
    while !lines.last().is_some_and(|line| is_pem_end(line)) {
        lines.push(input.line(secret)?);
    }
    Ok(lines.join("\n"))
}

fn is_pem_end(line: &str) -> bool {
    let line = line.trim();
    line.starts_with("-----END ") && line.ends_with("-----")
}

/// The content of the file at `path`, without its final line break.
fn read_file(path: &str) -> Result<String, String> {
    bounded_read::file_text(Path::new(path), bounded_read::MAX_ANSWER_FILE)
        .map(|content| content.trim_end_matches(['\n', '\r']).to_owned())
        .map_err(|error| format!("cannot read {path}: {error}"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn environment() -> Question {
        Question {
            title: "Environment".to_owned(),
            default: Some(json!("production")),
            choices: ["production", "sandbox"]
                .into_iter()
                .map(|value| Choice {
                    value: json!(value),
                    title: value.to_uppercase(),
                    description: None,
                })
                .collect(),
            ..Question::default()
        }
    }

    #[test]
    fn a_choice_is_picked_by_number_or_value_and_enter_keeps_the_default() {
        let question = environment();
        assert_eq!(question.interpret("2"), Ok(Some(json!("sandbox"))));
        assert_eq!(question.interpret(" sandbox "), Ok(Some(json!("sandbox"))));
        assert_eq!(question.interpret(""), Ok(Some(json!("production"))));
        assert!(question.interpret("3").is_err());
        assert!(question.interpret("0").is_err());
        assert_eq!(question.note(), " [default: 1) PRODUCTION]");
    }

    #[test]
    fn empty_answers_fill_defaults_or_are_refused_when_required() {
        let required = Question {
            title: "Client ID".to_owned(),
            required: true,
            ..Question::default()
        };
        let optional = Question::default();
        assert_eq!(
            required.interpret("  "),
            Err("Client ID is required: enter a value".to_owned())
        );
        assert_eq!(optional.interpret(""), Ok(None));
        assert_eq!(required.note(), " (required)");
        assert_eq!(optional.note(), " (optional)");
    }

    #[test]
    fn at_reads_a_file_and_double_at_is_literal() {
        let question = Question::default();
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), "line 1\nline 2\n").unwrap();
        let path = file.path().to_str().unwrap();
        assert_eq!(
            question.interpret(&format!("@{path}")),
            Ok(Some(json!("line 1\nline 2")))
        );
        assert_eq!(question.interpret("@@me"), Ok(Some(json!("@me"))));
        assert!(question.interpret("@/no/such/file").is_err());
    }

    #[test]
    fn json_fields_parse_their_answer_and_secrets_never_show_a_value() {
        let number = Question {
            json: true,
            ..Question::default()
        };
        assert_eq!(number.interpret("42"), Ok(Some(json!(42))));
        assert!(number.interpret("forty").is_err());
        let secret = Question {
            secret: true,
            default: Some(json!("s3cret")),
            ..Question::default()
        };
        assert_eq!(secret.note(), " [default: hidden]");
    }

    #[test]
    fn a_pem_ends_at_its_end_line() {
        assert!(is_pem_end("-----END PRIVATE KEY-----"));
        assert!(is_pem_end("  -----END RSA PRIVATE KEY----- "));
        assert!(!is_pem_end("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"));
    }
}
