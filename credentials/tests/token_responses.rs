//! Token responses: every success shape of the wire spec becomes a session, merged over the
//! session it renews; every error body becomes a typed error with a hint.

use serde_json::json;
use url::Url;
use weft_credentials::ApiPolicy;
use weft_credentials::salesforce::SALESFORCE_API;
use weft_credentials::scheme::{
    InstanceUrl, Session, TokenError, TokenErrorKind, parse_token_response,
};

/// The hint Salesforce's types give for `error`.
fn hint(error: &TokenError) -> &'static str {
    SALESFORCE_API.token_error_hint(error)
}

const JWT_SUCCESS: &str = r#"{"access_token":"00D5g000004XyZa!AQ8AQ.fake","scope":"api id","instance_url":"https://acme.my.salesforce.com","id":"https://login.salesforce.com/id/00D5g000004XyZaEAK/0055g00000AbCdEAAV","token_type":"Bearer"}"#;
const CLIENT_CREDENTIALS_SUCCESS: &str = r#"{"access_token":"00D5g000004XyZa!AR8AQ.fake","signature":"k3J0abc=","token_format":"opaque","scope":"api","instance_url":"https://acme.my.salesforce.com","id":"https://login.salesforce.com/id/00D5g000004XyZaEAK/0055g00000AbCdEAAV","token_type":"Bearer","issued_at":"1767225600000"}"#;
const CODE_SUCCESS: &str = r#"{"access_token":"00D5g000004XyZa!AQ.first","refresh_token":"5Aep861.first","signature":"d/SxeYBx=","scope":"refresh_token api id openid","id_token":"eyJraWQiOi.x.y","instance_url":"https://acme.my.salesforce.com","id":"https://login.salesforce.com/id/00D5g000004XyZaEAK/0055g00000AbCdEAAV","token_type":"Bearer","issued_at":"1558553873237"}"#;

fn parse(body: &str, previous: Option<&Session>) -> Session {
    parse_token_response(200, body, previous, &InstanceUrl::REQUIRED).unwrap()
}

#[test]
fn jwt_success_has_no_refresh_token_and_keeps_identity_fields() {
    let session = parse(JWT_SUCCESS, None);
    assert_eq!(session.access_token.expose(), "00D5g000004XyZa!AQ8AQ.fake");
    assert_eq!(
        session.instance_url.unwrap().as_str(),
        "https://acme.my.salesforce.com/"
    );
    assert!(session.refresh_token.is_none());
    assert_eq!(session.scope.as_deref(), Some("api id"));
    assert_eq!(session.token_type.as_deref(), Some("Bearer"));
    assert!(session.issued_at.is_none());
}

#[test]
fn client_credentials_success_keeps_unknown_fields() {
    let session = parse(CLIENT_CREDENTIALS_SUCCESS, None);
    assert_eq!(session.issued_at.as_deref(), Some("1767225600000"));
    assert_eq!(session.extra["token_format"], json!("opaque"));
    assert_eq!(session.extra["signature"], json!("k3J0abc="));
}

#[test]
fn refresh_without_refresh_token_keeps_the_old_one_and_takes_the_new_instance_url() {
    let first = parse(CODE_SUCCESS, None);
    let refreshed = parse(
        r#"{"access_token":"00D!AQ.second","instance_url":"https://acme2.my.salesforce.com","issued_at":"1558553999999","signature":"new="}"#,
        Some(&first),
    );
    assert_eq!(refreshed.access_token.expose(), "00D!AQ.second");
    assert_eq!(
        refreshed.refresh_token.as_ref().unwrap().expose(),
        "5Aep861.first"
    );
    assert_eq!(
        refreshed.instance_url.as_ref().unwrap().as_str(),
        "https://acme2.my.salesforce.com/"
    );
    assert_eq!(refreshed.issued_at.as_deref(), Some("1558553999999"));
    assert_eq!(refreshed.scope, first.scope);
    assert_eq!(refreshed.extra["signature"], json!("new="));
    assert_eq!(refreshed.extra["id_token"], json!("eyJraWQiOi.x.y"));
}

