//! n8n expressions: parameter values starting with `=` are templates whose `{{ }}` parts are
//! JavaScript. Plain property paths take a native fast path; the rest runs in a sandboxed
//! QuickJS, created on first need. A template that is exactly one `{{ }}` yields the raw value,
//! anything else yields text.

mod code;
mod js;
mod library;
mod path;
mod scope;
mod shared_lists;
mod syntax;
mod template;

use std::sync::OnceLock;
use std::time::Duration;

use serde_json::{Map, Value};

pub use code::CodeSandbox;
pub use js::RunFacts;
pub use scope::{RunLog, Scope, Source};
pub use syntax::{SyntaxCheck, code_parts};

use js::{JsEngine, Want};
use path::PlainPath;
use template::Part;

/// The expression evaluator of one run.
pub struct Expressions {
    facts: RunFacts,
    timeout: Duration,
    engine: OnceLock<Result<JsEngine, String>>,
    /// Made when an expression first fails, to tell a syntax error from a failure as it ran.
    syntax: OnceLock<Result<SyntaxCheck, String>>,
}

/// A failed expression: which one and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{expression}: {message}")]
pub struct ExpressionError {
    /// The expression as written (with its leading `=`).
    pub expression: String,
    /// What went wrong, e.g. `ReferenceError: foo is not defined`.
    pub message: String,
    /// Whether the JavaScript did not compile (n8n's "invalid syntax") or failed as it ran.
    pub failure: Failure,
}

/// How an expression failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// A `{{ }}` part is not valid JavaScript; n8n reports "invalid syntax".
    Syntax,
    /// The JavaScript threw (or ran out of time or memory).
    Evaluation,
}

impl Expressions {
    /// An evaluator whose JavaScript evaluations may each run for `timeout`.
    pub fn new(facts: RunFacts, timeout: Duration) -> Self {
        Self {
            facts,
            timeout,
            engine: OnceLock::new(),
            syntax: OnceLock::new(),
        }
    }

    /// The facts of the run (`$workflow`, `$execution`, its zone).
    pub fn facts(&self) -> &RunFacts {
        &self.facts
    }

    /// How long one JavaScript evaluation may run.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The sandbox for the user code of node `node`'s run over `scope`, which may run for
    /// `timeout` in all.
    pub fn code_sandbox(&self, scope: Scope, node: &str, timeout: Duration) -> CodeSandbox {
        CodeSandbox::new(self.facts.clone(), timeout, scope, node)
    }

    /// `value` with every expression in it evaluated for `scope` (objects and arrays are walked).
    pub fn resolve(&self, value: &Value, scope: &Scope) -> Result<Value, ExpressionError> {
        self.resolve_with(value, scope, &Map::new())
    }

    /// [`Expressions::resolve`] with `extra` as further globals of the JavaScript (n8n's
    /// "additional keys", e.g. HTTP Request's `$response` and `$pageCount` while it paginates).
    pub fn resolve_with(
        &self,
        value: &Value,
        scope: &Scope,
        extra: &Map<String, Value>,
    ) -> Result<Value, ExpressionError> {
        match value {
            Value::String(text) => match text.strip_prefix('=') {
                Some(template) => self.template(text, template, scope, extra),
                None => Ok(value.clone()),
            },
            Value::Array(values) => values
                .iter()
                .map(|value| self.resolve_with(value, scope, extra))
                .collect(),
            Value::Object(entries) => entries
                .iter()
                .map(|(key, value)| Ok((key.clone(), self.resolve_with(value, scope, extra)?)))
                .collect::<Result<Map<_, _>, _>>()
                .map(Value::Object),
            other => Ok(other.clone()),
        }
    }

    /// The error of the expression `written` whose part `code` failed with `message`: a syntax
    /// error when `code` does not compile (checked only once it failed, so the good path pays
    /// nothing).
    fn failed(&self, written: &str, code: &str, message: String) -> ExpressionError {
        let compiles = self
            .syntax
            .get_or_init(SyntaxCheck::new)
            .as_ref()
            .map_or(true, |check| check.error(code).is_none());
        ExpressionError {
            expression: written.to_owned(),
            message,
            failure: if compiles {
                Failure::Evaluation
            } else {
                Failure::Syntax
            },
        }
    }

    fn template(
        &self,
        written: &str,
        template: &str,
        scope: &Scope,
        extra: &Map<String, Value>,
    ) -> Result<Value, ExpressionError> {
        let parts = template::parse(template);
        if let [Part::Code(code)] = parts.as_slice() {
            let value = self
                .code(code, scope, extra, Want::Value)
                .map_err(|message| self.failed(written, code, message))?;
            return Ok(value.unwrap_or(Value::Null));
        }
        let mut text = String::new();
        for part in parts {
            match part {
                Part::Text(literal) => text.push_str(literal),
                Part::Code(code) => match self
                    .code(code, scope, extra, Want::Text)
                    .map_err(|message| self.failed(written, code, message))?
                {
                    Some(Value::String(piece)) => text.push_str(&piece),
                    Some(other) => text.push_str(&other.to_string()),
                    None => {}
                },
            }
        }
        Ok(Value::String(text))
    }

