//! Each flow's token request, and the JWT assertion's claims checked with the public key.

use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Value, json};
use url::Url;
use weft_credentials::Registry;
use weft_credentials::scheme::{ClientAuth, Grant, Pkce, SchemeError, UnixTime};

const PRIVATE_KEY: &str = include_str!("../../tests/fixtures/keys/test-rsa-pkcs8.pem");
const PUBLIC_KEY: &str = include_str!("../../tests/fixtures/keys/test-rsa-public.pem");
const NOW: UnixTime = UnixTime(1_767_225_600);

fn scheme(name: &str) -> &'static dyn weft_credentials::scheme::AuthScheme {
    Registry::global()
        .unwrap()
        .get(name)
        .unwrap()
        .authenticate
        .token_scheme()
        .unwrap()
}

fn jwt_data(extra: Value) -> Value {
    let mut data = json!({
        "clientId": "3MVG9.consumer",
        "username": "integration@example.com",
        "privateKey": PRIVATE_KEY,
    });
    data.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    data
}

fn decode_claims(assertion: &str, audience: &str) -> Value {
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[audience]);
    validation.validate_exp = false;
    let key = DecodingKey::from_rsa_pem(PUBLIC_KEY.as_bytes()).unwrap();
    jsonwebtoken::decode::<Value>(assertion, &key, &validation)
        .unwrap()
        .claims
}