#[test]
fn a_rotated_refresh_token_replaces_the_old_one() {
    let first = parse(CODE_SUCCESS, None);
    let rotated = parse(
        r#"{"access_token":"00D!AQ.third","refresh_token":"5Aep861.rotated"}"#,
        Some(&first),
    );
    assert_eq!(rotated.refresh_token.unwrap().expose(), "5Aep861.rotated");
    assert_eq!(rotated.instance_url, first.instance_url, "kept when absent");
}

#[test]
fn a_response_without_instance_url_uses_the_fallback_or_fails() {
    let fallback = Url::parse("https://acme.my.salesforce.com").unwrap();
    let body = r#"{"access_token":"00D!AQ.x"}"#;
    let session = parse_token_response(
        200,
        body,
        None,
        &InstanceUrl::Required {
            fallback: Some(fallback.clone()),
        },
    )
    .unwrap();
    assert_eq!(session.instance_url, Some(fallback));
    let error = parse_token_response(200, body, None, &InstanceUrl::REQUIRED).unwrap_err();
    assert_eq!(error.kind, TokenErrorKind::IncompleteResponse);
    assert!(error.description.contains("instance_url"));
    let error = parse_token_response(
        200,
        r#"{"instance_url":"https://a.my.salesforce.com"}"#,
        None,
        &InstanceUrl::REQUIRED,
    )
    .unwrap_err();
    assert!(error.description.contains("access_token"));
}

#[test]
fn session_debug_never_shows_tokens() {
    let session = parse(CODE_SUCCESS, None);
    let debug = format!("{session:?}");
    for secret in [
        "00D5g000004XyZa!AQ.first",
        "5Aep861.first",
        "eyJraWQiOi.x.y",
    ] {
        assert!(!debug.contains(secret), "{debug}");
    }
}

#[test]
fn session_serialises_as_the_token_response_it_came_from() {
    let session = parse(CODE_SUCCESS, None);
    let expected: serde_json::Value = serde_json::from_str(CODE_SUCCESS).unwrap();
    let mut actual = serde_json::to_value(&session).unwrap();
    actual["instance_url"] = json!("https://acme.my.salesforce.com");
    assert_eq!(actual, expected);
}

#[test]
fn every_error_body_of_the_wire_spec_is_typed_with_a_hint() {
    let cases: &[(&str, &str, TokenErrorKind, &str)] = &[
        (
            "invalid_grant",
            "user hasn't approved this consumer",
            TokenErrorKind::InvalidGrant,
            "pre-authorise",
        ),
        (
            "invalid_grant",
            "audience is invalid",
            TokenErrorKind::InvalidGrant,
            "My Domain",
        ),
        (
            "invalid_grant",
            "audience is invalid [audience=https://login.salesforce.com/ login=https://test.salesforce.com]",
            TokenErrorKind::InvalidGrant,
            "My Domain",
        ),
        (
            "invalid_grant",
            "invalid assertion",
            TokenErrorKind::InvalidGrant,
            "certificate",
        ),
        (
            "invalid_grant",
            "expired authorization code",
            TokenErrorKind::InvalidGrant,
            "clock",
        ),
        (
            "invalid_client_id",
            "client identifier invalid",
            TokenErrorKind::InvalidClientId,
            "Consumer Key",
        ),
        (
            "app_not_found",
            "External client app is not installed in this org",
            TokenErrorKind::AppNotFound,
            "My Domain",
        ),
        (
            "unsupported_grant_type",
            "grant type not supported",
            TokenErrorKind::UnsupportedGrantType,
            "not enabled",
        ),
        (
            "invalid_grant",
            "login rate exceeded",
            TokenErrorKind::InvalidGrant,
            "logins per user",
        ),
        (
            "invalid_grant",
            "inactive user",
            TokenErrorKind::InvalidGrant,
            "activate",
        ),
        (
            "invalid_grant",
            "user is locked",
            TokenErrorKind::InvalidGrant,
            "unlock",
        ),
        (
            "invalid_grant",
            "inactive organization",
            TokenErrorKind::InvalidGrant,
            "inactive",
        ),
        (
            "invalid_grant",
            "no client credentials user enabled",
            TokenErrorKind::InvalidGrant,
            "Run As",
        ),
        (
            "invalid_grant",
            "request not supported on this domain",
            TokenErrorKind::InvalidGrant,
            "My Domain",
        ),
        (
            "invalid_client",
            "invalid client credentials",
            TokenErrorKind::InvalidClient,
            "Consumer Secret",
        ),
        (
            "unauthorized_client",
            "",
            TokenErrorKind::UnauthorizedClient,
            "may not use this flow",
        ),
        (
            "invalid_grant",
            "no valid scopes",
            TokenErrorKind::InvalidGrant,
            "api",
        ),
        (
            "redirect_uri_mismatch",
            "redirect_uri must match configuration",
            TokenErrorKind::RedirectUriMismatch,
            "Callback URL",
        ),
        (
            "invalid_request",
            "",
            TokenErrorKind::InvalidRequest,
            "verifier",
        ),
        (
            "invalid_grant",
            "expired access/refresh token",
            TokenErrorKind::InvalidGrant,
            "reconnect",
        ),
        ("invalid_scope", "", TokenErrorKind::InvalidScope, "scopes"),
        (
            "invalid_client_credentials",
            "",
            TokenErrorKind::InvalidClient,
            "Consumer Secret",
        ),
        (
            "invalid_request",
            "refresh_token scope is required and the connected app should be installed and preauthorized",
            TokenErrorKind::InvalidRequest,
            "pre-authorise",
        ),
        (
            "something_new",
            "surprise",
            TokenErrorKind::Other,
            "OAuth settings",
        ),
    ];
    for (code, description, kind, hint_part) in cases {
        let body = json!({"error": code, "error_description": description}).to_string();
        let error = parse_token_response(400, &body, None, &InstanceUrl::REQUIRED).unwrap_err();
        assert_eq!(error.kind, *kind, "{code}: {description}");
        assert_eq!(error.description, *description);
        assert!(
            hint(&error).contains(hint_part),
            "{code} {description}: {}",
            hint(&error)
        );
        assert!(!error.is_retryable(), "{code} is final");
        assert!(error.to_string().contains(code), "{error}");
    }
}

