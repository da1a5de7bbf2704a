//! Fault injection: rules that make the next N requests matching a method and a path pattern fail
//! in one of the ways Salesforce (or the network) fails.
//!
//! A rule as JSON (admin API, `--fault '{...}'`, or [`FaultRule`] in Rust):
//! `{"method": "GET", "path": "/services/data/*/query*", "count": 2, "kind": "too_many_requests",
//! "retry_after": 5}`. `method` (optional, any when absent) and `path` (glob, `*` = any run of
//! characters, default `*`) select requests; `count` (default 1) is how many requests it affects.
//! Kinds: `invalid_session` (401), `daily_limit` and `concurrent_limit` (403 REQUEST_LIMIT_EXCEEDED),
//! `too_many_requests` (429, optional `retry_after` seconds), `service_unavailable` (503),
//! `html_error` (500 HTML page), `no_route` (420), `unable_to_lock_row` (400), `truncated_json` and
//! `invalid_json` (the real answer with a broken body), `delay` (`ms`, then the real answer) and
//! `drop_connection` (the socket is closed without an answer).
//!
//! The binary also takes a short form, `KIND[:ARG] [METHOD] [PATH] [xCOUNT]`, e.g.
//! `--fault "too_many_requests:5 GET /services/data/*/query* x2"` (ARG = `retry_after` or `ms`).

use super::config::glob_match;
use super::error::ApiError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

/// How a request fails.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum FaultKind {
    InvalidSession,
    DailyLimit,
    ConcurrentLimit,
    TooManyRequests {
        #[serde(default)]
        retry_after: Option<u64>,
    },
    ServiceUnavailable,
    HtmlError,
    NoRoute,
    UnableToLockRow,
    TruncatedJson,
    InvalidJson,
    Delay {
        ms: u64,
    },
    DropConnection,
}

/// A fault rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default = "any_path")]
    pub path: String,
    #[serde(default = "one")]
    pub count: u32,
    #[serde(flatten)]
    pub kind: FaultKind,
}

fn any_path() -> String {
    "*".into()
}

fn one() -> u32 {
    1
}

/// What the front door does with a request once a fault matched.
pub enum Action {
    /// Answer this instead of calling the handler.
    Respond(Response),
    /// Call the handler, then break its body.
    BreakBody { truncate: bool },
    /// Wait, then serve normally.
    Delay(u64),
    /// Close the connection without answering.
    Drop,
}

impl FaultRule {
    /// A rule for any request.
    pub fn any(kind: FaultKind) -> Self {
        FaultRule {
            method: None,
            path: any_path(),
            count: 1,
            kind,
        }
    }

    /// Parses the JSON form or the short form (see the module docs).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.starts_with('{') {
            return serde_json::from_str(text).map_err(|e| format!("bad fault rule: {e}"));
        }
        let mut words = text.split_whitespace();
        let head = words.next().ok_or("empty fault rule")?;
        let (name, arg) = match head.split_once(':') {
            Some((n, a)) => (
                n,
                Some(
                    a.parse::<u64>()
                        .map_err(|_| format!("bad fault argument '{a}'"))?,
                ),
            ),
            None => (head, None),
        };
        let mut json = serde_json::json!({ "kind": name });
        match (name, arg) {
            ("too_many_requests", Some(a)) => json["retry_after"] = a.into(),
            ("delay", Some(a)) => json["ms"] = a.into(),
            ("delay", None) => return Err("delay needs :MS".into()),
            (_, Some(_)) => return Err(format!("fault '{name}' takes no argument")),
            _ => {}
        }
        for word in words {
            if let Some(n) = word.strip_prefix('x').and_then(|n| n.parse::<u32>().ok()) {
                json["count"] = n.into();
            } else if word.starts_with('/') || word.starts_with('*') {
                json["path"] = word.into();
            } else if word.bytes().all(|c| c.is_ascii_uppercase()) {
                json["method"] = word.into();
            } else {
                return Err(format!("unexpected '{word}' in fault rule"));
            }
        }
        serde_json::from_value(json).map_err(|e| format!("bad fault rule: {e}"))
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && glob_match(&self.path, path, false)
    }
}

