//! The REST API under `/services/data/vXX.X/`: version checks, authentication, API-call counting,
//! `Sforce-Limit-Info`, and dispatch to the resource handlers.

mod composite;
mod content;
mod flows;
mod input;
mod misc;
mod sobjects;

use super::error::ApiError;
use super::log::HostRole;
use super::oauth::bearer;
use super::oauth::tokens::Session;
use super::server::Conn;
use super::state::Fake;
use super::{query, sosl};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// The REST routes.
pub fn routes() -> Router<Arc<Fake>> {
    Router::new()
        .route("/services/data", get(misc::versions))
        .route("/services/data/", get(misc::versions))
        .route("/services/data/{*rest}", any(data))
}

/// An authenticated REST request.
pub struct Req {
    pub fake: Arc<Fake>,
    /// The requested version without the `v`, e.g. `66.0`.
    pub version: String,
    pub major: u32,
    pub method: Method,
    pub headers: HeaderMap,
    pub query: HashMap<String, String>,
    pub body: Bytes,
    pub session: Session,
}

impl Req {
    /// The body as a JSON value; an empty body is `{}` (n8n sends PATCH without a body).
    pub fn json(&self) -> Result<serde_json::Value, ApiError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(serde_json::json!({}));
        }
        serde_json::from_slice(&self.body).map_err(|e| {
            ApiError::bad(
                "JSON_PARSER_ERROR",
                format!(
                    "Unexpected character: {e} at [line:{}, column:{}]",
                    e.line(),
                    e.column()
                ),
            )
        })
    }
}

/// A JSON answer with Salesforce's content type.
pub fn json<T: Serialize + ?Sized>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
            bytes,
        )
            .into_response(),
        Err(e) => error_response(&ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "UNKNOWN_EXCEPTION",
            e.to_string(),
        )),
    }
}

/// The error array answer.
pub fn error_response(error: &ApiError) -> Response {
    let body = error.body();
    (
        error.status,
        [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
        body.to_string(),
    )
        .into_response()
}

/// Result of a resource handler.
pub type Answer = Result<Response, ApiError>;

async fn data(State(fake): State<Arc<Fake>>, request: Request) -> Response {
    let role = request
        .extensions()
        .get::<Conn>()
        .map_or(HostRole::Instance, |c| c.role);
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let path = parts.uri.path().trim_start_matches("/services/data/");
    let mut segments: Vec<String> = path
        .split('/')
        .map(|s| urlencoding::decode(s).map_or_else(|_| s.to_string(), |d| d.into_owned()))
        .collect();
    if segments.last().is_some_and(String::is_empty) {
        segments.pop();
    }
    let version_segment = segments.first().cloned().unwrap_or_default();
    let major = match check_version(&fake, &version_segment) {
        Ok(major) => major,
        Err(e) => return error_response(&e),
    };
    let session = (role == HostRole::Instance)
        .then(|| bearer(&parts.headers))
        .flatten()
        .and_then(|t| fake.tokens.lock().session(t, fake.now()).cloned());
    let Some(session) = session else {
        return error_response(&ApiError::invalid_session());
    };
    fake.counters.lock().api_calls += 1;
    let req = Req {
        version: version_segment.trim_start_matches('v').to_string(),
        major,
        method: parts.method,
        query: parts
            .uri
            .query()
            .map(|q| super::oauth::form(q.as_bytes()))
            .unwrap_or_default(),
        headers: parts.headers,
        body,
        session,
        fake,
    };
    let rest: Vec<&str> = segments.iter().skip(1).map(String::as_str).collect();
    let answer = dispatch(&req, &rest).await;
    let mut response = answer.unwrap_or_else(|e| error_response(&e));
    let usage = format!(
        "api-usage={}/{}",
        req.fake.api_usage(),
        req.fake.config.daily_api_limit
    );
    if let Ok(value) = HeaderValue::from_str(&usage) {
        response.headers_mut().insert("sforce-limit-info", value);
    }
    response
}

/// `v66.0` → 66; retired versions answer 410, unknown ones 404.
fn check_version(fake: &Fake, segment: &str) -> Result<u32, ApiError> {
    let major = segment
        .strip_prefix('v')
        .and_then(|v| v.strip_suffix(".0"))
        .and_then(|m| m.parse::<u32>().ok())
        .ok_or_else(ApiError::not_found)?;
    if major < fake.config.min_api_version {
        return Err(ApiError::new(
            StatusCode::GONE,
            "API_VERSION_RETIRED",
            format!("Version {major}.0 of the API is no longer supported"),
        ));
    }
    if major > fake.config.max_api_version {
        return Err(ApiError::not_found());
    }
    Ok(major)
}

async fn dispatch(req: &Req, rest: &[&str]) -> Answer {
    let Some((head, tail)) = rest.split_first() else {
        return misc::resources(req);
    };
    match head.to_ascii_lowercase().as_str() {
        "sobjects" => sobjects::handle(req, tail).await,
        "query" => query::handle(req, false, tail),
        "queryall" => query::handle(req, true, tail),
        "search" => sosl::search(req),
        "parameterizedsearch" => sosl::parameterized(req),
        "composite"
            if tail
                .first()
                .is_some_and(|t| t.eq_ignore_ascii_case("sobjects")) =>
        {
            composite::sobjects(req, &tail[1..])
        }
        "actions" => flows::handle(req, tail),
        "limits" => misc::limits(req),
        _ => Err(ApiError::not_found()),
    }
}
