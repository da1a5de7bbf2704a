//! What nodes get: an authenticated client for one credential, and `Connections`, which hands
//! them out and shares one connection pool and one session cache per token credential (a static
//! credential has no session: its layer adds the values resolved from its data, and its API base
//! and test URL are those its type declares). The credential
//! is read from the store for every client handed out, and its cached session is kept only while
//! the stored row is the one it was made for (same revision), so a long-running process sees
//! changes and removals at its next run.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest_middleware::{ClientBuilder, ClientWithMiddleware};
use serde_json::Value;
use url::Url;
use weft_credentials::Authenticate;
use weft_credentials::scheme::{AuthScheme, InstanceUrl, SchemeError, Session};

use crate::auth::auth_layer::AuthLayer;
use crate::auth::redirect_layer::RedirectLayer;
use crate::auth::retry_layer::RetryLayer;
use crate::auth::static_layer::StaticLayer;
use crate::auth::trace_layer::TraceLayer;
use crate::auth::{AuthError, CredentialSession, ResolvedCredential, RetryPolicy, TokenClient};
use crate::store::Store;

/// An HTTP client that authenticates as one credential. Nodes never see its token.
#[derive(Clone)]
pub struct AuthenticatedClient {
    http: ClientWithMiddleware,
    credential_id: String,
    credential_name: String,
    /// The token credential's session; `None` for a static credential.
    session: Option<Arc<CredentialSession>>,
    /// A static credential's API base and test URL, as its type declares them.
    declared: DeclaredUrls,
}

/// The URLs a static credential's type declares (`StaticAuth::api`); none for a token credential,
/// whose URLs come from its session.
#[derive(Clone, Default)]
struct DeclaredUrls {
    api_base: Option<Url>,
    test_url: Option<Url>,
}

impl AuthenticatedClient {
    /// The client; requests to the org's hosts carry the credential's bearer token, and every
    /// request of a static credential carries its values.
    pub fn http(&self) -> &ClientWithMiddleware {
        &self.http
    }

    /// The id of the stored credential.
    pub fn credential_id(&self) -> &str {
        &self.credential_id
    }

    /// Whether the credential has a test request: every token flow, and a static type that
    /// declares one.
    pub fn has_test_request(&self) -> bool {
        self.session.is_some() || self.declared.test_url.is_some()
    }

    /// The API base URL: the one a static credential's type declares, or the current session's
    /// (e.g. `https://api.example.com/v2`); `None` for a type whose nodes name whole URLs (a
    /// generic HTTP or OAuth2 API).
    pub async fn api_base(&self) -> Result<Option<Url>, AuthError> {
        if let Some(url) = &self.declared.api_base {
            return Ok(Some(url.clone()));
        }
        let Some(session) = &self.session else {
            return Ok(None);
        };
        // A type whose sessions name no instance has no API base either: saying so needs no token.
        let credential = session.credential();
        if credential.scheme()?.instance_url(&credential.data) == InstanceUrl::NotUsed {
            return Ok(None);
        }
        self.session_url(|scheme, data, session| scheme.api_base(data, session))
            .await
    }

    /// The URL that tests the credential (e.g. OpenID Connect userinfo, or the test request a
    /// static credential's type declares).
    pub async fn test_url(&self) -> Result<Url, AuthError> {
        match &self.declared.test_url {
            Some(url) => Ok(url.clone()),
            None => {
                self.session_url(|scheme, data, session| scheme.test_url(data, session))
                    .await
            }
        }
    }

    async fn session_url<T>(
        &self,
        url_of: impl Fn(&dyn AuthScheme, &Value, &Session) -> Result<T, SchemeError>,
    ) -> Result<T, AuthError> {
        let Some(session) = &self.session else {
            return Err(AuthError::Scheme {
                credential: self.credential_name.clone(),
                error: SchemeError::Unsupported(
                    "this request (it authenticates with its fields and declares no API)",
                ),
            });
        };
        let current = session.current().await?;
        let credential = session.credential();
        url_of(credential.scheme()?, &credential.data, &current.session).map_err(|error| {
            AuthError::Scheme {
                credential: credential.name.clone(),
                error,
            }
        })
    }
}

