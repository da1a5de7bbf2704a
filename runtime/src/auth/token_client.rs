//! `TokenClient`: sends a scheme's token request and parses the answer. Retries only what the
//! token endpoint says may succeed later (5xx, "already being processed") and connection errors.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use weft_credentials::scheme::{Session, TokenError, TokenRequest, UnixTime, parse_token_response};

use crate::auth::response_body::read_at_most;
use crate::auth::{AuthError, ResolvedCredential};

const ATTEMPTS: u32 = 3;

/// The largest token response read (those with an OpenID `id_token` are a few KiB).
const MAX_TOKEN_RESPONSE: usize = 64 * 1024;

/// Posts token requests. Does not follow redirects: a token endpoint that redirects is
/// misconfigured, and a redirect must not carry a client secret elsewhere.
/// The HTTP client is built on the first token request: building one loads the system's root
/// certificates, which a run with a cached session never needs.
#[derive(Clone, Debug, Default)]
pub struct TokenClient {
    http: Arc<OnceLock<reqwest::Client>>,
}

impl TokenClient {
    /// A client with a 30 s timeout and no redirects.
    pub fn new() -> Self {
        Self::default()
    }

    fn http(&self) -> &reqwest::Client {
        self.http.get_or_init(|| {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(30))
                .build()
                .expect("a TLS backend is compiled in")
        })
    }

    /// Mints a new session for `credential`, renewing `previous` when there is one.
    pub async fn mint(
        &self,
        credential: &ResolvedCredential,
        previous: Option<&Session>,
    ) -> Result<Session, AuthError> {
        let request = credential
            .scheme()?
            .token_request(&credential.data, previous, now())
            .map_err(|error| AuthError::Scheme {
                credential: credential.name.clone(),
                error,
            })?;
        self.send(credential, &request, previous).await
    }

    /// Sends `request` for `credential` and parses the answer over `previous`.
    pub async fn send(
        &self,
        credential: &ResolvedCredential,
        request: &TokenRequest,
        previous: Option<&Session>,
    ) -> Result<Session, AuthError> {
        let instance = credential.scheme()?.instance_url(&credential.data);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut builder = self
                .http()
                .post(request.url.clone())
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(ACCEPT, "application/json")
                .body(request.body());
            if let Some(authorization) = request.authorization_header() {
                builder = builder.header(AUTHORIZATION, authorization.expose());
            }
            let outcome = match builder.send().await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let parsed = match read_at_most(response, MAX_TOKEN_RESPONSE).await {
                        Some(body) => parse_token_response(status, &body, previous, &instance),
                        None => Err(TokenError::unreadable(status, "a body over 64 KiB")),
                    };
                    match parsed {
                        Ok(session) => return Ok(session),
                        Err(error) if error.is_retryable() && attempt < ATTEMPTS => Ok(()),
                        Err(error) => Err(AuthError::Token {
                            credential: credential.name.clone(),
                            hint: credential.credential_type.policy.token_error_hint(&error),
                            error,
                        }),
                    }
                }
                Err(error) if (error.is_connect() || error.is_timeout()) && attempt < ATTEMPTS => {
                    Ok(())
                }
                Err(error) => Err(AuthError::Unreachable {
                    credential: credential.name.clone(),
                    url: request.url.to_string(),
                    reason: error.without_url().to_string(),
                }),
            };
            outcome?;
            tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
        }
    }
}

fn now() -> UnixTime {
    UnixTime(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs()),
    )
}