impl FaultKind {
    /// The name logged for this fault.
    pub fn name(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v["kind"].as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// What to do with the request.
    pub fn action(&self) -> Action {
        let error = |e: ApiError| Action::Respond(super::rest::error_response(&e));
        match self {
            FaultKind::InvalidSession => error(ApiError::invalid_session()),
            FaultKind::DailyLimit => error(ApiError::new(
                StatusCode::FORBIDDEN,
                "REQUEST_LIMIT_EXCEEDED",
                "TotalRequests Limit exceeded.",
            )),
            FaultKind::ConcurrentLimit => error(ApiError::new(
                StatusCode::FORBIDDEN,
                "REQUEST_LIMIT_EXCEEDED",
                "ConcurrentPerOrgLongTxn Limit exceeded.",
            )),
            FaultKind::TooManyRequests { retry_after } => {
                let mut response = super::rest::error_response(&ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "REQUEST_LIMIT_EXCEEDED",
                    "Too many requests",
                ));
                if let Some(secs) = retry_after {
                    response
                        .headers_mut()
                        .insert(header::RETRY_AFTER, HeaderValue::from(*secs));
                }
                Action::Respond(response)
            }
            FaultKind::ServiceUnavailable => error(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "SERVER_UNAVAILABLE",
                "Server Unavailable",
            )),
            FaultKind::UnableToLockRow => error(ApiError::bad(
                "UNABLE_TO_LOCK_ROW",
                "unable to obtain exclusive access to this record or 1 records",
            )),
            FaultKind::HtmlError => {
                Action::Respond(html(StatusCode::INTERNAL_SERVER_ERROR, HTML_500))
            }
            FaultKind::NoRoute => Action::Respond(html(
                StatusCode::from_u16(420).unwrap_or(StatusCode::BAD_GATEWAY),
                "<html><body>Unable to route the request: unknown host.</body></html>",
            )),
            FaultKind::TruncatedJson => Action::BreakBody { truncate: true },
            FaultKind::InvalidJson => Action::BreakBody { truncate: false },
            FaultKind::Delay { ms } => Action::Delay(*ms),
            FaultKind::DropConnection => Action::Drop,
        }
    }
}

const HTML_500: &str = "<!DOCTYPE html><html><head><title>Error</title></head><body>\
<h1>An internal server error has occurred</h1><p>An error has occurred while processing your request. \
The salesforce.com support team has been notified of the problem.</p></body></html>";

fn html(status: StatusCode, body: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html;charset=UTF-8")],
        body,
    )
        .into_response()
}

/// Breaks a JSON body: cut in the middle, or replaced by something that is not JSON.
pub fn break_body(body: &[u8], truncate: bool) -> Vec<u8> {
    if truncate {
        body[..body.len() / 2].to_vec()
    } else {
        b"{\"records\": [<html>not json".to_vec()
    }
}

/// The active rules.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<FaultRule>,
}

impl Faults {
    pub fn add(&mut self, rule: FaultRule) {
        if rule.count > 0 {
            self.rules.push(rule);
        }
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    pub fn list(&self) -> Vec<FaultRule> {
        self.rules.clone()
    }

    /// The fault for this request, if a rule matches (using up one of its count).
    pub fn take(&mut self, method: &str, path: &str) -> Option<FaultKind> {
        let i = self.rules.iter().position(|r| r.matches(method, path))?;
        let rule = &mut self.rules[i];
        rule.count -= 1;
        let kind = rule.kind.clone();
        if rule.count == 0 {
            self.rules.remove(i);
        }
        Some(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_json_forms_parse() {
        let rule = FaultRule::parse("too_many_requests:5 GET /services/data/*/query* x2").unwrap();
        assert_eq!(
            rule.kind,
            FaultKind::TooManyRequests {
                retry_after: Some(5)
            }
        );
        assert_eq!((rule.method.as_deref(), rule.count), (Some("GET"), 2));
        let json = FaultRule::parse(r#"{"kind":"delay","ms":20}"#).unwrap();
        assert_eq!(json.kind, FaultKind::Delay { ms: 20 });
        assert_eq!(json.path, "*");
        assert!(FaultRule::parse("nonsense").is_err());
        assert!(FaultRule::parse("delay").is_err());
    }

    #[test]
    fn rules_are_used_up() {
        let mut faults = Faults::default();
        faults.add(FaultRule::parse("daily_limit POST x2").unwrap());
        assert!(faults.take("GET", "/x").is_none());
        assert_eq!(faults.take("POST", "/x"), Some(FaultKind::DailyLimit));
        assert_eq!(faults.take("post", "/y"), Some(FaultKind::DailyLimit));
        assert!(faults.take("POST", "/x").is_none());
    }
}