/// The HTTP client under every layer: pooled, with a default timeout, and following no
/// redirect (the redirect layer does, hop by hop).
fn pooled_client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_idle_timeout(Duration::from_secs(90))
        .timeout(Duration::from_secs(120))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a TLS backend is compiled in")
}

/// A client without a credential, for requests a node makes without one: redirects followed
/// by the redirect layer (so a node's redirect limit holds), each exchange traced.
pub fn unauthenticated_client() -> ClientWithMiddleware {
    ClientBuilder::new(pooled_client())
        .with(RedirectLayer)
        .with(TraceLayer)
        .build()
}

/// Hands out authenticated clients: one pooled HTTP client for all, one session cache per
/// credential (by id) while its stored row is unchanged.
pub struct Connections {
    store: Arc<Store>,
    http: reqwest::Client,
    tokens: TokenClient,
    retry: RetryPolicy,
    sessions: Mutex<HashMap<String, Arc<CredentialSession>>>,
}

impl Connections {
    /// Connections backed by `store`, retrying with `retry`.
    pub fn new(store: Arc<Store>, retry: RetryPolicy) -> Self {
        Self {
            store,
            http: pooled_client(),
            tokens: TokenClient::new(),
            retry,
            sessions: Mutex::new(HashMap::new()),
        }
    }

    /// The authenticated client of the stored credential `id_or_name`, as stored now.
    pub fn client(&self, id_or_name: &str) -> Result<AuthenticatedClient, AuthError> {
        let credential = ResolvedCredential::load(&self.store, id_or_name)?;
        self.client_for(credential)
    }

    /// The authenticated client of `credential`, just loaded from the store. A token
    /// credential's cached session is reused while the credential is at the same revision, and
    /// replaced (new data, new session) when it changed; a static credential's values are
    /// resolved from the data now (refused when they cannot make a request).
    pub fn client_for(
        &self,
        credential: ResolvedCredential,
    ) -> Result<AuthenticatedClient, AuthError> {
        let builder = ClientBuilder::new(self.http.clone())
            .with(RedirectLayer)
            .with(TraceLayer)
            .with(RetryLayer::new(
                self.retry.clone(),
                credential.credential_type.policy,
            ));
        let (credential_id, credential_name) = (credential.id.clone(), credential.name.clone());
        Ok(match credential.credential_type.authenticate {
            Authenticate::Static(declaration) => {
                let invalid = |error| AuthError::Scheme {
                    credential: credential.name.clone(),
                    error,
                };
                let declared = DeclaredUrls {
                    api_base: declaration.api_base(&credential.data).map_err(invalid)?,
                    test_url: declaration.test_url(&credential.data).map_err(invalid)?,
                };
                AuthenticatedClient {
                    http: builder
                        .with(StaticLayer::new(&credential, declaration)?)
                        .build(),
                    credential_id,
                    credential_name,
                    session: None,
                    declared,
                }
            }
            Authenticate::Token(_) => {
                let session = self.session(credential);
                AuthenticatedClient {
                    http: builder.with(AuthLayer::new(Arc::clone(&session))).build(),
                    credential_id,
                    credential_name,
                    session: Some(session),
                    declared: DeclaredUrls::default(),
                }
            }
        })
    }

    /// Drops the cached session of credential `id` (it was removed from the store).
    pub fn forget(&self, id: &str) {
        self.sessions().remove(id);
    }

    fn session(&self, credential: ResolvedCredential) -> Arc<CredentialSession> {
        let mut sessions = self.sessions();
        if let Some(cached) = sessions.get(&credential.id)
            && cached.credential().revision == credential.revision
        {
            return Arc::clone(cached);
        }
        let id = credential.id.clone();
        let session = Arc::new(CredentialSession::new(
            credential,
            Arc::clone(&self.store),
            self.tokens.clone(),
        ));
        sessions.insert(id, Arc::clone(&session));
        session
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<CredentialSession>>> {
        self.sessions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
