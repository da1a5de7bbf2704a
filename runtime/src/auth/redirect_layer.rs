//! The redirect layer: weft follows redirects itself, one hop at a time through the layers below
//! (retry, then the credential's layer), instead of letting the HTTP client follow them out of the
//! credential layer's sight. So a credential goes only where its request was sent: a hop to
//! another origin (scheme, host and port) than the first request's, and every hop after it, is
//! sent marked [`WithoutCredential`] (the credential layers add nothing to it) and without the
//! node's own `Authorization`, `Cookie` and `Proxy-Authorization` headers. A same-origin hop goes
//! through the credential layer again, so its rules (allowed domains, token hosts) hold per hop.
//!
//! Methods change as browsers and n8n's HTTP client change them: 303 makes any method but HEAD a
//! GET, and 301/302 make a POST a GET, each without its body; 307 and 308 repeat the request as it
//! was. A request whose body cannot be repeated (a stream) gets the redirect response itself.
//! A node limits the hops with [`MaxRedirects`] (n8n's 21 without it; 0 follows none).

use http::Extensions;
use reqwest::header::{
    AUTHORIZATION, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, HOST, LOCATION,
    PROXY_AUTHORIZATION,
};
use reqwest::{Method, Request, Response, StatusCode};
use reqwest_middleware::{Middleware, Next, Result};
use url::Url;
use weft_nodes::MaxRedirects;

/// Marks a request the credential layers must leave as it is: a redirect took it to another
/// origin than the one the node asked for.
#[derive(Clone, Copy, Debug)]
pub struct WithoutCredential;

/// The middleware.
pub struct RedirectLayer;

#[async_trait::async_trait]
impl Middleware for RedirectLayer {
    async fn handle(
        &self,
        mut request: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> Result<Response> {
        let MaxRedirects(max) = extensions.get().copied().unwrap_or_default();
        let first = request.url().clone();
        let mut followed = 0;
        loop {
            let mut hop = copy_of(&request);
            let body_kept = request.body().is_none() || hop.body().is_some();
            let response = next.clone().run(request, extensions).await?;
            let Some(target) = redirect_target(&response).filter(|_| max > 0) else {
                return Ok(response);
            };
            if followed == max {
                return Err(reqwest_middleware::Error::Middleware(anyhow::anyhow!(
                    "Maximum number of redirects exceeded ({max}) from {}",
                    without_query(&first)
                )));
            }
            if !follow(&mut hop, response.status(), target) && !body_kept {
                // The body was a stream, sent once: the redirect is the answer.
                return Ok(response);
            }
            if extensions.get::<WithoutCredential>().is_some() || !same_origin(hop.url(), &first) {
                extensions.insert(WithoutCredential);
                for name in [AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION] {
                    hop.headers_mut().remove(name);
                }
            }
            request = hop;
            followed += 1;
        }
    }
}

/// The request again, its body too when it is not a stream.
fn copy_of(request: &Request) -> Request {
    request.try_clone().unwrap_or_else(|| {
        let mut copy = Request::new(request.method().clone(), request.url().clone());
        *copy.headers_mut() = request.headers().clone();
        *copy.timeout_mut() = request.timeout().copied();
        *copy.version_mut() = request.version();
        copy
    })
}

/// Where a redirect response sends the request: its `Location`, resolved against the request's
/// URL, when that is an http(s) URL.
fn redirect_target(response: &Response) -> Option<Url> {
    if !matches!(
        response.status(),
        StatusCode::MOVED_PERMANENTLY
            | StatusCode::FOUND
            | StatusCode::SEE_OTHER
            | StatusCode::TEMPORARY_REDIRECT
            | StatusCode::PERMANENT_REDIRECT
    ) {
        return None;
    }
    let location = response.headers().get(LOCATION)?.to_str().ok()?;
    let target = response.url().join(location).ok()?;
    matches!(target.scheme(), "http" | "https").then_some(target)
}

/// Turns the repeated request into the next hop to `target` after a redirect of `status`; true
/// when that drops the body (the hop is a GET).
fn follow(hop: &mut Request, status: StatusCode, target: Url) -> bool {
    let becomes_get = match status {
        StatusCode::SEE_OTHER => hop.method() != Method::HEAD,
        StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND => hop.method() == Method::POST,
        _ => false,
    };
    if becomes_get && hop.method() != Method::GET {
        *hop.method_mut() = Method::GET;
        *hop.body_mut() = None;
        for name in [CONTENT_TYPE, CONTENT_LENGTH, CONTENT_ENCODING] {
            hop.headers_mut().remove(name);
        }
    }
    hop.headers_mut().remove(HOST);
    *hop.url_mut() = target;
    becomes_get
}

/// Whether `a` and `b` have the same origin (scheme, host and port, the scheme's default port
/// filled in), as `Url::origin` compares them for http and https, without allocating.
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

fn without_query(url: &Url) -> Url {
    let mut shown = url.clone();
    shown.set_query(None);
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_scheme_host_and_port_as_url_origin_does() {
        let url = |text: &str| Url::parse(text).unwrap();
        let instance = url("https://api.example.com/v1/data");
        for (other, same) in [
            ("https://api.example.com:443/x?y", true),
            ("https://API.example.com/", true),
            ("http://api.example.com/", false),
            ("https://api.example.com:8443/", false),
            ("https://evil.example.com/", false),
            ("https://api.example.com.evil.example.com/", false),
        ] {
            let other = url(other);
            assert_eq!(same_origin(&instance, &other), same, "{other}");
            assert_eq!(instance.origin() == other.origin(), same, "{other}");
        }
    }

    #[test]
    fn methods_change_as_n8n_and_browsers_change_them() {
        let target = Url::parse("http://h/next").unwrap();
        for (method, status, expected) in [
            (Method::POST, StatusCode::SEE_OTHER, Method::GET),
            (Method::PUT, StatusCode::SEE_OTHER, Method::GET),
            (Method::HEAD, StatusCode::SEE_OTHER, Method::HEAD),
            (Method::POST, StatusCode::FOUND, Method::GET),
            (Method::POST, StatusCode::MOVED_PERMANENTLY, Method::GET),
            (Method::PUT, StatusCode::FOUND, Method::PUT),
            (Method::POST, StatusCode::TEMPORARY_REDIRECT, Method::POST),
            (Method::POST, StatusCode::PERMANENT_REDIRECT, Method::POST),
        ] {
            let mut request = Request::new(method.clone(), Url::parse("http://h/first").unwrap());
            *request.body_mut() = Some("{}".into());
            request
                .headers_mut()
                .insert(CONTENT_TYPE, "application/json".parse().unwrap());
            follow(&mut request, status, target.clone());
            assert_eq!(request.method(), expected, "{method} {status}");
            assert_eq!(request.url(), &target);
            let kept = expected == method;
            assert_eq!(request.body().is_some(), kept, "{method} {status}");
            assert_eq!(
                request.headers().contains_key(CONTENT_TYPE),
                kept,
                "{method} {status}"
            );
        }
    }
}