    /// One `{{ }}` part: natively when it is a plain path (and no extra global could shadow
    /// one of its roots), else in JavaScript.
    fn code(
        &self,
        code: &str,
        scope: &Scope,
        extra: &Map<String, Value>,
        want: Want,
    ) -> Result<Option<Value>, String> {
        let native = || PlainPath::parse(code).and_then(|path| path.evaluate(scope));
        if let Some(answer) = extra.is_empty().then(native).flatten() {
            return answer.map(|value| match (want, value) {
                (Want::Text, Some(value)) => Some(Value::String(text_of(&value))),
                (_, value) => value,
            });
        }
        let engine = self
            .engine
            .get_or_init(|| JsEngine::new(&self.facts, self.timeout))
            .as_ref()
            .map_err(|error| format!("the JavaScript engine could not start: {error}"))?;
        engine.evaluate(&library::rewrite_conditionals(code), scope, extra, want)
    }
}

/// A value as JavaScript's template text shows it: `null` → `""`, numbers as JavaScript prints
/// them, objects and arrays as JSON.
fn text_of(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Number(number) => match number.as_f64() {
            Some(float)
                if !number.is_i64()
                    && !number.is_u64()
                    && float.fract() == 0.0
                    && float.abs() < 1e21 =>
            {
                format!("{float:.0}")
            }
            _ => number.to_string(),
        },
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use serde_json::json;
    use weft_nodes::Item;

    fn expressions(timeout_ms: u64) -> Expressions {
        let facts = RunFacts {
            workflow: json!({ "id": "wf1", "name": "Test", "active": false }),
            execution: json!({ "id": "1", "mode": "cli" }),
            zone: chrono_tz::Tz::UTC,
        };
        Expressions::new(facts, Duration::from_millis(timeout_ms))
    }

    fn scope() -> Scope {
        let json = json!({ "name": "Ada", "n": 2, "tags": ["a", "b"], "x": 1.0 });
        let items = vec![
            Item::new(json.as_object().unwrap().clone(), 0),
            Item::default(),
        ];
        Scope {
            input: Arc::new(items),
            item_index: 0,
            source: None,
            run_index: 0,
            log: Arc::new(RunLog::default()),
        }
    }

    fn eval(text: &str) -> Result<Value, ExpressionError> {
        expressions(2000).resolve(&json!(text), &scope())
    }

    #[test]
    fn one_part_yields_the_raw_value_and_several_yield_text() {
        assert_eq!(eval("={{ $json.n }}").unwrap(), json!(2));
        assert_eq!(eval("={{ $json.tags }}").unwrap(), json!(["a", "b"]));
        assert_eq!(
            eval("=n={{ $json.n }}, x={{ $json.x }} {{ $json.tags }}{{ $json.none }}").unwrap(),
            json!("n=2, x=1 [\"a\",\"b\"]")
        );
        assert_eq!(eval("=abc").unwrap(), json!("abc"));
        assert_eq!(
            eval("plain {{ $json.n }}").unwrap(),
            json!("plain {{ $json.n }}")
        );
    }

    #[test]
    fn all_converts_a_list_once_and_shares_it_copy_on_write() {
        let engine = expressions(2000);
        let first = scope();
        let same_input_other_item = Scope {
            item_index: 1,
            ..first.clone()
        };
        let keep = "={{ (globalThis.seen = $input.all()[0], $input.all().length) }}";
        assert_eq!(engine.resolve(&json!(keep), &first).unwrap(), json!(2));
        let shared = "={{ $input.all()[0] === globalThis.seen }}";
        assert_eq!(
            engine
                .resolve(&json!(shared), &same_input_other_item)
                .unwrap(),
            json!(true),
            "a later item of the same node run gets the items already converted"
        );
        let changed = "={{ ($input.all()[0].json.name = 'Eve') }}";
        let refused = engine.resolve(&json!(changed), &first).unwrap_err();
        assert_eq!(refused.message, "TypeError: 'name' is read-only");
        let sorted = "={{ $input.all().sort((a, b) => (a.json.n ?? 0) - (b.json.n ?? 0)).map(i => i.json.n ?? 0) }}";
        assert_eq!(
            engine.resolve(&json!(sorted), &first).unwrap(),
            json!([0, 2])
        );
        let pushed = "={{ (() => { const all = $input.all(); all.push(1); return [all.length, Array.isArray(all), JSON.stringify(all).length > 0]; })() }}";
        assert_eq!(
            engine.resolve(&json!(pushed), &first).unwrap(),
            json!([3, true, true])
        );
        let name =
            "={{ [$input.all().length, $input.all()[0].json.name, Object.keys($input.all())] }}";
        assert_eq!(
            engine
                .resolve(&json!(name), &same_input_other_item)
                .unwrap(),
            json!([2, "Ada", ["0", "1"]]),
            "changes to a call's array stay in that call"
        );
        let other_input = Scope {
            input: Arc::new(first.input.as_ref().clone()),
            ..first
        };
        assert_eq!(
            engine.resolve(&json!(shared), &other_input).unwrap(),
            json!(false),
            "other items are converted anew"
        );
    }

    #[test]
    fn an_item_whose_json_is_an_array_reads_as_that_array() {
        let array = Item::of_json_as_is(json!([{ "label": "a" }, { "label": "b" }]), 0);
        let scope = Scope {
            input: Arc::new(vec![array]),
            ..scope()
        };
        let engine = expressions(2000);
        for (expression, expected) in [
            ("={{ $json[1].label }}", json!("b")),
            ("={{ $json.label }}", Value::Null),
            ("={{ $json.length }}", json!(2)),
            (
                "={{ $json.map(entry => entry.label).join() }}",
                json!("a,b"),
            ),
            ("={{ $input.first().json[0].label }}", json!("a")),
            ("={{ Array.isArray($input.item.json) }}", json!(true)),
        ] {
            assert_eq!(
                engine.resolve(&json!(expression), &scope).unwrap(),
                expected,
                "{expression}"
            );
        }
    }

    #[test]
    fn javascript_sees_n8n_globals() {
        assert_eq!(
            eval("={{ $json.name.toUpperCase() + $itemIndex }}").unwrap(),
            json!("ADA0")
        );
        assert_eq!(eval("={{ $input.all().length }}").unwrap(), json!(2));
        assert_eq!(
            eval("={{ $input.first().json.n * 10 }}").unwrap(),
            json!(20)
        );
        assert_eq!(
            eval("={{ $workflow.name }} {{ $execution.mode }}").unwrap(),
            json!("Test cli")
        );
        assert_eq!(
            eval("={{ { \"a\": { \"b\": $json.n } } }}").unwrap(),
            json!({ "a": { "b": 2 } })
        );
        assert!(
            eval("={{ $now }}")
                .unwrap()
                .as_str()
                .unwrap()
                .ends_with('Z')
        );
        assert!(
            eval("={{ $today }}")
                .unwrap()
                .as_str()
                .unwrap()
                .ends_with("T00:00:00.000Z")
        );
        assert_eq!(eval("={{ 1.5 + 1 }}").unwrap(), json!(2.5));
        assert_eq!(eval("={{ undefined }}").unwrap(), Value::Null);
    }

    #[test]
    fn failures_name_the_expression_and_the_reason() {
        let error = eval("={{ nope.x }}").unwrap_err();
        assert_eq!(error.expression, "={{ nope.x }}");
        assert_eq!(error.message, "ReferenceError: nope is not defined");
        assert_eq!(error.failure, Failure::Evaluation);
        let error = eval("=a {{ $json.name. }}").unwrap_err();
        assert_eq!(error.failure, Failure::Syntax, "{}", error.message);
        let error = eval("={{ JSON.parse('{') }}").unwrap_err();
        assert!(
            error.message.starts_with("SyntaxError"),
            "{}",
            error.message
        );
        assert_eq!(
            error.failure,
            Failure::Evaluation,
            "a SyntaxError thrown while running is not invalid syntax"
        );
        let error = eval("={{ $('Missing').first().json }}").unwrap_err();
        assert!(
            error
                .message
                .contains("Referenced node is unexecuted: \"Missing\""),
            "{}",
            error.message
        );
    }

    #[test]
    fn the_sandbox_stops_endless_loops_and_has_no_io() {
        let started = std::time::Instant::now();
        let error = expressions(100)
            .resolve(&json!("={{ (() => { while (true) {} })() }}"), &scope())
            .unwrap_err();
        assert!(
            error.message.contains("ran longer than 100 ms"),
            "{}",
            error.message
        );
        assert!(started.elapsed() < Duration::from_secs(2));
        for code in [
            "={{ require('fs') }}",
            "={{ process.env }}",
            "={{ std.loadFile('/etc/passwd') }}",
        ] {
            let error = eval(code).unwrap_err();
            assert!(
                error.message.starts_with("ReferenceError"),
                "{code}: {}",
                error.message
            );
        }
        let error = eval("={{ import('/etc/passwd') }}").unwrap();
        assert_eq!(
            error,
            json!({}),
            "a dynamic import is a promise that can never load anything"
        );
        let Err(error) = eval("={{ new ArrayBuffer(1 << 30).byteLength }}") else {
            panic!("1 GiB of buffer fit in the memory limit");
        };
        assert!(
            error.message.contains("out of memory") || error.message.contains("RangeError"),
            "{}",
            error.message
        );
    }
}
