//! `oAuth2Api`: its checks, and the requests of each grant as n8n 2.41.1 builds them (field order,
//! client authentication, the authorize URL's parameters).

use serde_json::{Value, json};
use url::Url;
use weft_credentials::scheme::{
    AuthScheme, ClientAuth, Grant, InstanceUrl, Pkce, SchemeError, Session, TokenHosts, UnixTime,
};
use weft_credentials::{Registry, Secret, validate};

fn scheme() -> &'static dyn AuthScheme {
    Registry::global()
        .unwrap()
        .get("oAuth2Api")
        .unwrap()
        .authenticate
        .token_scheme()
        .unwrap()
}

fn data(extra: Value) -> Value {
    let mut data = json!({"grantType": "authorizationCode", "authUrl": "https://auth.example.com/authorize?tenant=1&scope=preset",
        "accessTokenUrl": "https://auth.example.com/token", "clientId": "client 1", "clientSecret": "s3cr:et",
        "scope": "read  write"});
    for (key, value) in extra.as_object().unwrap() {
        data[key] = value.clone();
    }
    data
}

fn names<'a>(form: &'a [(std::borrow::Cow<'static, str>, Secret)]) -> Vec<&'a str> {
    form.iter().map(|(key, _)| key.as_ref()).collect()
}

#[test]
fn checks_name_each_field_weft_cannot_use() {
    let cases = [
        (json!({}), vec![]),
        (
            json!({"accessTokenUrl": "http://auth.example.com/token"}),
            vec!["accessTokenUrl"],
        ),
        (
            json!({"accessTokenUrl": "http://127.0.0.1:9/token"}),
            vec![],
        ),
        (json!({"authUrl": ""}), vec!["authUrl"]),
        (
            json!({"grantType": "clientCredentials", "authUrl": ""}),
            vec![],
        ),
        (
            json!({"grantType": "clientCredentials", "clientSecret": ""}),
            vec!["clientSecret"],
        ),
        (json!({"grantType": "pkce", "clientSecret": ""}), vec![]),
        (
            json!({"grantType": "clientCredentials", "authentication": "body", "sendAdditionalBodyProperties": true, "additionalBodyProperties": "{\"a\": [1]}"}),
            vec!["additionalBodyProperties.a"],
        ),
        (
            json!({"grantType": "clientCredentials", "authentication": "body", "sendAdditionalBodyProperties": true, "additionalBodyProperties": "{oops"}),
            vec!["additionalBodyProperties"],
        ),
        (json!({"ignoreSSLIssues": true}), vec!["ignoreSSLIssues"]),
        (
            json!({"tokenExpiredStatusCode": 403}),
            vec!["tokenExpiredStatusCode"],
        ),
        (
            json!({"useDynamicClientRegistration": true}),
            vec!["useDynamicClientRegistration"],
        ),
        (
            json!({"clientCredentialType": "certificate"}),
            vec!["clientCredentialType"],
        ),
        (json!({"grantType": "implicit"}), vec!["grantType"]),
    ];
    let credential_type = Registry::global().unwrap().get("oAuth2Api").unwrap();
    for (extra, expected) in cases {
        let paths: Vec<String> = validate(credential_type, &data(extra.clone()))
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|error| {
                assert!(!error.hint.is_empty(), "{error}");
                assert!(!error.to_string().contains("s3cr:et"), "{error}");
                error.path
            })
            .collect();
        assert_eq!(paths, expected, "{extra}");
    }
}

#[test]
fn the_grant_and_the_token_hosts_come_from_the_data() {
    let grant = |extra| scheme().grant_for(&data(extra));
    assert_eq!(scheme().grant(), Grant::ChosenByData);
    assert_eq!(grant(json!({})), Grant::AuthorizationCode);
    assert_eq!(
        grant(json!({"grantType": "pkce"})),
        Grant::AuthorizationCode
    );
    assert_eq!(
        grant(json!({"grantType": "clientCredentials"})),
        Grant::ClientCredentials
    );
    assert_eq!(
        scheme().instance_url(&data(json!({}))),
        InstanceUrl::NotUsed
    );
    let hosts = scheme().token_hosts(&data(
        json!({"allowedHttpRequestDomains": "domains", "allowedDomains": "api.example.com"}),
    ));
    let TokenHosts::EveryRequest(rule) = hosts else {
        panic!("{hosts:?}")
    };
    assert!(
        rule.check(&Url::parse("https://api.example.com/x").unwrap())
            .is_ok()
    );
    assert!(
        rule.check(&Url::parse("https://evil.example.com/x").unwrap())
            .is_err()
    );
}

#[test]
fn client_credentials_and_refresh_put_the_client_where_n8n_does() {
    let now = UnixTime(0);
    let cc = |extra: Value| {
        let mut with = data(json!({"grantType": "clientCredentials"}));
        for (key, value) in extra.as_object().unwrap() {
            with[key] = value.clone();
        }
        scheme().token_request(&with, None, now).unwrap()
    };
    let header = cc(json!({}));
    assert_eq!(
        header.body(),
        "grant_type=client_credentials&scope=read%20write"
    );
    assert_eq!(
        header.authorization_header().unwrap().expose(),
        "Basic Y2xpZW50IDE6czNjcjpldA=="
    );
    let body = cc(
        json!({"authentication": "body", "scope": "", "sendAdditionalBodyProperties": true,
        "additionalBodyProperties": "{\"audience\": \"api://x\", \"n\": 2, \"grant_type\": \"other\"}"}),
    );
    assert_eq!(
        names(&body.form),
        ["audience", "n", "grant_type", "client_id", "client_secret"]
    );
    assert_eq!(body.client_auth, ClientAuth::None);

    let stored = json!({"access_token": "at", "refresh_token": "stored-rt"});
    let refresh = |extra: Value, previous: Option<&Session>| {
        let mut with = data(extra);
        with["oauthTokenData"] = stored.clone();
        scheme().token_request(&with, previous, now).unwrap()
    };
    let header = refresh(json!({}), None);
    assert_eq!(
        header.body(),
        "refresh_token=stored-rt&grant_type=refresh_token"
    );
    assert!(header.authorization_header().is_some());
    let mut rotated = Session::new(Secret::new("new"), None);
    rotated.refresh_token = Some(Secret::new("rotated-rt"));
    let body = refresh(json!({"authentication": "body"}), Some(&rotated));
    assert_eq!(
        body.body(),
        "refresh_token=rotated-rt&grant_type=refresh_token&client_id=client%201&client_secret=s3cr%3Aet"
    );
    let public = refresh(json!({"clientSecret": ""}), None);
    assert_eq!(
        names(&public.form),
        ["refresh_token", "grant_type", "client_id"]
    );
    assert_eq!(public.client_auth, ClientAuth::None);

    let never_connected = scheme().token_request(&data(json!({})), None, now);
    assert_eq!(never_connected.unwrap_err(), SchemeError::NotConnected);
}

#[test]
fn the_authorize_url_and_code_exchange_follow_n8n() {
    let redirect = Url::parse("http://127.0.0.1:5678/callback").unwrap();
    let pkce = Pkce::from_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    let authorize = scheme()
        .authorize(
            &data(
                json!({"grantType": "pkce", "authQueryParameters": "access_type=offline&tenant=2"}),
            ),
            &redirect,
            pkce.clone(),
            "st".into(),
        )
        .unwrap();
    assert_eq!(
        authorize.url.as_str(),
        "https://auth.example.com/authorize?tenant=1&scope=read++write&access_type=offline\
         &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256\
         &client_id=client+1&redirect_uri=http%3A%2F%2F127.0.0.1%3A5678%2Fcallback\
         &response_type=code&state=st"
    );
    let plain = scheme()
        .authorize(
            &data(json!({"scope": ""})),
            &redirect,
            pkce.clone(),
            "st".into(),
        )
        .unwrap();
    assert!(
        !plain.url.as_str().contains("code_challenge"),
        "{}",
        plain.url
    );
    assert!(
        plain.url.as_str().contains("scope=preset"),
        "an empty scope keeps the URL's"
    );
    let refused = scheme().authorize(
        &data(json!({"grantType": "clientCredentials"})),
        &redirect,
        pkce.clone(),
        "st".into(),
    );
    assert!(matches!(refused, Err(SchemeError::Unsupported(_))));

    let exchange = |extra| {
        scheme()
            .code_exchange(&data(extra), "the code", &redirect, &pkce)
            .unwrap()
    };
    let header_pkce = exchange(json!({"grantType": "pkce"}));
    assert_eq!(
        names(&header_pkce.form),
        ["code", "grant_type", "redirect_uri", "code_verifier"]
    );
    assert!(header_pkce.authorization_header().is_some());
    let body_pkce = exchange(json!({"grantType": "pkce", "authentication": "body"}));
    assert_eq!(
        names(&body_pkce.form),
        [
            "code",
            "grant_type",
            "redirect_uri",
            "client_id",
            "code_verifier",
            "client_secret"
        ]
    );
    let header_code = exchange(json!({}));
    assert_eq!(
        names(&header_code.form),
        ["code", "grant_type", "redirect_uri"]
    );
    let public = exchange(json!({"grantType": "pkce", "clientSecret": ""}));
    assert_eq!(
        names(&public.form),
        [
            "code",
            "grant_type",
            "redirect_uri",
            "client_id",
            "code_verifier"
        ]
    );
    assert_eq!(public.client_auth, ClientAuth::None);
}

#[test]
fn n8n_s_stored_token_data_is_a_session_without_an_instance() {
    let mut with = data(json!({}));
    with["oauthTokenData"] = json!({"access_token": "at", "refresh_token": "rt", "expires_in": 3600,
        "n8n_expires_at": "1767225600000", "token_type": "Bearer"});
    let session = scheme().stored_session(&with).unwrap();
    assert_eq!(session.access_token.expose(), "at");
    assert_eq!(session.instance_url, None);
    assert_eq!(scheme().api_base(&with, &session).unwrap(), None);
    with["oauthTokenData"] = json!({"access_token": ""});
    assert!(
        scheme().stored_session(&with).is_none(),
        "n8n's empty token asks again"
    );
}
