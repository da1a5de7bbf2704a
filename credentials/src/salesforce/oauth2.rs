//! `salesforceOAuth2Api`: authorization code with PKCE and refresh, as n8n's "Salesforce OAuth2
//! API".

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::authenticate::Authenticate;
use crate::credential_type::CredentialType;
use crate::field_error::FieldError;
use crate::schema::credential_schema;
use crate::scheme::{
    AuthScheme, AuthorizeRequest, ClientAuth, Grant, Pkce, SchemeError, Session, TokenRequest,
    UnixTime,
};
use crate::secret::Secret;

use super::common::{api_base, host_errors, instance, parse_data};
use super::hosts::{endpoint, parse_host_url};
use super::{ApiVersion, DOCUMENTATION_URL, Environment};

fn default_scope() -> String {
    "full refresh_token".to_owned()
}

/// The data of a `salesforceOAuth2Api` credential, field for field as n8n stores it. n8n's pinned
/// hidden fields (`grantType`, `authUrl`, `accessTokenUrl`, `authentication`,
/// `useDynamicClientRegistration`) are accepted and ignored: the URLs are recomputed from the
/// environment or My Domain, as n8n does.
/// `apiVersion` is weft's addition: the REST API version of every request.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SalesforceOAuth2Data {
    /// Production logs in at login.salesforce.com, sandboxes at test.salesforce.com.
    #[serde(default)]
    #[schemars(title = "Environment Type")]
    pub environment: Environment,
    /// The app's consumer key.
    #[schemars(
        title = "Client ID",
        description = "Consumer Key of the Connected App or External Client App",
        length(min = 1)
    )]
    pub client_id: String,
    /// The app's consumer secret.
    #[schemars(
        title = "Client Secret",
        description = "Consumer Secret of the Connected App or External Client App",
        length(min = 1)
    )]
    pub client_secret: Secret,
    /// Space-separated scopes.
    #[serde(default = "default_scope")]
    #[schemars(title = "Scope", extend("x-hidden" = true))]
    pub scope: String,
    /// Extra query parameters for the authorize URL (`key=value&...`).
    #[serde(default)]
    #[schemars(title = "Auth URI Query Parameters", extend("x-hidden" = true))]
    pub auth_query_parameters: String,
    /// weft: the login host for authorise, token and refresh calls.
    #[serde(default)]
    #[schemars(
        title = "My Domain URL",
        description = "weft only: your org's My Domain (https://acme.my.salesforce.com) or Experience Cloud site, used instead of login/test.salesforce.com for connecting and refreshing",
        extend("x-placeholder" = "https://mycompany.my.salesforce.com")
    )]
    pub my_domain_url: String,
    #[serde(default)]
    pub api_version: ApiVersion,
    /// The token response, stored verbatim by n8n (and by `weft credentials connect`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-hidden" = true))]
    pub oauth_token_data: Option<OAuthTokenData>,
}

/// n8n's `oauthTokenData`: the token response as Salesforce sent it, plus later merges.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct OAuthTokenData {
    /// The bearer token.
    #[schemars(length(min = 1))]
    pub access_token: Secret,
    /// The org's API host.
    #[serde(default)]
    pub instance_url: Option<String>,
    /// The refresh token.
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    /// Any other field of the response.
    #[serde(flatten)]
    #[schemars(skip)]
    pub other: serde_json::Map<String, Value>,
}

impl SalesforceOAuth2Data {
    /// The host of authorise, token and refresh calls.
    pub fn auth_host(&self) -> Result<Url, SchemeError> {
        if self.my_domain_url.trim().is_empty() {
            Ok(Url::parse(self.environment.login_url()).expect("login hosts are valid URLs"))
        } else {
            parse_host_url("myDomainUrl", &self.my_domain_url)
                .map_err(|error| SchemeError::InvalidData(vec![error]))
        }
    }

    fn token_url(&self) -> Result<Url, SchemeError> {
        self.auth_host()
            .map(|host| endpoint(&host, "/services/oauth2/token"))
    }

    fn client_auth(&self) -> ClientAuth {
        ClientAuth::Basic {
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
        }
    }
}

fn schema() -> schemars::Schema {
    credential_schema::<SalesforceOAuth2Data>(
        SALESFORCE_OAUTH2.name,
        SALESFORCE_OAUTH2.display_name,
        &[],
    )
}

