//! The native fast path: expressions that are plain property paths (`$json.name`,
//! `$json["a"].b[0]`, `$('Node').item.json.x`, `$node["Node"].json.x`, `$input.first().json.x`)
//! are answered without JavaScript. Anything else is left to the JavaScript engine.

use serde_json::Value;

use super::scope::{Query, Scope};

/// A parsed plain path: where it starts and the keys and indexes that follow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlainPath {
    root: Query,
    steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

impl PlainPath {
    /// The path in `code`, or `None` when `code` is anything else.
    pub fn parse(code: &str) -> Option<Self> {
        let mut cursor = Cursor(code.trim());
        let root = root(&mut cursor)?;
        let mut steps = Vec::new();
        while !cursor.0.is_empty() {
            steps.push(step(&mut cursor)?);
        }
        Some(Self { root, steps })
    }

    /// The value at the path: `Ok(None)` is JavaScript's `undefined`. `None` when the path
    /// reaches a value whose properties only JavaScript knows (`"abc".length`).
    pub fn evaluate(&self, scope: &Scope) -> Option<Result<Option<Value>, String>> {
        let mut value = match scope.query(&self.root) {
            Err(error) => return Some(Err(error)),
            Ok(None) => return Some(Ok(None)),
            Ok(Some(Value::Object(mut item))) if self.root != Query::Json => {
                item.remove("json").unwrap_or(Value::Null)
            }
            Ok(Some(value)) => value,
        };
        for (position, step) in self.steps.iter().enumerate() {
            let next = match (step, &mut value) {
                (Step::Key(key), Value::Object(map)) => map.remove(key),
                (Step::Index(index), Value::Array(list)) if *index < list.len() => {
                    Some(list.swap_remove(*index))
                }
                (Step::Index(_), Value::Array(_) | Value::Object(_)) => None,
                (step, Value::Null) => {
                    return Some(Err(format!(
                        "Cannot read properties of null (reading '{step}')"
                    )));
                }
                _ => return None,
            };
            match next {
                Some(next) => value = next,
                None if position + 1 == self.steps.len() => return Some(Ok(None)),
                None => {
                    let step = &self.steps[position + 1];
                    return Some(Err(format!(
                        "Cannot read properties of undefined (reading '{step}')"
                    )));
                }
            }
        }
        Some(Ok(Some(value)))
    }
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Step::Key(key) => f.write_str(key),
            Step::Index(index) => write!(f, "{index}"),
        }
    }
}

/// The start of a path, up to and including `.json`.
fn root(cursor: &mut Cursor<'_>) -> Option<Query> {
    if cursor.eat("$json") {
        return Some(Query::Json);
    }
    let query = if cursor.eat("$input") {
        if cursor.eat(".item") {
            Query::InputItem
        } else if cursor.eat(".first()") {
            Query::InputFirst
        } else if cursor.eat(".last()") {
            Query::InputLast
        } else {
            return None;
        }
    } else if cursor.eat("$(") {
        let node = cursor.string()?;
        cursor.expect(")")?;
        if cursor.eat(".item") {
            Query::NodeItem(node)
        } else if cursor.eat(".first()") {
            Query::NodeFirst(node)
        } else if cursor.eat(".last()") {
            Query::NodeLast(node)
        } else {
            return None;
        }
    } else if cursor.eat("$node[") {
        let node = cursor.string()?;
        cursor.expect("]")?;
        Query::NodeAt(node)
    } else {
        return None;
    };
    cursor.expect(".json")?;
    Some(query)
}

fn step(cursor: &mut Cursor<'_>) -> Option<Step> {
    if cursor.eat(".") {
        let name = cursor.identifier()?;
        return Some(Step::Key(name.to_owned()));
    }
    cursor.expect("[")?;
    let step = match cursor.string() {
        Some(key) => Step::Key(key),
        None => Step::Index(cursor.integer()?),
    };
    cursor.expect("]")?;
    Some(step)
}

/// A tiny scanner over the rest of the code.
struct Cursor<'c>(&'c str);

impl<'c> Cursor<'c> {
    fn eat(&mut self, token: &str) -> bool {
        match self.0.strip_prefix(token) {
            Some(rest) => {
                self.0 = rest;
                true
            }
            None => false,
        }
    }

    fn expect(&mut self, token: &str) -> Option<()> {
        self.eat(token).then_some(())
    }

    /// A JavaScript identifier.
    fn identifier(&mut self) -> Option<&'c str> {
        let end = self
            .0
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
            .unwrap_or(self.0.len());
        let (name, rest) = self.0.split_at(end);
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        self.0 = rest;
        Some(name)
    }

    fn integer(&mut self) -> Option<usize> {
        let end = self
            .0
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(self.0.len());
        let value = self.0[..end].parse().ok()?;
        self.0 = &self.0[end..];
        Some(value)
    }

    /// A quoted string without escapes (anything fancier goes to JavaScript).
    fn string(&mut self) -> Option<String> {
        let quote = self.0.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let body = &self.0[1..];
        let end = body.find(quote)?;
        let text = &body[..end];
        if text.contains('\\') {
            return None;
        }
        self.0 = &body[end + 1..];
        Some(text.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use serde_json::json;
    use weft_nodes::Item;

    use crate::expressions::scope::RunLog;

    fn scope() -> Scope {
        let json = json!({ "name": "Ada", "a": { "b": [10, 20] }, "n": null });
        let item = Item::new(json.as_object().unwrap().clone(), 0);
        Scope {
            input: Arc::new(vec![item]),
            item_index: 0,
            source: None,
            run_index: 0,
            log: Arc::new(RunLog::default()),
        }
    }

    fn eval(code: &str) -> Result<Option<Value>, String> {
        let path = PlainPath::parse(code).expect("a plain path");
        path.evaluate(&scope()).expect("answered natively")
    }

    #[test]
    fn plain_paths_are_answered_natively() {
        assert_eq!(eval("$json.name"), Ok(Some(json!("Ada"))));
        assert_eq!(eval(r#" $json["a"].b[1] "#), Ok(Some(json!(20))));
        assert_eq!(
            eval("$input.item.json['a']"),
            Ok(Some(json!({ "b": [10, 20] })))
        );
        assert_eq!(eval("$json.missing"), Ok(None));
        assert_eq!(
            eval("$json.missing.deeper"),
            Err("Cannot read properties of undefined (reading 'deeper')".into())
        );
        assert_eq!(
            eval("$json.n.x"),
            Err("Cannot read properties of null (reading 'x')".into())
        );
        let length = PlainPath::parse("$json.name.length").unwrap();
        assert_eq!(
            length.evaluate(&scope()),
            None,
            "string properties are JavaScript's"
        );
    }

    #[test]
    fn anything_else_goes_to_javascript() {
        for code in [
            "$json.name.toUpperCase()",
            "$json.a + 1",
            "$('x').all()",
            "$json[\"a\\\"b\"]",
            "1",
            "$json.0",
        ] {
            assert_eq!(PlainPath::parse(code), None, "{code}");
        }
        assert!(PlainPath::parse("$('HTTP Request').item.json.Email").is_some());
        assert!(PlainPath::parse("$node[\"HTTP Request\"].json.Email").is_some());
    }
}
