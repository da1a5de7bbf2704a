//! Many items written in few calls: create, update, upsert and delete over several input items go
//! through `composite/sobjects` in batches of up to 200 records with `allOrNone: false`, and each
//! record's result or error comes back to its own item, in input order, shaped exactly like the
//! answer of the single-record call n8n would have made.
//!
//! A failed record stops the node (unless it continues on fail) at that item, like n8n; records
//! after it in the same batch of 200 were already written, where n8n would not have sent them.

use reqwest::Method;
use serde_json::{Map, Value, json};

use crate::node::{Emitter, NodeContext};
use crate::salesforce::api::{Api, Body, api_error, error_item};
use crate::salesforce::operations::records::{create_body, record_id, text_parameter, update_body};
use crate::salesforce::operations::sobject::SObject;
use crate::{Item, NodeError};

/// The composite API's limit of records per call.
const BATCH: usize = 200;

/// True for the operations that go through composite collections.
pub fn batchable(resource: &str, operation: &str) -> bool {
    matches!(operation, "create" | "update" | "upsert" | "delete")
        && matches!(
            resource,
            "account"
                | "attachment"
                | "case"
                | "contact"
                | "customObject"
                | "lead"
                | "opportunity"
                | "task"
        )
}

/// One input item's record, ready for a collection call.
struct Prepared {
    index: usize,
    /// The sObject type; consecutive records of one type (and external id field) share a call.
    group: (String, String),
    record: Value,
}

/// Runs `operation` of `resource` over every input item through collection calls.
pub async fn run(
    api: &Api<'_, '_>,
    ctx: &NodeContext<'_>,
    resource: &str,
    operation: &str,
    out: &mut Emitter,
) -> Result<(), NodeError> {
    let mut outcomes: Vec<Option<Result<Value, NodeError>>> = Vec::new();
    let mut pending: Vec<Prepared> = Vec::new();
    for index in 0..ctx.input().len() {
        match prepare(api, ctx, resource, operation, index) {
            Ok(prepared) => {
                pending.push(prepared);
                outcomes.push(None);
            }
            Err(error) => outcomes.push(Some(Err(error))),
        }
    }
    let mut start = 0;
    while start < pending.len() {
        let group = &pending[start].group;
        let end = (start..pending.len())
            .take(BATCH)
            .take_while(|&i| &pending[i].group == group)
            .last()
            .map_or(start + 1, |last| last + 1);
        let chunk = &pending[start..end];
        let results = send(api, operation, chunk).await?;
        for (prepared, result) in chunk.iter().zip(results) {
            outcomes[prepared.index] = Some(result_of(operation, result));
        }
        start = end;
    }
    for (index, outcome) in outcomes.into_iter().enumerate() {
        match outcome.unwrap_or_else(|| Err(NodeError::operation("no result for this item"))) {
            Ok(answer) => out.emit(0, [Item::from_value(answer, index)]).await?,
            Err(error) if ctx.continue_on_fail() => out.emit(0, [error_item(error, index)]).await?,
            Err(error) => return Err(error.for_item(index)),
        }
    }
    Ok(())
}

fn prepare(
    api: &Api<'_, '_>,
    ctx: &NodeContext<'_>,
    resource: &str,
    operation: &str,
    index: usize,
) -> Result<Prepared, NodeError> {
    let object = SObject::of(ctx, resource, index)?;
    let attributes = json!({ "type": object.soql });
    let (external_id, record) = match operation {
        "delete" => (
            String::new(),
            Value::String(record_id(ctx, &object, index)?),
        ),
        "update" => {
            let mut record = update_body(api, ctx, resource, &object, index)?;
            record.insert("id".into(), Value::String(record_id(ctx, &object, index)?));
            (String::new(), with_attributes(attributes, record))
        }
        "upsert" => {
            let external_id: String = ctx.parameter_as("externalId", 0)?;
            let mut record = create_body(api, ctx, resource, &object, index)?;
            record.insert(
                external_id.clone(),
                Value::String(text_parameter(ctx, "externalIdValue", index)?),
            );
            (external_id, with_attributes(attributes, record))
        }
        _ => (
            String::new(),
            with_attributes(attributes, create_body(api, ctx, resource, &object, index)?),
        ),
    };
    Ok(Prepared {
        index,
        group: (object.soql, external_id),
        record,
    })
}

