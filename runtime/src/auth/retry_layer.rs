//! The retry layer: the mechanism of retrying, with the credential type's policy
//! (`ApiPolicy`) deciding which methods may be repeated and which answers are worth another
//! attempt; connection errors are retried too. `Retry-After` honoured; full-jitter exponential
//! backoff, capped in attempts and time. A final answer passes through untouched.

use std::time::{Duration, Instant};

use http::Extensions;
use rand::Rng;
use reqwest::{Request, Response};
use reqwest_middleware::{Middleware, Next, Result};
use weft_credentials::ApiPolicy;

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

/// The middleware, one per credential.
pub struct RetryLayer {
    policy: RetryPolicy,
    api: &'static dyn ApiPolicy,
}

impl RetryLayer {
    /// A layer retrying as hard as `policy` says what `api` (the credential type's) calls
    /// retryable.
    pub fn new(policy: RetryPolicy, api: &'static dyn ApiPolicy) -> Self {
        Self { policy, api }
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

enum Verdict {
    Done(Response),
    Retry(Response, Option<Duration>),
}

/// The policy's verdict on `response`, reading its body only when the policy asks for it.
async fn judge(api: &dyn ApiPolicy, response: Response) -> Verdict {
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let (response, body) = if api.reads_body(status) {
        peek(response).await
    } else {
        (response, String::new())
    };
    if api.is_retryable(status, &body) {
        Verdict::Retry(response, retry_after)
    } else {
        Verdict::Done(response)
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
        if !self.api.is_idempotent(request.method().as_str()) {
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
                Ok(response) => match judge(self.api, response).await {
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
