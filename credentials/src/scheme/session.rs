//! `Session`: an access token and where to use it, parsed from a token response and merged with
//! the session it renews.

use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use url::Url;

use crate::scheme::server_answer::{describe_unparsable, is_error_code, json_type, plain_line};
use crate::scheme::token_error::{TokenError, TokenErrorKind};
use crate::secret::Secret;

/// An authenticated session. Serialises in the shape of the token response (what n8n keeps as
/// `oauthTokenData`), so a stored session can be exported back to n8n; deserialises as a token
/// response is read (a numeric `issued_at` and a scope list accepted).
#[derive(Clone, PartialEq, Serialize)]
pub struct Session {
    /// The bearer token.
    pub access_token: Secret,
    /// The API host named by the token response (Salesforce's org), for types whose API URLs are
    /// built from it ([`InstanceUrl::Required`]); `None` for a generic API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_url: Option<Url>,
    /// The refresh token, for the authorization-code grant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    /// The identity URL (on the login host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When the token was issued, epoch milliseconds as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<String>,
    /// Granted scopes, space-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Usually `Bearer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// Every other field of the response (`signature`, `id_token`, `token_format`, ...), kept so
    /// the stored token data round-trips; treated as secret.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Session {
    /// A session of just a bearer token and its instance, as n8n caches one in a credential.
    pub fn new(access_token: Secret, instance_url: Option<Url>) -> Self {
        Self {
            access_token,
            instance_url,
            refresh_token: None,
            id: None,
            issued_at: None,
            scope: None,
            token_type: None,
            extra: Map::new(),
        }
    }
}

impl<'de> Deserialize<'de> for Session {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields = Map::<String, Value>::deserialize(deserializer)?;
        let response = TokenResponse::read(fields).map_err(D::Error::custom)?;
        let access_token = response
            .access_token
            .ok_or_else(|| D::Error::missing_field("access_token"))?;
        let instance_url = match response
            .instance_url
            .as_deref()
            .filter(|url| !url.is_empty())
        {
            Some(text) => Some(http_url(text).ok_or_else(|| {
                D::Error::custom("`instance_url` is not an absolute http(s) URL")
            })?),
            None => None,
        };
        Ok(Session {
            access_token,
            instance_url,
            refresh_token: response.refresh_token,
            id: response.id,
            issued_at: response.issued_at,
            scope: response.scope,
            token_type: response.token_type,
            extra: response.extra,
        })
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("instance_url", &self.instance_url.as_ref().map(Url::as_str))
            .field("has_refresh_token", &self.refresh_token.is_some())
            .field("issued_at", &self.issued_at)
            .field("extra_fields", &self.extra.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// The known fields of a success body, read by hand from its JSON object so that a field of the
/// wrong type is named without quoting the value (serde's messages can quote it).
struct TokenResponse {
    access_token: Option<Secret>,
    instance_url: Option<String>,
    refresh_token: Option<Secret>,
    id: Option<String>,
    issued_at: Option<String>,
    scope: Option<String>,
    token_type: Option<String>,
    extra: Map<String, Value>,
}

/// A known field whose JSON type is not one the field takes.
struct WrongType {
    field: &'static str,
    found: String,
    expected: &'static str,
}

impl TokenResponse {
    /// Takes the known fields out of `fields`; the rest is `extra`. JSON `null` counts as absent.
    /// Accepts what real servers send besides Salesforce's strings: `issued_at` as a number and
    /// `scope` as a list of strings.
    fn read(mut fields: Map<String, Value>) -> Result<Self, WrongType> {
        let take = |fields: &mut Map<String, Value>, name| take_text(fields, name);
        Ok(Self {
            access_token: take(&mut fields, "access_token")?.map(Secret::new),
            instance_url: take(&mut fields, "instance_url")?,
            refresh_token: take(&mut fields, "refresh_token")?.map(Secret::new),
            id: take(&mut fields, "id")?,
            issued_at: take_issued_at(&mut fields)?,
            scope: take_scope(&mut fields)?,
            token_type: take(&mut fields, "token_type")?,
            extra: fields,
        })
    }
}

fn take_text(
    fields: &mut Map<String, Value>,
    field: &'static str,
) -> Result<Option<String>, WrongType> {
    match fields.shift_remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(other) => Err(WrongType::new(field, json_type(&other), "a string")),
    }
}

fn take_issued_at(fields: &mut Map<String, Value>) -> Result<Option<String>, WrongType> {
    match fields.shift_remove("issued_at") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(Value::Number(number)) => Ok(Some(number.to_string())),
        Some(other) => Err(WrongType::new(
            "issued_at",
            json_type(&other),
            "a string or a number",
        )),
    }
}

