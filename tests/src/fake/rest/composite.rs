//! sObject Collections (`composite/sobjects`): create (POST), update (PATCH), delete (DELETE
//! `?ids=`) and retrieve (GET `/{Type}?ids=&fields=`) up to 200 records. Per-record results use
//! `statusCode`; with `allOrNone` one failure rolls back every record.

use super::input::{Mode, prepare};
use super::sobjects::live;
use super::{Answer, Req, json};
use crate::fake::error::ApiError;
use crate::fake::ids;
use crate::fake::render::{View, named_fields};
use crate::fake::store::Store;
use crate::fake::value::Value;
use axum::http::{Method, StatusCode};
use serde_json::{Map, Value as Json, json};

const MAX_RECORDS: usize = 200;

/// A validated write, ready to apply.
enum Write {
    Insert(usize, Vec<(usize, Value)>),
    Update(usize, u64, Vec<(usize, Value)>),
    Delete(usize, u64),
}

/// Routes `composite/sobjects[/...]`.
pub fn sobjects(req: &Req, rest: &[&str]) -> Answer {
    match (&req.method, rest) {
        (&Method::POST, []) => write(req, Mode::Create),
        (&Method::PATCH, []) => write(req, Mode::Update(0)),
        (&Method::DELETE, []) => delete(req),
        (&Method::GET, [object]) => retrieve(req, object),
        _ => Err(ApiError::not_found()),
    }
}

fn too_many() -> ApiError {
    ApiError::bad(
        "EXCEEDED_ID_LIMIT",
        format!(
            "record limit reached. cannot submit more than {MAX_RECORDS} records into this call"
        ),
    )
}

fn write(req: &Req, mode: Mode) -> Answer {
    let body = req.json()?;
    let all_or_none = body
        .get("allOrNone")
        .and_then(Json::as_bool)
        .unwrap_or(false);
    let records = body
        .get("records")
        .and_then(Json::as_array)
        .ok_or_else(|| {
            ApiError::bad(
                "JSON_PARSER_ERROR",
                "The request body must contain a records array",
            )
        })?;
    if records.len() > MAX_RECORDS {
        return Err(too_many());
    }
    let now = req.fake.now();
    for record in records {
        if let Some(name) = record.pointer("/attributes/type").and_then(Json::as_str) {
            req.fake.object(name);
        }
    }
    let mut store = req.fake.store.write();
    let planned: Vec<Result<Write, ApiError>> = records
        .iter()
        .map(|r| plan_write(&store, r, mode, now))
        .collect();
    Ok(json(
        StatusCode::OK,
        &apply(&mut store, planned, all_or_none, now),
    ))
}

fn plan_write(store: &Store, record: &Json, mode: Mode, now: i64) -> Result<Write, ApiError> {
    let mut map: Map<String, Json> = record
        .as_object()
        .cloned()
        .ok_or_else(|| ApiError::bad("JSON_PARSER_ERROR", "Each record must be an object"))?;
    let object = record
        .pointer("/attributes/type")
        .and_then(Json::as_str)
        .ok_or_else(|| {
            ApiError::bad(
                "INVALID_TYPE",
                "Must specify a type in the attributes of each record",
            )
        })?;
    let t = store.table(object).ok_or_else(|| {
        ApiError::bad(
            "INVALID_TYPE",
            format!("sObject type '{object}' is not supported."),
        )
    })?;
    let id_key = map.keys().find(|k| k.eq_ignore_ascii_case("Id")).cloned();
    let id = id_key.and_then(|k| map.remove(&k));
    match (mode, id) {
        (Mode::Create, None) => Ok(Write::Insert(
            t,
            prepare(store, t, &map, Mode::Create, now)?,
        )),
        (Mode::Create, Some(_)) => Err(ApiError::field(
            "INVALID_FIELD",
            "cannot specify Id in an insert call",
            vec!["Id".into()],
        )),
        (Mode::Update(_), Some(Json::String(id))) => {
            let n = live(store, t, &id, now)
                .map_err(|e| ApiError::field(e.code, e.message, Vec::new()))?;
            Ok(Write::Update(
                t,
                n,
                prepare(store, t, &map, Mode::Update(n), now)?,
            ))
        }
        (Mode::Update(_), _) => Err(ApiError::field(
            "MISSING_ARGUMENT",
            "Id not specified in an update call",
            Vec::new(),
        )),
    }
}

fn apply(
    store: &mut Store,
    planned: Vec<Result<Write, ApiError>>,
    all_or_none: bool,
    now: i64,
) -> Vec<Json> {
    let rolled_back = all_or_none && planned.iter().any(Result::is_err);
    planned
        .into_iter()
        .map(|write| match write {
            Err(e) => json!({"success": false, "errors": [e.record_entry()]}),
            Ok(_) if rolled_back => json!({"success": false, "errors": [ApiError::field(
                "ALL_OR_NONE_OPERATION_ROLLED_BACK",
                "Record rolled back because not all records were valid and the request was using AllOrNone header",
                Vec::new(),
            ).record_entry()]}),
            Ok(write) => {
                let (t, n) = match write {
                    Write::Insert(t, values) => (t, store.insert(t, values, now)),
                    Write::Update(t, n, values) => {
                        store.update(t, n, values, now);
                        (t, n)
                    }
                    Write::Delete(t, n) => {
                        store.delete(t, n, now);
                        (t, n)
                    }
                };
                json!({"id": ids::make(&store.get(t).def.key_prefix, n), "success": true, "errors": []})
            }
        })
        .collect()
}

fn id_list(req: &Req) -> Result<Vec<String>, ApiError> {
    let ids: Vec<String> = req
        .query
        .get("ids")
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if ids.is_empty() {
        return Err(ApiError::bad(
            "MISSING_ARGUMENT",
            "ids parameter is required",
        ));
    }
    if ids.len() > MAX_RECORDS {
        return Err(too_many());
    }
    Ok(ids)
}

fn delete(req: &Req) -> Answer {
    let ids = id_list(req)?;
    let all_or_none = req.query.get("allOrNone").is_some_and(|v| v == "true");
    let now = req.fake.now();
    let mut store = req.fake.store.write();
    let planned = ids
        .iter()
        .map(|id| {
            let (t, _) = store.locate(id).ok_or_else(|| {
                ApiError::field(
                    "INVALID_CROSS_REFERENCE_KEY",
                    "invalid cross reference id",
                    Vec::new(),
                )
            })?;
            let n = live(&store, t, id, now)
                .map_err(|e| ApiError::field(e.code, e.message, Vec::new()))?;
            Ok(Write::Delete(t, n))
        })
        .collect();
    Ok(json(
        StatusCode::OK,
        &apply(&mut store, planned, all_or_none, now),
    ))
}

fn retrieve(req: &Req, object: &str) -> Answer {
    let t = req.fake.object(object).ok_or_else(ApiError::not_found)?;
    let ids = id_list(req)?;
    let now = req.fake.now();
    let store = req.fake.store.read();
    let fields = req
        .query
        .get("fields")
        .ok_or_else(|| ApiError::bad("MISSING_ARGUMENT", "fields parameter is required"))?;
    let items = named_fields(&store, t, fields)?;
    let view = View::new(&store, t, &items, &req.version, now);
    let records: Vec<Json> = ids
        .iter()
        .map(|id| {
            store
                .record(id, now)
                .filter(|(rt, _, row)| *rt == t && !row.is_deleted())
                .and_then(|(_, _, row)| serde_json::to_value(view.record(row)).ok())
                .unwrap_or(Json::Null)
        })
        .collect();
    Ok(json(StatusCode::OK, &records))
}
