//! A node's parameters as its context serves them: the resolved parameters, with expressions
//! evaluated for the item asked about. A failing expression becomes an `ExpressionError` naming
//! the parameter and the expression; one that is not valid JavaScript becomes n8n's
//! `NodeOperationError` "invalid syntax" with the parameter and item in its context.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::{Map, Value};
use weft_nodes::{Item, NodeError, ParameterSource};

use crate::expressions::{Expressions, Failure, RunLog, Scope, Source};

/// The parameters of one node run.
pub struct NodeParameters<'a> {
    /// The resolved parameters (expressions not evaluated).
    pub values: &'a Map<String, Value>,
    /// The run's evaluator.
    pub expressions: &'a Expressions,
    /// The node's input (a batch of it when the node is streamed).
    pub input: Arc<Vec<Item>>,
    /// The index of `input`'s first item in the node's whole input (errors name that index).
    pub first_item: usize,
    /// Where the input came from.
    pub source: Option<Source>,
    /// Which run of the node this is.
    pub run_index: usize,
    /// The nodes that ran before.
    pub log: Arc<RunLog>,
}

impl NodeParameters<'_> {
    fn scope(&self, item: usize) -> Scope {
        Scope {
            input: Arc::clone(&self.input),
            item_index: item,
            source: self.source.clone(),
            run_index: self.run_index,
            log: Arc::clone(&self.log),
        }
    }

    /// `value` evaluated for item `item` with `extra` globals; failures name the parameter at
    /// `path`.
    fn resolve(
        &self,
        value: &Value,
        path: &str,
        item: usize,
        extra: &Map<String, Value>,
    ) -> Result<Value, NodeError> {
        let scope = self.scope(item);
        self.expressions
            .resolve_with(value, &scope, extra)
            .map_err(|error| {
                if error.failure == Failure::Syntax {
                    let parameter = path.split('.').next().unwrap_or(path);
                    return NodeError::operation("invalid syntax")
                        .with_context("parameter", Value::from(parameter))
                        .with_context("itemIndex", Value::from(item + self.first_item));
                }
                NodeError::expression(format!(
                    "Invalid expression in parameter \"{path}\": {}",
                    error.message
                ))
                .with_description(format!(
                    "the expression {} failed for item {}",
                    error.expression,
                    item + self.first_item
                ))
            })
    }
}

impl ParameterSource for NodeParameters<'_> {
    fn get(&self, path: &str, item: usize) -> Result<Option<Value>, NodeError> {
        let none = Map::new();
        let mut segments = path.split('.');
        let first = segments.next().unwrap_or_default();
        let Some(mut value) = self.values.get(first).map(Cow::Borrowed) else {
            return Ok(None);
        };
        for segment in segments {
            if value.as_str().is_some_and(|text| text.starts_with('=')) {
                value = Cow::Owned(self.resolve(&value, path, item, &none)?);
            }
            let next = match value {
                Cow::Borrowed(value) => child(value, segment).map(Cow::Borrowed),
                Cow::Owned(value) => child(&value, segment).cloned().map(Cow::Owned),
            };
            let Some(next) = next else {
                return Ok(None);
            };
            value = next;
        }
        self.resolve(&value, path, item, &none).map(Some)
    }

    fn raw(&self, path: &str) -> Option<Value> {
        let mut segments = path.split('.');
        let mut value = self.values.get(segments.next().unwrap_or_default())?;
        for segment in segments {
            value = child(value, segment)?;
        }
        Some(value.clone())
    }

    fn evaluate(
        &self,
        path: &str,
        value: &Value,
        item: usize,
        extra: &Map<String, Value>,
    ) -> Result<Value, NodeError> {
        self.resolve(value, path, item, extra)
    }
}

/// The field `segment` of an object, or the element at index `segment` of a list
/// (`rules.values.0.conditions`).
fn child<'v>(value: &'v Value, segment: &str) -> Option<&'v Value> {
    match value {
        Value::Array(elements) => elements.get(segment.parse::<usize>().ok()?),
        other => other.get(segment),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    use serde_json::json;

    use crate::expressions::RunFacts;

    #[test]
    fn paths_reach_into_values_and_expressions() {
        let facts = RunFacts {
            workflow: json!({}),
            execution: json!({}),
            zone: chrono_tz::Tz::UTC,
        };
        let expressions = Expressions::new(facts, Duration::from_secs(1));
        let values = json!({
            "options": { "timeout": "={{ $json.t * 2 }}" },
            "computed": "={{ { \"a\": { \"b\": $json.t } } }}",
            "bad": "={{ nope }}",
            "rules": { "values": ["={{ $json.t. }}"] }
        });
        let item = Item::new(json!({ "t": 21 }).as_object().unwrap().clone(), 0);
        let parameters = NodeParameters {
            values: values.as_object().unwrap(),
            expressions: &expressions,
            input: Arc::new(vec![item]),
            first_item: 0,
            source: None,
            run_index: 0,
            log: Arc::default(),
        };
        assert_eq!(
            parameters.get("options.timeout", 0).unwrap(),
            Some(json!(42))
        );
        assert_eq!(parameters.get("computed.a.b", 0).unwrap(), Some(json!(21)));
        assert_eq!(parameters.get("options.missing", 0).unwrap(), None);
        assert_eq!(parameters.get("absent", 0).unwrap(), None);
        let error = parameters.get("bad", 0).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Invalid expression in parameter \"bad\": ReferenceError: nope is not defined: the expression ={{ nope }} failed for item 0"
        );
        let error = parameters.get("rules.values", 0).unwrap_err();
        assert_eq!(
            (error.kind, error.message.as_str()),
            (weft_nodes::ErrorKind::Operation, "invalid syntax")
        );
        assert_eq!(
            Value::Object(error.context),
            json!({ "parameter": "rules", "itemIndex": 0 }),
            "n8n names the top-level parameter"
        );
    }

    #[test]
    fn raw_values_evaluate_later_with_extra_globals() {
        let facts = RunFacts {
            workflow: json!({}),
            execution: json!({}),
            zone: chrono_tz::Tz::UTC,
        };
        let expressions = Expressions::new(facts, Duration::from_secs(1));
        let values = json!({ "options": { "next": "={{ $response.body.next + $json.t }}" } });
        let item = Item::new(json!({ "t": 1 }).as_object().unwrap().clone(), 0);
        let parameters = NodeParameters {
            values: values.as_object().unwrap(),
            expressions: &expressions,
            input: Arc::new(vec![item]),
            first_item: 0,
            source: None,
            run_index: 0,
            log: Arc::default(),
        };
        let raw = parameters.raw("options.next").unwrap();
        assert_eq!(raw, json!("={{ $response.body.next + $json.t }}"));
        assert_eq!(parameters.raw("options.absent"), None);
        let extra = json!({ "$response": { "body": { "next": 41 } } });
        let value = parameters
            .evaluate("options.next", &raw, 0, extra.as_object().unwrap())
            .unwrap();
        assert_eq!(value, json!(42));
        let error = parameters
            .evaluate("options.next", &raw, 0, &Map::new())
            .unwrap_err();
        assert!(
            error
                .message
                .starts_with("Invalid expression in parameter \"options.next\""),
            "the extra globals are gone again: {error}"
        );
    }
}
