//! The auth layer: attaches the bearer token only to the hosts the credential's type allows (the
//! session's instance host and the credential's token host, or every request the node makes
//! whose host the credential's allowed domains admit); on an answer the type's policy calls a
//! refused session (a 401 by default) it renews the session once and replays the request once,
//! moved to the new instance host if it changed. Never a loop. A request a redirect took to
//! another origin ([`WithoutCredential`]) gets no token.

use std::sync::Arc;

use http::Extensions;
use reqwest::header::AUTHORIZATION;
use reqwest::{Request, Response};
use reqwest_middleware::{Middleware, Next, Result};
use url::Url;
use weft_credentials::ApiPolicy;

use weft_credentials::scheme::TokenHosts;

use crate::auth::redirect_layer::{WithoutCredential, same_origin};
use crate::auth::response_body::peek;
use crate::auth::{CredentialSession, CurrentSession};

/// The middleware, one per credential.
pub struct AuthLayer {
    session: Arc<CredentialSession>,
    /// The credential's token endpoint, whose origin may also carry the token.
    token_url: Option<Url>,
    /// Which requests may carry the token, from the credential's type.
    hosts: TokenHosts,
    /// The type's policy: which answers mean the session was refused.
    api: &'static dyn ApiPolicy,
}

impl AuthLayer {
    /// A layer for `session`.
    pub fn new(session: Arc<CredentialSession>) -> Self {
        let credential = session.credential();
        let scheme = credential.scheme().ok();
        let token_url = scheme.and_then(|scheme| scheme.token_url(&credential.data).ok());
        let api = credential.credential_type.policy;
        let hosts = scheme.map_or(TokenHosts::SessionOrigins, |scheme| {
            scheme.token_hosts(&credential.data)
        });
        Self {
            session,
            token_url,
            hosts,
            api,
        }
    }

    /// Whether `url` may carry the token. Under [`TokenHosts::EveryRequest`] the request's host
    /// was checked against the allowed domains before the session was asked for.
    fn may_carry_token(&self, url: &Url, current: &CurrentSession) -> bool {
        if let TokenHosts::EveryRequest(_) = self.hosts {
            return true;
        }
        let instance = current.session.instance_url.as_ref();
        instance.is_some_and(|instance| same_origin(url, instance))
            || self
                .token_url
                .as_ref()
                .is_some_and(|token_url| same_origin(url, token_url))
    }

    fn authorize(&self, mut request: Request, current: &CurrentSession) -> Result<Request> {
        request.headers_mut().remove(AUTHORIZATION);
        if self.may_carry_token(request.url(), current) {
            let value = current
                .authorization()
                .cloned()
                .ok_or_else(|| middleware_error("the access token is not a valid header value"))?;
            request.headers_mut().insert(AUTHORIZATION, value);
        }
        Ok(request)
    }
}

#[async_trait::async_trait]
impl Middleware for AuthLayer {
    async fn handle(
        &self,
        request: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> Result<Response> {
        if let TokenHosts::EveryRequest(domains) = &self.hosts {
            domains.check(request.url()).map_err(|error| {
                reqwest_middleware::Error::Middleware(anyhow::anyhow!(error.to_string()))
            })?;
        }
        let current = self
            .session
            .current()
            .await
            .map_err(reqwest_middleware::Error::middleware)?;
        if extensions.get::<WithoutCredential>().is_some()
            || !self.may_carry_token(request.url(), &current)
        {
            return next.run(request, extensions).await;
        }
        let replay = request.try_clone();
        let request = self.authorize(request, &current)?;
        let response = next.clone().run(request, extensions).await?;
        let (response, refused) = session_refused(self.api, response).await;
        let Some(mut replay) = replay.filter(|_| refused) else {
            return Ok(response);
        };
        let renewed = self
            .session
            .renew(current.generation)
            .await
            .map_err(reqwest_middleware::Error::middleware)?;
        if let (Some(old), Some(new)) =
            (&current.session.instance_url, &renewed.session.instance_url)
        {
            move_to_origin(&mut replay, old, new);
        }
        let replay = self.authorize(replay, &renewed)?;
        next.run(replay, extensions).await
    }
}

/// Whether `api` calls `response` a refused session, reading its body only when asked to.
async fn session_refused(api: &dyn ApiPolicy, response: Response) -> (Response, bool) {
    let status = response.status().as_u16();
    let (response, body) = if api.reads_body(status) {
        peek(response).await
    } else {
        (response, String::new())
    };
    let refused = api.session_refused(status, &body);
    (response, refused)
}

/// A request for the API's old origin goes to the new one when a renewal moved the API.
fn move_to_origin(request: &mut Request, old: &Url, new: &Url) {
    if same_origin(old, new) || !same_origin(request.url(), old) {
        return;
    }
    let url = request.url_mut();
    // Both origins are tuple origins of http(s) URLs, so these setters cannot fail.
    let _ = url.set_scheme(new.scheme());
    let _ = url.set_host(new.host_str());
    let _ = url.set_port(new.port());
}

fn middleware_error(message: &'static str) -> reqwest_middleware::Error {
    reqwest_middleware::Error::Middleware(anyhow::anyhow!(message))
}
