//! `sobjects`: global describe, basic info, describe, create, read (with `?fields=`), update,
//! delete, upsert and read by external id, and blob fields (`Attachment/{id}/Body`).

use super::input::{Mode, prepare};
use super::{Answer, Req, content, json};
use crate::fake::error::ApiError;
use crate::fake::render::{self, Item, View};
use crate::fake::store::{ID, Store};
use crate::fake::value::Value;
use axum::http::{Method, StatusCode, header};
use axum::response::IntoResponse;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value as Json, json};

/// Routes `sobjects/...`.
pub async fn handle(req: &Req, rest: &[&str]) -> Answer {
    let Some((name, rest)) = rest.split_first() else {
        return global(req);
    };
    let t = req.fake.object(name).ok_or_else(ApiError::not_found)?;
    match (&req.method, rest) {
        (&Method::GET, []) => summary(req, t),
        (&Method::POST, []) => create(req, t).await,
        (&Method::GET, [d]) if d.eq_ignore_ascii_case("describe") => describe(req, t),
        (&Method::GET, [id]) => read(req, t, id),
        (&Method::PATCH, [id]) => update(req, t, id),
        (&Method::DELETE, [id]) => delete(req, t, id),
        (&Method::PATCH, [field, value]) => upsert(req, t, field, value),
        (&Method::GET, [field, value]) if !is_blob(req, t, value) => {
            by_external_id(req, t, field, value)
        }
        (&Method::GET, [id, field]) => blob(req, t, id, field),
        _ => Err(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            format!(
                "HTTP Method '{}' not allowed. Allowed are HEAD,GET,POST,PATCH,DELETE",
                req.method
            ),
        )),
    }
}

fn global(req: &Req) -> Answer {
    let store = req.fake.store.read();
    let list: Vec<Json> = store
        .tables()
        .iter()
        .map(|t| t.def.summary(&req.version))
        .collect();
    Ok(json(
        StatusCode::OK,
        &json!({"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": list}),
    ))
}

fn summary(req: &Req, t: usize) -> Answer {
    let store = req.fake.store.read();
    let table = store.get(t);
    let mut recent: Vec<u64> = table.recent().collect();
    if recent.is_empty() {
        recent = table.numbers().take(2).collect();
    }
    let items: Vec<Item> = ["Id", "Name"]
        .iter()
        .filter_map(|n| table.def.field(n))
        .map(|(idx, f)| Item::Field {
            name: f.name.clone(),
            idx,
        })
        .collect();
    let records = render::RecordsJson {
        view: View::new(&store, t, &items, &req.version, req.fake.now()),
        numbers: &recent,
    };
    let body = json!({"objectDescribe": table.def.summary(&req.version), "recentItems": records_value(&records)?});
    Ok(json(StatusCode::OK, &body))
}

fn records_value(records: &render::RecordsJson<'_>) -> Result<Json, ApiError> {
    serde_json::to_value(records).map_err(|e| ApiError::bad("UNKNOWN_EXCEPTION", e.to_string()))
}

