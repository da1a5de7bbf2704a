//! `oAuth2Api` (n8n's "OAuth2 API"): the generic OAuth 2.0 credential of the HTTP Request node,
//! field for field as n8n 2.41.1 stores it. The grant is the data's (`grantType`: authorization
//! code, client credentials or PKCE); the token requests are in [`super::oauth2_flow`].

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::authenticate::{Authenticate, DomainRestriction};
use crate::credential_type::CredentialType;
use crate::field_error::FieldError;
use crate::salesforce::hosts::is_loopback;
use crate::schema::{Conditional, credential_schema};
use crate::secret::Secret;

use super::oauth2_flow::GENERIC_OAUTH2_FLOW;

/// n8n's `grantType`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum OAuth2GrantType {
    /// A person authorises once in a browser; refreshed with the refresh token.
    #[default]
    #[schemars(title = "Authorization Code")]
    AuthorizationCode,
    /// The client's own id and secret buy each token.
    #[schemars(title = "Client Credentials")]
    ClientCredentials,
    /// The authorization code with a PKCE S256 challenge.
    #[schemars(title = "PKCE")]
    Pkce,
}

impl OAuth2GrantType {
    /// Whether a person connects the credential in a browser.
    pub fn uses_browser(self) -> bool {
        matches!(self, Self::AuthorizationCode | Self::Pkce)
    }
}

/// n8n's `authentication`: where the client id and secret go on token requests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ClientAuthentication {
    /// Send credentials in body
    #[schemars(title = "Body")]
    Body,
    /// Send credentials as Basic Auth header
    #[default]
    #[schemars(title = "Header")]
    Header,
}

fn default_token_expired_status_code() -> u16 {
    401
}

/// The data of an `oAuth2Api` credential. n8n's hidden fields (dynamic client registration,
/// certificate client authentication, JWE) are accepted with their defaults; other values are
/// refused by the check, as weft does not have those features.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OAuth2ApiData {
    /// n8n's dynamic client registration (hidden in n8n's form).
    #[serde(default)]
    #[schemars(title = "Use Dynamic Client Registration", extend("x-hidden" = true))]
    pub use_dynamic_client_registration: bool,
    /// The grant.
    #[serde(default)]
    #[schemars(title = "Grant Type")]
    pub grant_type: OAuth2GrantType,
    /// Dynamic client registration's server (not supported by weft).
    #[serde(default)]
    #[schemars(title = "Server URL", extend("x-hidden" = true))]
    pub server_url: String,
    /// Where the browser authorises (authorization code and PKCE).
    #[serde(default)]
    #[schemars(title = "Authorization URL")]
    pub auth_url: String,
    /// The token endpoint.
    #[schemars(title = "Access Token URL", length(min = 1))]
    pub access_token_url: String,
    /// The client's id.
    #[schemars(title = "Client ID", length(min = 1))]
    pub client_id: String,
    /// n8n's hidden choice between a secret and a certificate (extending types only).
    #[serde(default = "default_client_credential_type")]
    #[schemars(title = "Authentication", extend("x-hidden" = true))]
    pub client_credential_type: String,
    /// The client's secret (may be empty for a public PKCE client).
    #[serde(default)]
    #[schemars(title = "Client Secret")]
    pub client_secret: Secret,
    /// n8n's hidden certificate key (extending types only).
    #[serde(default)]
    #[schemars(title = "Private Key", extend("x-hidden" = true))]
    pub private_key: Secret,
    /// n8n's hidden certificate (extending types only).
    #[serde(default)]
    #[schemars(title = "Certificate", extend("x-hidden" = true))]
    pub certificate: String,
    /// Space-separated scopes.
    #[serde(default)]
    #[schemars(title = "Scope")]
    pub scope: String,
    /// Extra query parameters of the authorize URL (`key=value&...`).
    #[serde(default)]
    #[schemars(
        title = "Auth URI Query Parameters",
        description = "For some services additional query parameters have to be set which can be defined here",
        extend("x-placeholder" = "access_type=offline")
    )]
    pub auth_query_parameters: String,
    /// Where the client id and secret go on token requests.
    #[serde(default)]
    #[schemars(title = "Authentication")]
    pub authentication: ClientAuthentication,
    /// Whether the client-credentials token request carries `additionalBodyProperties`.
    #[serde(default)]
    #[schemars(title = "Send Additional Body Properties")]
    pub send_additional_body_properties: bool,
    /// A JSON object of extra form fields for the client-credentials token request.
    #[serde(default)]
    #[schemars(
        title = "Additional Body Properties",
        extend("x-placeholder" = "{\"audience\": \"https://api.example.com\"}")
    )]
    pub additional_body_properties: String,
    /// n8n's switch to skip certificate checks (refused by weft).
    #[serde(default, rename = "ignoreSSLIssues")]
    #[schemars(title = "Ignore SSL Issues (Insecure)")]
    pub ignore_ssl_issues: bool,
    /// The status that means "token expired"; weft renews on 401 only.
    #[serde(default = "default_token_expired_status_code")]
    #[schemars(
        title = "Token Expired Status Code",
        description = "HTTP status code that indicates the token has expired. weft renews on 401 only."
    )]
    pub token_expired_status_code: u16,
    /// n8n's JWE-encrypted tokens (behind a feature flag in n8n; not supported by weft).
    #[serde(default)]
    #[schemars(title = "Encrypted Tokens (JWE)", extend("x-hidden" = true))]
    pub jwe_enabled: bool,
    /// n8n's JWKS URI for JWE.
    #[serde(default)]
    #[schemars(title = "JWKS URI", extend("x-hidden" = true))]
    pub jwks_uri: String,
    /// n8n's inline JWKS for JWE.
    #[serde(default)]
    #[schemars(title = "Inline JWKS in Client Registration", extend("x-hidden" = true))]
    pub inline_jwks: bool,
    #[serde(flatten)]
    pub domains: DomainRestriction,
    /// The token response as n8n stores it (and `weft credentials connect` writes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-hidden" = true))]
    pub oauth_token_data: Option<OAuth2TokenData>,
}

