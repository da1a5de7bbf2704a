//! The tracing layer: one debug event per HTTP exchange (method, URL without its query, status,
//! time). Headers and bodies are never logged, so no token can reach a log.

use std::time::Instant;

use http::Extensions;
use reqwest::{Request, Response};
use reqwest_middleware::{Middleware, Next, Result};

/// The middleware.
pub struct TraceLayer;

#[async_trait::async_trait]
impl Middleware for TraceLayer {
    async fn handle(
        &self,
        request: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> Result<Response> {
        if !tracing::enabled!(tracing::Level::DEBUG) {
            return next.run(request, extensions).await;
        }
        let method = request.method().clone();
        let mut url = request.url().clone();
        url.set_query(None);
        let started = Instant::now();
        let outcome = next.run(request, extensions).await;
        let elapsed_ms = started.elapsed().as_millis();
        match &outcome {
            Ok(response) => {
                tracing::debug!(%method, %url, status = response.status().as_u16(), elapsed_ms, "http")
            }
            Err(error) => tracing::debug!(%method, %url, error = %error, elapsed_ms, "http failed"),
        }
        outcome
    }
}
