//! The fake's OAuth endpoints over real HTTP: every grant, its exact error bodies, host rules,
//! revoke, introspect, userinfo and identity.

mod fake_support;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use fake_support::*;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::time::Duration;
use weft_tests::fake::{ConnectedApp, FakeConfig};

fn error(body: &Value) -> (&str, &str) {
    (
        body["error"].as_str().unwrap_or_default(),
        body["error_description"].as_str().unwrap_or_default(),
    )
}

#[tokio::test]
async fn jwt_bearer_issues_a_token_without_refresh_or_signature() {
    let fake = start().await;
    let (status, body) = jwt_token(fake.instance_url(), fake.login_url()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["access_token"].as_str().unwrap().starts_with("00D"));
    assert_eq!(body["instance_url"], fake.instance_url());
    assert_eq!(body["token_type"], "Bearer");
    let id = body["id"].as_str().unwrap();
    assert!(id.starts_with(&format!("{}/id/{}/005", fake.login_url(), fake.org_id())));
    for absent in ["refresh_token", "issued_at", "signature", "expires_in"] {
        assert!(body.get(absent).is_none(), "{absent} in {body}");
    }
    // The My Domain URL is always an accepted audience, and the login host serves the grant too.
    let (status, _) = jwt_token(fake.login_url(), fake.instance_url()).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = jwt_token(fake.instance_url(), "https://test.salesforce.com").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fake.counters().token_requests.get(JWT_GRANT), Some(&3));
}

#[tokio::test]
async fn jwt_bearer_errors_are_salesforce_bodies() {
    let fake = start().await;
    let url = format!("{}/services/oauth2/token", fake.instance_url());
    let aud = fake.login_url().to_string();
    let exp = now_secs() + 180;
    let cases = [
        (
            assertion(CLIENT_ID, USER, &aud, exp, OTHER_KEY),
            ("invalid_grant", "invalid assertion"),
        ),
        (
            assertion("nobody", USER, &aud, exp, TEST_KEY),
            ("invalid_client_id", "client identifier invalid"),
        ),
        (
            assertion(CLIENT_ID, USER, "https://evil.example", exp, TEST_KEY),
            ("invalid_grant", "audience is invalid"),
        ),
        (
            assertion(CLIENT_ID, USER, &aud, now_secs() - 10, TEST_KEY),
            ("invalid_grant", "expired authorization code"),
        ),
        (
            assertion(CLIENT_ID, "unapproved@example.com", &aud, exp, TEST_KEY),
            ("invalid_grant", "user hasn't approved this consumer"),
        ),
        (
            assertion(CLIENT_ID, "stranger@example.com", &aud, exp, TEST_KEY),
            ("invalid_grant", "user hasn't approved this consumer"),
        ),
        (
            "not.a.jwt".to_string(),
            ("invalid_grant", "invalid assertion"),
        ),
    ];
    for (jwt, expected) in cases {
        let response = http()
            .post(&url)
            .form(&[("grant_type", JWT_GRANT), ("assertion", &jwt)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            response.headers()["content-type"],
            "application/json;charset=UTF-8"
        );
        assert!(
            response.headers()["cache-control"]
                .to_str()
                .unwrap()
                .contains("no-store")
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(error(&body), expected);
    }
    let (status, body) = post_form(&url, &[("grant_type", "password")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        error(&body),
        ("unsupported_grant_type", "grant type not supported")
    );
    let json_body = http()
        .post(&url)
        .json(&serde_json::json!({"grant_type": JWT_GRANT}))
        .send()
        .await
        .unwrap();
    assert_eq!(json_body.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn external_client_apps_reject_legacy_audiences() {
    let config = FakeConfig {
        apps: vec![ConnectedApp {
            external_client_app: true,
            ..ConnectedApp::default()
        }],
        ..FakeConfig::default()
    };
    let fake = start_with(config).await;
    for aud in [
        fake.login_url(),
        "https://login.salesforce.com",
        "https://test.salesforce.com",
    ] {
        let (status, body) = jwt_token(fake.instance_url(), aud).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            error(&body),
            (
                "app_not_found",
                "External client app is not installed in this org"
            )
        );
    }
    let (status, _) = jwt_token(fake.instance_url(), fake.instance_url()).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn client_credentials_only_on_my_domain_with_a_signature() {
    let fake = start().await;
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_secret", SECRET),
    ];
    let (status, body) = post_form(
        &format!("{}/services/oauth2/token", fake.login_url()),
        &form,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        error(&body),
        ("invalid_grant", "request not supported on this domain")
    );

    let (status, body) = post_form(
        &format!("{}/services/oauth2/token", fake.instance_url()),
        &form,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.get("refresh_token").is_none() && body.get("expires_in").is_none());
    let issued_at = body["issued_at"].as_str().unwrap();
    assert!(issued_at.parse::<u64>().unwrap() > 1_700_000_000_000);
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{}{issued_at}", body["id"].as_str().unwrap()).as_bytes());
    assert_eq!(
        body["signature"],
        STANDARD.encode(mac.finalize().into_bytes())
    );

    // HTTP Basic works; both Basic and form secrets do not; a wrong secret or client is refused.
    let basic = http()
        .post(format!("{}/services/oauth2/token", fake.instance_url()))
        .basic_auth(CLIENT_ID, Some(SECRET))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::OK);
    let url = format!("{}/services/oauth2/token", fake.instance_url());
    let (_, body) = post_form(
        &url,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", "x"),
        ],
    )
    .await;
    assert_eq!(
        error(&body),
        ("invalid_client", "invalid client credentials")
    );
    let (_, body) = post_form(
        &url,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "x"),
            ("client_secret", SECRET),
        ],
    )
    .await;
    assert_eq!(
        error(&body),
        ("invalid_client_id", "client identifier invalid")
    );
}