fn take_scope(fields: &mut Map<String, Value>) -> Result<Option<String>, WrongType> {
    const EXPECTED: &str = "a string or a list of strings";
    match fields.shift_remove("scope") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(Value::Array(scopes)) => {
            let mut names = Vec::with_capacity(scopes.len());
            for scope in &scopes {
                match scope {
                    Value::String(name) => names.push(name.as_str()),
                    other => {
                        let found = format!("a list holding {}", json_type(other));
                        return Err(WrongType::new("scope", found, EXPECTED));
                    }
                }
            }
            Ok(Some(names.join(" ")))
        }
        Some(other) => Err(WrongType::new("scope", json_type(&other), EXPECTED)),
    }
}

/// `text` as an absolute http(s) URL with a host, the only kind an instance can have.
fn http_url(text: &str) -> Option<Url> {
    Url::parse(text)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https") && url.has_host())
}

/// "`scope` is a JSON number, not a string or a list of strings".
impl fmt::Display for WrongType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is {}, not {}",
            self.field, self.found, self.expected
        )
    }
}

impl WrongType {
    fn new(field: &'static str, found: impl Into<String>, expected: &'static str) -> Self {
        Self {
            field,
            found: found.into(),
            expected,
        }
    }
}

/// Whether a credential type's sessions name their API host (`instance_url`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InstanceUrl {
    /// Every session has one (Salesforce: all API URLs are built from the org's host): from the
    /// latest response that has one, else the session renewed, else `fallback`.
    Required {
        /// The host to assume when no response names one (client credentials: the My Domain).
        fallback: Option<Url>,
    },
    /// The type's requests name their own URLs (a generic OAuth2 API): an `instance_url` in a
    /// response is kept as any other field, never needed.
    NotUsed,
}

impl InstanceUrl {
    /// Required, with no fallback.
    pub const REQUIRED: InstanceUrl = InstanceUrl::Required { fallback: None };

    /// Whether `session` (e.g. one read back from the store) is usable under this rule.
    pub fn admits(&self, session: &Session) -> bool {
        match self {
            InstanceUrl::Required { .. } => session.instance_url.is_some(),
            InstanceUrl::NotUsed => true,
        }
    }
}

