//! The routes and the layers around them: panics become a 500 with a JSON body, bodies are
//! limited, every request passes the guard, every response gets the security headers.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;

use super::api_error::ApiError;
use super::body::MAX_BODY;
use super::state::AppState;
use super::{assets, connect, credentials, guard, headers, test_action, types};

/// The application.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/api/types", get(types::list))
        .route(
            "/api/credentials",
            get(credentials::list).post(credentials::add),
        )
        .route(
            "/api/credentials/{id}",
            get(credentials::read)
                .put(credentials::edit)
                .delete(credentials::remove),
        )
        .route("/api/credentials/{id}/test", post(test_action::test))
        .route("/api/credentials/{id}/connect", post(connect::start))
        .route("/callback", get(connect::callback))
        .fallback(assets::serve)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            guard::guard,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(CatchPanicLayer::custom(|_| panicked()))
        .layer(middleware::map_response(headers::secure))
        .with_state(state)
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "this address does not take that method",
        "the page uses GET to read, POST to add, PUT to edit and DELETE to remove",
    )
}

fn panicked() -> Response {
    ApiError::internal("weft failed while answering (a bug)").into_response()
}
