//! Validation of credential data: every problem at once, each with its field path, message and
//! hint (snapshots), and never a secret in any of them.

use serde_json::{Value, json};
use weft_credentials::Registry;

const PRIVATE_KEY: &str = include_str!("../../tests/fixtures/keys/test-rsa-pkcs8.pem");
const CANARY: &str = "CANARY-5ecret-value";

fn errors(type_name: &str, data: Value) -> Value {
    match Registry::global().unwrap().validate(type_name, &data) {
        Ok(()) => json!("valid"),
        Err(errors) => {
            let rendered = serde_json::to_string(&errors).unwrap();
            assert!(!rendered.contains(CANARY), "a secret leaked: {rendered}");
            serde_json::to_value(errors).unwrap()
        }
    }
}

#[test]
fn n8n_exports_of_each_type_are_valid() {
    let jwt = json!({
        "environment": "production", "clientId": "3MVG9", "username": "a@b.c",
        "privateKey": PRIVATE_KEY, "myDomainUrl": "https://acme.my.salesforce.com",
        "accessToken": "00D!x", "instanceUrl": "https://acme.my.salesforce.com",
        "someFieldFromALaterN8n": 1
    });
    assert_eq!(errors("salesforceJwtApi", jwt), json!("valid"));
    let oauth2 = json!({
        "clientId": "3MVG9", "clientSecret": "s", "environment": "sandbox",
        "grantType": "authorizationCode", "authUrl": "https://login.salesforce.com/services/oauth2/authorize",
        "accessTokenUrl": "x", "scope": "full refresh_token", "authQueryParameters": "", "authentication": "header",
        "oauthTokenData": {"access_token": "00D!x", "refresh_token": "5A", "instance_url": "https://acme.my.salesforce.com", "issued_at": "1"}
    });
    assert_eq!(errors("salesforceOAuth2Api", oauth2), json!("valid"));
    let golden = json!({
        "environment": "production", "clientId": "fake-client-id", "username": "probe@example.com",
        "privateKey": PRIVATE_KEY, "myDomainUrl": "http://127.0.0.1:18090"
    });
    assert_eq!(errors("salesforceJwtApi", golden), json!("valid"));
    let client_credentials =
        json!({"url": "acme.my.salesforce.com", "clientId": "c", "clientSecret": "s"});
    assert_eq!(
        errors("salesforceClientCredentialsApi", client_credentials),
        json!("valid")
    );
}

#[test]
fn jwt_problems_are_all_reported() {
    insta::assert_json_snapshot!(
        "jwt_missing_and_wrong",
        errors(
            "salesforceJwtApi",
            json!({"environment": "staging", "username": "", "privateKey": CANARY, "myDomainUrl": "https://acme.lightning.force.com", "apiVersion": "latest"})
        )
    );
}

#[test]
fn jwt_key_problems_name_the_fix() {
    for (name, pem) in [
        (
            "jwt_encrypted_key",
            include_str!("../../tests/fixtures/keys/test-rsa-encrypted.pem"),
        ),
        (
            "jwt_public_key",
            include_str!("../../tests/fixtures/keys/test-rsa-public.pem"),
        ),
        (
            "jwt_ec_key",
            include_str!("../../tests/fixtures/keys/test-ec-pkcs8.pem"),
        ),
    ] {
        insta::assert_json_snapshot!(
            name,
            errors(
                "salesforceJwtApi",
                json!({"clientId": "c", "username": "u", "privateKey": pem})
            )
        );
    }
}

#[test]
fn plain_http_is_refused_except_on_loopback() {
    insta::assert_json_snapshot!(
        "jwt_plain_http",
        errors(
            "salesforceJwtApi",
            json!({"clientId": "c", "username": "u", "privateKey": PRIVATE_KEY, "myDomainUrl": "http://acme.my.salesforce.com"})
        )
    );
}

#[test]
fn client_credentials_refuse_generic_login_hosts() {
    for (name, url) in [
        (
            "client_credentials_login_host",
            "https://login.salesforce.com",
        ),
        ("client_credentials_test_host", "test.salesforce.com"),
        (
            "client_credentials_with_path",
            "https://acme.my.salesforce.com/services/data",
        ),
    ] {
        insta::assert_json_snapshot!(
            name,
            errors(
                "salesforceClientCredentialsApi",
                json!({"url": url, "clientId": "c", "clientSecret": CANARY})
            )
        );
    }
}

#[test]
fn oauth2_problems_and_expressions() {
    insta::assert_json_snapshot!(
        "oauth2_expression_and_bad_token_data",
        errors(
            "salesforceOAuth2Api",
            json!({
                "clientId": "={{ $secrets.vault.clientId }}",
                "clientSecret": CANARY,
                "oauthTokenData": {"refresh_token": CANARY, "instance_url": "https://acme.lightning.force.com"}
            })
        )
    );
}

#[test]
fn non_objects_and_unknown_types_are_refused() {
    insta::assert_json_snapshot!("not_an_object", errors("salesforceJwtApi", json!([CANARY])));
    insta::assert_json_snapshot!("unknown_type", errors("salesforceApi", json!({})));
}