fn default_client_credential_type() -> String {
    "clientSecret".to_owned()
}

/// n8n's `oauthTokenData`: the token response, plus later merges and n8n's `n8n_expires_at`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct OAuth2TokenData {
    /// The bearer token (empty when n8n has none yet).
    #[serde(default)]
    pub access_token: Secret,
    /// The refresh token.
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    /// Any other field of the response.
    #[serde(flatten)]
    #[schemars(skip)]
    pub other: serde_json::Map<String, Value>,
}

impl OAuth2ApiData {
    /// The token endpoint.
    pub fn token_url(&self) -> Result<Url, FieldError> {
        endpoint_url("accessTokenUrl", &self.access_token_url)
    }

    /// The authorize endpoint.
    pub fn authorize_url(&self) -> Result<Url, FieldError> {
        endpoint_url("authUrl", &self.auth_url)
    }

    /// The stored refresh token, if any.
    pub fn stored_refresh_token(&self) -> Option<&Secret> {
        self.oauth_token_data
            .as_ref()
            .and_then(|token| token.refresh_token.as_ref())
            .filter(|token| !token.is_empty())
    }
}

/// Parses an endpoint URL typed into `field`: absolute http(s), https unless on loopback (a client
/// secret travels there), no user name or password.
fn endpoint_url(field: &str, text: &str) -> Result<Url, FieldError> {
    const FORM: &str = "use the form https://auth.example.com/oauth/token";
    let url = Url::parse(text.trim())
        .map_err(|_| FieldError::new(field, "is not a valid absolute URL", FORM))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(FieldError::new(
            field,
            "must not contain a user name or password",
            "put the client id and secret into their own fields",
        ));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(FieldError::new(
            field,
            "uses plain http on a host that is not loopback",
            "use https (plain http is allowed only for 127.0.0.1, ::1 and localhost, e.g. a test server)",
        )),
        _ => Err(FieldError::new(field, "must be an http(s) URL", FORM)),
    }
}

/// Fields drawn only for some grants, and the domain list.
const CONDITIONALS: &[Conditional] = &[
    Conditional {
        field: "authUrl",
        when: "grantType",
        equals: &["authorizationCode", "pkce"],
    },
    Conditional {
        field: "authQueryParameters",
        when: "grantType",
        equals: &["authorizationCode", "pkce"],
    },
    Conditional {
        field: "sendAdditionalBodyProperties",
        when: "grantType",
        equals: &["clientCredentials"],
    },
    Conditional {
        field: "additionalBodyProperties",
        when: "grantType",
        equals: &["clientCredentials"],
    },
    Conditional {
        field: "allowedDomains",
        when: "allowedHttpRequestDomains",
        equals: &["domains"],
    },
];

fn schema() -> schemars::Schema {
    credential_schema::<OAuth2ApiData>(OAUTH2_API.name, OAUTH2_API.display_name, CONDITIONALS)
}

