//! Flow actions: list (`GET /actions/custom/flow`) and invoke (`POST
//! /actions/custom/flow/<apiName>` with `{ "inputs": [ { … } ] }`).

use reqwest::Method;
use serde_json::{Map, Value, json};

use crate::node::{Emitter, NodeContext};
use crate::salesforce::api::{Api, Body};
use crate::{Item, NodeError};

/// One item per flow action; the first `limit` unless `returnAll`.
pub async fn get_all(
    api: &Api<'_, '_>,
    ctx: &NodeContext<'_>,
    index: usize,
    out: &mut Emitter,
) -> Result<(), NodeError> {
    let answer = api
        .get(api.url(&["actions", "custom", "flow"]).await?)
        .await?;
    let actions = match answer.get("actions") {
        Some(Value::Array(actions)) => actions.clone(),
        _ => Vec::new(),
    };
    let return_all = ctx
        .optional_parameter("returnAll", index)?
        .and_then(|value| value.as_bool())
        .unwrap_or(false);
    let take = if return_all {
        actions.len()
    } else {
        ctx.parameter_as::<f64>("limit", index)? as usize
    };
    out.emit(
        0,
        actions
            .into_iter()
            .take(take)
            .map(|action| Item::from_value(action, index)),
    )
    .await
}

/// Invokes the flow; one item per element of the answer. With JSON parameters the text is parsed
/// into the inputs object (n8n sent the text as a string, which Salesforce rejects).
pub async fn invoke(
    api: &Api<'_, '_>,
    ctx: &NodeContext<'_>,
    index: usize,
    out: &mut Emitter,
) -> Result<(), NodeError> {
    let api_name: String = ctx.parameter_as("apiName", index)?;
    let json_parameters = ctx
        .optional_parameter("jsonParameters", index)?
        .and_then(|value| value.as_bool())
        .unwrap_or(false);
    let inputs = if json_parameters {
        json_inputs(ctx.parameter("variablesJson", index)?)?
    } else {
        ui_inputs(ctx.optional_parameter("variablesUi", index)?)
    };
    let url = api.url(&["actions", "custom", "flow", &api_name]).await?;
    let answer = api
        .send(
            Method::POST,
            url,
            Body::Json(json!({ "inputs": [Value::Object(inputs)] })),
        )
        .await?;
    let results = match answer {
        Value::Array(results) => results,
        other => vec![other],
    };
    out.emit(
        0,
        results
            .into_iter()
            .map(|result| Item::from_value(result, index)),
    )
    .await
}

fn json_inputs(value: Value) -> Result<Map<String, Value>, NodeError> {
    let parsed = match value {
        Value::String(text) => serde_json::from_str(&text).map_err(|error| {
            NodeError::operation(format!("Variables (JSON) is not valid JSON: {error}"))
        })?,
        other => other,
    };
    match parsed {
        Value::Object(inputs) => Ok(inputs),
        _ => Err(NodeError::operation(
            "Variables (JSON) must be a JSON object of input names and values",
        )),
    }
}

fn ui_inputs(ui: Option<Value>) -> Map<String, Value> {
    ui.as_ref()
        .and_then(|ui| ui.get("variablesValues"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let name = entry.get("name")?.as_str()?.to_owned();
            Some((name, entry.get("value").cloned().unwrap_or(Value::Null)))
        })
        .collect()
}