#[test]
fn jwt_audience_and_token_host_follow_environment_my_domain_and_override() {
    let cases = [
        (
            json!({}),
            "https://login.salesforce.com",
            "https://login.salesforce.com/services/oauth2/token",
        ),
        (
            json!({"environment": "sandbox"}),
            "https://test.salesforce.com",
            "https://test.salesforce.com/services/oauth2/token",
        ),
        (
            json!({"myDomainUrl": "https://acme.my.salesforce.com/"}),
            "https://acme.my.salesforce.com",
            "https://acme.my.salesforce.com/services/oauth2/token",
        ),
        (
            json!({"environment": "sandbox", "myDomainUrl": "https://acme--uat.sandbox.my.salesforce.com"}),
            "https://acme--uat.sandbox.my.salesforce.com",
            "https://acme--uat.sandbox.my.salesforce.com/services/oauth2/token",
        ),
        (
            json!({"myDomainUrl": "https://acme.my.salesforce.com", "audience": "https://login.salesforce.com"}),
            "https://login.salesforce.com",
            "https://acme.my.salesforce.com/services/oauth2/token",
        ),
    ];
    for (extra, audience, token_url) in cases {
        let request = scheme("salesforceJwtApi")
            .token_request(&jwt_data(extra.clone()), None, NOW)
            .unwrap();
        assert_eq!(request.url.as_str(), token_url, "{extra}");
        assert_eq!(request.client_auth, ClientAuth::None);
        assert_eq!(
            request.grant_type(),
            "urn:ietf:params:oauth:grant-type:jwt-bearer"
        );
        let assertion = request.field("assertion").unwrap();
        let header: Value = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(assertion.split('.').next().unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(header, json!({"alg": "RS256", "typ": "JWT"}));
        let claims = decode_claims(assertion, audience);
        assert_eq!(
            claims,
            json!({
                "iss": "3MVG9.consumer",
                "sub": "integration@example.com",
                "aud": audience,
                "exp": NOW.0 + 180,
                "iat": NOW.0,
            }),
            "{extra}"
        );
        assert_eq!(
            request.body(),
            format!(
                "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={assertion}"
            )
        );
    }
}

#[test]
fn jwt_accepts_a_pkcs1_key_and_signs_verifiably() {
    let data = jwt_data(json!({
        "privateKey": include_str!("../../tests/fixtures/keys/test-rsa-pkcs1.pem").replace('\n', "\\n")
    }));
    let request = scheme("salesforceJwtApi")
        .token_request(&data, None, NOW)
        .unwrap();
    decode_claims(
        request.field("assertion").unwrap(),
        "https://login.salesforce.com",
    );
}

#[test]
fn token_request_debug_shows_no_secret() {
    let request = scheme("salesforceJwtApi")
        .token_request(&jwt_data(json!({})), None, NOW)
        .unwrap();
    let debug = format!("{request:?}");
    assert!(!debug.contains(request.field("assertion").unwrap()));
    assert!(debug.contains("jwt-bearer") && debug.contains("assertion"));
}

#[test]
fn client_credentials_posts_to_my_domain_with_body_or_basic_auth() {
    let data =
        json!({"url": "acme.my.salesforce.com", "clientId": "cid", "clientSecret": "s3cret"});
    let request = scheme("salesforceClientCredentialsApi")
        .token_request(&data, None, NOW)
        .unwrap();
    assert_eq!(
        request.url.as_str(),
        "https://acme.my.salesforce.com/services/oauth2/token"
    );
    assert_eq!(
        request.body(),
        "grant_type=client_credentials&client_id=cid&client_secret=s3cret"
    );
    assert!(request.authorization_header().is_none());

    let mut basic = data.clone();
    basic["clientAuth"] = json!("basic");
    let request = scheme("salesforceClientCredentialsApi")
        .token_request(&basic, None, NOW)
        .unwrap();
    assert_eq!(request.body(), "grant_type=client_credentials");
    assert_eq!(
        request.authorization_header().unwrap().expose(),
        "Basic Y2lkOnMzY3JldA=="
    );
    assert_eq!(
        scheme("salesforceClientCredentialsApi").grant(),
        Grant::ClientCredentials
    );
}

fn oauth2_data() -> Value {
    json!({
        "clientId": "cid",
        "clientSecret": "s3cret",
        "environment": "sandbox",
        "authUrl": "https://evil.example.com/ignored",
        "oauthTokenData": {
            "access_token": "00D!old",
            "refresh_token": "5Aep-refresh",
            "instance_url": "https://acme.my.salesforce.com",
            "issued_at": "1767225600000"
        }
    })
}

#[test]
fn oauth2_authorize_url_carries_pkce_state_and_ignores_stored_auth_url() {
    let pkce = Pkce::from_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    let redirect = Url::parse("http://127.0.0.1:5678/callback").unwrap();
    let authorize = scheme("salesforceOAuth2Api")
        .authorize(&oauth2_data(), &redirect, pkce, "state-123".into())
        .unwrap();
    assert_eq!(
        authorize.url.as_str(),
        "https://test.salesforce.com/services/oauth2/authorize?prompt=login&client_id=cid&redirect_uri=http%3A%2F%2F127.0.0.1%3A5678%2Fcallback&response_type=code&scope=full+refresh_token&state=state-123&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
    );

    let exchange = scheme("salesforceOAuth2Api")
        .code_exchange(&oauth2_data(), "aPrx%3D%3D", &redirect, &authorize.pkce)
        .unwrap();
    assert_eq!(
        exchange.url.as_str(),
        "https://test.salesforce.com/services/oauth2/token"
    );
    assert_eq!(
        exchange.body(),
        "code=aPrx%253D%253D&grant_type=authorization_code&redirect_uri=http%3A%2F%2F127.0.0.1%3A5678%2Fcallback&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    );
    assert_eq!(
        exchange.authorization_header().unwrap().expose(),
        "Basic Y2lkOnMzY3JldA=="
    );
}

#[test]
fn oauth2_refresh_uses_my_domain_when_set_and_the_latest_refresh_token() {
    let mut data = oauth2_data();
    data["myDomainUrl"] = json!("https://acme.my.salesforce.com");
    let stored = scheme("salesforceOAuth2Api").stored_session(&data).unwrap();
    assert_eq!(
        stored.instance_url.as_ref().unwrap().as_str(),
        "https://acme.my.salesforce.com/"
    );
    let request = scheme("salesforceOAuth2Api")
        .token_request(&data, Some(&stored), NOW)
        .unwrap();
    assert_eq!(
        request.url.as_str(),
        "https://acme.my.salesforce.com/services/oauth2/token"
    );
    assert_eq!(
        request.body(),
        "grant_type=refresh_token&refresh_token=5Aep-refresh"
    );
    assert!(matches!(request.client_auth, ClientAuth::Basic { .. }));
}

#[test]
fn oauth2_without_refresh_token_is_not_connected() {
    let data = json!({"clientId": "cid", "clientSecret": "s3cret"});
    let error = scheme("salesforceOAuth2Api")
        .token_request(&data, None, NOW)
        .unwrap_err();
    assert_eq!(error, SchemeError::NotConnected);
    assert!(error.to_string().contains("weft credentials connect"));
}

#[test]
fn api_base_uses_the_instance_url_and_the_credential_version() {
    let stored = scheme("salesforceJwtApi")
        .stored_session(&jwt_data(json!({
            "accessToken": "00D!cached",
            "instanceUrl": "https://acme.my.salesforce.com",
            "apiVersion": "v59.0"
        })))
        .unwrap();
    let base = scheme("salesforceJwtApi")
        .api_base(&jwt_data(json!({"apiVersion": "v59.0"})), &stored)
        .unwrap()
        .unwrap();
    assert_eq!(
        base.as_str(),
        "https://acme.my.salesforce.com/services/data/v59.0"
    );
    let base = scheme("salesforceJwtApi")
        .api_base(&jwt_data(json!({})), &stored)
        .unwrap()
        .unwrap();
    assert_eq!(
        base.as_str(),
        "https://acme.my.salesforce.com/services/data/v66.0"
    );
    let test_url = scheme("salesforceJwtApi")
        .test_url(&jwt_data(json!({})), &stored)
        .unwrap();
    assert_eq!(
        test_url.as_str(),
        "https://login.salesforce.com/services/oauth2/userinfo"
    );
}