#[tokio::test]
async fn client_credentials_needs_the_flow_and_a_run_as_user() {
    let config = FakeConfig {
        apps: vec![
            ConnectedApp {
                client_id: "no-flow".into(),
                client_credentials_enabled: false,
                ..ConnectedApp::default()
            },
            ConnectedApp {
                client_id: "no-user".into(),
                run_as: None,
                ..ConnectedApp::default()
            },
        ],
        ..FakeConfig::default()
    };
    let fake = start_with(config).await;
    let url = format!("{}/services/oauth2/token", fake.instance_url());
    let (_, body) = post_form(
        &url,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "no-flow"),
            ("client_secret", SECRET),
        ],
    )
    .await;
    assert_eq!(
        error(&body),
        ("unsupported_grant_type", "grant type not supported")
    );
    let (_, body) = post_form(
        &url,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "no-user"),
            ("client_secret", SECRET),
        ],
    )
    .await;
    assert_eq!(
        error(&body),
        ("invalid_grant", "no client credentials user enabled")
    );
}

/// Runs the authorize page for the default app; returns the callback `Location`.
async fn authorize(base: &str, redirect: &str, challenge: &str, decision: &str) -> String {
    let params = [
        ("response_type", "code"),
        ("client_id", CLIENT_ID),
        ("redirect_uri", redirect),
        ("state", "st&te 1"),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
        ("scope", "api refresh_token"),
    ];
    let page = http()
        .get(format!("{base}/services/oauth2/authorize"))
        .query(&params)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("name=\"decision\" value=\"approve\"") && html.contains("value=\"deny\"")
    );
    let mut form: Vec<(&str, &str)> = params.to_vec();
    form.extend([("username", USER), ("decision", decision)]);
    let response = http()
        .post(format!("{base}/services/oauth2/authorize"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    response.headers()["location"].to_str().unwrap().to_string()
}

fn query_param(location: &str, name: &str) -> Option<String> {
    let url = url::Url::parse(location).unwrap();
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn authorization_code_with_pkce_then_refresh() {
    let fake = start().await;
    let redirect = "http://127.0.0.1:8765/callback";
    let verifier = "a-verifier-of-enough-length-0123456789abcdefghijk";
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let location = authorize(fake.login_url(), redirect, &challenge, "approve").await;
    assert!(location.starts_with(redirect));
    assert_eq!(query_param(&location, "state").as_deref(), Some("st&te 1"));
    let code = query_param(&location, "code").unwrap();
    assert!(code.ends_with("=="));

    let url = format!("{}/services/oauth2/token", fake.login_url());
    let exchange = |code: String, verifier: &'static str, redirect: &'static str| {
        let url = url.clone();
        async move {
            post_form(
                &url,
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", redirect),
                    ("client_id", CLIENT_ID),
                    ("client_secret", SECRET),
                    ("code_verifier", verifier),
                ],
            )
            .await
        }
    };
    let (status, body) = exchange(
        code.clone(),
        "a-verifier-of-enough-length-0123456789abcdefghijk",
        "http://127.0.0.1:8765/callback",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["signature"].is_string() && body["issued_at"].is_string());
    let refresh = body["refresh_token"].as_str().unwrap().to_string();
    // Codes are single-use.
    let (_, body) = exchange(
        code,
        "a-verifier-of-enough-length-0123456789abcdefghijk",
        "http://127.0.0.1:8765/callback",
    )
    .await;
    assert_eq!(
        error(&body),
        ("invalid_grant", "expired authorization code")
    );

    // A wrong verifier and a different redirect URI are refused.
    let location = authorize(fake.login_url(), redirect, &challenge, "approve").await;
    let (_, body) = exchange(
        query_param(&location, "code").unwrap(),
        "wrong-verifier",
        "http://127.0.0.1:8765/callback",
    )
    .await;
    assert_eq!(body["error"], "invalid_request");
    let location = authorize(fake.login_url(), redirect, &challenge, "approve").await;
    let (_, body) = exchange(
        query_param(&location, "code").unwrap(),
        "a-verifier-of-enough-length-0123456789abcdefghijk",
        "http://127.0.0.1:9999/callback",
    )
    .await;
    assert_eq!(
        error(&body),
        (
            "redirect_uri_mismatch",
            "redirect_uri must match configuration"
        )
    );

    // Refresh without rotation: a new access token, no new refresh token, the old one still works.
    for _ in 0..2 {
        let (status, body) = post_form(
            &url,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &refresh),
                ("client_id", CLIENT_ID),
                ("client_secret", SECRET),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.get("refresh_token").is_none());
        assert!(body["access_token"].is_string() && body["signature"].is_string());
    }
    assert_eq!(
        fake.counters().token_requests.get("refresh_token"),
        Some(&2)
    );
}

