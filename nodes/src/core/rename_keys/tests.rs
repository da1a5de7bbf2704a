//! Rename Keys against n8n's own node: `n8n_cases.json` holds what n8n 2.41.1's Rename Keys
//! made of one item (its key order included) for plain renames, regex replacements at each
//! depth, clashing renames and failures.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::*;

#[derive(Deserialize)]
struct Case {
    name: String,
    input: Map<String, Value>,
    keys: Vec<KeyRename>,
    replacements: Vec<Replacement>,
    output: Map<String, Value>,
}

#[test]
fn renames_as_n8n_does() {
    let cases: Vec<Case> = serde_json::from_str(include_str!("n8n_cases.json")).unwrap();
    for case in cases {
        let result = renamed(
            &case.input,
            &case.keys,
            &case.replacements,
            &mut Patterns::default(),
        );
        match (case.output.get("error"), result) {
            (Some(Value::String(message)), Err(error)) => {
                // The regex engine words a syntax error its own way after the source.
                let expected = message.split(": Unterminated").next().unwrap();
                assert!(
                    error.message.starts_with(expected),
                    "{}: {}",
                    case.name,
                    error.message
                );
            }
            (None, Ok(output)) => assert_eq!(
                serde_json::to_string(&output).unwrap(),
                serde_json::to_string(&case.output).unwrap(),
                "{}",
                case.name
            ),
            (_, result) => panic!("{}: got {result:?}", case.name),
        }
    }
}

#[test]
fn a_pattern_is_compiled_once_and_the_cache_stays_bounded() {
    let mut patterns = Patterns::default();
    for _ in 0..3 {
        patterns.compiled("^a(.)", false).unwrap();
    }
    patterns.compiled("^a(.)", true).unwrap();
    assert_eq!(patterns.0.len(), 2, "one entry per pattern and flag");
    for n in 0..200 {
        patterns.compiled(&format!("k{n}"), false).unwrap();
        assert!(patterns.0.len() <= Patterns::MOST);
    }
    assert!(
        patterns.compiled("(", false).is_err(),
        "a bad pattern is still refused"
    );
}
