//! Document upload: a multipart `POST /sobjects/ContentVersion` with the `entity_content` JSON part
//! and the file as `VersionData`.

use reqwest::Method;
use serde_json::{Map, Value};

use crate::node::{Emitter, NodeContext};
use crate::salesforce::api::{Api, Body};
use crate::salesforce::operations::binary::{binary, bytes};
use crate::salesforce::operations::related::locator_value;
use crate::{Item, NodeError};

/// Uploads the item's binary property as a ContentVersion titled `title`.
pub async fn upload(
    api: &Api<'_, '_>,
    ctx: &NodeContext<'_>,
    index: usize,
    out: &mut Emitter,
) -> Result<(), NodeError> {
    let title: String = ctx.parameter_as("title", index)?;
    let property: String = ctx.parameter_as("binaryPropertyName", index)?;
    let data = binary(ctx, &property, index)?;
    let content = bytes(data)?;
    let additional = match ctx.optional_parameter("additionalFields", index)? {
        Some(Value::Object(fields)) => fields,
        _ => Map::new(),
    };
    let extension = additional
        .get("fileExtension")
        .and_then(Value::as_str)
        .filter(|extension| !extension.is_empty())
        .map(str::to_owned)
        .or_else(|| data.file_extension.clone());
    let path_on_client = match extension {
        Some(extension) => format!("{title}.{extension}"),
        None => title.clone(),
    };
    let mut entity = Map::new();
    entity.insert("Title".into(), Value::String(title));
    entity.insert("ContentLocation".into(), Value::String("S".into()));
    if let Some(owner) = additional.get("ownerId").and_then(locator_value) {
        entity.insert("ownerId".into(), Value::String(owner));
    }
    if let Some(link) = additional.get("linkToObjectId").and_then(locator_value) {
        entity.insert("FirstPublishLocationId".into(), Value::String(link));
    }
    entity.insert("PathOnClient".into(), Value::String(path_on_client.clone()));
    let body = multipart(
        &Value::Object(entity).to_string(),
        &path_on_client,
        &data.mime_type,
        &content,
    );
    let url = api.url(&["sobjects", "ContentVersion"]).await?;
    let answer = api.send(Method::POST, url, body).await?;
    out.emit(0, [Item::from_value(answer, index)]).await
}

/// The `multipart/form-data` body: the `entity_content` JSON part, then the file as `VersionData`.
/// Built in memory (uploads are small) so a request refused with 401 can be replayed once.
fn multipart(entity: &str, file_name: &str, mime_type: &str, content: &[u8]) -> Body {
    let boundary = (0u32..)
        .map(|n| format!("weft-boundary-{n:08x}"))
        .find(|boundary| {
            !content
                .windows(boundary.len())
                .any(|window| window == boundary.as_bytes())
        })
        .expect("some boundary does not occur in the content");
    let file_name = file_name.replace('"', "%22");
    let mut bytes = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"entity_content\"\r\nContent-Type: application/json\r\n\r\n{entity}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"VersionData\"; filename=\"{file_name}\"\r\nContent-Type: {mime_type}\r\n\r\n"
    )
    .into_bytes();
    bytes.extend_from_slice(content);
    bytes.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Body::Bytes {
        content_type: format!("multipart/form-data; boundary={boundary}"),
        bytes,
    }
}
