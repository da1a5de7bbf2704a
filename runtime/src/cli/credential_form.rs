//! `weft credentials add` without `--data`: an interactive form built from the credential type's
//! JSON Schema, with no per-type code.
//!
//! The protocol, prompts on stderr and one answer per line on stdin:
//! - the type (a numbered choice) when `--type` is missing, then the name when `--name` is missing;
//! - one question per visible property in schema order (`x-hidden` ones skipped): the title with
//!   `[default: X]`, `(required)` or `(optional)`, the description (and an example) as help, and
//!   for `oneOf`/`enum` fields a numbered list; the answer line starts with `> `. Enter keeps the
//!   default; a choice is picked by number or value; `@path` reads a file (`@@` for a literal `@`);
//!   an `x-multiline` field also takes a pasted PEM up to its `-----END ...-----` line. An empty
//!   required field is refused with the reason and asked again;
//! - secrets (`writeOnly`/`x-secret`) are masked when stdin is a terminal and never shown;
//! - an `if`/`then` field is asked right after the fields its `if` looks at, only while the `if`
//!   holds for the answers so far;
//! - then the data is validated as `weft credentials validate` does. Each problem is printed with
//!   its field and hint and only the fields in error are asked again (plus conditional fields that
//!   a new answer shows; those it hides are dropped), for at most [`CORRECTION_ROUNDS`] rounds,
//!   after which nothing is stored (exit 1). A valid credential is stored as `add --data` stores
//!   it, and its id printed on stdout.
//!
//! From a pipe, answers are plain lines; input that ends early stores nothing (exit 2).

mod fields;
mod input;
mod question;

use std::collections::HashSet;
use std::process::ExitCode;

use anyhow::Context;
use serde_json::{Map, Value, json};
use weft_credentials::{CredentialType, FieldError, Registry};

use self::fields::Field;
use self::input::Input;
use self::question::{Choice, Question};
use super::credential_store::insert;
use crate::store::{NewCredential, Store};

/// How many times the fields in error are asked again before the form gives up.
const CORRECTION_ROUNDS: usize = 3;

/// `weft credentials add` without `--data`: asks for the type (unless given), the name (unless
/// given) and the type's fields, then validates and stores the credential.
pub fn add(
    type_name: Option<&str>,
    name: Option<&str>,
    id: Option<String>,
) -> anyhow::Result<ExitCode> {
    // Opened first, so a wrong key is reported before anything is typed.
    let store = Store::open_default()?;
    let registry = Registry::global()?;
    let mut input = Input::stdin();
    let credential_type = match type_name {
        Some(type_name) => match registry.require(type_name) {
            Ok(credential_type) => credential_type,
            Err(problem) => {
                eprintln!("weft: {problem}");
                return Ok(ExitCode::from(1));
            }
        },
        None => ask_type(registry, &mut input)?,
    };
    let name = match name {
        Some(name) => name.to_owned(),
        None => ask_name(&mut input)?,
    };
    eprintln!("\n{} \"{name}\"", credential_type.display_name);
    let Some(data) = fill_in(credential_type, &mut input)? else {
        return Ok(ExitCode::from(1));
    };
    insert(
        store,
        NewCredential {
            id,
            name,
            type_name: credential_type.name.to_owned(),
            data,
        },
    )
}

/// The type, picked from the registered ones.
fn ask_type(registry: &Registry, input: &mut Input) -> anyhow::Result<&'static CredentialType> {
    let question = Question {
        title: "Credential type".to_owned(),
        choices: registry
            .types()
            .map(|t| Choice {
                value: json!(t.name),
                title: t.name.to_owned(),
                description: Some(t.display_name.to_owned()),
            })
            .collect(),
        required: true,
        ..Question::default()
    };
    let answer = question.ask(input)?;
    let name = answer.as_ref().and_then(Value::as_str).unwrap_or_default();
    registry
        .get(name)
        .context("the chosen credential type is not registered")
}

fn ask_name(input: &mut Input) -> anyhow::Result<String> {
    let question = Question {
        title: "Name".to_owned(),
        help: vec!["how `weft credentials list` shows it and workflows may name it".to_owned()],
        required: true,
        ..Question::default()
    };
    let answer = question.ask(input)?;
    Ok(answer
        .as_ref()
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned())
}

/// The credential's data, asked field by field and corrected until it is valid; `None` when it
/// is still invalid after [`CORRECTION_ROUNDS`] rounds or a problem is on no field of the form.
fn fill_in(credential_type: &CredentialType, input: &mut Input) -> anyhow::Result<Option<Value>> {
    let schema = (credential_type.schema)();
    let fields = fields::fields(schema.as_value())?;
    let mut answers = Map::new();
    let mut asked = HashSet::new();
    let mut wrong = HashSet::new();
    for round in 0..=CORRECTION_ROUNDS {
        ask(&fields, &wrong, &mut answers, &mut asked, input)?;
        let data = Value::Object(answers.clone());
        let Err(problems) = weft_credentials::validate(credential_type, &data) else {
            return Ok(Some(data));
        };
        eprintln!();
        for problem in &problems {
            print_problem(&fields, problem);
        }
        let on_fields: Option<Vec<&Field>> = problems
            .iter()
            .map(|problem| field_of(&fields, problem))
            .collect();
        let Some(on_fields) = on_fields else {
            eprintln!("weft: a problem is on no field of the form; nothing was stored");
            return Ok(None);
        };
        wrong = on_fields.iter().map(|field| field.key.as_str()).collect();
        if round < CORRECTION_ROUNDS {
            eprintln!("weft: please correct the fields above");
        }
    }
    eprintln!(
        "weft: the credential is still invalid after {CORRECTION_ROUNDS} corrections; nothing was stored"
    );
    Ok(None)
}

/// Asks, in order, each shown field not asked yet or in `wrong`, and drops the answers of
/// conditional fields that the answers so far hide.
fn ask(
    fields: &[Field],
    wrong: &HashSet<&str>,
    answers: &mut Map<String, Value>,
    asked: &mut HashSet<String>,
    input: &mut Input,
) -> anyhow::Result<()> {
    for field in fields {
        if !field.shown(answers) {
            answers.remove(&field.key);
            asked.remove(&field.key);
        } else if wrong.contains(field.key.as_str()) || !asked.contains(&field.key) {
            match field.question.ask(input)? {
                Some(value) => answers.insert(field.key.clone(), value),
                None => answers.remove(&field.key),
            };
            asked.insert(field.key.clone());
        }
    }
    Ok(())
}

/// The field a problem is about: the first segment of its path.
fn field_of<'a>(fields: &'a [Field], problem: &FieldError) -> Option<&'a Field> {
    let key = problem.path.split('.').next().unwrap_or_default();
    fields.iter().find(|field| field.key == key)
}

/// `<title> (<path>): <message>` and the hint; messages never contain values.
fn print_problem(fields: &[Field], problem: &FieldError) {
    let path = if problem.path.is_empty() {
        "(data)"
    } else {
        &problem.path
    };
    match field_of(fields, problem) {
        Some(field) => eprintln!("{} ({path}): {}", field.question.title, problem.message),
        None => eprintln!("{path}: {}", problem.message),
    }
    eprintln!("  hint: {}", problem.hint);
}
