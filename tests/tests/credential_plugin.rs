//! A credential type defined outside weft's crates joins the registry through one static and one
//! registration line, with no edit anywhere else.

use schemars::JsonSchema;
use serde_json::{Value, json};
use url::Url;
use weft_credentials::scheme::{
    AuthScheme, ClientAuth, Grant, SchemeError, Session, TokenRequest, UnixTime,
};
use weft_credentials::{CredentialType, FieldError, Registry, Secret, credential_schema};

/// A made-up API key credential; only its schema is used.
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct ExampleData {
    #[schemars(title = "Base URL", length(min = 1))]
    base_url: String,
    #[schemars(title = "API Key")]
    api_key: Secret,
}

struct ExampleScheme;

impl AuthScheme for ExampleScheme {
    fn grant(&self) -> Grant {
        Grant::ClientCredentials
    }

    fn token_request(
        &self,
        data: &Value,
        _previous: Option<&Session>,
        _now: UnixTime,
    ) -> Result<TokenRequest, SchemeError> {
        Ok(TokenRequest {
            url: self.token_url(data)?,
            form: vec![("grant_type".into(), Secret::new("client_credentials"))],
            client_auth: ClientAuth::None,
        })
    }

    fn stored_session(&self, _data: &Value) -> Option<Session> {
        None
    }

    fn api_base(&self, _data: &Value, session: &Session) -> Result<Option<Url>, SchemeError> {
        Ok(session.instance_url.clone())
    }

    fn test_url(&self, _data: &Value, session: &Session) -> Result<Url, SchemeError> {
        session
            .instance_url
            .as_ref()
            .and_then(|instance| instance.join("/me").ok())
            .ok_or(SchemeError::Unsupported(
                "a test request without an instance",
            ))
    }

    fn token_url(&self, data: &Value) -> Result<Url, SchemeError> {
        data["baseUrl"]
            .as_str()
            .and_then(|base| Url::parse(base).ok())
            .and_then(|base| base.join("/token").ok())
            .ok_or_else(|| {
                SchemeError::InvalidData(vec![FieldError::new("baseUrl", "is not a URL", "fix it")])
            })
    }
}

fn schema() -> schemars::Schema {
    credential_schema::<ExampleData>("exampleApi", "Example API", &[])
}

fn check(data: &Value) -> Vec<FieldError> {
    match data["baseUrl"].as_str() {
        Some(base) if !base.starts_with("https://") => {
            vec![FieldError::new(
                "baseUrl",
                "must use https",
                "write https://",
            )]
        }
        _ => Vec::new(),
    }
}

static EXAMPLE: CredentialType = CredentialType {
    name: "exampleApi",
    display_name: "Example API",
    documentation_url: "https://example.com/docs",
    schema,
    check,
    authenticate: weft_credentials::Authenticate::Token(&ExampleScheme),
    policy: &weft_credentials::DEFAULT_POLICY,
};

weft_credentials::register_credential_type!(EXAMPLE);

#[test]
fn a_type_from_another_crate_is_registered_in_name_order_and_validates() {
    let registry = Registry::global().unwrap();
    let names: Vec<&str> = registry.types().map(|t| t.name).collect();
    assert_eq!(
        names,
        [
            "exampleApi",
            "httpBasicAuth",
            "httpBearerAuth",
            "httpCustomAuth",
            "httpDigestAuth",
            "httpHeaderAuth",
            "httpQueryAuth",
            "oAuth2Api",
            "salesforceClientCredentialsApi",
            "salesforceJwtApi",
            "salesforceOAuth2Api"
        ]
    );
    let errors = registry
        .validate("exampleApi", &json!({"baseUrl": "http://x"}))
        .unwrap_err();
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["apiKey", "baseUrl"]);
    let schema = (registry.get("exampleApi").unwrap().schema)();
    assert_eq!(
        schema.as_value()["properties"]["apiKey"]["x-secret"],
        json!(true)
    );
    let request = EXAMPLE
        .authenticate
        .token_scheme()
        .unwrap()
        .token_request(
            &json!({"baseUrl": "https://api.example.com"}),
            None,
            UnixTime(0),
        )
        .unwrap();
    assert_eq!(request.url.as_str(), "https://api.example.com/token");
}