fn check(data: &Value) -> Vec<FieldError> {
    let mut errors = host_errors(data, &["myDomainUrl"]);
    if let Some(url) = data
        .pointer("/oauthTokenData/instance_url")
        .and_then(Value::as_str)
        .filter(|url| !url.is_empty())
        && let Err(error) = parse_host_url("oauthTokenData.instance_url", url)
    {
        errors.push(error);
    }
    errors
}

struct AuthorizationCode;

impl AuthScheme for AuthorizationCode {
    fn grant(&self) -> Grant {
        Grant::AuthorizationCode
    }

    fn token_request(
        &self,
        data: &Value,
        previous: Option<&Session>,
        _now: UnixTime,
    ) -> Result<TokenRequest, SchemeError> {
        let data: SalesforceOAuth2Data = parse_data(&SALESFORCE_OAUTH2, data)?;
        let refresh_token = previous
            .and_then(|session| session.refresh_token.clone())
            .or_else(|| {
                data.oauth_token_data
                    .as_ref()
                    .and_then(|token| token.refresh_token.clone())
            })
            .filter(|token| !token.is_empty())
            .ok_or(SchemeError::NotConnected)?;
        Ok(TokenRequest {
            url: data.token_url()?,
            form: vec![
                ("grant_type".into(), Secret::new("refresh_token")),
                ("refresh_token".into(), refresh_token),
            ],
            client_auth: data.client_auth(),
        })
    }

    fn stored_session(&self, data: &Value) -> Option<Session> {
        let token_data = data.get("oauthTokenData")?;
        serde_json::from_value::<Session>(token_data.clone())
            .ok()
            .filter(|session| session.instance_url.is_some())
    }

    fn api_base(&self, data: &Value, session: &Session) -> Result<Option<Url>, SchemeError> {
        let data: SalesforceOAuth2Data = parse_data(&SALESFORCE_OAUTH2, data)?;
        api_base(session, &data.api_version)
    }

    fn test_url(&self, _data: &Value, session: &Session) -> Result<Url, SchemeError> {
        Ok(endpoint(instance(session)?, "/services/oauth2/userinfo"))
    }

    fn token_url(&self, data: &Value) -> Result<Url, SchemeError> {
        parse_data::<SalesforceOAuth2Data>(&SALESFORCE_OAUTH2, data)?.token_url()
    }

    fn authorize(
        &self,
        data: &Value,
        redirect_uri: &Url,
        pkce: Pkce,
        state: String,
    ) -> Result<AuthorizeRequest, SchemeError> {
        let data: SalesforceOAuth2Data = parse_data(&SALESFORCE_OAUTH2, data)?;
        let mut url = endpoint(&data.auth_host()?, "/services/oauth2/authorize");
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("prompt", "login")
                .append_pair("client_id", &data.client_id)
                .append_pair("redirect_uri", redirect_uri.as_str())
                .append_pair("response_type", "code")
                .append_pair("scope", &data.scope)
                .append_pair("state", &state)
                .append_pair("code_challenge", &pkce.challenge())
                .append_pair("code_challenge_method", "S256");
            for (key, value) in url::form_urlencoded::parse(data.auth_query_parameters.as_bytes()) {
                query.append_pair(&key, &value);
            }
        }
        Ok(AuthorizeRequest { url, pkce, state })
    }

    fn code_exchange(
        &self,
        data: &Value,
        code: &str,
        redirect_uri: &Url,
        pkce: &Pkce,
    ) -> Result<TokenRequest, SchemeError> {
        let data: SalesforceOAuth2Data = parse_data(&SALESFORCE_OAUTH2, data)?;
        Ok(TokenRequest {
            url: data.token_url()?,
            form: vec![
                ("code".into(), Secret::new(code)),
                ("grant_type".into(), Secret::new("authorization_code")),
                ("redirect_uri".into(), Secret::new(redirect_uri.as_str())),
                ("code_verifier".into(), Secret::new(pkce.verifier())),
            ],
            client_auth: data.client_auth(),
        })
    }
}

/// The `salesforceOAuth2Api` credential type.
pub static SALESFORCE_OAUTH2: CredentialType = CredentialType {
    name: "salesforceOAuth2Api",
    display_name: "Salesforce OAuth2 API",
    documentation_url: DOCUMENTATION_URL,
    schema,
    check,
    authenticate: Authenticate::Token(&AuthorizationCode),
    policy: &super::SALESFORCE_API,
};

crate::register_credential_type!(SALESFORCE_OAUTH2);
