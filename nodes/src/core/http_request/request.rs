//! The request every typeVersion's parameters are read into (method, URL, query, headers, body,
//! timeout), how it is sent, and the query-string encoding of n8n's `qs` objects.

use std::time::Duration;

use reqwest::Method;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::multipart::Form;
use reqwest_middleware::ClientWithMiddleware;
use serde_json::{Map, Value};

use super::response;
use crate::error::NodeError;
use crate::http::MaxRedirects;

/// n8n's `Accept` for a JSON response.
pub const ACCEPT_JSON: &str = "application/json,text/*;q=0.99";
/// n8n's `Accept` for a text response.
pub const ACCEPT_TEXT: &str =
    "application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, */*;q=0.1";
/// n8n's `Accept` for an autodetected or file response.
pub const ACCEPT_ANY: &str = "application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, image/*;q=0.8, */*;q=0.7";

/// A request body.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// JSON, sent as `application/json`.
    Json(Value),
    /// `application/x-www-form-urlencoded` fields.
    Form(Vec<(String, String)>),
    /// `multipart/form-data` text fields.
    Multipart(Vec<(String, String)>),
    /// Text as it is; the content type comes from the headers.
    Raw(String),
}

/// One HTTP request, as the node sends it.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The URL without the query below.
    pub url: url::Url,
    /// Query pairs, in order, appended to the URL's own.
    pub query: Vec<(String, String)>,
    /// Headers, in order; a later one of the same name (any case) replaces an earlier one.
    pub headers: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<Body>,
    /// How long to wait for the server.
    pub timeout: Duration,
    /// How many redirects the request follows.
    pub max_redirects: MaxRedirects,
}

impl Request {
    /// A request for `method` and `url`, refused with n8n's messages when the URL is empty or
    /// not http(s).
    pub fn new(method: &str, url: &Value, timeout: Duration) -> Result<Self, NodeError> {
        let Value::String(url) = url else {
            let kind = match url {
                Value::Null => "null",
                Value::Bool(_) => "boolean",
                Value::Number(_) => "number",
                _ => "object",
            };
            return Err(NodeError::operation(format!(
                "URL parameter must be a string, got {kind}"
            )));
        };
        let url = url.trim();
        if url.is_empty() {
            return Err(NodeError::operation("URL parameter cannot be empty"));
        }
        if !url.starts_with("http://") && !url.starts_with("https://") {
            return Err(NodeError::operation(format!(
                "Invalid URL: {url}. URL must start with \"http\" or \"https\"."
            )));
        }
        let parsed = url::Url::parse(url).map_err(|error| {
            NodeError::operation(format!("Invalid URL: {url}")).with_description(format!(
                "{error} (hint: give an absolute http:// or https:// URL)"
            ))
        })?;
        let method = Method::from_bytes(method.as_bytes())
            .map_err(|_| NodeError::operation(format!("Invalid HTTP method \"{method}\"")))?;
        Ok(Self {
            method,
            url: parsed,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            timeout,
            max_redirects: MaxRedirects::default(),
        })
    }

    /// Sets header `name`, replacing one of the same name in any case.
    pub fn set_header(&mut self, name: &str, value: String) {
        self.headers
            .retain(|(existing, _)| !existing.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value));
    }

    /// The value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(existing, _)| existing.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Sets `Accept` to `value` unless the headers already have one, as n8n does.
    pub fn default_accept(&mut self, value: &str) {
        if self.header(ACCEPT.as_str()).is_none() {
            self.headers
                .push((ACCEPT.as_str().to_owned(), value.to_owned()));
        }
    }

    /// Sends the request through `http`; no answer at all is a `NodeApiError`.
    pub async fn send(self, http: &ClientWithMiddleware) -> Result<reqwest::Response, NodeError> {
        let mut url = self.url;
        if !self.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&self.query);
        }
        let mut builder = http
            .request(self.method, url)
            .timeout(self.timeout)
            .with_extension(self.max_redirects);
        let explicit_type = self
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case(CONTENT_TYPE.as_str()));
        builder = match self.body {
            None => builder,
            Some(Body::Json(value)) if explicit_type => builder.body(value.to_string()),
            Some(Body::Json(value)) => builder.json(&value),
            Some(Body::Form(fields)) => builder.form(&fields),
            Some(Body::Multipart(fields)) => builder.multipart(
                fields
                    .into_iter()
                    .fold(Form::new(), |form, (name, value)| form.text(name, value)),
            ),
            Some(Body::Raw(text)) => builder.body(text),
        };
        for (name, value) in self.headers {
            builder = builder.header(name, value);
        }
        builder.send().await.map_err(response::transport_error)
    }
}

