//! `TokenRequest`: one form POST to an OAuth token endpoint, built by a scheme and sent by the
//! runtime.

use std::borrow::Cow;
use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use url::Url;

use crate::secret::Secret;

/// How the client authenticates itself on a token call.
#[derive(Clone, Debug, PartialEq)]
pub enum ClientAuth {
    /// No client authentication (JWT bearer: the assertion is the proof).
    None,
    /// `Authorization: Basic base64(client_id:client_secret)`.
    Basic {
        /// The consumer key.
        client_id: String,
        /// The consumer secret.
        client_secret: Secret,
    },
}

/// A form-encoded POST to a token endpoint. `Debug` shows the URL, the field names and the grant
/// type, never a value that could be secret.
#[derive(Clone, PartialEq)]
pub struct TokenRequest {
    /// The token endpoint.
    pub url: Url,
    /// The form fields, in the order they are sent.
    pub form: Vec<(Cow<'static, str>, Secret)>,
    /// Client authentication outside the form.
    pub client_auth: ClientAuth,
}

impl TokenRequest {
    /// The value of a form field.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.expose())
    }

    /// The grant type sent.
    pub fn grant_type(&self) -> &str {
        self.field("grant_type").unwrap_or_default()
    }

    /// The `application/x-www-form-urlencoded` body, encoded as n8n's token client (Node's
    /// `querystring`) encodes it: every byte but letters, digits and `-_.~` percent-encoded, a
    /// space as `%20`.
    pub fn body(&self) -> String {
        self.form
            .iter()
            .map(|(key, value)| {
                format!(
                    "{}={}",
                    urlencoding::encode(key),
                    urlencoding::encode(value.expose())
                )
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The value of the `Authorization` header, when the client authenticates with Basic.
    pub fn authorization_header(&self) -> Option<Secret> {
        match &self.client_auth {
            ClientAuth::None => None,
            ClientAuth::Basic {
                client_id,
                client_secret,
            } => Some(Secret::new(format!(
                "Basic {}",
                STANDARD.encode(format!("{client_id}:{}", client_secret.expose()))
            ))),
        }
    }
}

impl fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields: Vec<&str> = self.form.iter().map(|(key, _)| key.as_ref()).collect();
        f.debug_struct("TokenRequest")
            .field("url", &self.url.as_str())
            .field("grant_type", &self.grant_type())
            .field("fields", &fields)
            .field(
                "client_auth",
                &match self.client_auth {
                    ClientAuth::None => "none",
                    ClientAuth::Basic { .. } => "basic",
                },
            )
            .finish()
    }
}
