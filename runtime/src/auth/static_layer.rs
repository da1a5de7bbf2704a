//! The static auth layer: adds a static credential's headers, query parameters and JSON body
//! fields (resolved once from its data) to every request, after checking the request's host
//! against the credential's allowed domains. No session and no renewal; the one replay is a
//! Digest credential's answer to the server's challenge (`auth::digest`). A request a redirect
//! took to another origin ([`WithoutCredential`]) is checked against the domains too, and gets
//! nothing.

use http::Extensions;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};
use reqwest::{Request, Response};
use reqwest_middleware::{Middleware, Next};
use serde_json::{Map, Value};
use url::Url;
use url::form_urlencoded;
use weft_credentials::authenticate::{DigestLogin, DomainRule, StaticAuth, StaticAuthentication};
use weft_credentials::scheme::SchemeError;
use weft_credentials::{FieldError, Secret};

use crate::auth::digest;
use crate::auth::redirect_layer::WithoutCredential;
use crate::auth::{AuthError, ResolvedCredential};

/// The middleware, one per static credential.
pub struct StaticLayer {
    headers: Vec<(HeaderName, HeaderValue)>,
    query: Vec<(String, Secret)>,
    body: Map<String, Value>,
    digest: Option<DigestLogin>,
    domains: DomainRule,
}

impl StaticLayer {
    /// The layer of `credential`, whose type declares `declaration`. Data that cannot make a
    /// request (Custom Auth JSON that does not parse, a header name or value that is not valid)
    /// is refused here, naming the credential, never quoting a value.
    pub fn new(
        credential: &ResolvedCredential,
        declaration: &StaticAuth,
    ) -> Result<Self, AuthError> {
        let invalid = |error: SchemeError| AuthError::Scheme {
            credential: credential.name.clone(),
            error,
        };
        let StaticAuthentication {
            headers,
            query,
            body,
            digest,
            domains,
        } = declaration.resolve(&credential.data).map_err(invalid)?;
        let headers = headers
            .into_iter()
            .map(|(name, value)| header(&name, &value))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| invalid(SchemeError::InvalidData(vec![error])))?;
        let body = body
            .into_iter()
            .map(|(name, value)| (name, value.expose().clone()))
            .collect();
        Ok(Self {
            headers,
            query,
            body,
            digest,
            domains,
        })
    }

    fn apply(&self, request: &mut Request) -> Result<(), String> {
        for (name, value) in &self.headers {
            request.headers_mut().insert(name.clone(), value.clone());
        }
        for (name, value) in &self.query {
            set_query_parameter(request.url_mut(), name, value.expose());
        }
        if !self.body.is_empty() {
            self.merge_body(request)?;
        }
        Ok(())
    }

    /// n8n's `{ ...body, ...auth.body }`: the node's JSON fields first, the credential's after
    /// (replacing one of the same name in place); a request without a body gets a JSON body of
    /// the credential's fields, as n8n sends it (on a GET too).
    fn merge_body(&self, request: &mut Request) -> Result<(), String> {
        let content_type = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let mut merged = match request.body() {
            None => Map::new(),
            Some(body) => {
                let node_body = body
                    .as_bytes()
                    .filter(|_| content_type.contains("json"))
                    .and_then(|bytes| serde_json::from_slice::<Value>(bytes).ok());
                match node_body {
                    Some(Value::Object(fields)) => fields,
                    _ => {
                        return Err(format!(
                            "weft merges Custom Auth body fields only into a JSON object body, and this request's body is {} (hint: send the body as JSON, or move the credential's fields to `headers` or `qs`)",
                            if content_type.is_empty() {
                                "not JSON"
                            } else {
                                &content_type
                            }
                        ));
                    }
                }
            }
        };
        for (name, value) in &self.body {
            merged.insert(name.clone(), value.clone());
        }
        let text = Value::Object(merged).to_string();
        *request.body_mut() = Some(text.into());
        if content_type.is_empty() {
            request
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        Ok(())
    }
}

