//! Switch (`n8n-nodes-base.switch`, typeVersions 1, 2, 3, 3.1, 3.2, 3.3, 3.4): routes each item
//! to an output chosen by rules or by an expression. v1/v2 compare one `value1` with each rule's
//! `value2` (legacy conditions, first match wins, `fallbackOutput` an index or -1); v3+ evaluate
//! each rule's filter, optionally sending an item to every matching output, with a fallback of
//! `none`, `extra` (one more output) or an output index.

mod description;

use async_trait::async_trait;
use serde_json::Value;

use super::condition_parameters::item_error;
use super::conditions::legacy;
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;
use description::{DESCRIPTION, FILTER_NODE};

/// The Switch node.
pub struct Switch;

#[async_trait]
impl Node for Switch {
    fn description(&self) -> &'static crate::description::NodeDescription {
        &DESCRIPTION
    }

    fn outputs(&self, version: f64, parameters: &Value) -> usize {
        output_count(version, parameters)
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let version = ctx.node().type_version;
        let mut routed: Vec<Vec<Item>> = Vec::new();
        for (index, item) in ctx.input().iter().enumerate() {
            match targets(ctx, version, index) {
                Ok(targets) => {
                    for target in targets {
                        if routed.len() <= target {
                            routed.resize(target + 1, Vec::new());
                        }
                        routed[target].push(item.clone().paired_to(index));
                    }
                }
                Err(error) if ctx.continue_on_fail() => {
                    if routed.is_empty() {
                        routed.push(Vec::new());
                    }
                    routed[0].push(Item::failed(error, index));
                }
                Err(error) => return Err(error),
            }
        }
        for (output, items) in routed.into_iter().enumerate() {
            out.emit(output, items).await?;
        }
        Ok(())
    }
}

/// How many outputs a Switch with these resolved parameters has.
fn output_count(version: f64, parameters: &Value) -> usize {
    let expression_mode = parameters.get("mode").and_then(Value::as_str) == Some("expression");
    let count = |key: &str| {
        parameters
            .get(key)
            .and_then(Value::as_f64)
            .map_or(0, |count| count.max(0.0) as usize)
    };
    let rules = |group: &str| {
        parameters
            .get("rules")
            .and_then(|rules| rules.get(group))
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    };
    if version < 2.0 {
        4
    } else if version < 3.0 {
        if expression_mode {
            count("outputsAmount")
        } else {
            rules("rules")
        }
    } else if expression_mode {
        count("numberOutputs")
    } else {
        let extra = parameters
            .get("options")
            .and_then(|options| options.get("fallbackOutput"))
            .and_then(Value::as_str)
            == Some("extra");
        rules("values") + usize::from(extra)
    }
}

/// The outputs item `index` goes to.
fn targets(ctx: &NodeContext<'_>, version: f64, index: usize) -> Result<Vec<usize>, NodeError> {
    let mode = ctx.parameter("mode", index)?;
    let count = output_count(version, &parameters_for_count(ctx, index)?);
    if mode == "expression" {
        let output = ctx.parameter("output", index)?;
        return Ok(vec![checked_index(count, &output, index, version)?]);
    }
    if version < 3.0 {
        legacy_targets(ctx, version, count, index)
    } else {
        rule_targets(ctx, count, index, version)
    }
}

/// The parameters that decide the number of outputs, as read for item `index`.
fn parameters_for_count(ctx: &NodeContext<'_>, index: usize) -> Result<Value, NodeError> {
    let mut parameters = serde_json::Map::new();
    for key in ["mode", "outputsAmount", "numberOutputs", "rules", "options"] {
        if let Some(value) = ctx.optional_parameter(key, index)? {
            parameters.insert(key.to_owned(), value);
        }
    }
    Ok(Value::Object(parameters))
}

