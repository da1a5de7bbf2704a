//! Static authentication declared as data: which header, query parameter, body field or HTTP
//! Basic pair each request gets, filled from the credential's fields, and the resolution of a
//! declaration over one credential's data into the values to send (still wrapped as secrets).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};
use url::Url;

use super::DomainRule;
use crate::field_error::FieldError;
use crate::scheme::SchemeError;
use crate::secret::{Secret, SecretValue};

/// A piece of text in a declaration: fixed, or a credential field's value after a fixed prefix
/// (n8n's `={{$credentials.value}}` and `=Bearer {{$credentials.token}}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    /// Always this text.
    Literal(&'static str),
    /// `prefix` followed by the value of field `field`.
    Field {
        /// Text before the value (`Bearer `), often empty.
        prefix: &'static str,
        /// The credential field.
        field: &'static str,
    },
}

impl Text {
    /// The value of `field` as it is.
    pub const fn field(field: &'static str) -> Self {
        Text::Field { prefix: "", field }
    }

    /// `prefix` and the value of `field`.
    pub const fn prefixed(prefix: &'static str, field: &'static str) -> Self {
        Text::Field { prefix, field }
    }

    fn resolve(&self, data: &Value) -> String {
        match self {
            Text::Literal(text) => (*text).to_owned(),
            Text::Field { prefix, field } => format!("{prefix}{}", field_text(data, field)),
        }
    }
}

/// One thing every request gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// A header; it replaces a header of the same name (any case) the node set.
    Header {
        /// The header's name.
        name: Text,
        /// Its value.
        value: Text,
    },
    /// A query parameter, after the node's own; it replaces a node parameter of the same name.
    Query {
        /// The parameter's name.
        name: Text,
        /// Its value.
        value: Text,
    },
    /// A field of the JSON body, after the node's own; it replaces one of the same name.
    Body {
        /// The field's name.
        name: Text,
        /// Its value.
        value: Text,
    },
    /// HTTP Basic: `Authorization: Basic base64(user:password)` from these two fields.
    Basic {
        /// The user field.
        user: &'static str,
        /// The password field.
        password: &'static str,
    },
    /// HTTP Digest (RFC 7616), challenge-response: the request goes out without it, and a 401
    /// with a `Digest` challenge is answered once with `Authorization: Digest …` computed from
    /// these two fields (n8n's `auth: { user, pass, sendImmediately: false }`).
    Digest {
        /// The user field.
        user: &'static str,
        /// The password field.
        password: &'static str,
    },
    /// n8n's Custom Auth: the field holds JSON text whose `headers`, `qs` and `body` objects are
    /// merged into the request's.
    Json {
        /// The field with the JSON text.
        field: &'static str,
    },
}

/// A credential type's static authentication: its parts, applied in order, and the API it is
/// for, if it is for one.
#[derive(Debug)]
pub struct StaticAuth {
    /// What each request gets.
    pub parts: &'static [Part],
    /// The API the credential is for (n8n's `requestDefaults.baseURL` and `test.request`);
    /// `None` for a type whose requests go wherever the node sends them (the generic HTTP types).
    pub api: Option<StaticApi>,
}

/// Where a static credential's API lives and how to test it, declared as data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StaticApi {
    /// The API's base URL: fixed, or a field's value (n8n's `baseURL: '={{$credentials.url}}'`).
    /// Nodes get it as `NodeHttp::api_base`.
    pub base_url: Text,
    /// The test request: a GET of this path under the base URL (n8n's `test.request.url`); a
    /// 2xx answer means the credential works. `None`: the credential is checked as data only.
    pub test_path: Option<&'static str>,
}

