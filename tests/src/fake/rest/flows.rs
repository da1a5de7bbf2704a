//! Invocable flow actions: `actions`, `actions/custom`, `actions/custom/flow` (list),
//! `actions/custom/flow/{name}` (GET describe, POST invoke with `{"inputs": [...]}`).

use super::{Answer, Req, json};
use crate::fake::config::FlowConfig;
use crate::fake::error::ApiError;
use axum::http::{Method, StatusCode};
use serde_json::{Value as Json, json};

/// Routes `actions/...`.
pub fn handle(req: &Req, rest: &[&str]) -> Answer {
    let base = format!("/services/data/v{}/actions", req.version);
    let lower: Vec<String> = rest.iter().map(|s| s.to_ascii_lowercase()).collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    match (&req.method, lower.as_slice()) {
        (&Method::GET, []) => Ok(json(
            StatusCode::OK,
            &json!({"custom": format!("{base}/custom"), "standard": format!("{base}/standard")}),
        )),
        (&Method::GET, ["custom"]) => Ok(json(
            StatusCode::OK,
            &json!({"flow": format!("{base}/custom/flow")}),
        )),
        (&Method::GET, ["custom", "flow"]) => {
            let actions: Vec<Json> = req
                .fake
                .config
                .flows
                .iter()
                .map(|f| {
                    json!({"label": f.label, "name": f.name, "type": "FLOW",
                           "url": format!("{base}/custom/flow/{}", f.name)})
                })
                .collect();
            Ok(json(StatusCode::OK, &json!({"actions": actions})))
        }
        (method, ["custom", "flow", _]) => {
            let flow = req
                .fake
                .config
                .flows
                .iter()
                .find(|f| f.name.eq_ignore_ascii_case(rest[2]))
                .ok_or_else(ApiError::not_found)?;
            match *method {
                Method::GET => Ok(json(StatusCode::OK, &describe(flow))),
                Method::POST => invoke(req, flow),
                _ => Err(ApiError::not_found()),
            }
        }
        _ => Err(ApiError::not_found()),
    }
}

fn describe(flow: &FlowConfig) -> Json {
    let inputs: Vec<Json> = flow
        .required_inputs
        .iter()
        .map(|name| json!({"name": name, "label": name, "type": "STRING", "required": true}))
        .collect();
    json!({"name": flow.name, "label": flow.label, "type": "FLOW", "inputs": inputs,
           "outputs": [{"name": "Flow__InterviewStatus", "type": "STRING"}]})
}

fn invoke(req: &Req, flow: &FlowConfig) -> Answer {
    let body = req.json()?;
    let inputs = body
        .get("inputs")
        .and_then(Json::as_array)
        .ok_or_else(|| ApiError::bad("JSON_PARSER_ERROR", "Missing inputs array"))?;
    let mut failed = false;
    let results: Vec<Json> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let missing = flow
                .required_inputs
                .iter()
                .find(|name| input.get(name.as_str()).is_none_or(Json::is_null));
            let base = json!({"actionName": flow.name, "invocationId": null, "sortOrder": i, "version": 1});
            let mut result = base;
            match missing {
                Some(name) => {
                    failed = true;
                    result["isSuccess"] = false.into();
                    result["outputValues"] = Json::Null;
                    result["errors"] = json!([{"statusCode": "REQUIRED_FIELD_MISSING",
                        "message": format!("Missing required input parameter: {name}"), "fields": []}]);
                }
                None => {
                    let mut outputs = input.clone();
                    if !outputs.is_object() {
                        outputs = json!({});
                    }
                    outputs["Flow__InterviewStatus"] = "Finished".into();
                    result["isSuccess"] = true.into();
                    result["outputValues"] = outputs;
                    result["errors"] = Json::Null;
                }
            }
            result
        })
        .collect();
    let status = if failed {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok(json(status, &results))
}
