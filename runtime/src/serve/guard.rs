//! The checks in front of every request:
//!
//! - `Host` must be an address the server listens on (a DNS-rebinding page names its own host);
//! - `/api/` calls must carry the launch token (`Authorization: Bearer`), and come from the page
//!   itself: an `Origin` or `Sec-Fetch-Site` naming another site is refused, and a state-changing
//!   call (any method but GET and HEAD) must carry this server's own `Origin`.
//!
//! `/callback` needs no token: the authorization server's redirect cannot carry one; the one-time `state` it
//! must echo stands for it.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::api_error::ApiError;
use super::state::AppState;

/// The middleware: refuses a request that fails a check, else passes it on.
pub async fn guard(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    match check(
        &state,
        request.method(),
        request.uri().path(),
        request.headers(),
    ) {
        Ok(()) => next.run(request).await,
        Err(error) => error.into_response(),
    }
}

fn check(
    state: &AppState,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
) -> Result<(), ApiError> {
    let host = text(headers, header::HOST.as_str()).unwrap_or_default();
    if !state.hosts.allows(host) {
        return Err(ApiError::new(
            StatusCode::MISDIRECTED_REQUEST,
            "this server does not answer to that host name",
            "open the address `weft serve` printed",
        ));
    }
    if !path.starts_with("/api/") {
        return Ok(());
    }
    let authorised = text(headers, header::AUTHORIZATION.as_str())
        .is_some_and(|value| state.token.matches_header(value));
    if !authorised {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "this call needs the launch token",
            "open the address `weft serve` printed: it carries the token (after #token=)",
        ));
    }
    let own_origin = format!("http://{host}");
    let origin = text(headers, header::ORIGIN.as_str());
    let cross_site =
        text(headers, "sec-fetch-site").is_some_and(|site| site != "same-origin" && site != "none");
    let foreign_origin = origin.is_some_and(|origin| origin != own_origin)
        || headers.get_all(header::ORIGIN).iter().count() > 1;
    let state_changing = method != Method::GET && method != Method::HEAD;
    if cross_site || foreign_origin || (state_changing && origin.is_none()) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "calls from another origin are refused",
            format!(
                "use the page at {own_origin}/; a call that changes something must carry Origin: {own_origin}"
            ),
        ));
    }
    Ok(())
}

fn text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}