/// Turns a token endpoint's answer into a session.
///
/// A success is merged over `previous` (the session being renewed) field by field: a response
/// without `refresh_token` keeps the old one, and, where the type requires an instance URL
/// (`instance`), `instance_url` comes from the latest response that has one, else from
/// `previous`, else from the fallback. A success that still lacks an access token or a required
/// instance URL, or has a known field of the wrong JSON type, is an error, as is every error body,
/// typed by its OAuth `error` code. No error quotes the body: it is described (which field, which
/// JSON type, where the JSON ends).
pub fn parse_token_response(
    status: u16,
    body: &str,
    previous: Option<&Session>,
    instance: &InstanceUrl,
) -> Result<Session, TokenError> {
    if !(200..300).contains(&status) {
        return Err(refusal(status, body));
    }
    let fields = match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(fields)) => fields,
        Ok(other) => {
            let shape = format!("{}, not an object", json_type(&other));
            return Err(TokenError::unreadable(status, &shape));
        }
        Err(error) => {
            return Err(TokenError::unreadable(
                status,
                &describe_unparsable(body, &error),
            ));
        }
    };
    let mut fields = fields;
    let unused_instance = match instance {
        InstanceUrl::NotUsed => fields.shift_remove("instance_url"),
        InstanceUrl::Required { .. } => None,
    };
    let mut response = TokenResponse::read(fields)
        .map_err(|wrong| TokenError::malformed(status, &wrong.to_string()))?;
    if let Some(value) = unused_instance {
        response.extra.insert("instance_url".to_owned(), value);
    }
    let access_token = response
        .access_token
        .filter(|token| !token.is_empty())
        .ok_or_else(|| TokenError::incomplete(status, "access_token"))?;
    let instance_url = match (
        instance,
        response.instance_url.filter(|url| !url.is_empty()),
    ) {
        (InstanceUrl::NotUsed, _) => None,
        (InstanceUrl::Required { .. }, Some(text)) => Some(http_url(&text).ok_or_else(|| {
            TokenError::malformed(status, "`instance_url` is not an absolute http(s) URL")
        })?),
        (InstanceUrl::Required { fallback }, None) => Some(
            previous
                .and_then(|session| session.instance_url.as_ref())
                .or(fallback.as_ref())
                .cloned()
                .ok_or_else(|| TokenError::incomplete(status, "instance_url"))?,
        ),
    };
    let mut extra = previous
        .map(|session| session.extra.clone())
        .unwrap_or_default();
    extra.extend(response.extra.into_iter().filter(|(_, v)| !v.is_null()));
    let keep = |new: Option<String>, old: fn(&Session) -> &Option<String>| {
        new.or_else(|| previous.and_then(|session| old(session).clone()))
    };
    Ok(Session {
        access_token,
        instance_url,
        refresh_token: response
            .refresh_token
            .filter(|token| !token.is_empty())
            .or_else(|| previous.and_then(|session| session.refresh_token.clone())),
        id: keep(response.id, |s| &s.id),
        issued_at: keep(response.issued_at, |s| &s.issued_at),
        scope: keep(response.scope, |s| &s.scope),
        token_type: keep(response.token_type, |s| &s.token_type),
        extra,
    })
}

/// The error for a non-2xx answer: typed by its OAuth `error` code when the body is an OAuth error,
/// else a description of what the body is. Salesforce's `error_description` is quoted as one
/// bounded line ([`plain_line`]): it is the diagnosis the hints key on, and an error answer
/// carries no token.
fn refusal(status: u16, body: &str) -> TokenError {
    let fields = match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(fields)) => fields,
        Ok(other) => return TokenError::unreadable(status, json_type(&other)),
        Err(error) => return TokenError::unreadable(status, &describe_unparsable(body, &error)),
    };
    match fields.get("error") {
        Some(Value::String(code)) if is_error_code(code) => {
            let description = fields
                .get("error_description")
                .and_then(Value::as_str)
                .map(plain_line)
                .unwrap_or_default();
            TokenError::from_oauth(status, code, &description)
        }
        Some(Value::String(_)) => {
            TokenError::unreadable(status, "JSON whose `error` is not an OAuth error code")
        }
        Some(other) => TokenError::unreadable(
            status,
            &format!("JSON whose `error` is {}", json_type(other)),
        ),
        None => TokenError::unreadable(status, "JSON without an `error` code"),
    }
}

impl TokenError {
    fn incomplete(status: u16, field: &str) -> Self {
        TokenError::new(
            TokenErrorKind::IncompleteResponse,
            status,
            "incomplete_response",
            &format!("the token response has no `{field}`"),
        )
    }

    fn malformed(status: u16, problem: &str) -> Self {
        TokenError::new(
            TokenErrorKind::MalformedResponse,
            status,
            "malformed_response",
            &format!("the token response's {problem}"),
        )
    }

    /// A body that is not an OAuth response; `shape` says what it is (see
    /// [`describe_unparsable`]). The body itself is never quoted: a success body holds the
    /// access token.
    pub fn unreadable(status: u16, shape: &str) -> Self {
        TokenError::new(
            TokenErrorKind::Unreadable,
            status,
            "unreadable_response",
            &format!(
                "the token endpoint answered HTTP {status} with {shape}, not an OAuth response"
            ),
        )
    }
}
