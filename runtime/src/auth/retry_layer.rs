//! The retry layer: idempotent calls only; 429, 5xx, the concurrent-request 403 and connection
//! errors; `Retry-After` honoured; full-jitter exponential backoff, capped in attempts and time.
//! The daily-quota 403 (`TotalRequests`) is final and passes through untouched.

use std::time::{Duration, Instant};

use http::Extensions;
use rand::Rng;
use reqwest::{Method, Request, Response, StatusCode};
use reqwest_middleware::{Middleware, Next, Result};

use crate::auth::response_body::peek;

/// How hard to retry.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// The first backoff ceiling; doubles per attempt.
    pub base_delay: Duration,
    /// The largest single wait.
    pub max_delay: Duration,
    /// No retry starts after this much time since the first attempt.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_elapsed: Duration::from_secs(60),
        }
    }
}

/// The middleware.
pub struct RetryLayer {
    policy: RetryPolicy,
}

impl RetryLayer {
    /// A layer with `policy`.
    pub fn new(policy: RetryPolicy) -> Self {
        Self { policy }
    }

    fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.policy.max_delay);
        }
        let ceiling = self
            .policy
            .base_delay
            .saturating_mul(1 << attempt.min(16))
            .min(self.policy.max_delay);
        let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(rand::rng().random_range(0..=millis))
    }
}

/// GET, HEAD, OPTIONS, PUT, DELETE, and PATCH (Salesforce's PATCH by id or external id sets
/// fields, so repeating it is harmless). Never POST.
fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE | Method::PATCH
    )
}

enum Verdict {
    Done(Response),
    Retry(Response, Option<Duration>),
}

async fn judge(response: Response) -> Verdict {
    let status = response.status();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    match status {
        StatusCode::TOO_MANY_REQUESTS
        | StatusCode::INTERNAL_SERVER_ERROR
        | StatusCode::BAD_GATEWAY
        | StatusCode::SERVICE_UNAVAILABLE
        | StatusCode::GATEWAY_TIMEOUT => Verdict::Retry(response, retry_after),
        StatusCode::FORBIDDEN => {
            let (response, body) = peek(response).await;
            if body.contains("REQUEST_LIMIT_EXCEEDED") && body.contains("Concurrent") {
                Verdict::Retry(response, retry_after)
            } else {
                Verdict::Done(response)
            }
        }
        _ => Verdict::Done(response),
    }
}

#[async_trait::async_trait]
impl Middleware for RetryLayer {
    async fn handle(
        &self,
        request: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> Result<Response> {
        if !is_idempotent(request.method()) {
            return next.run(request, extensions).await;
        }
        let started = Instant::now();
        let mut request = request;
        let mut attempt = 1;
        loop {
            let Some(replay) = request.try_clone() else {
                return next.run(request, extensions).await;
            };
            let outcome = next.clone().run(request, extensions).await;
            let give_up =
                attempt >= self.policy.max_attempts || started.elapsed() >= self.policy.max_elapsed;
            let retry_after = match outcome {
                Ok(response) => match judge(response).await {
                    Verdict::Done(response) => return Ok(response),
                    Verdict::Retry(response, _) if give_up => return Ok(response),
                    Verdict::Retry(_, retry_after) => retry_after,
                },
                Err(error) if give_up || !is_transient(&error) => return Err(error),
                Err(_) => None,
            };
            tracing::debug!(attempt, method = %replay.method(), url = %replay.url(), "retrying");
            tokio::time::sleep(self.delay(attempt, retry_after)).await;
            request = replay;
            attempt += 1;
        }
    }
}

fn is_transient(error: &reqwest_middleware::Error) -> bool {
    match error {
        reqwest_middleware::Error::Reqwest(error) => {
            error.is_connect() || error.is_timeout() || error.is_request() || error.is_body()
        }
        reqwest_middleware::Error::Middleware(_) => false,
    }
}