#[test]
fn only_revoked_refresh_tokens_need_a_reconnect() {
    let body = r#"{"error":"invalid_grant","error_description":"expired access/refresh token"}"#;
    let error = parse_token_response(400, body, None, &InstanceUrl::REQUIRED).unwrap_err();
    assert!(error.needs_reconnect());
    assert!(
        error
            .to_string()
            .starts_with("the credential needs to be reconnected")
    );
    let body = r#"{"error":"invalid_grant","error_description":"invalid assertion"}"#;
    assert!(
        !parse_token_response(400, body, None, &InstanceUrl::REQUIRED)
            .unwrap_err()
            .needs_reconnect()
    );
}

#[test]
fn server_errors_and_concurrent_refreshes_are_retryable() {
    let error = parse_token_response(
        503,
        "<html><body>Maintenance</body></html>",
        None,
        &InstanceUrl::REQUIRED,
    )
    .unwrap_err();
    assert_eq!(error.kind, TokenErrorKind::Unreadable);
    assert!(error.is_retryable());
    let body = r#"{"error":"invalid_grant","error_description":"Token request is already being processed"}"#;
    assert!(
        parse_token_response(400, body, None, &InstanceUrl::REQUIRED)
            .unwrap_err()
            .is_retryable()
    );
    let error = parse_token_response(400, "not json", None, &InstanceUrl::REQUIRED).unwrap_err();
    assert_eq!(error.kind, TokenErrorKind::Unreadable);
    assert!(!error.is_retryable());
}

/// An access token planted in malformed token responses; it must appear in no error text.
const CANARY: &str = "00Dcanary!AQ.canary-access-token-5f1e";