fn with_attributes(attributes: Value, fields: Map<String, Value>) -> Value {
    let mut record = Map::from_iter([("attributes".to_owned(), attributes)]);
    record.extend(fields);
    Value::Object(record)
}

/// One collection call for `chunk`; its per-record results, in order.
async fn send(
    api: &Api<'_, '_>,
    operation: &str,
    chunk: &[Prepared],
) -> Result<Vec<Value>, NodeError> {
    let records: Vec<Value> = chunk.iter().map(|p| p.record.clone()).collect();
    let (type_name, external_id) = &chunk[0].group;
    let answer = match operation {
        "delete" => {
            let ids: Vec<&str> = records.iter().filter_map(Value::as_str).collect();
            let mut url = api.url(&["composite", "sobjects"]).await?;
            url.query_pairs_mut()
                .append_pair("ids", &ids.join(","))
                .append_pair("allOrNone", "false");
            api.send(Method::DELETE, url, Body::None).await?
        }
        _ => {
            let (method, url) = match operation {
                "create" => (Method::POST, api.url(&["composite", "sobjects"]).await?),
                "update" => (Method::PATCH, api.url(&["composite", "sobjects"]).await?),
                _ => (
                    Method::PATCH,
                    api.url(&["composite", "sobjects", type_name, external_id])
                        .await?,
                ),
            };
            let body = json!({ "allOrNone": false, "records": records });
            api.send(method, url, Body::Json(body)).await?
        }
    };
    match answer {
        Value::Array(results) if results.len() == chunk.len() => Ok(results),
        other => Err(NodeError::api(
            "Salesforce answered a collection call with an unexpected body",
        )
        .with_description(other.to_string())),
    }
}

/// A record's result as the single-record call would have answered it.
fn result_of(operation: &str, result: Value) -> Result<Value, NodeError> {
    if result.get("success").and_then(Value::as_bool) == Some(true) {
        return Ok(match operation {
            "update" | "delete" => json!({ "errors": [], "success": true }),
            _ => result,
        });
    }
    let errors: Vec<Value> = result
        .get("errors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|error| {
            json!({
                "message": error.get("message").cloned().unwrap_or(Value::Null),
                "errorCode": error.get("statusCode").cloned().unwrap_or(Value::Null),
                "fields": error.get("fields").cloned().unwrap_or(json!([])),
            })
        })
        .collect();
    let not_found = errors
        .first()
        .and_then(|e| e.get("errorCode"))
        .and_then(Value::as_str)
        .is_some_and(|code| {
            matches!(
                code,
                "NOT_FOUND" | "ENTITY_IS_DELETED" | "INVALID_CROSS_REFERENCE_KEY"
            ) && operation != "create"
                && operation != "upsert"
        });
    let status = if not_found { 404 } else { 400 };
    Err(api_error(status, &Value::Array(errors).to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_take_the_single_call_shapes() {
        let created = json!({"id": "003Fn0000000001IAA", "success": true, "errors": []});
        assert_eq!(result_of("create", created.clone()).unwrap(), created);
        assert_eq!(
            result_of(
                "update",
                json!({"id": "003", "success": true, "errors": []})
            )
            .unwrap(),
            json!({"errors": [], "success": true})
        );
        let failed = json!({"success": false, "errors": [{"statusCode": "REQUIRED_FIELD_MISSING", "message": "Required fields are missing: [LastName]", "fields": ["LastName"]}]});
        let error = result_of("create", failed).unwrap_err();
        assert_eq!(error.http_code, Some(400));
        assert_eq!(
            error.description.as_deref(),
            Some("Required fields are missing: [LastName]")
        );
        assert_eq!(error.context["errorCode"], json!("REQUIRED_FIELD_MISSING"));
        assert_eq!(error.context["fields"], json!("LastName"));
        let missing = json!({"id": "003", "success": false, "errors": [{"statusCode": "ENTITY_IS_DELETED", "message": "entity is deleted", "fields": []}]});
        assert_eq!(
            result_of("delete", missing).unwrap_err().http_code,
            Some(404)
        );
    }
}
