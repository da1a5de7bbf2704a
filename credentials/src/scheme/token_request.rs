//! `TokenRequest`: one form POST to an OAuth token endpoint, built by a scheme and sent by the
//! runtime.

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
    pub form: Vec<(&'static str, Secret)>,
    /// Client authentication outside the form.
    pub client_auth: ClientAuth,
}

impl TokenRequest {
    /// The value of a form field.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.expose())
    }

    /// The grant type sent.
    pub fn grant_type(&self) -> &str {
        self.field("grant_type").unwrap_or_default()
    }

    /// The `application/x-www-form-urlencoded` body.
    pub fn body(&self) -> String {
        let mut serializer = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in &self.form {
            serializer.append_pair(key, value.expose());
        }
        serializer.finish()
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
        let fields: Vec<&str> = self.form.iter().map(|(key, _)| *key).collect();
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
