//! The authorization-code grant with PKCE, shared by `weft credentials connect` (its own loopback
//! callback) and `weft serve` (its `/callback` route): build the authorise address, then turn the
//! callback's answer into tokens stored in the credential.

use std::collections::HashMap;
use std::fmt;

use url::Url;
use weft_credentials::scheme::server_answer::{is_error_code, plain_line};
use weft_credentials::scheme::{AuthorizeRequest, Grant, Pkce, random_token};

use crate::auth::{Problem, ResolvedCredential, TokenClient};
use crate::store::Store;

/// A connection waiting for the browser: the credential, the redirect URI and the PKCE pair and
/// state the callback must match. `Debug` shows neither.
pub struct PendingAuthorization {
    credential: ResolvedCredential,
    redirect: Url,
    authorize: AuthorizeRequest,
}

/// The result of a completed connection.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Connected {
    /// The API host the token response named; `None` for a type without
    /// one (a generic OAuth2 API).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_url: Option<String>,
    /// Whether the server granted a refresh token (without one the connection does not last).
    pub refresh_token: bool,
}

/// `now reaches <instance URL>` (or `obtained an access token`), and a warning when no refresh
/// token was granted.
impl fmt::Display for Connected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.instance_url {
            Some(instance_url) => write!(f, "now reaches {instance_url}")?,
            None => f.write_str("obtained an access token")?,
        }
        if !self.refresh_token {
            f.write_str(" (no refresh token was granted: add the refresh_token scope (or the provider's offline access) to the app to stay connected)")?;
        }
        Ok(())
    }
}

impl PendingAuthorization {
    /// Starts connecting `credential`, whose browser comes back to `redirect`. Refused for
    /// credentials whose grant needs no browser.
    pub fn start(credential: ResolvedCredential, redirect: Url) -> Result<Self, Problem> {
        let authenticate = credential.credential_type.authenticate;
        let grant = authenticate
            .token_scheme()
            .map(|scheme| scheme.grant_for(&credential.data));
        if grant != Some(Grant::AuthorizationCode) {
            let chosen = authenticate.grant() == Some(Grant::ChosenByData);
            return Err(Problem::new(
                format!(
                    "credential \"{}\" is a {} credential{}",
                    credential.name,
                    credential.credential_type.name,
                    if chosen {
                        " whose grant type needs no browser"
                    } else {
                        ", which needs no browser"
                    }
                ),
                format!(
                    "test it instead (`weft credentials test {}`)",
                    credential.name
                ),
            ));
        }
        let authorize = credential
            .scheme()
            .map_err(|error| Problem::from_error(&error, "check the credential's fields"))?
            .authorize(
                &credential.data,
                &redirect,
                Pkce::generate(),
                random_token(),
            )
            .map_err(|error| {
                Problem::from_error(
                    &format!("credential \"{}\": {error}", credential.name),
                    "check the credential's fields",
                )
            })?;
        Ok(Self {
            credential,
            redirect,
            authorize,
        })
    }

    /// Where to send the browser.
    pub fn authorize_url(&self) -> &Url {
        &self.authorize.url
    }

    /// The redirect URI the app must list.
    pub fn redirect_uri(&self) -> &Url {
        &self.redirect
    }

    /// The `state` value the callback must echo.
    pub fn state(&self) -> &str {
        &self.authorize.state
    }

    /// The credential being connected.
    pub fn credential(&self) -> &ResolvedCredential {
        &self.credential
    }

    /// Checks the callback's query (`state`, `error`, `code`), exchanges the code and stores the
    /// token response and `instance_url` in the credential's data.
    pub async fn finish(
        self,
        store: &Store,
        answer: &HashMap<String, String>,
    ) -> Result<Connected, Problem> {
        if answer.get("state") != Some(&self.authorize.state) {
            return Err(Problem::new(
                "the callback's state does not match this connection",
                "connect again and use only the newest address",
            ));
        }
        if let Some(error) = answer.get("error") {
            // The query comes from whoever sent the browser here: quote a code and one clean line.
            let error = if is_error_code(error) {
                error.as_str()
            } else {
                "an error that is not an OAuth code"
            };
            let description = answer
                .get("error_description")
                .map(|text| plain_line(text))
                .unwrap_or_default();
            return Err(Problem::new(
                format!(
                    "the authorization server did not authorise the connection: {error}: {description}"
                ),
                "approve access on the sign-in page, or check which users the app permits",
            ));
        }
        let Some(code) = answer.get("code") else {
            return Err(Problem::new(
                "the callback carried no authorisation code",
                "connect again",
            ));
        };
        let credential = &self.credential;
        let request = credential
            .scheme()
            .map_err(|error| Problem::from_error(&error, "check the credential's fields"))?
            .code_exchange(&credential.data, code, &self.redirect, &self.authorize.pkce)
            .map_err(|error| {
                Problem::from_error(
                    &format!("credential \"{}\": {error}", credential.name),
                    "check the credential's fields",
                )
            })?;
        let session = TokenClient::new()
            .send(credential, &request, None)
            .await
            .map_err(|error| Problem::from_error(&error, "connect again"))?;
        let mut data = credential.data.clone();
        data["oauthTokenData"] = serde_json::to_value(&session)
            .map_err(|error| Problem::new(error.to_string(), "connect again"))?;
        store
            .update_credential_data(&credential.id, &data)
            .map_err(|error| Problem::from_error(&error, "check the store"))?;
        Ok(Connected {
            instance_url: session.instance_url.as_ref().map(Url::to_string),
            refresh_token: session.refresh_token.is_some(),
        })
    }
}

impl fmt::Debug for PendingAuthorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingAuthorization")
            .field("credential", &self.credential)
            .field("redirect", &self.redirect)
            .finish_non_exhaustive()
    }
}