/// An output index that exists, or n8n's error (with its typo): v3+ explain the zero-based
/// index in a description, v1/v2 in the message.
fn checked_index(
    count: usize,
    output: &Value,
    index: usize,
    version: f64,
) -> Result<usize, NodeError> {
    let number = match output {
        Value::Number(number) => number.as_f64().unwrap_or(f64::NAN),
        Value::String(text) => text.trim().parse().unwrap_or(f64::NAN),
        _ => f64::NAN,
    };
    if number >= 0.0 && number < count as f64 && number.fract() == 0.0 {
        return Ok(number as usize);
    }
    let shown = match output {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let last = count as i64 - 1;
    let error = if version < 3.0 {
        NodeError::operation(format!(
            "The ouput {shown} is not allowed. It has to be between 0 and {last}!"
        ))
    } else if number == count as f64 {
        NodeError::operation(format!("The ouput {shown} is not allowed. ")).with_description(
            format!(
                "Output indexes are zero based, if you want to use the extra output use {last}"
            ),
        )
    } else {
        NodeError::operation(format!("The ouput {shown} is not allowed"))
            .with_description(format!("It has to be between 0 and {last}"))
    };
    Err(error
        .with_context("itemIndex", Value::from(index))
        .for_item(index))
}

/// Switch v1/v2: the first rule whose `value2` matches `value1`, else the fallback.
fn legacy_targets(
    ctx: &NodeContext<'_>,
    version: f64,
    count: usize,
    index: usize,
) -> Result<Vec<usize>, NodeError> {
    let data_type = ctx.parameter("dataType", index)?;
    let data_type = data_type.as_str().unwrap_or("number");
    let value1 = ctx.optional_parameter("value1", index)?;
    let rules = ctx
        .optional_parameter("rules.rules", index)?
        .and_then(|rules| rules.as_array().cloned())
        .unwrap_or_default();
    for (rule_index, rule) in rules.iter().enumerate() {
        let operation = rule
            .get("operation")
            .and_then(Value::as_str)
            .unwrap_or(legacy::default_operation(data_type));
        let held = legacy::compare(data_type, operation, value1.as_ref(), rule.get("value2"))
            .map_err(|error| item_error(error, index))?;
        if held {
            let output = if version < 2.0 {
                rule.get("output").cloned().unwrap_or(Value::from(0))
            } else {
                Value::from(rule_index)
            };
            return Ok(vec![checked_index(count, &output, index, version)?]);
        }
    }
    let fallback = ctx
        .optional_parameter("fallbackOutput", index)?
        .unwrap_or(Value::from(-1));
    if fallback.as_f64() == Some(-1.0) || fallback == "-1" {
        return Ok(Vec::new());
    }
    Ok(vec![checked_index(count, &fallback, index, version)?])
}

/// Switch v3+: every rule whose filter passes (or the first), else the fallback.
fn rule_targets(
    ctx: &NodeContext<'_>,
    count: usize,
    index: usize,
    version: f64,
) -> Result<Vec<usize>, NodeError> {
    let rules = ctx
        .optional_parameter("rules.values", index)?
        .and_then(|rules| rules.as_array().map(Vec::len))
        .unwrap_or(0);
    let all_matching = ctx
        .optional_parameter("options.allMatchingOutputs", index)?
        .is_some_and(|all| all == Value::Bool(true));
    let mut targets = Vec::new();
    for rule in 0..rules {
        if FILTER_NODE.passes(ctx, &format!("rules.values.{rule}.conditions"), index)? {
            targets.push(rule);
            if !all_matching {
                break;
            }
        }
    }
    if !targets.is_empty() {
        return Ok(targets);
    }
    match ctx.optional_parameter("options.fallbackOutput", index)? {
        None => Ok(Vec::new()),
        Some(Value::String(fallback)) if fallback == "none" => Ok(Vec::new()),
        Some(Value::String(fallback)) if fallback == "extra" => Ok(vec![count.saturating_sub(1)]),
        Some(fallback) => Ok(vec![checked_index(count, &fallback, index, version)?]),
    }
}

register_node!(Switch);
