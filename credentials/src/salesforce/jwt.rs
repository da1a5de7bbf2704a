//! `salesforceJwtApi`: the OAuth 2.0 JWT bearer flow, as n8n's "Salesforce JWT API".

use jsonwebtoken::{Algorithm, Header};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::authenticate::Authenticate;
use crate::credential_type::CredentialType;
use crate::field_error::FieldError;
use crate::schema::{Conditional, credential_schema, str_field};
use crate::scheme::{AuthScheme, ClientAuth, Grant, SchemeError, Session, TokenRequest, UnixTime};
use crate::secret::Secret;

use super::common::{api_base, host_errors, parse_data, stored_session_from};
use super::hosts::{endpoint, origin_text, parse_host_url};
use super::{ApiVersion, DOCUMENTATION_URL, Environment, PrivateKeyError, signing_key};

/// How long an assertion is valid: Salesforce asks for "within 3 minutes".
const ASSERTION_LIFETIME_SECONDS: u64 = 180;

/// The data of a `salesforceJwtApi` credential, field for field as n8n stores it.
/// `apiVersion` is weft's addition: the REST API version of every request.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SalesforceJwtData {
    /// Production logs in at login.salesforce.com, sandboxes at test.salesforce.com.
    #[serde(default)]
    #[schemars(title = "Environment Type")]
    pub environment: Environment,
    /// Becomes the assertion's `iss`.
    #[schemars(
        title = "Client ID",
        description = "Consumer Key from Salesforce Connected App",
        length(min = 1)
    )]
    pub client_id: String,
    /// Becomes the assertion's `sub`.
    #[schemars(
        title = "Username",
        description = "The Salesforce user the integration acts as; the app must pre-authorise them",
        length(min = 1)
    )]
    pub username: String,
    /// Signs the assertion.
    #[schemars(
        title = "Private Key",
        description = "Use the standard PEM key format (-----BEGIN PRIVATE KEY----- ...); PKCS#8 or PKCS#1, unencrypted",
        length(min = 1),
        extend("x-multiline" = true, "x-rows" = 4)
    )]
    pub private_key: Secret,
    /// Token host and audience when set.
    #[serde(default)]
    #[schemars(
        title = "My Domain URL",
        description = "Required for Spring '26 and later orgs; leave blank to keep the default audience used by earlier orgs",
        extend("x-placeholder" = "https://mycompany.my.salesforce.com")
    )]
    pub my_domain_url: String,
    /// weft: the JWT `aud` when it must differ from the token host.
    #[serde(default)]
    #[schemars(
        title = "Audience",
        description = "weft only: the JWT audience when it must differ from the My Domain URL (GovCloud, Experience Cloud sites); leave blank to use the My Domain URL"
    )]
    pub audience: String,
    #[serde(default)]
    pub api_version: ApiVersion,
    /// n8n's cached access token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(title = "Access Token", extend("x-hidden" = true))]
    pub access_token: Option<Secret>,
    /// n8n's cached instance URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(title = "Instance URL", extend("x-hidden" = true))]
    pub instance_url: Option<String>,
}

impl SalesforceJwtData {
    /// The token host: My Domain when set, else the environment's login host.
    pub fn auth_host(&self) -> Result<Url, FieldError> {
        if self.my_domain_url.trim().is_empty() {
            Ok(Url::parse(self.environment.login_url()).expect("login hosts are valid URLs"))
        } else {
            parse_host_url("myDomainUrl", &self.my_domain_url)
        }
    }

    /// The assertion's audience: the override when set, else the token host.
    pub fn audience(&self) -> Result<String, FieldError> {
        if self.audience.trim().is_empty() {
            self.auth_host().map(|url| origin_text(&url))
        } else {
            parse_host_url("audience", &self.audience).map(|url| origin_text(&url))
        }
    }
}

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    exp: u64,
    iat: u64,
}