#[tokio::test]
async fn authorize_denial_and_bad_clients() {
    let fake = start().await;
    let location = authorize(
        fake.instance_url(),
        "http://localhost:1/callback",
        "abc",
        "deny",
    )
    .await;
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(
        query_param(&location, "error_description").as_deref(),
        Some("end-user denied authorization")
    );
    assert_eq!(query_param(&location, "state").as_deref(), Some("st&te 1"));
    for (client, redirect, expected) in [
        ("nobody", "http://127.0.0.1:1/callback", "invalid_client_id"),
        (
            CLIENT_ID,
            "https://evil.example/callback",
            "redirect_uri_mismatch",
        ),
    ] {
        let page = http()
            .get(format!("{}/services/oauth2/authorize", fake.login_url()))
            .query(&[
                ("response_type", "code"),
                ("client_id", client),
                ("redirect_uri", redirect),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::BAD_REQUEST);
        assert!(page.headers().get("location").is_none());
        assert!(page.text().await.unwrap().contains(expected));
    }
}

#[tokio::test]
async fn refresh_token_rotation_revokes_the_family_on_reuse() {
    let config = FakeConfig {
        apps: vec![ConnectedApp {
            refresh_token_rotation: true,
            ..ConnectedApp::default()
        }],
        ..FakeConfig::default()
    };
    let fake = start_with(config).await;
    let location = authorize(
        fake.login_url(),
        "http://127.0.0.1:5/callback",
        &URL_SAFE_NO_PAD.encode(Sha256::digest(b"v")),
        "approve",
    )
    .await;
    let url = format!("{}/services/oauth2/token", fake.login_url());
    let (_, body) = post_form(
        &url,
        &[
            ("grant_type", "authorization_code"),
            ("code", &query_param(&location, "code").unwrap()),
            ("redirect_uri", "http://127.0.0.1:5/callback"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
            ("code_verifier", "v"),
        ],
    )
    .await;
    let first = body["refresh_token"].as_str().unwrap().to_string();
    let refresh = |token: String| {
        let url = url.clone();
        async move {
            post_form(
                &url,
                &[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", &token),
                    ("client_id", CLIENT_ID),
                    ("client_secret", SECRET),
                ],
            )
            .await
        }
    };
    let (status, body) = refresh(first.clone()).await;
    assert_eq!(status, StatusCode::OK);
    let second = body["refresh_token"].as_str().unwrap().to_string();
    let access = body["access_token"].as_str().unwrap().to_string();
    assert_ne!(first, second);
    let (status, _) = get(&fake, &access, &format!("{V}/limits")).await;
    assert_eq!(status, StatusCode::OK);
    // Reusing the rotated-away token revokes everything of the family.
    let (_, body) = refresh(first).await;
    assert_eq!(
        error(&body),
        ("invalid_grant", "expired access/refresh token")
    );
    let (_, body) = refresh(second).await;
    assert_eq!(
        error(&body),
        ("invalid_grant", "expired access/refresh token")
    );
    let (status, body) = get(&fake, &access, &format!("{V}/limits")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&body), "INVALID_SESSION_ID");
}

#[tokio::test]
async fn revoke_introspect_userinfo_and_identity() {
    let fake = start().await;
    let access = token(&fake).await;
    let introspect = |token: String| {
        let url = format!("{}/services/oauth2/introspect", fake.instance_url());
        async move {
            post_form(
                &url,
                &[
                    ("token", &token),
                    ("client_id", CLIENT_ID),
                    ("client_secret", SECRET),
                    ("token_type_hint", "access_token"),
                ],
            )
            .await
        }
    };
    let (status, body) = introspect(access.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["active"], true);
    assert_eq!(body["token_type"], "access_token");
    assert_eq!(body["username"], USER);
    assert!(body["exp"].as_i64().unwrap() > body["iat"].as_i64().unwrap());

    let info = http()
        .get(format!("{}/services/oauth2/userinfo", fake.login_url()))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), StatusCode::OK);
    let info: Value = info.json().await.unwrap();
    assert_eq!(info["preferred_username"], USER);
    let identity_url = info["sub"].as_str().unwrap().to_string();
    let identity = http()
        .get(&identity_url)
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(identity.status(), StatusCode::OK);
    let identity: Value = identity.json().await.unwrap();
    assert_eq!(identity["username"], USER);
    assert_eq!(identity["organization_id"], fake.org_id());

    let revoke = http()
        .post(format!("{}/services/oauth2/revoke", fake.login_url()))
        .form(&[("token", &access)])
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), StatusCode::OK);
    let (_, body) = introspect(access.clone()).await;
    assert_eq!(body, serde_json::json!({"active": false}));
    for url in [
        format!("{}/services/oauth2/userinfo", fake.instance_url()),
        identity_url,
    ] {
        let response = http().get(url).bearer_auth(&access).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain")
        );
        assert_eq!(response.text().await.unwrap(), "Bad_OAuth_Token");
    }
    let (status, body) = get(&fake, &access, &format!("{V}/limits")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body,
        serde_json::json!([{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}])
    );
    let again = http()
        .get(format!(
            "{}/services/oauth2/revoke?token=unknown",
            fake.login_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn sessions_expire_after_the_token_lifetime_and_on_demand() {
    let config = FakeConfig {
        token_lifetime: Duration::from_secs(60),
        ..FakeConfig::default()
    };
    let fake = start_with(config).await;
    let access = token(&fake).await;
    assert_eq!(
        get(&fake, &access, &format!("{V}/limits")).await.0,
        StatusCode::OK
    );
    fake.advance_clock(Duration::from_secs(61));
    let (status, body) = get(&fake, &access, &format!("{V}/limits")).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "INVALID_SESSION_ID")
    );

    let access = token(&fake).await;
    fake.expire_all_sessions();
    assert_eq!(
        get(&fake, &access, &format!("{V}/limits")).await.0,
        StatusCode::UNAUTHORIZED
    );
    let access = token(&fake).await;
    fake.revoke_access_tokens();
    assert_eq!(
        get(&fake, &access, &format!("{V}/limits")).await.0,
        StatusCode::UNAUTHORIZED
    );
    // A token is only good on the instance host.
    let access = token(&fake).await;
    let response = http()
        .get(format!("{}{V}/limits", fake.login_url()))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_moved_instance_is_named_by_later_token_responses_and_serves_rest() {
    let fake = start().await;
    let moved = fake.instance_alias_url();
    let request = admin_request(&fake, reqwest::Method::POST, "/instance/move")
        .json(&serde_json::json!({ "url": moved }));
    assert_eq!(send(request).await.status(), StatusCode::NO_CONTENT);
    let (status, body) = jwt_token(fake.instance_url(), fake.login_url()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["instance_url"], moved.as_str());
    let limits = http()
        .get(format!("{moved}/services/data/v66.0/limits"))
        .bearer_auth(body["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        limits.status(),
        StatusCode::OK,
        "the alias is the same instance"
    );
}