/// The values one credential's data gives: what the runtime's middleware adds to each request.
/// Values stay secrets; names are not secret (n8n shows them too).
#[derive(Clone, Debug, Default)]
pub struct StaticAuthentication {
    /// Headers, in order; a later one replaces an earlier one of the same name.
    pub headers: Vec<(String, Secret)>,
    /// Query parameters, in order; a later one replaces an earlier one of the same name.
    pub query: Vec<(String, Secret)>,
    /// JSON body fields, in order.
    pub body: Vec<(String, SecretValue)>,
    /// The user and password that answer a Digest challenge.
    pub digest: Option<DigestLogin>,
    /// The hosts the credential may go to.
    pub domains: DomainRule,
}

/// What answers a Digest challenge.
#[derive(Clone, Debug)]
pub struct DigestLogin {
    /// The user name (sent in the answer, so not secret).
    pub user: String,
    /// The password (only its hash is sent).
    pub password: Secret,
}

impl StaticAuthentication {
    fn set(list: &mut Vec<(String, Secret)>, name: String, value: Secret, any_case: bool) {
        list.retain(|(existing, _)| {
            if any_case {
                !existing.eq_ignore_ascii_case(&name)
            } else {
                *existing != name
            }
        });
        list.push((name, value));
    }

    fn header(&mut self, name: String, value: Secret) {
        Self::set(&mut self.headers, name, value, true);
    }

    fn query(&mut self, name: String, value: Secret) {
        Self::set(&mut self.query, name, value, false);
    }

    fn body(&mut self, name: String, value: Value) {
        self.body.retain(|(existing, _)| *existing != name);
        self.body.push((name, SecretValue::new(value)));
    }
}

impl StaticAuth {
    /// The values `data` gives. Fails only on data validation also refuses (Custom Auth JSON
    /// that does not parse or has the wrong shape), naming the field, never quoting it.
    pub fn resolve(&self, data: &Value) -> Result<StaticAuthentication, SchemeError> {
        let mut resolved = StaticAuthentication {
            domains: DomainRule::of(data),
            ..StaticAuthentication::default()
        };
        for part in self.parts {
            match part {
                Part::Header { name, value } => {
                    resolved.header(name.resolve(data), Secret::new(value.resolve(data)));
                }
                Part::Query { name, value } => {
                    resolved.query(name.resolve(data), Secret::new(value.resolve(data)));
                }
                Part::Body { name, value } => {
                    resolved.body(name.resolve(data), Value::String(value.resolve(data)));
                }
                Part::Basic { user, password } => {
                    let pair = format!("{}:{}", field_text(data, user), field_text(data, password));
                    let value = Secret::new(format!("Basic {}", STANDARD.encode(pair)));
                    resolved.header("Authorization".to_owned(), value);
                }
                Part::Digest { user, password } => {
                    resolved.digest = Some(DigestLogin {
                        user: field_text(data, user),
                        password: Secret::new(field_text(data, password)),
                    });
                }
                Part::Json { field } => {
                    let custom = custom_json(data, field)
                        .map_err(|error| SchemeError::InvalidData(vec![error]))?;
                    for (name, value) in custom.headers {
                        resolved.header(name, value);
                    }
                    for (name, value) in custom.query {
                        resolved.query(name, value);
                    }
                    for (name, value) in custom.body {
                        resolved.body(name, value);
                    }
                }
            }
        }
        Ok(resolved)
    }

    /// The API base URL `data` gives; `None` when the type declares no API.
    pub fn api_base(&self, data: &Value) -> Result<Option<Url>, SchemeError> {
        self.api
            .map(|api| declared_url(&api.base_url, None, data))
            .transpose()
    }

    /// The URL of the test request `data` gives; `None` when the type declares none.
    pub fn test_url(&self, data: &Value) -> Result<Option<Url>, SchemeError> {
        self.api
            .and_then(|api| Some((api.base_url, api.test_path?)))
            .map(|(base_url, path)| declared_url(&base_url, Some(path), data))
            .transpose()
    }

    /// Validation of the declaration's fields that the schema cannot express: Custom Auth JSON
    /// that parses into the expected shape.
    pub fn check(&self, data: &Value) -> Vec<FieldError> {
        self.parts
            .iter()
            .filter_map(|part| match part {
                Part::Json { field } => custom_json(data, field).err(),
                _ => None,
            })
            .collect()
    }
}

