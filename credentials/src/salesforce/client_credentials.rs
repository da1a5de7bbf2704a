//! `salesforceClientCredentialsApi`: the OAuth 2.0 client-credentials flow on the org's My Domain
//! (n8n's unmerged client-credentials credential, without its login per request).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::authenticate::Authenticate;
use crate::credential_type::CredentialType;
use crate::field_error::FieldError;
use crate::schema::{credential_schema, str_field};
use crate::scheme::{
    AuthScheme, ClientAuth, Grant, InstanceUrl, SchemeError, Session, TokenRequest, UnixTime,
};
use crate::secret::Secret;

use super::common::{api_base, parse_data};
use super::hosts::{endpoint, is_generic_login_host, parse_host_url};
use super::{ApiVersion, DOCUMENTATION_URL};

/// Where the client id and secret go on the token call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ClientAuthPlacement {
    /// `client_id` and `client_secret` form fields (n8n's branch does this).
    #[default]
    #[schemars(title = "In the request body")]
    Body,
    /// HTTP Basic authentication.
    #[schemars(title = "HTTP Basic authentication")]
    Basic,
}

/// The data of a `salesforceClientCredentialsApi` credential.
/// `apiVersion` is weft's addition: the REST API version of every request.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SalesforceClientCredentialsData {
    /// The org's My Domain.
    #[schemars(
        title = "Salesforce Url",
        description = "Salesforce instance URL, e.g. https://mydomain.my.salesforce.com: your org's My Domain (a bare host name is fine)",
        length(min = 1)
    )]
    pub url: String,
    /// The app's consumer key.
    #[schemars(title = "Client ID", description = "Consumer Key", length(min = 1))]
    pub client_id: String,
    /// The app's consumer secret.
    #[schemars(
        title = "Client Secret",
        description = "Consumer Secret",
        length(min = 1)
    )]
    pub client_secret: Secret,
    /// weft: where the client id and secret go on the token call.
    #[serde(default)]
    #[schemars(title = "Client Authentication")]
    pub client_auth: ClientAuthPlacement,
    #[serde(default)]
    pub api_version: ApiVersion,
}

impl SalesforceClientCredentialsData {
    /// The My Domain URL, normalised (bare host names get https).
    pub fn my_domain(&self) -> Result<Url, FieldError> {
        my_domain_url(&self.url)
    }
}

/// Parses the `url` field: a host URL that is not a generic login host.
fn my_domain_url(text: &str) -> Result<Url, FieldError> {
    let url = parse_host_url("url", text)?;
    if is_generic_login_host(&url) {
        return Err(FieldError::new(
            "url",
            "is a generic login host, where Salesforce refuses client credentials (\"request not supported on this domain\")",
            "client credentials only work on your My Domain, e.g. https://acme.my.salesforce.com",
        ));
    }
    Ok(url)
}

fn schema() -> schemars::Schema {
    credential_schema::<SalesforceClientCredentialsData>(
        SALESFORCE_CLIENT_CREDENTIALS.name,
        SALESFORCE_CLIENT_CREDENTIALS.display_name,
        &[],
    )
}

fn check(data: &Value) -> Vec<FieldError> {
    str_field(data, "url")
        .filter(|url| !url.trim().is_empty())
        .and_then(|url| my_domain_url(url).err())
        .into_iter()
        .collect()
}

fn my_domain(data: &SalesforceClientCredentialsData) -> Result<Url, SchemeError> {
    data.my_domain()
        .map_err(|error| SchemeError::InvalidData(vec![error]))
}

struct ClientCredentials;

impl AuthScheme for ClientCredentials {
    fn grant(&self) -> Grant {
        Grant::ClientCredentials
    }

    fn token_request(
        &self,
        data: &Value,
        _previous: Option<&Session>,
        _now: UnixTime,
    ) -> Result<TokenRequest, SchemeError> {
        let data: SalesforceClientCredentialsData =
            parse_data(&SALESFORCE_CLIENT_CREDENTIALS, data)?;
        let url = endpoint(&my_domain(&data)?, "/services/oauth2/token");
        let grant_type = ("grant_type".into(), Secret::new("client_credentials"));
        Ok(match data.client_auth {
            ClientAuthPlacement::Body => TokenRequest {
                url,
                form: vec![
                    grant_type,
                    ("client_id".into(), Secret::new(&data.client_id)),
                    ("client_secret".into(), data.client_secret.clone()),
                ],
                client_auth: ClientAuth::None,
            },
            ClientAuthPlacement::Basic => TokenRequest {
                url,
                form: vec![grant_type],
                client_auth: ClientAuth::Basic {
                    client_id: data.client_id.clone(),
                    client_secret: data.client_secret.clone(),
                },
            },
        })
    }

    fn stored_session(&self, _data: &Value) -> Option<Session> {
        None
    }

    fn api_base(&self, data: &Value, session: &Session) -> Result<Option<Url>, SchemeError> {
        let data: SalesforceClientCredentialsData =
            parse_data(&SALESFORCE_CLIENT_CREDENTIALS, data)?;
        api_base(session, &data.api_version)
    }

    fn test_url(&self, data: &Value, _session: &Session) -> Result<Url, SchemeError> {
        let data: SalesforceClientCredentialsData =
            parse_data(&SALESFORCE_CLIENT_CREDENTIALS, data)?;
        Ok(endpoint(&my_domain(&data)?, "/services/oauth2/userinfo"))
    }

    fn token_url(&self, data: &Value) -> Result<Url, SchemeError> {
        let data: SalesforceClientCredentialsData =
            parse_data(&SALESFORCE_CLIENT_CREDENTIALS, data)?;
        Ok(endpoint(&my_domain(&data)?, "/services/oauth2/token"))
    }

    fn instance_url(&self, data: &Value) -> InstanceUrl {
        InstanceUrl::Required {
            fallback: parse_data::<SalesforceClientCredentialsData>(
                &SALESFORCE_CLIENT_CREDENTIALS,
                data,
            )
            .ok()
            .and_then(|data| data.my_domain().ok()),
        }
    }
}

/// The `salesforceClientCredentialsApi` credential type.
pub static SALESFORCE_CLIENT_CREDENTIALS: CredentialType = CredentialType {
    name: "salesforceClientCredentialsApi",
    display_name: "Salesforce Client Credentials API",
    documentation_url: DOCUMENTATION_URL,
    schema,
    check,
    authenticate: Authenticate::Token(&ClientCredentials),
    policy: &super::SALESFORCE_API,
};

crate::register_credential_type!(SALESFORCE_CLIENT_CREDENTIALS);
