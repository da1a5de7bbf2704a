//! The token flow of `oAuth2Api`: the requests n8n 2.41.1's OAuth2 client sends, recorded
//! against a test server (`tests/recorded/`): client credentials, the browser authorisation with
//! optional PKCE, the code exchange and the refresh-token grant, each with the client id and
//! secret in a Basic header or in the body as the credential's `authentication` says. The token
//! goes to every request the node makes with the credential (subject to its allowed domains);
//! there is no instance URL and no API base.

use serde_json::Value;
use url::Url;

use crate::authenticate::DomainRule;
use crate::salesforce::common::parse_data;
use crate::scheme::{
    AuthScheme, AuthorizeRequest, ClientAuth, Grant, InstanceUrl, Pkce, SchemeError, Session,
    TokenHosts, TokenRequest, UnixTime,
};
use crate::secret::Secret;

use super::oauth2::{ClientAuthentication, OAUTH2_API, OAuth2ApiData, OAuth2GrantType};

/// The scheme of `oAuth2Api`; its grant is the credential's `grantType`.
pub struct GenericOAuth2;

/// The one instance the type points to.
pub static GENERIC_OAUTH2_FLOW: GenericOAuth2 = GenericOAuth2;

/// Form fields in the order they are sent.
type Form = Vec<(std::borrow::Cow<'static, str>, Secret)>;

fn parse(data: &Value) -> Result<OAuth2ApiData, SchemeError> {
    parse_data(&OAUTH2_API, data)
}

fn invalid(error: crate::FieldError) -> SchemeError {
    SchemeError::InvalidData(vec![error])
}

impl OAuth2ApiData {
    /// n8n's client authentication on the client-credentials and refresh requests: id and secret
    /// as form fields (body), else a Basic header; without a secret, the id in the body.
    fn client_auth(&self, form: &mut Form) -> ClientAuth {
        if self.client_secret.is_empty() {
            form.push(("client_id".into(), Secret::new(&self.client_id)));
            return ClientAuth::None;
        }
        match self.authentication {
            ClientAuthentication::Body => {
                form.push(("client_id".into(), Secret::new(&self.client_id)));
                form.push(("client_secret".into(), self.client_secret.clone()));
                ClientAuth::None
            }
            ClientAuthentication::Header => self.basic(),
        }
    }

    fn basic(&self) -> ClientAuth {
        ClientAuth::Basic {
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
        }
    }

    /// `grant_type=client_credentials`, the additional body properties, the scopes (n8n splits
    /// on spaces and drops empty ones; none, no `scope`), then the client authentication.
    fn client_credentials_request(&self) -> Result<TokenRequest, SchemeError> {
        let mut form: Form = vec![("grant_type".into(), Secret::new("client_credentials"))];
        if self.sends_additional_body_properties() {
            for (key, value) in self.additional_body_fields().map_err(invalid)? {
                form.retain(|(existing, _)| *existing != key);
                form.push((key.into(), Secret::new(value)));
            }
        }
        let scopes: Vec<&str> = self.scope.split(' ').filter(|s| !s.is_empty()).collect();
        if !scopes.is_empty() {
            form.push(("scope".into(), Secret::new(scopes.join(" "))));
        }
        let client_auth = self.client_auth(&mut form);
        Ok(TokenRequest {
            url: self.token_url().map_err(invalid)?,
            form,
            client_auth,
        })
    }

    /// The refresh-token grant with the newest refresh token: the session's, else the stored one.
    fn refresh_request(&self, previous: Option<&Session>) -> Result<TokenRequest, SchemeError> {
        let refresh_token = previous
            .and_then(|session| session.refresh_token.as_ref())
            .filter(|token| !token.is_empty())
            .or_else(|| self.stored_refresh_token())
            .cloned()
            .ok_or(SchemeError::NotConnected)?;
        let mut form: Form = vec![
            ("refresh_token".into(), refresh_token),
            ("grant_type".into(), Secret::new("refresh_token")),
        ];
        let client_auth = self.client_auth(&mut form);
        Ok(TokenRequest {
            url: self.token_url().map_err(invalid)?,
            form,
            client_auth,
        })
    }
}

/// The grant `data` chooses, read leniently (an absent or unknown `grantType` is n8n's default,
/// the authorization code).
fn grant_type(data: &Value) -> OAuth2GrantType {
    data.get("grantType")
        .cloned()
        .and_then(|grant| serde_json::from_value(grant).ok())
        .unwrap_or_default()
}

impl AuthScheme for GenericOAuth2 {
    fn grant(&self) -> Grant {
        Grant::ChosenByData
    }

    fn grant_for(&self, data: &Value) -> Grant {
        match grant_type(data) {
            OAuth2GrantType::ClientCredentials => Grant::ClientCredentials,
            OAuth2GrantType::AuthorizationCode | OAuth2GrantType::Pkce => Grant::AuthorizationCode,
        }
    }

    fn token_request(
        &self,
        data: &Value,
        previous: Option<&Session>,
        _now: UnixTime,
    ) -> Result<TokenRequest, SchemeError> {
        let data = parse(data)?;
        match data.grant_type {
            OAuth2GrantType::ClientCredentials => data.client_credentials_request(),
            OAuth2GrantType::AuthorizationCode | OAuth2GrantType::Pkce => {
                data.refresh_request(previous)
            }
        }
    }

    /// n8n's `oauthTokenData` when it holds an access token (n8n empties it to ask again).
    fn stored_session(&self, data: &Value) -> Option<Session> {
        let token_data = data.get("oauthTokenData")?;
        serde_json::from_value::<Session>(token_data.clone())
            .ok()
            .filter(|session| !session.access_token.is_empty())
    }

    fn api_base(&self, _data: &Value, _session: &Session) -> Result<Option<Url>, SchemeError> {
        Ok(None)
    }

    fn test_url(&self, _data: &Value, _session: &Session) -> Result<Url, SchemeError> {
        Err(SchemeError::Unsupported(
            "a test request (n8n's OAuth2 API has none)",
        ))
    }

    fn token_url(&self, data: &Value) -> Result<Url, SchemeError> {
        parse(data)?.token_url().map_err(invalid)
    }

    fn instance_url(&self, _data: &Value) -> InstanceUrl {
        InstanceUrl::NotUsed
    }

    fn token_hosts(&self, data: &Value) -> TokenHosts {
        TokenHosts::EveryRequest(DomainRule::of(data))
    }

    /// n8n's authorize URL: the Auth URI Query Parameters, PKCE's challenge, then `client_id`,
    /// `redirect_uri`, `response_type=code`, `state` and `scope` (as written, possibly empty).
    /// Those flow parameters replace one of the same name in the URL (an empty one leaves the
    /// URL's); other parameters are added only when the URL lacks them.
    fn authorize(
        &self,
        data: &Value,
        redirect_uri: &Url,
        pkce: Pkce,
        state: String,
    ) -> Result<AuthorizeRequest, SchemeError> {
        let data = parse(data)?;
        if !data.grant_type.uses_browser() {
            return Err(SchemeError::Unsupported(
                "browser authorisation with the client-credentials grant",
            ));
        }
        let mut url = data.authorize_url().map_err(invalid)?;
        let mut parameters: Vec<(String, String)> = Vec::new();
        let mut put = |key: &str, value: String| match parameters.iter_mut().find(|(k, _)| k == key)
        {
            Some(existing) => existing.1 = value,
            None => parameters.push((key.to_owned(), value)),
        };
        for (key, value) in url::form_urlencoded::parse(data.auth_query_parameters.as_bytes()) {
            put(&key, value.into_owned());
        }
        if data.grant_type == OAuth2GrantType::Pkce {
            put("code_challenge", pkce.challenge());
            put("code_challenge_method", "S256".to_owned());
        }
        put("client_id", data.client_id.clone());
        put("redirect_uri", redirect_uri.to_string());
        put("response_type", "code".to_owned());
        put("state", state.clone());
        put("scope", data.scope.clone());
        let flow_owned = [
            "client_id",
            "redirect_uri",
            "response_type",
            "state",
            "scope",
            "code_challenge",
            "code_challenge_method",
        ];
        let mut query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        for (key, value) in parameters {
            let present = query.iter().any(|(k, _)| *k == key);
            if flow_owned.contains(&key.as_str()) {
                if value.is_empty() && present {
                    continue;
                }
                set_parameter(&mut query, key, value);
            } else if !present {
                query.push((key, value));
            }
        }
        url.query_pairs_mut().clear().extend_pairs(&query);
        Ok(AuthorizeRequest { url, pkce, state })
    }

    /// n8n's code exchange: `code`, `grant_type`, `redirect_uri`; with body authentication the
    /// id, PKCE's verifier and the secret as form fields; with header authentication a Basic
    /// header when there is a secret (else the id in the body), then the verifier.
    fn code_exchange(
        &self,
        data: &Value,
        code: &str,
        redirect_uri: &Url,
        pkce: &Pkce,
    ) -> Result<TokenRequest, SchemeError> {
        let data = parse(data)?;
        let mut form: Form = vec![
            ("code".into(), Secret::new(code)),
            ("grant_type".into(), Secret::new("authorization_code")),
            ("redirect_uri".into(), Secret::new(redirect_uri.as_str())),
        ];
        let basic =
            data.authentication == ClientAuthentication::Header && !data.client_secret.is_empty();
        if !basic {
            form.push(("client_id".into(), Secret::new(&data.client_id)));
        }
        if data.grant_type == OAuth2GrantType::Pkce {
            form.push(("code_verifier".into(), Secret::new(pkce.verifier())));
        }
        let client_auth = if basic {
            data.basic()
        } else {
            if data.authentication == ClientAuthentication::Body && !data.client_secret.is_empty() {
                form.push(("client_secret".into(), data.client_secret.clone()));
            }
            ClientAuth::None
        };
        Ok(TokenRequest {
            url: data.token_url().map_err(invalid)?,
            form,
            client_auth,
        })
    }
}

/// `URLSearchParams.set`: the first parameter named `key` takes `value` and later ones go; an
/// absent one is added at the end.
fn set_parameter(query: &mut Vec<(String, String)>, key: String, value: String) {
    match query.iter().position(|(k, _)| *k == key) {
        Some(first) => {
            query[first].1 = value;
            let mut index = 0;
            query.retain(|(k, _)| {
                index += 1;
                index - 1 == first || *k != key
            });
        }
        None => query.push((key, value)),
    }
}
