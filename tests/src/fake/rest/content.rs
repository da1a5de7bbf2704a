//! Files: the multipart form of `POST sobjects/ContentVersion` (part `entity_content` with the JSON
//! fields, part `VersionData` with the bytes), and the ContentDocument that every new
//! ContentVersion gets, with its derived fields (extension, size, version number).

use super::Req;
use crate::fake::error::ApiError;
use crate::fake::ids;
use crate::fake::store::Store;
use crate::fake::value::Value;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart};
use axum::http::header;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value as Json};

fn malformed(text: impl Into<String>) -> ApiError {
    ApiError::bad("INVALID_MULTIPART_REQUEST", text)
}

/// The record fields of a multipart create, with the binary part as base64 under its part name.
pub async fn multipart_body(req: &Req) -> Result<Map<String, Json>, ApiError> {
    let content_type = req
        .headers
        .get(header::CONTENT_TYPE)
        .cloned()
        .ok_or_else(|| malformed("missing content type"))?;
    let request = axum::http::Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(req.body.clone()))
        .map_err(|e| malformed(e.to_string()))?;
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|e| malformed(e.body_text()))?;
    let mut fields = None;
    let mut blobs = Vec::new();
    while let Some(part) = multipart
        .next_field()
        .await
        .map_err(|e| malformed(e.body_text()))?
    {
        let name = part.name().unwrap_or_default().to_string();
        let bytes = part.bytes().await.map_err(|e| malformed(e.body_text()))?;
        if name == "entity_content" || name.eq_ignore_ascii_case("entity_document") {
            let json: Json = serde_json::from_slice(&bytes)
                .map_err(|e| ApiError::bad("JSON_PARSER_ERROR", e.to_string()))?;
            fields = Some(super::sobjects::object(json)?);
        } else {
            blobs.push((name, STANDARD.encode(&bytes)));
        }
    }
    let mut fields = fields.ok_or_else(|| malformed("The entity_content part is required"))?;
    for (name, data) in blobs {
        fields.insert(name, Json::String(data));
    }
    Ok(fields)
}

/// Side effects of creating a record: a ContentVersion gets its ContentDocument.
pub fn after_insert(store: &mut Store, t: usize, n: u64, now: i64) {
    if store.get(t).def.name != "ContentVersion" {
        return;
    }
    let Some(docs) = store.table("ContentDocument") else {
        return;
    };
    let field = |store: &Store, table: usize, name: &str| store.get(table).def.system(name);
    let Some(row) = store.materialize(t, n) else {
        return;
    };
    let values = row.values.clone();
    let get = |name: &str| field(store, t, name).map(|i| &values[i]);
    let path = get("PathOnClient")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let size = get("VersionData")
        .and_then(Value::as_str)
        .map_or(0, |b| STANDARD.decode(b).map_or(0, |d| d.len()));
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let title = match get("Title").and_then(Value::as_str) {
        Some(t) => t.to_string(),
        None => path
            .rsplit_once('.')
            .map_or(path.clone(), |(stem, _)| stem.to_string()),
    };
    let version_id = ids::make(&store.get(t).def.key_prefix, n);
    let doc_values: Vec<(usize, Value)> = [
        ("Title", Value::Str(title.clone())),
        ("FileExtension", Value::Str(extension.clone())),
        ("ContentSize", Value::Int(size as i64)),
        ("LatestPublishedVersionId", Value::Str(version_id)),
    ]
    .into_iter()
    .filter_map(|(name, v)| Some((field(store, docs, name)?, v)))
    .collect();
    let doc = store.insert(docs, doc_values, now);
    let doc_id = ids::make(&store.get(docs).def.key_prefix, doc);
    let updates: Vec<(usize, Value)> = [
        ("ContentDocumentId", Value::Str(doc_id)),
        ("Title", Value::Str(title)),
        ("FileExtension", Value::Str(extension)),
        ("ContentSize", Value::Int(size as i64)),
        ("VersionNumber", Value::Str("1".into())),
        ("IsLatest", Value::Bool(true)),
    ]
    .into_iter()
    .filter_map(|(name, v)| Some((field(store, t, name)?, v)))
    .collect();
    if let Some(row) = store.materialize(t, n) {
        for (i, v) in updates {
            row.values[i] = v;
        }
    }
}
