//! What OAuth clients do against the fake Salesforce: a browser with n8n's OAuth2 callback
//! approves the authorize page as a user and exchanges the code (the token response that n8n
//! stores as `oauthTokenData`), and a server app takes a client-credentials token for REST calls
//! of its own (tests that create and change records).

use serde_json::Value;

use crate::FakeSalesforce;
use crate::binaries::{TEST_CLIENT_ID, TEST_CLIENT_SECRET};

/// The callback the test app's authorize requests name (nothing listens there).
const REDIRECT: &str = "http://127.0.0.1:9/callback";

/// Approves the default app for `integration@example.com` (scope `api refresh_token`) and returns
/// the token response: `access_token`, `refresh_token`, `instance_url`, …
pub async fn oauth_token_data(fake: &FakeSalesforce) -> Value {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let approved = browser
        .post(format!("{}/services/oauth2/authorize", fake.login_url()))
        .form(&[
            ("response_type", "code"),
            ("client_id", TEST_CLIENT_ID),
            ("redirect_uri", REDIRECT),
            ("scope", "api refresh_token"),
            ("username", "integration@example.com"),
            ("decision", "approve"),
        ])
        .send()
        .await
        .expect("the authorize page answers");
    let location = approved.headers()["location"]
        .to_str()
        .expect("a text Location");
    let location = url::Url::parse(location).expect("the callback is a URL");
    let (_, code) = location
        .query_pairs()
        .find(|(key, _)| key == "code")
        .expect("the callback carries a code");
    browser
        .post(format!("{}/services/oauth2/token", fake.login_url()))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", TEST_CLIENT_ID),
            ("client_secret", TEST_CLIENT_SECRET),
            ("redirect_uri", REDIRECT),
        ])
        .send()
        .await
        .expect("the token endpoint answers")
        .json()
        .await
        .expect("a JSON token response")
}

/// An access token of the test app's client-credentials grant (on the instance host).
pub async fn client_credentials_token(fake: &FakeSalesforce) -> String {
    let response: Value = reqwest::Client::new()
        .post(format!("{}/services/oauth2/token", fake.instance_url()))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", TEST_CLIENT_ID),
            ("client_secret", TEST_CLIENT_SECRET),
        ])
        .send()
        .await
        .expect("the token endpoint answers")
        .json()
        .await
        .expect("a JSON token response");
    response["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned()
}