/// A header from a credential: the value marked sensitive (left out of `Debug` and of HTTP/2
/// header compression).
fn header(name: &str, value: &Secret) -> Result<(HeaderName, HeaderValue), FieldError> {
    let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
        FieldError::new(
            "",
            "gives a header name that is not a valid HTTP header name",
            "use letters, digits and - only in header names, e.g. X-API-Key",
        )
    })?;
    let mut value = HeaderValue::from_str(value.expose()).map_err(|_| {
        FieldError::new(
            "",
            format!("gives header `{name}` a value that is not a valid HTTP header value"),
            "remove line breaks and control characters from the value",
        )
    })?;
    value.set_sensitive(true);
    Ok((name, value))
}

/// Sets query parameter `name`, as n8n's `qs[name] = value` does: the last parameter of that
/// name takes the value in place, else it goes last. Parameters before it keep their encoding.
fn set_query_parameter(url: &mut Url, name: &str, value: &str) {
    let pair = form_urlencoded::Serializer::new(String::new())
        .append_pair(name, value)
        .finish();
    let mut segments: Vec<String> = url
        .query()
        .filter(|query| !query.is_empty())
        .map(|query| query.split('&').map(str::to_owned).collect())
        .unwrap_or_default();
    let named = |segment: &String| {
        form_urlencoded::parse(segment.as_bytes())
            .next()
            .is_some_and(|(key, _)| key == name)
    };
    match segments.iter().rposition(named) {
        Some(position) => segments[position] = pair,
        None => segments.push(pair),
    }
    url.set_query(Some(&segments.join("&")));
}

#[async_trait::async_trait]
impl Middleware for StaticLayer {
    async fn handle(
        &self,
        mut request: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        // The URL as the node asked for it: an error of the request names this one, not the URL
        // with the credential's query parameters, so no log or node error can quote them.
        let refused =
            |message: String| reqwest_middleware::Error::Middleware(anyhow::anyhow!(message));
        // Every hop of a redirect must stay within the allowed domains, as in n8n, even one that
        // carries nothing of the credential.
        self.domains
            .check(request.url())
            .map_err(|error| refused(error.to_string()))?;
        if extensions.get::<WithoutCredential>().is_some() {
            return next.run(request, extensions).await;
        }
        let asked = request.url().clone();
        let restore_url = |error| match error {
            reqwest_middleware::Error::Reqwest(error) => {
                reqwest_middleware::Error::Reqwest(error.with_url(asked.clone()))
            }
            other => other,
        };
        self.apply(&mut request).map_err(refused)?;
        let Some(login) = &self.digest else {
            return next.run(request, extensions).await.map_err(restore_url);
        };
        // n8n sends the first request without credentials and answers the server's challenge.
        let replay = request.try_clone();
        let response = next
            .clone()
            .run(request, extensions)
            .await
            .map_err(restore_url)?;
        let (Some(mut replay), Some(challenge)) = (replay, digest::challenge(&response)) else {
            return Ok(response);
        };
        let authorization = challenge
            .and_then(|mut client| digest::answer(&mut client, login, &replay))
            .map_err(reqwest_middleware::Error::middleware)?;
        replay.headers_mut().insert(AUTHORIZATION, authorization);
        next.run(replay, extensions).await.map_err(restore_url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_parameter_replaces_the_last_of_its_name_or_goes_last() {
        let cases = [
            ("http://h/p", "http://h/p?key=s+1%2F"),
            ("http://h/p?a=1&b=x+y", "http://h/p?a=1&b=x+y&key=s+1%2F"),
            (
                "http://h/p?key=url&a=1&key=node",
                "http://h/p?key=url&a=1&key=s+1%2F",
            ),
            ("http://h/p?k%65y=1&z", "http://h/p?key=s+1%2F&z"),
        ];
        for (before, after) in cases {
            let mut url = Url::parse(before).unwrap();
            set_query_parameter(&mut url, "key", "s 1/");
            assert_eq!(url.as_str(), after, "{before}");
        }
    }
}
