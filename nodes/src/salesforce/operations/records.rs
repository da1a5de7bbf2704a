//! The record operations every sObject resource shares: create, upsert, update, get, delete,
//! getSummary and getAll.

use reqwest::Method;
use serde_json::{Map, Value};

use crate::node::{Emitter, NodeContext};
use crate::salesforce::api::{Api, Body};
use crate::salesforce::fields::{Mode, Resource, map_fields};
use crate::salesforce::operations::binary::attach_binary;
use crate::salesforce::operations::sobject::SObject;
use crate::salesforce::pager::{QueryScope, stream_query};
use crate::salesforce::soql::{self, Condition, LiteralRules, Query};
use crate::{Item, NodeError};

/// Runs a record operation for item `index`.
pub async fn run(
    api: &Api<'_, '_>,
    ctx: &NodeContext<'_>,
    resource: &str,
    operation: &str,
    index: usize,
    out: &mut Emitter,
) -> Result<(), NodeError> {
    let object = SObject::of(ctx, resource, index)?;
    let answer = match operation {
        "create" => {
            let body = create_body(api, ctx, resource, &object, index)?;
            let url = api.url(&["sobjects", &object.path]).await?;
            api.send(Method::POST, url, Body::Json(Value::Object(body)))
                .await?
        }
        "upsert" => {
            let external_id: String = ctx.parameter_as("externalId", 0)?;
            let value = text_parameter(ctx, "externalIdValue", index)?;
            let mut body = create_body(api, ctx, resource, &object, index)?;
            body.remove(&external_id);
            let url = api
                .url(&["sobjects", &object.path, &external_id, &value])
                .await?;
            api.send(Method::PATCH, url, json_or_none(body)).await?
        }
        "update" => {
            let id = record_id(ctx, &object, index)?;
            let body = update_body(api, ctx, resource, &object, index)?;
            let url = api.url(&["sobjects", &object.path, &id]).await?;
            api.send(Method::PATCH, url, json_or_none(body)).await?
        }
        "get" => {
            let id = record_id(ctx, &object, index)?;
            api.get(api.url(&["sobjects", &object.path, &id]).await?)
                .await?
        }
        "delete" => {
            let id = record_id(ctx, &object, index)?;
            let url = api.url(&["sobjects", &object.path, &id]).await?;
            api.send(Method::DELETE, url, Body::None).await?
        }
        "getSummary" => api.get(api.url(&["sobjects", &object.path]).await?).await?,
        "getAll" => return get_all(api, ctx, &object, index, out).await,
        other => {
            return Err(NodeError::operation(format!(
                "The operation \"{other}\" is not known for the resource \"{resource}\""
            )));
        }
    };
    out.emit(0, [Item::from_value(answer, index)]).await
}

/// A required id parameter as a non-empty string (an empty id would address the collection).
pub(super) fn record_id(
    ctx: &NodeContext<'_>,
    object: &SObject,
    index: usize,
) -> Result<String, NodeError> {
    let id = text_parameter(ctx, object.id_parameter, index)?;
    if id.is_empty() {
        return Err(NodeError::operation(format!(
            "The parameter \"{}\" is empty",
            object.id_parameter
        )));
    }
    Ok(id)
}

/// A parameter as text: strings as they are, numbers and booleans as written.
pub fn text_parameter(
    ctx: &NodeContext<'_>,
    name: &str,
    index: usize,
) -> Result<String, NodeError> {
    Ok(match ctx.parameter(name, index)? {
        Value::String(text) => text,
        Value::Null => String::new(),
        other => other.to_string(),
    })
}

fn json_or_none(body: Map<String, Value>) -> Body {
    if body.is_empty() {
        Body::None
    } else {
        Body::Json(Value::Object(body))
    }
}

/// The required create parameters of each resource and the fields they fill.
fn required_fields(resource: &str) -> &'static [(&'static str, &'static str)] {
    match resource {
        "account" => &[("name", "Name")],
        "lead" => &[("company", "Company"), ("lastname", "LastName")],
        "contact" => &[("lastname", "LastName")],
        "opportunity" => &[
            ("name", "Name"),
            ("closeDate", "CloseDate"),
            ("stageName", "StageName"),
        ],
        "case" => &[("type", "Type")],
        "task" => &[("status", "Status")],
        "attachment" => &[("name", "Name"), ("parentId", "ParentId")],
        _ => &[],
    }
}