/// `(status, body, words the error's description must hold)`: answers that are not a usable
/// token response, each carrying the canary.
fn malformed_answers() -> Vec<(u16, String, &'static str)> {
    let success = |extra: &str| {
        format!(
            r#"{{"access_token":"{CANARY}","instance_url":"https://acme.my.salesforce.com"{extra}}}"#
        )
    };
    let whole = success("");
    vec![
        (
            200,
            whole[..whole.len() - 12].to_owned(),
            "JSON that ends early (line 1, column",
        ),
        (
            200,
            format!(r#"{{"access_token":"{CANARY}","instance_url":5}}"#),
            "`instance_url` is a JSON number, not a string",
        ),
        (
            200,
            format!(r#"{{"access_token":"{CANARY}","instance_url":"{CANARY}"}}"#),
            "`instance_url` is not an absolute http(s) URL",
        ),
        (
            200,
            success(r#","token_type":{"kind":"Bearer"}"#),
            "`token_type` is a JSON object, not a string",
        ),
        (
            200,
            success(r#","scope":["api",7]"#),
            "`scope` is a list holding a JSON number, not a string or a list of strings",
        ),
        (
            200,
            format!(r#"[{{"access_token":"{CANARY}"}}]"#),
            "JSON array, not an object",
        ),
        (
            200,
            format!("access_token={CANARY}&instance_url=x"),
            "text that is not JSON (line 1, column 1)",
        ),
        (
            400,
            format!("<html><body>token {CANARY} refused</body></html>"),
            "an HTML page",
        ),
        (
            401,
            format!(r#"{{"message":"bad","token":"{CANARY}"}}"#),
            "JSON without an `error` code",
        ),
        (
            400,
            format!(r#"{{"error":"{CANARY} is not a code"}}"#),
            "JSON whose `error` is not an OAuth error code",
        ),
        (400, "  ".to_owned(), "an empty body"),
        (
            502,
            format!("upstream said {CANARY}"),
            "text that is not JSON",
        ),
    ]
}

#[test]
fn no_token_error_quotes_the_body_it_describes() {
    for (status, body, words) in malformed_answers() {
        let error = parse_token_response(status, &body, None, &InstanceUrl::REQUIRED).unwrap_err();
        let shown = format!("{error} {error:?} {}", hint(&error));
        assert!(!shown.contains("canary"), "the body was quoted: {shown}");
        assert!(
            error.description.contains(words),
            "{body}: {}",
            error.description
        );
    }
}

#[test]
fn a_numeric_issued_at_a_scope_list_and_null_fields_are_accepted() {
    let session = parse(
        r#"{"access_token":"00D!AQ.x","instance_url":"https://acme.my.salesforce.com","issued_at":1767225600000,"scope":["api","refresh_token"],"id":null,"token_type":null}"#,
        None,
    );
    assert_eq!(session.issued_at.as_deref(), Some("1767225600000"));
    assert_eq!(session.scope.as_deref(), Some("api refresh_token"));
    assert!(session.id.is_none() && session.token_type.is_none());
    assert!(session.extra.is_empty(), "{:?}", session.extra.keys());
}

#[test]
fn error_descriptions_are_one_bounded_line_without_control_characters() {
    let hostile = format!(
        "invalid assertion\u{1b}[31m\nforged line\u{202e}{}",
        "x".repeat(5000)
    );
    let body = json!({"error": "invalid_grant", "error_description": hostile}).to_string();
    let error = parse_token_response(400, &body, None, &InstanceUrl::REQUIRED).unwrap_err();
    assert!(
        error.description.starts_with("invalid assertion"),
        "{}",
        error.description
    );
    assert!(
        error.description.chars().count() <= 201,
        "{} characters",
        error.description.chars().count()
    );
    assert!(
        !error
            .description
            .chars()
            .any(|c| c.is_control() || c == '\u{202e}'),
        "{:?}",
        error.description
    );
    assert!(
        hint(&error).contains("certificate"),
        "the hint still matches"
    );
    let number = json!({"error": "invalid_grant", "error_description": 5}).to_string();
    let error = parse_token_response(400, &number, None, &InstanceUrl::REQUIRED).unwrap_err();
    assert_eq!(
        (error.kind, error.description.as_str()),
        (TokenErrorKind::InvalidGrant, "")
    );
}

#[test]
fn a_stored_session_is_read_as_tolerantly_as_a_token_response() {
    let stored = json!({"access_token": "00D!AQ.x", "instance_url": "https://acme.my.salesforce.com",
                        "issued_at": 1767225600000_u64, "scope": ["api", "id"], "signature": "s="});
    let session: Session = serde_json::from_value(stored).unwrap();
    assert_eq!(session.issued_at.as_deref(), Some("1767225600000"));
    assert_eq!(session.scope.as_deref(), Some("api id"));
    assert_eq!(session.extra["signature"], json!("s="));
    let wrong = json!({"access_token": "00D!AQ.canary", "instance_url": 5});
    let error = serde_json::from_value::<Session>(wrong)
        .unwrap_err()
        .to_string();
    assert!(error.contains("`instance_url` is a JSON number"), "{error}");
    assert!(!error.contains("canary"), "{error}");
}