/// The signed assertion: header `{"alg":"RS256","typ":"JWT"}`, claims iss, sub, aud, exp = now +
/// 180 s, iat = now.
pub fn jwt_assertion(data: &SalesforceJwtData, now: UnixTime) -> Result<Secret, SchemeError> {
    let key = signing_key(data.private_key.expose())
        .map_err(|error| SchemeError::InvalidData(vec![key_error(error)]))?;
    let audience = data
        .audience()
        .map_err(|error| SchemeError::InvalidData(vec![error]))?;
    let claims = Claims {
        iss: &data.client_id,
        sub: &data.username,
        aud: &audience,
        exp: now.0 + ASSERTION_LIFETIME_SECONDS,
        iat: now.0,
    };
    jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &key)
        .map(Secret::new)
        .map_err(|_| SchemeError::InvalidData(vec![key_error(PrivateKeyError::NotRsa)]))
}

fn key_error(error: PrivateKeyError) -> FieldError {
    FieldError::new("privateKey", error.to_string(), error.hint())
}

fn schema() -> schemars::Schema {
    credential_schema::<SalesforceJwtData>(
        SALESFORCE_JWT.name,
        SALESFORCE_JWT.display_name,
        &[Conditional {
            field: "audience",
            when: "myDomainUrl",
            equals: &[],
        }],
    )
}

fn check(data: &Value) -> Vec<FieldError> {
    let mut errors = host_errors(data, &["myDomainUrl", "audience"]);
    if let Some(pem) = str_field(data, "privateKey").filter(|pem| !pem.is_empty())
        && let Err(error) = signing_key(pem)
    {
        errors.push(key_error(error));
    }
    errors
}

struct JwtBearer;

impl AuthScheme for JwtBearer {
    fn grant(&self) -> Grant {
        Grant::JwtBearer
    }

    fn token_request(
        &self,
        data: &Value,
        _previous: Option<&Session>,
        now: UnixTime,
    ) -> Result<TokenRequest, SchemeError> {
        let data: SalesforceJwtData = parse_data(&SALESFORCE_JWT, data)?;
        Ok(TokenRequest {
            url: token_url(&data)?,
            form: vec![
                (
                    "grant_type".into(),
                    Secret::new("urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ),
                ("assertion".into(), jwt_assertion(&data, now)?),
            ],
            client_auth: ClientAuth::None,
        })
    }

    fn stored_session(&self, data: &Value) -> Option<Session> {
        stored_session_from(
            str_field(data, "accessToken"),
            str_field(data, "instanceUrl"),
        )
    }

    fn api_base(&self, data: &Value, session: &Session) -> Result<Option<Url>, SchemeError> {
        let data: SalesforceJwtData = parse_data(&SALESFORCE_JWT, data)?;
        api_base(session, &data.api_version)
    }

    fn test_url(&self, data: &Value, _session: &Session) -> Result<Url, SchemeError> {
        let data: SalesforceJwtData = parse_data(&SALESFORCE_JWT, data)?;
        auth_host(&data).map(|host| endpoint(&host, "/services/oauth2/userinfo"))
    }

    fn token_url(&self, data: &Value) -> Result<Url, SchemeError> {
        token_url(&parse_data(&SALESFORCE_JWT, data)?)
    }
}

fn auth_host(data: &SalesforceJwtData) -> Result<Url, SchemeError> {
    data.auth_host()
        .map_err(|error| SchemeError::InvalidData(vec![error]))
}

fn token_url(data: &SalesforceJwtData) -> Result<Url, SchemeError> {
    auth_host(data).map(|host| endpoint(&host, "/services/oauth2/token"))
}

/// The `salesforceJwtApi` credential type.
pub static SALESFORCE_JWT: CredentialType = CredentialType {
    name: "salesforceJwtApi",
    display_name: "Salesforce JWT API",
    documentation_url: DOCUMENTATION_URL,
    schema,
    check,
    authenticate: Authenticate::Token(&JwtBearer),
    policy: &super::SALESFORCE_API,
};

crate::register_credential_type!(SALESFORCE_JWT);
