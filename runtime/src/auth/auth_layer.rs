//! The auth layer: attaches the bearer token only to the session's instance host or the
//! credential's token host; on a 401 (or userinfo's 403 `Bad_OAuth_Token`) it renews the session
//! once and replays the request once, moved to the new instance host if it changed. Never a loop.
//! A request a redirect took to another origin ([`WithoutCredential`]) gets no token.

use std::sync::Arc;

use http::Extensions;
use reqwest::header::AUTHORIZATION;
use reqwest::{Request, Response, StatusCode};
use reqwest_middleware::{Middleware, Next, Result};
use url::Url;

use crate::auth::redirect_layer::{WithoutCredential, same_origin};
use crate::auth::response_body::peek;
use crate::auth::{CredentialSession, CurrentSession};

/// The middleware, one per credential.
pub struct AuthLayer {
    session: Arc<CredentialSession>,
    /// The credential's token endpoint, whose origin may also carry the token.
    token_url: Option<Url>,
}

impl AuthLayer {
    /// A layer for `session`.
    pub fn new(session: Arc<CredentialSession>) -> Self {
        let credential = session.credential();
        let token_url = credential
            .scheme()
            .ok()
            .and_then(|scheme| scheme.token_url(&credential.data).ok());
        Self { session, token_url }
    }

    fn may_carry_token(&self, url: &Url, current: &CurrentSession) -> bool {
        same_origin(url, &current.session.instance_url)
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
        let (response, refused) = session_refused(response).await;
        let Some(mut replay) = replay.filter(|_| refused) else {
            return Ok(response);
        };
        let renewed = self
            .session
            .renew(current.generation)
            .await
            .map_err(reqwest_middleware::Error::middleware)?;
        move_to_instance(
            &mut replay,
            &current.session.instance_url,
            &renewed.session.instance_url,
        );
        let replay = self.authorize(replay, &renewed)?;
        next.run(replay, extensions).await
    }
}

/// 401, or the 403 `Bad_OAuth_Token` that identity and userinfo answer for a bad token.
async fn session_refused(response: Response) -> (Response, bool) {
    match response.status() {
        StatusCode::UNAUTHORIZED => (response, true),
        StatusCode::FORBIDDEN => {
            let (response, body) = peek(response).await;
            let refused = body.trim() == "Bad_OAuth_Token";
            (response, refused)
        }
        _ => (response, false),
    }
}

/// A request for the old instance host goes to the new one when a renewal moved the org.
fn move_to_instance(request: &mut Request, old: &Url, new: &Url) {
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
