//! A webhook's Basic or Header authentication, checked against the node's `httpBasicAuth` or
//! `httpHeaderAuth` credential as n8n checks it, with n8n's statuses and texts. Secrets are
//! compared in constant time and never appear in an answer or the log.

use axum::http::HeaderMap;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use subtle::ConstantTimeEq;
use weft_credentials::generic::{HttpBasicAuthData, HttpHeaderAuthData};

/// Why a request is not let in: n8n's status and text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The HTTP status.
    pub status: u16,
    /// n8n's text.
    pub message: &'static str,
}

/// The credential has no data to compare with.
pub const NO_CREDENTIAL_DATA: Refusal = Refusal {
    status: 500,
    message: "No authentication data defined on node!",
};
const REQUIRED: Refusal = Refusal {
    status: 401,
    message: "Authorization is required!",
};
const WRONG_BASIC: Refusal = Refusal {
    status: 401,
    message: "Authentication data is wrong!",
};
const WRONG: Refusal = Refusal {
    status: 403,
    message: "Authorization data is wrong!",
};

fn same(given: &[u8], expected: &[u8]) -> bool {
    bool::from(given.ct_eq(expected))
}

/// HTTP Basic: the `Authorization` header must carry the credential's user and password.
pub fn check_basic(headers: &HeaderMap, expected: &HttpBasicAuthData) -> Result<(), Refusal> {
    let password = expected.password.expose();
    if expected.user.is_empty() || password.is_empty() {
        return Err(NO_CREDENTIAL_DATA);
    }
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let (scheme, token) = value.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("basic").then_some(token.trim())
        })
        .and_then(|token| STANDARD.decode(token).ok())
        .ok_or(REQUIRED)?;
    let (user, pass) = match given.iter().position(|byte| *byte == b':') {
        Some(colon) => (&given[..colon], &given[colon + 1..]),
        None => return Err(REQUIRED),
    };
    // Both compared, so the time does not tell which one was wrong.
    let user_ok = same(user, expected.user.as_bytes());
    let password_ok = same(pass, password.as_bytes());
    if user_ok & password_ok {
        Ok(())
    } else {
        Err(WRONG_BASIC)
    }
}

/// Header Auth: the credential's header must carry its value.
pub fn check_header(headers: &HeaderMap, expected: &HttpHeaderAuthData) -> Result<(), Refusal> {
    let value = expected.value.expose();
    if expected.name.is_empty() || value.is_empty() {
        return Err(NO_CREDENTIAL_DATA);
    }
    let given = headers
        .get(expected.name.to_ascii_lowercase().as_str())
        .map(|given| given.as_bytes())
        .ok_or(WRONG)?;
    if same(given, value.as_bytes()) {
        Ok(())
    } else {
        Err(WRONG)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn basic_authentication_answers_as_n8n() {
        let expected: HttpBasicAuthData =
            serde_json::from_value(json!({"user": "ann", "password": "s3cret"})).unwrap();
        let basic = |text: &str| format!("Basic {}", STANDARD.encode(text));
        let cases = [
            (vec![], Err(REQUIRED)),
            (
                vec![("authorization", "Bearer x".to_owned())],
                Err(REQUIRED),
            ),
            (vec![("authorization", basic("ann:s3cret"))], Ok(())),
            (
                vec![("authorization", basic("ann:wrong"))],
                Err(WRONG_BASIC),
            ),
            (
                vec![("authorization", basic("bob:s3cret"))],
                Err(WRONG_BASIC),
            ),
        ];
        for (given, outcome) in cases {
            let pairs: Vec<(&'static str, &str)> = given
                .iter()
                .map(|(name, value)| (*name, value.as_str()))
                .collect();
            assert_eq!(
                check_basic(&headers(&pairs), &expected),
                outcome,
                "{given:?}"
            );
        }
        let empty: HttpBasicAuthData = serde_json::from_value(json!({"user": "ann"})).unwrap();
        assert_eq!(check_basic(&headers(&[]), &empty), Err(NO_CREDENTIAL_DATA));
    }

    #[test]
    fn header_authentication_answers_as_n8n() {
        let expected: HttpHeaderAuthData =
            serde_json::from_value(json!({"name": "X-Api-Key", "value": "k-123"})).unwrap();
        assert_eq!(
            check_header(&headers(&[("x-api-key", "k-123")]), &expected),
            Ok(())
        );
        assert_eq!(
            check_header(&headers(&[("x-api-key", "k-12")]), &expected),
            Err(WRONG)
        );
        assert_eq!(check_header(&headers(&[]), &expected), Err(WRONG));
    }
}