/// `base_url` resolved over `data`, with `path` appended as n8n (axios) joins a base URL and a
/// path: one `/` between them, so the base's own path is kept. Errors name the field, never the
/// value.
fn declared_url(base_url: &Text, path: Option<&str>, data: &Value) -> Result<Url, SchemeError> {
    let base = base_url.resolve(data);
    let text = match path {
        Some(path) => format!(
            "{}/{}",
            base.trim_end_matches('/'),
            path.trim_start_matches('/')
        ),
        None => base,
    };
    Url::parse(&text).map_err(|_| {
        let (field, hint) = match base_url {
            Text::Field { field, .. } => (*field, "write an absolute URL such as https://api.example.com/v1"),
            Text::Literal(_) => ("", "the credential type declares a base URL that is not a URL: report it to its author"),
        };
        SchemeError::InvalidData(vec![FieldError::new(field, "is not a URL", hint)])
    })
}

/// A field's value as request text: strings as they are, numbers and booleans as JavaScript
/// prints them, absent or null as empty.
fn field_text(data: &Value, field: &str) -> String {
    match data.get(field) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// The parts of a Custom Auth JSON.
#[derive(Default)]
struct CustomJson {
    headers: Vec<(String, Secret)>,
    query: Vec<(String, Secret)>,
    body: Vec<(String, Value)>,
}

/// Reads the Custom Auth JSON of `field` (empty means `{}`, as n8n reads it). Errors name the
/// field and the key, never a value.
fn custom_json(data: &Value, field: &str) -> Result<CustomJson, FieldError> {
    let parsed = match data.get(field) {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(Value::String(text)) if text.trim().is_empty() => Value::Object(Map::new()),
        Some(Value::String(text)) => serde_json::from_str(text).map_err(|error| {
            FieldError::new(
                field,
                format!(
                    "is not valid JSON (line {}, column {})",
                    error.line(),
                    error.column()
                ),
                "write a JSON object such as {\"headers\": {\"X-Api-Key\": \"…\"}, \"qs\": {}, \"body\": {}}",
            )
        })?,
        Some(other) => other.clone(),
    };
    let Value::Object(mut parts) = parsed else {
        return Err(FieldError::new(
            field,
            "must be a JSON object",
            "write a JSON object with `headers`, `qs` and/or `body` objects",
        ));
    };
    let mut section = |key: &str| -> Result<Map<String, Value>, FieldError> {
        match parts.remove(key) {
            None | Some(Value::Null) => Ok(Map::new()),
            Some(Value::Object(entries)) => Ok(entries),
            Some(_) => Err(FieldError::new(
                format!("{field}.{key}"),
                "must be a JSON object",
                format!("write `{key}` as an object of names and values"),
            )),
        }
    };
    let (headers, query, body) = (section("headers")?, section("qs")?, section("body")?);
    let scalar = |key: &str, name: &str, value: Value| -> Result<Option<Secret>, FieldError> {
        match value {
            Value::Null => Ok(None),
            Value::String(text) => Ok(Some(Secret::new(text))),
            Value::Number(_) | Value::Bool(_) => Ok(Some(Secret::new(value.to_string()))),
            Value::Array(_) | Value::Object(_) => Err(FieldError::new(
                format!("{field}.{key}.{name}"),
                "must be a string, number or boolean",
                "give each header and query parameter one text value",
            )),
        }
    };
    let mut custom = CustomJson::default();
    for (name, value) in headers {
        if let Some(value) = scalar("headers", &name, value)? {
            custom.headers.push((name, value));
        }
    }
    for (name, value) in query {
        // qs writes a null parameter as `name=`.
        let value = scalar("qs", &name, value)?.unwrap_or_default();
        custom.query.push((name, value));
    }
    custom.body = body.into_iter().collect();
    Ok(custom)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn exposed(list: &[(String, Secret)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(name, value)| (name.clone(), value.expose().to_owned()))
            .collect()
    }

    #[test]
    fn custom_json_errors_name_the_key_and_never_the_value() {
        let json = |text: &str| json!({ "json": text });
        let cases = [
            (
                json("{\"headers\": {\"k\": \"canary-1\"}"),
                "json",
                "is not valid JSON",
            ),
            (json("[\"canary-1\"]"), "json", "must be a JSON object"),
            (
                json("{\"qs\": \"canary-1\"}"),
                "json.qs",
                "must be a JSON object",
            ),
            (
                json("{\"headers\": {\"k\": [\"canary-1\"]}}"),
                "json.headers.k",
                "must be a string",
            ),
        ];
        for (data, path, message) in cases {
            let errors = StaticAuth {
                parts: &[Part::Json { field: "json" }],
                api: None,
            }
            .check(&data);
            let [error] = errors.as_slice() else {
                panic!("{data}: {errors:?}")
            };
            assert_eq!(error.path, path, "{data}");
            assert!(error.message.starts_with(message), "{error}");
            assert!(!error.to_string().contains("canary"), "{error}");
        }
    }

    #[test]
    fn later_parts_replace_earlier_ones_of_the_same_name() {
        const PARTS: &[Part] = &[
            Part::Header {
                name: Text::Literal("authorization"),
                value: Text::Literal("one"),
            },
            Part::Basic {
                user: "user",
                password: "password",
            },
            Part::Query {
                name: Text::Literal("k"),
                value: Text::Literal("1"),
            },
            Part::Query {
                name: Text::Literal("K"),
                value: Text::Literal("2"),
            },
            Part::Query {
                name: Text::Literal("k"),
                value: Text::Literal("3"),
            },
        ];
        let resolved = StaticAuth {
            parts: PARTS,
            api: None,
        }
        .resolve(&json!({"user": "aladdin", "password": "open sesame"}))
        .unwrap();
        assert_eq!(
            exposed(&resolved.headers),
            [(
                "Authorization".to_owned(),
                "Basic YWxhZGRpbjpvcGVuIHNlc2FtZQ==".to_owned()
            )]
        );
        assert_eq!(
            exposed(&resolved.query),
            [
                ("K".to_owned(), "2".to_owned()),
                ("k".to_owned(), "3".to_owned())
            ]
        );
    }

    #[test]
    fn a_declared_api_joins_its_base_url_and_test_path_as_n8n_does() {
        static API: StaticAuth = StaticAuth {
            parts: &[],
            api: Some(StaticApi {
                base_url: Text::field("url"),
                test_path: Some("/me"),
            }),
        };
        let cases = [
            (
                "https://api.example.com/v1",
                "https://api.example.com/v1/me",
            ),
            (
                "https://api.example.com/v1/",
                "https://api.example.com/v1/me",
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080/me"),
        ];
        for (base, test) in cases {
            let data = json!({ "url": base });
            assert_eq!(
                API.api_base(&data)
                    .unwrap()
                    .unwrap()
                    .as_str()
                    .trim_end_matches('/'),
                base.trim_end_matches('/')
            );
            assert_eq!(API.test_url(&data).unwrap().unwrap().as_str(), test);
        }
        let Err(SchemeError::InvalidData(errors)) = API.test_url(&json!({ "url": "canary-1" }))
        else {
            panic!("a base URL that is not a URL is refused");
        };
        assert_eq!(errors[0].path, "url");
        assert!(!errors[0].to_string().contains("canary"), "{}", errors[0]);
        let without_test = StaticAuth {
            parts: &[],
            api: Some(StaticApi {
                base_url: Text::Literal("https://api.example.com"),
                test_path: None,
            }),
        };
        assert_eq!(without_test.test_url(&json!({})).unwrap(), None);
        let without_api = StaticAuth {
            parts: &[],
            api: None,
        };
        assert_eq!(without_api.api_base(&json!({})).unwrap(), None);
    }
}
