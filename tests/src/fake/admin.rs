//! The admin HTTP API, under `/__admin` on both hosts (documented in `README.md` next to this file).
//! It is not logged and faults never apply to it.

use super::control::RecordChange;
use super::faults::FaultRule;
use super::state::Fake;
use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

type Shared = State<Arc<Fake>>;

/// The admin routes (nested under `/__admin`).
pub fn routes() -> Router<Arc<Fake>> {
    Router::new()
        .route("/log", get(log).delete(reset_log))
        .route("/counters", get(counters))
        .route("/faults", get(faults).post(add_fault).delete(clear_faults))
        .route("/sessions/revoke", post(revoke_sessions))
        .route("/sessions/expire", post(expire_sessions))
        .route("/tokens/revoke", post(revoke_token))
        .route("/instance/move", post(move_instance))
        .route("/seed", post(seed))
        .route("/records/{id}", post(change_record))
        .route("/fls", post(fls))
        .route("/clock", get(clock).post(set_clock))
}

fn problem(message: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": message.into()})),
    )
        .into_response()
}

fn done(result: Result<(), String>) -> Response {
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => problem(e),
    }
}

async fn log(State(fake): Shared, Query(q): Query<HashMap<String, String>>) -> Response {
    let since = q.get("since").and_then(|s| s.parse().ok()).unwrap_or(0);
    Json(fake.log.lock().since(since)).into_response()
}

async fn reset_log(State(fake): Shared) -> StatusCode {
    fake.reset_log();
    StatusCode::NO_CONTENT
}

async fn counters(State(fake): Shared) -> Response {
    Json(fake.counters.lock().clone()).into_response()
}

async fn faults(State(fake): Shared) -> Response {
    Json(fake.faults.lock().list()).into_response()
}

async fn add_fault(State(fake): Shared, body: String) -> Response {
    match FaultRule::parse(&body) {
        Ok(rule) => {
            fake.inject(rule);
            StatusCode::CREATED.into_response()
        }
        Err(e) => problem(e),
    }
}

async fn clear_faults(State(fake): Shared) -> StatusCode {
    fake.faults.lock().clear();
    StatusCode::NO_CONTENT
}

async fn revoke_sessions(State(fake): Shared) -> StatusCode {
    fake.revoke_access_tokens();
    StatusCode::NO_CONTENT
}

async fn expire_sessions(State(fake): Shared) -> StatusCode {
    fake.expire_all_sessions();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct MoveBody {
    url: String,
}

async fn move_instance(State(fake): Shared, Json(body): Json<MoveBody>) -> StatusCode {
    fake.move_instance(&body.url);
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct TokenBody {
    token: String,
}

async fn revoke_token(State(fake): Shared, Json(body): Json<TokenBody>) -> Response {
    if fake.revoke_token(&body.token) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        problem("unknown token")
    }
}

#[derive(Deserialize)]
struct SeedBody {
    object: String,
    count: u64,
}

async fn seed(State(fake): Shared, Json(body): Json<SeedBody>) -> Response {
    done(fake.seed(&body.object, body.count))
}

async fn change_record(
    State(fake): Shared,
    Path(id): Path<String>,
    Json(change): Json<RecordChange>,
) -> Response {
    done(fake.change_record(&id, &change))
}

#[derive(Deserialize)]
struct FlsBody {
    field: String,
    hidden: bool,
}

async fn fls(State(fake): Shared, Json(body): Json<FlsBody>) -> Response {
    done(fake.set_field_hidden(&body.field, body.hidden))
}

fn clock_json(fake: &Fake) -> Response {
    let now = fake.now();
    Json(json!({"now": super::clock::format_datetime(now), "now_ms": now})).into_response()
}

async fn clock(State(fake): Shared) -> Response {
    clock_json(&fake)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockBody {
    #[serde(default)]
    advance_ms: Option<i64>,
    #[serde(default)]
    now: Option<String>,
}

async fn set_clock(State(fake): Shared, Json(body): Json<ClockBody>) -> Response {
    if let Some(ms) = body.advance_ms {
        fake.clock.advance(ms);
    }
    if let Some(text) = body.now {
        match super::clock::parse_datetime(&text) {
            Some(ms) => fake.clock.set(ms),
            None => return problem(format!("bad dateTime '{text}'")),
        }
    }
    clock_json(&fake)
}