pub(super) fn create_body(
    api: &Api<'_, '_>,
    ctx: &NodeContext<'_>,
    resource: &str,
    object: &SObject,
    index: usize,
) -> Result<Map<String, Value>, NodeError> {
    let mut body = Map::new();
    for (parameter, field) in required_fields(resource) {
        body.insert((*field).to_owned(), ctx.parameter(parameter, index)?);
    }
    if resource == "attachment" {
        let property: String = ctx.parameter_as("binaryPropertyName", index)?;
        attach_binary(ctx, &property, index, &mut body)?;
    }
    let additional = collection(ctx, "additionalFields", index)?;
    map_collection(api, ctx, object, Mode::Create, additional, index, &mut body)?;
    Ok(body)
}

pub(super) fn update_body(
    api: &Api<'_, '_>,
    ctx: &NodeContext<'_>,
    resource: &str,
    object: &SObject,
    index: usize,
) -> Result<Map<String, Value>, NodeError> {
    let update = collection(ctx, "updateFields", index)?;
    if update.is_empty() && matches!(resource, "lead" | "contact") {
        return Err(NodeError::operation(
            "You must add at least one update field",
        ));
    }
    let mut body = Map::new();
    if resource == "attachment"
        && let Some(Value::String(property)) = update.get("binaryPropertyName")
    {
        attach_binary(ctx, property, index, &mut body)?;
    }
    map_collection(api, ctx, object, Mode::Update, update, index, &mut body)?;
    Ok(body)
}

fn collection(
    ctx: &NodeContext<'_>,
    name: &str,
    index: usize,
) -> Result<Map<String, Value>, NodeError> {
    Ok(match ctx.optional_parameter(name, index)? {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    })
}

/// Maps a collection's keys to fields (its `customFieldsUi` entries included; a custom object
/// keeps `customFieldsUi` beside the collection, so it is merged in first) and warns about the
/// keys that send nothing.
fn map_collection(
    api: &Api<'_, '_>,
    ctx: &NodeContext<'_>,
    object: &SObject,
    mode: Mode,
    mut fields: Map<String, Value>,
    index: usize,
    body: &mut Map<String, Value>,
) -> Result<(), NodeError> {
    if object.fields == Some(Resource::CustomObject)
        && let Some(custom) = ctx.optional_parameter("customFieldsUi", index)?
    {
        fields.insert("customFieldsUi".into(), custom);
    }
    if let Some(resource) = object.fields {
        let collection = match mode {
            Mode::Create => "additionalFields",
            Mode::Update => "updateFields",
        };
        api.report_ignored(collection, map_fields(resource, mode, &fields, body));
    }
    Ok(())
}

async fn get_all(
    api: &Api<'_, '_>,
    ctx: &NodeContext<'_>,
    object: &SObject,
    index: usize,
    out: &mut Emitter,
) -> Result<(), NodeError> {
    let return_all = ctx
        .optional_parameter("returnAll", index)?
        .and_then(|value| value.as_bool())
        .unwrap_or(false);
    let limit = if return_all {
        None
    } else {
        Some(ctx.parameter_as::<f64>("limit", index)? as u64)
    };
    let options = collection(ctx, "options", index)?;
    let conditions = conditions(&options);
    let query = Query {
        object: &object.soql,
        fields: options.get("fields"),
        conditions: &conditions,
        limit,
        rules: LiteralRules::for_version(ctx.node().type_version),
    };
    let soql = soql::build(&query)?;
    let scope = if options.get("queryAll").and_then(Value::as_bool) == Some(true) {
        QueryScope::All
    } else {
        QueryScope::Live
    };
    stream_query(api, &soql, scope, index, out).await.map(drop)
}

/// `options.conditionsUi.conditionValues[]` as conditions (n8n fills `operation` with `equal`
/// and `value` with `""` when omitted).
pub(crate) fn conditions(options: &Map<String, Value>) -> Vec<Condition> {
    options
        .get("conditionsUi")
        .and_then(|ui| ui.get("conditionValues"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|condition| Condition {
            field: condition
                .get("field")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            operation: condition
                .get("operation")
                .and_then(Value::as_str)
                .unwrap_or("equal")
                .to_owned(),
            value: condition
                .get("value")
                .cloned()
                .unwrap_or(Value::String(String::new())),
        })
        .collect()
}