/// How `qs` encodes arrays: `a[]=1&a[]=2`, `a=1&a=2` or `a[0]=1&a[1]=2`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArrayFormat {
    /// `a[]=1` (axios's default).
    Brackets,
    /// `a=1&a=2` (`useQueryString`).
    Repeat,
    /// `a[0]=1` (`qs.stringify`'s default, form bodies).
    Indices,
}

/// The pairs `qs.stringify` makes of an object: nested objects as `a[b]`, arrays by `format`,
/// `null` as an empty value.
pub fn flatten(object: &Map<String, Value>, format: ArrayFormat) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for (key, value) in object {
        flatten_into(key.clone(), value, format, &mut pairs);
    }
    pairs
}

fn flatten_into(
    key: String,
    value: &Value,
    format: ArrayFormat,
    pairs: &mut Vec<(String, String)>,
) {
    match value {
        Value::Object(object) => {
            for (name, inner) in object {
                flatten_into(format!("{key}[{name}]"), inner, format, pairs);
            }
        }
        Value::Array(values) => {
            for (index, inner) in values.iter().enumerate() {
                let name = match format {
                    ArrayFormat::Brackets => format!("{key}[]"),
                    ArrayFormat::Repeat => key.clone(),
                    ArrayFormat::Indices => format!("{key}[{index}]"),
                };
                flatten_into(name, inner, format, pairs);
            }
        }
        Value::Null => pairs.push((key, String::new())),
        Value::String(text) => pairs.push((key, text.clone())),
        other => pairs.push((key, other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn qs_flattens_like_n8n() {
        let object = json!({"a": ["x", "y"], "b": {"c": 1, "d": null}, "e": true});
        let object = object.as_object().unwrap();
        let pairs = |format| {
            flatten(object, format)
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&")
        };
        assert_eq!(
            pairs(ArrayFormat::Brackets),
            "a[]=x&a[]=y&b[c]=1&b[d]=&e=true"
        );
        assert_eq!(pairs(ArrayFormat::Repeat), "a=x&a=y&b[c]=1&b[d]=&e=true");
        assert_eq!(
            pairs(ArrayFormat::Indices),
            "a[0]=x&a[1]=y&b[c]=1&b[d]=&e=true"
        );
    }

    #[test]
    fn urls_are_checked_with_n8n_messages() {
        let timeout = Duration::from_secs(1);
        let message = |url: Value| Request::new("GET", &url, timeout).unwrap_err().message;
        assert_eq!(message(json!("  ")), "URL parameter cannot be empty");
        assert_eq!(
            message(json!("ftp://x")),
            "Invalid URL: ftp://x. URL must start with \"http\" or \"https\"."
        );
        assert_eq!(
            message(json!(3)),
            "URL parameter must be a string, got number"
        );
        let request = Request::new("GET", &json!(" http://127.0.0.1:1/a?b=1 "), timeout).unwrap();
        assert_eq!(request.url.as_str(), "http://127.0.0.1:1/a?b=1");
    }

    #[test]
    fn accept_is_a_default_only() {
        let mut request =
            Request::new("GET", &json!("http://127.0.0.1:1/"), Duration::from_secs(1)).unwrap();
        request.set_header("ACCEPT", "text/csv".into());
        request.default_accept(ACCEPT_JSON);
        assert_eq!(request.header("accept"), Some("text/csv"));
        assert_eq!(request.headers.len(), 1);
    }
}