fn describe(req: &Req, t: usize) -> Answer {
    let store = req.fake.store.read();
    let def = &store.get(t).def;
    let children: Vec<(String, String, Option<String>)> = store
        .tables()
        .iter()
        .flat_map(|child| {
            child
                .def
                .visible()
                .map(|i| &child.def.fields[i])
                .filter(|f| f.reference_to.contains(&def.name) && !f.name.ends_with("ById"))
                .map(|f| {
                    let rel = if child.def.custom {
                        format!("{}__r", child.def.label_plural.replace(' ', "_"))
                    } else {
                        child.def.label_plural.replace(' ', "")
                    };
                    (child.def.name.clone(), f.name.clone(), Some(rel))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    Ok(json(StatusCode::OK, &def.describe(&req.version, &children)))
}

/// `POST sobjects/{Type}`: JSON body, or multipart for ContentVersion.
async fn create(req: &Req, t: usize) -> Answer {
    let multipart = req
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/"));
    let body = if multipart {
        content::multipart_body(req).await?
    } else {
        object(req.json()?)?
    };
    let id = insert(req, t, &body)?;
    Ok(json(
        StatusCode::CREATED,
        &json!({"id": id, "success": true, "errors": []}),
    ))
}

/// The body as a JSON object.
pub fn object(body: Json) -> Result<serde_json::Map<String, Json>, ApiError> {
    match body {
        Json::Object(map) => Ok(map),
        _ => Err(ApiError::bad(
            "JSON_PARSER_ERROR",
            "Cannot deserialize instance of object from START_ARRAY value",
        )),
    }
}

/// Validates and creates a record; returns its id.
pub fn insert(
    req: &Req,
    t: usize,
    body: &serde_json::Map<String, Json>,
) -> Result<String, ApiError> {
    let now = req.fake.now();
    let mut store = req.fake.store.write();
    let values = prepare(&store, t, body, Mode::Create, now)?;
    let n = store.insert(t, values, now);
    content::after_insert(&mut store, t, n, now);
    let table = store.get(t);
    Ok(crate::fake::ids::make(&table.def.key_prefix, n))
}

/// Finds a live record of table `t` by id (path form): 404s as Salesforce answers them.
pub fn live(store: &Store, t: usize, id: &str, now: i64) -> Result<u64, ApiError> {
    if crate::fake::ids::normalize(id).is_none() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("Provided external ID field does not exist or is not accessible: {id}"),
        ));
    }
    match store.record(id, now) {
        Some((rt, n, row)) if rt == t => {
            if row.is_deleted() {
                Err(ApiError {
                    fields: Some(Vec::new()),
                    ..ApiError::new(
                        StatusCode::NOT_FOUND,
                        "ENTITY_IS_DELETED",
                        "entity is deleted",
                    )
                })
            } else {
                Ok(n)
            }
        }
        _ => Err(ApiError::not_found()),
    }
}

fn read(req: &Req, t: usize, id: &str) -> Answer {
    let now = req.fake.now();
    let n = live(&req.fake.store.read(), t, id, now)?;
    req.fake.store.write().get_mut(t).touch(n);
    let store = req.fake.store.read();
    let items = match req.query.get("fields") {
        None => render::all_fields(&store, t),
        Some(list) => render::named_fields(&store, t, list)?,
    };
    render_one(req, &store, t, n, &items)
}

fn render_one(req: &Req, store: &Store, t: usize, n: u64, items: &[Item]) -> Answer {
    let now = req.fake.now();
    let row = store.get(t).row(n, now).ok_or_else(ApiError::not_found)?;
    Ok(json(
        StatusCode::OK,
        &View::new(store, t, items, &req.version, now).record(row),
    ))
}

/// Validates and applies an update of record `n`.
pub fn apply_update(
    req: &Req,
    t: usize,
    n: u64,
    body: &serde_json::Map<String, Json>,
) -> Result<(), ApiError> {
    let now = req.fake.now();
    let mut store = req.fake.store.write();
    let values = prepare(&store, t, body, Mode::Update(n), now)?;
    store.update(t, n, values, now);
    Ok(())
}

fn update(req: &Req, t: usize, id: &str) -> Answer {
    let body = object(req.json()?)?;
    let n = live(&req.fake.store.read(), t, id, req.fake.now())?;
    apply_update(req, t, n, &body)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn delete(req: &Req, t: usize, id: &str) -> Answer {
    let now = req.fake.now();
    let mut store = req.fake.store.write();
    let n = live(&store, t, id, now)?;
    store.delete(t, n, now);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Records of table `t` whose external id field (or `Id`) equals `value`; also the field index.
fn matches(
    req: &Req,
    t: usize,
    field: &str,
    value: &str,
) -> Result<(usize, Value, Vec<u64>), ApiError> {
    let now = req.fake.now();
    let store = req.fake.store.read();
    let def = &store.get(t).def;
    let not_accessible = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("Provided external ID field does not exist or is not accessible: {field}"),
        )
    };
    let (idx, f) = def
        .field(field)
        .filter(|(i, f)| f.external_id || *i == ID)
        .ok_or_else(not_accessible)?;
    if idx == ID {
        let found = store
            .record(value, now)
            .filter(|(rt, _, r)| *rt == t && !r.is_deleted());
        let id = crate::fake::ids::normalize(value).map_or(Value::Null, Value::Str);
        return Ok((idx, id, found.map(|(_, n, _)| n).into_iter().collect()));
    }
    let typed = Value::from_input(f, &Json::String(value.to_string()))?;
    let found = store.find(t, idx, &typed, now);
    Ok((idx, typed, found))
}

fn ambiguous(req: &Req, t: usize, found: &[u64]) -> Answer {
    let store = req.fake.store.read();
    let def = &store.get(t).def;
    let urls: Vec<String> = found
        .iter()
        .map(|&n| {
            render::record_url(
                &req.version,
                &def.name,
                &crate::fake::ids::make(&def.key_prefix, n),
            )
        })
        .collect();
    Ok(json(StatusCode::MULTIPLE_CHOICES, &urls))
}

fn upsert(req: &Req, t: usize, field: &str, value: &str) -> Answer {
    let mut body = object(req.json()?)?;
    let (idx, typed, found) = matches(req, t, field, value)?;
    let canonical = req.fake.store.read().get(t).def.fields[idx].name.clone();
    if body.keys().any(|k| k.eq_ignore_ascii_case(&canonical)) {
        return Err(ApiError::field(
            "INVALID_FIELD",
            format!(
                "The field {canonical} is the upsert key and cannot be set in the request body"
            ),
            vec![canonical],
        ));
    }
    let created_key = req.major >= 46;
    match found.as_slice() {
        [] if req.query.get("updateOnly").is_some_and(|v| v == "true") || idx == ID => {
            Err(ApiError::not_found())
        }
        [] => {
            body.insert(
                canonical,
                serde_json::to_value(&typed).unwrap_or(Json::Null),
            );
            let id = insert(req, t, &body)?;
            let mut out = json!({"id": id, "success": true, "errors": []});
            if created_key {
                out["created"] = true.into();
            }
            Ok(json(StatusCode::CREATED, &out))
        }
        [n] => {
            apply_update(req, t, *n, &body)?;
            if !created_key {
                return Ok(StatusCode::NO_CONTENT.into_response());
            }
            let prefix = req.fake.store.read().get(t).def.key_prefix.clone();
            let id = crate::fake::ids::make(&prefix, *n);
            Ok(json(
                StatusCode::OK,
                &json!({"id": id, "success": true, "errors": [], "created": false}),
            ))
        }
        many => ambiguous(req, t, many),
    }
}

fn by_external_id(req: &Req, t: usize, field: &str, value: &str) -> Answer {
    let (_, _, found) = matches(req, t, field, value)?;
    match found.as_slice() {
        [] => Err(ApiError::not_found()),
        [n] => {
            let store = req.fake.store.read();
            let items = render::all_fields(&store, t);
            render_one(req, &store, t, *n, &items)
        }
        many => ambiguous(req, t, many),
    }
}

/// Whether `field` names a base64 field of table `t` (so `{id}/{field}` is a blob request).
fn is_blob(req: &Req, t: usize, field: &str) -> bool {
    let store = req.fake.store.read();
    store
        .get(t)
        .def
        .field(field)
        .is_some_and(|(_, f)| f.kind == crate::fake::schema::FieldType::Base64)
}

fn blob(req: &Req, t: usize, id: &str, field: &str) -> Answer {
    let now = req.fake.now();
    let store = req.fake.store.read();
    let n = live(&store, t, id, now)?;
    let (idx, _) = store
        .get(t)
        .def
        .field(field)
        .ok_or_else(ApiError::not_found)?;
    let row = store.get(t).row(n, now).ok_or_else(ApiError::not_found)?;
    let bytes = match row.get(&store, idx).as_str() {
        Some(b64) => STANDARD.decode(b64).unwrap_or_default(),
        None => return Err(ApiError::not_found()),
    };
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/octet-stream")],
        bytes,
    )
        .into_response())
}
