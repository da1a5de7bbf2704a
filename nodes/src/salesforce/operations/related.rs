//! Records attached to another record: notes (account, contact, lead, opportunity), campaign
//! members (lead, contact) and case comments.

use reqwest::Method;
use serde_json::{Map, Value};

use crate::node::{Emitter, NodeContext};
use crate::salesforce::api::{Api, Body};
use crate::salesforce::operations::records::text_parameter;
use crate::salesforce::operations::sobject::SObject;
use crate::{Item, NodeError};

/// `POST /sobjects/note`: `{ Title, ParentId, Body?, OwnerId?, IsPrivate? }`. A lead's note sends
/// `Body` and `IsPrivate` only when truthy; the others send them whenever set (as n8n does).
pub async fn add_note(
    api: &Api<'_, '_>,
    ctx: &NodeContext<'_>,
    resource: &str,
    index: usize,
    out: &mut Emitter,
) -> Result<(), NodeError> {
    let object = SObject::of(ctx, resource, index)?;
    let mut body = Map::new();
    body.insert("Title".into(), ctx.parameter("title", index)?);
    body.insert(
        "ParentId".into(),
        Value::String(text_parameter(ctx, object.id_parameter, index)?),
    );
    let options = options(ctx, index)?;
    let truthy_only = resource == "lead";
    for (key, field) in [("body", "Body"), ("isPrivate", "IsPrivate")] {
        if let Some(value) = options.get(key)
            && (!truthy_only || is_truthy(value))
        {
            body.insert(field.into(), value.clone());
        }
    }
    if let Some(owner) = ["owner", "ownerId"]
        .iter()
        .find_map(|key| options.get(*key).and_then(locator_value))
    {
        body.insert("OwnerId".into(), Value::String(owner));
    }
    post(api, "note", body, index, out).await
}

/// `POST /sobjects/CampaignMember`: `{ LeadId | ContactId, CampaignId, Status? }`.
pub async fn add_to_campaign(
    api: &Api<'_, '_>,
    ctx: &NodeContext<'_>,
    resource: &str,
    index: usize,
    out: &mut Emitter,
) -> Result<(), NodeError> {
    let object = SObject::of(ctx, resource, index)?;
    let member_field = match resource {
        "lead" => "LeadId",
        _ => "ContactId",
    };
    let mut body = Map::new();
    body.insert(
        member_field.into(),
        Value::String(text_parameter(ctx, object.id_parameter, index)?),
    );
    body.insert("CampaignId".into(), ctx.parameter("campaignId", index)?);
    if let Some(status) = options(ctx, index)?.get("status").filter(|v| is_truthy(v)) {
        body.insert("Status".into(), status.clone());
    }
    post(api, "CampaignMember", body, index, out).await
}

/// `POST /sobjects/casecomment`: `{ ParentId, CommentBody?, IsPublished? }`.
pub async fn add_comment(
    api: &Api<'_, '_>,
    ctx: &NodeContext<'_>,
    index: usize,
    out: &mut Emitter,
) -> Result<(), NodeError> {
    let mut body = Map::new();
    body.insert(
        "ParentId".into(),
        Value::String(text_parameter(ctx, "caseId", index)?),
    );
    let options = options(ctx, index)?;
    for (key, field) in [
        ("commentBody", "CommentBody"),
        ("isPublished", "IsPublished"),
    ] {
        if let Some(value) = options.get(key) {
            body.insert(field.into(), value.clone());
        }
    }
    post(api, "casecomment", body, index, out).await
}

async fn post(
    api: &Api<'_, '_>,
    sobject: &str,
    body: Map<String, Value>,
    index: usize,
    out: &mut Emitter,
) -> Result<(), NodeError> {
    let url = api.url(&["sobjects", sobject]).await?;
    let answer = api
        .send(Method::POST, url, Body::Json(Value::Object(body)))
        .await?;
    out.emit(0, [Item::from_value(answer, index)]).await
}

fn options(ctx: &NodeContext<'_>, index: usize) -> Result<Map<String, Value>, NodeError> {
    Ok(match ctx.optional_parameter("options", index)? {
        Some(Value::Object(options)) => options,
        _ => Map::new(),
    })
}

/// JavaScript truthiness of a JSON value.
pub fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::Number(number) => number.as_f64().is_some_and(|n| n != 0.0 && !n.is_nan()),
        Value::String(text) => !text.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// A resource locator's value (`{ __rl, mode, value }` or a legacy string), when non-empty.
pub fn locator_value(value: &Value) -> Option<String> {
    let text = match value {
        Value::Object(locator) => locator.get("value")?,
        other => other,
    };
    match text {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}