/// The checks the schema cannot make: URLs that weft may send a secret to, an authorize URL for
/// the browser grants, a secret for client credentials, JSON additional body properties, and the
/// n8n features weft lacks.
fn check(data: &Value) -> Vec<FieldError> {
    let Ok(parsed) = serde_json::from_value::<OAuth2ApiData>(data.clone()) else {
        return Vec::new();
    };
    let mut errors = Vec::new();
    if !parsed.access_token_url.trim().is_empty()
        && let Err(error) = parsed.token_url()
    {
        errors.push(error);
    }
    if parsed.grant_type.uses_browser() {
        if parsed.auth_url.trim().is_empty() {
            errors.push(FieldError::new(
                "authUrl",
                "is required for the authorization-code and PKCE grants",
                "add the provider's authorization URL",
            ));
        } else if let Err(error) = parsed.authorize_url() {
            errors.push(error);
        }
    }
    if parsed.grant_type == OAuth2GrantType::ClientCredentials && parsed.client_secret.is_empty() {
        errors.push(FieldError::new(
            "clientSecret",
            "is required for the client-credentials grant",
            "add the client secret",
        ));
    }
    if parsed.sends_additional_body_properties()
        && let Err(error) = parsed.additional_body_fields()
    {
        errors.push(error);
    }
    errors.extend(unsupported_features(&parsed));
    errors
}

/// n8n features weft does not have, each refused with the field that turns it on.
fn unsupported_features(data: &OAuth2ApiData) -> Vec<FieldError> {
    let refused = [
        (
            data.use_dynamic_client_registration,
            "useDynamicClientRegistration",
            "weft does not have dynamic client registration",
            "register the client with the provider and fill in Client ID and Secret",
        ),
        (
            data.client_credential_type != "clientSecret",
            "clientCredentialType",
            "weft authenticates the client with its secret only",
            "set it to clientSecret and fill in Client Secret",
        ),
        (
            data.ignore_ssl_issues,
            "ignoreSSLIssues",
            "weft always checks TLS certificates",
            "turn it off and give the server a valid certificate",
        ),
        (
            data.token_expired_status_code != 401,
            "tokenExpiredStatusCode",
            "weft renews a token on HTTP 401 only",
            "set it to 401",
        ),
        (
            data.jwe_enabled,
            "jweEnabled",
            "weft does not decrypt JWE tokens",
            "turn it off",
        ),
    ];
    refused
        .into_iter()
        .filter(|(on, ..)| *on)
        .map(|(_, field, message, hint)| FieldError::new(field, message, hint))
        .collect()
}

impl OAuth2ApiData {
    /// Whether the client-credentials token request carries additional body properties (n8n
    /// sends them only when its form shows them: client credentials, body authentication and
    /// the switch on).
    pub fn sends_additional_body_properties(&self) -> bool {
        self.grant_type == OAuth2GrantType::ClientCredentials
            && self.authentication == ClientAuthentication::Body
            && self.send_additional_body_properties
            && !self.additional_body_properties.trim().is_empty()
    }

    /// The additional body properties as form fields, in their order; values that are strings
    /// go as they are, numbers and booleans as their JSON text.
    pub fn additional_body_fields(&self) -> Result<Vec<(String, String)>, FieldError> {
        const FIELD: &str = "additionalBodyProperties";
        let object = match serde_json::from_str::<Value>(&self.additional_body_properties) {
            Ok(Value::Object(object)) => object,
            Ok(_) => {
                return Err(FieldError::new(
                    FIELD,
                    "must be a JSON object",
                    "write it as {\"audience\": \"https://api.example.com\"}",
                ));
            }
            Err(error) => {
                return Err(FieldError::new(
                    FIELD,
                    format!(
                        "is not valid JSON (line {}, column {})",
                        error.line(),
                        error.column()
                    ),
                    "write it as {\"audience\": \"https://api.example.com\"}",
                ));
            }
        };
        object
            .into_iter()
            .map(|(key, value)| match value {
                Value::String(text) => Ok((key, text)),
                Value::Number(_) | Value::Bool(_) => Ok((key, value.to_string())),
                _ => Err(FieldError::new(
                    format!("{FIELD}.{key}"),
                    "must be a string, number or boolean",
                    "form fields cannot hold objects, lists or null",
                )),
            })
            .collect()
    }
}

/// The `oAuth2Api` credential type.
pub static OAUTH2_API: CredentialType = CredentialType {
    name: "oAuth2Api",
    display_name: "OAuth2 API",
    documentation_url: DOCUMENTATION_URL_OAUTH2,
    schema,
    check,
    authenticate: Authenticate::Token(&GENERIC_OAUTH2_FLOW),
    policy: &crate::DEFAULT_POLICY,
};

/// The setup guide of this type.
const DOCUMENTATION_URL_OAUTH2: &str = "docs/credentials/oauth2.md";

crate::register_credential_type!(OAUTH2_API);
