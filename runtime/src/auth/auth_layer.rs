//! The auth layer: attaches the bearer token only to the hosts the credential's type allows (the
//! session's instance host and the credential's token host, or every request the node makes
//! whose host the credential's allowed domains admit); on a 401 (or userinfo's 403 `Bad_OAuth_Token`) it renews the session
//! once and replays the request once, moved to the new instance host if it changed. Never a loop.

use std::sync::Arc;

use http::Extensions;
use reqwest::header::AUTHORIZATION;
use reqwest::{Request, Response, StatusCode};
use reqwest_middleware::{Middleware, Next, Result};
use url::Url;

use weft_credentials::scheme::TokenHosts;

use crate::auth::response_body::peek;
use crate::auth::{CredentialSession, CurrentSession};

/// The middleware, one per credential.
pub struct AuthLayer {
    session: Arc<CredentialSession>,
    /// The credential's token endpoint, whose origin may also carry the token.
    token_url: Option<Url>,
    /// Which requests may carry the token, from the credential's type.
    hosts: TokenHosts,
}

impl AuthLayer {
    /// A layer for `session`.
    pub fn new(session: Arc<CredentialSession>) -> Self {
        let credential = session.credential();
        let scheme = credential.scheme().ok();
        let token_url = scheme.and_then(|scheme| scheme.token_url(&credential.data).ok());
        let hosts = scheme.map_or(TokenHosts::SessionOrigins, |scheme| {
            scheme.token_hosts(&credential.data)
        });
        Self {
            session,
            token_url,
            hosts,
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

/// Whether `a` and `b` have the same origin (scheme, host and port, the scheme's default port
/// filled in), as `Url::origin` compares them for http and https, without allocating.
fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
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
        if !self.may_carry_token(request.url(), &current) {
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
        if let (Some(old), Some(new)) =
            (&current.session.instance_url, &renewed.session.instance_url)
        {
            move_to_instance(&mut replay, old, new);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_scheme_host_and_port_as_url_origin_does() {
        let url = |text: &str| Url::parse(text).unwrap();
        let instance = url("https://acme.my.salesforce.com/services/data");
        for (other, same) in [
            ("https://acme.my.salesforce.com:443/x?y", true),
            ("https://ACME.my.salesforce.com/", true),
            ("http://acme.my.salesforce.com/", false),
            ("https://acme.my.salesforce.com:8443/", false),
            ("https://evil.example.com/", false),
            ("https://acme.my.salesforce.com.evil.example.com/", false),
        ] {
            let other = url(other);
            assert_eq!(same_origin(&instance, &other), same, "{other}");
            assert_eq!(instance.origin() == other.origin(), same, "{other}");
        }
    }
}
