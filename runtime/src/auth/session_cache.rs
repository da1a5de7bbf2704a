//! `CredentialSession`: one credential's session, obtained and renewed single-flight and
//! persisted encrypted in the store so the next process reuses it.
//!
//! Readers take a snapshot without waiting. Obtaining and renewing hold one async mutex, so
//! concurrent callers in a process wait for the one token request in flight; the token request
//! itself is made under the credential's [`RenewalLock`], so processes take turns too. Under the
//! lock the stored session is read again: when another process saved one meanwhile (a newer
//! generation than the one that failed), it is used instead of asking again, which keeps a
//! rotating refresh token from being presented twice. The store's compare-and-swap on generations
//! stays as the last guard, and a session is saved only for the credential data it was obtained
//! with.

use std::sync::{Arc, RwLock};

use reqwest::header::HeaderValue;

use weft_credentials::scheme::Session;

use crate::auth::renewal_lock::{LockTiming, RenewalLock};
use crate::auth::{AuthError, ResolvedCredential, TokenClient};
use crate::store::{SaveOutcome, Store, StoredSession};

/// A session and the store generation it was saved as.
#[derive(Debug)]
pub struct CurrentSession {
    /// The session.
    pub session: Session,
    /// Its generation in the store; a renewal names the generation that failed.
    pub generation: u64,
    /// `Bearer <access token>`, made once for every request (marked sensitive, so `Debug` and
    /// HTTP/2 header compression leave it out); `None` when the token cannot be a header value.
    authorization: Option<HeaderValue>,
}

impl CurrentSession {
    /// `session`, saved as `generation`.
    pub fn new(session: Session, generation: u64) -> Self {
        let bearer = format!("Bearer {}", session.access_token.expose());
        let authorization = HeaderValue::from_str(&bearer).ok().map(|mut value| {
            value.set_sensitive(true);
            value
        });
        Self {
            session,
            generation,
            authorization,
        }
    }

    /// The `Authorization` header value for this session.
    pub fn authorization(&self) -> Option<&HeaderValue> {
        self.authorization.as_ref()
    }
}

/// One credential's session cache.
#[derive(Debug)]
pub struct CredentialSession {
    credential: ResolvedCredential,
    store: Arc<Store>,
    tokens: TokenClient,
    snapshot: RwLock<Option<Arc<CurrentSession>>>,
    flight: tokio::sync::Mutex<()>,
}

impl CredentialSession {
    /// A cache for `credential`, persisted in `store`.
    pub fn new(credential: ResolvedCredential, store: Arc<Store>, tokens: TokenClient) -> Self {
        Self {
            credential,
            store,
            tokens,
            snapshot: RwLock::new(None),
            flight: tokio::sync::Mutex::new(()),
        }
    }

    /// The credential this cache serves.
    pub fn credential(&self) -> &ResolvedCredential {
        &self.credential
    }

    /// The current session: from memory, else from the store, else the session n8n kept in the
    /// credential's data, else a new one from the token endpoint.
    pub async fn current(&self) -> Result<Arc<CurrentSession>, AuthError> {
        if let Some(current) = self.snapshot() {
            return Ok(current);
        }
        let _flight = self.flight.lock().await;
        if let Some(current) = self.snapshot() {
            return Ok(current);
        }
        let current = match self.load().await? {
            Some(stored) => stored,
            None => {
                match self
                    .credential
                    .scheme()?
                    .stored_session(&self.credential.data)
                {
                    Some(session) => self.save(None, session).await?,
                    None => self.obtain(None).await?,
                }
            }
        };
        Ok(self.publish(current))
    }

    /// A new session to replace the one of `failed_generation`, which the server refused. If
    /// another caller or process already replaced it, that newer session is returned instead.
    pub async fn renew(&self, failed_generation: u64) -> Result<Arc<CurrentSession>, AuthError> {
        let _flight = self.flight.lock().await;
        if let Some(current) = self.snapshot()
            && current.generation != failed_generation
        {
            return Ok(current);
        }
        let current = self.obtain(Some(failed_generation)).await?;
        Ok(self.publish(current))
    }

    /// Under the renewal lock: the stored session if it is not the one `replacing` (`None`: no
    /// session was seen), since then another process obtained it meanwhile; else a new one from
    /// the token endpoint, renewing the stored one, saved before it is used.
    async fn obtain(&self, replacing: Option<u64>) -> Result<Arc<CurrentSession>, AuthError> {
        let lock = RenewalLock::acquire(&self.store, &self.credential, LockTiming::DEFAULT).await?;
        let obtained = self.obtain_locked(replacing).await;
        lock.release().await;
        obtained
    }

    async fn obtain_locked(
        &self,
        replacing: Option<u64>,
    ) -> Result<Arc<CurrentSession>, AuthError> {
        let stored = self.load().await?;
        if let Some(stored) = &stored
            && Some(stored.generation) != replacing
        {
            return Ok(Arc::clone(stored));
        }
        let previous = stored.as_ref().map(|current| &current.session);
        let session = self.tokens.mint(&self.credential, previous).await?;
        let expected = stored.as_ref().map(|current| current.generation);
        self.save(expected, session).await
    }

    fn snapshot(&self) -> Option<Arc<CurrentSession>> {
        self.snapshot
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    fn publish(&self, current: Arc<CurrentSession>) -> Arc<CurrentSession> {
        *self
            .snapshot
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Arc::clone(&current));
        current
    }

    async fn load(&self) -> Result<Option<Arc<CurrentSession>>, AuthError> {
        let id = self.credential.id.clone();
        let stored = self
            .store
            .in_background(move |store| store.load_session(&id))
            .await?;
        Ok(stored.and_then(|stored| self.decode(stored)))
    }

    /// Persists `session` if the stored generation is still `expected` and the credential is
    /// still as loaded; if another process won, its session is adopted instead.
    async fn save(
        &self,
        expected: Option<u64>,
        session: Session,
    ) -> Result<Arc<CurrentSession>, AuthError> {
        let (id, revision) = (self.credential.id.clone(), self.credential.revision);
        let data = serde_json::to_value(&session).expect("sessions serialise");
        let outcome = self
            .store
            .in_background(move |store| store.save_session(&id, &revision, expected, &data))
            .await?;
        Ok(match outcome {
            SaveOutcome::Saved { generation } => Arc::new(CurrentSession::new(session, generation)),
            SaveOutcome::Conflict { current } => {
                match current.and_then(|theirs| self.decode(theirs)) {
                    Some(theirs) => theirs,
                    None => Arc::new(CurrentSession::new(session, expected.unwrap_or_default())),
                }
            }
        })
    }
}

impl CredentialSession {
    /// A stored session, if it reads back as one this credential's type can use (one that names
    /// its instance when the type's sessions must).
    fn decode(&self, stored: StoredSession) -> Option<Arc<CurrentSession>> {
        let session: Session = serde_json::from_value(stored.data).ok()?;
        let rule = self
            .credential
            .scheme()
            .ok()?
            .instance_url(&self.credential.data);
        rule.admits(&session)
            .then(|| Arc::new(CurrentSession::new(session, stored.generation)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use weft_credentials::Secret;

    #[test]
    fn the_prepared_header_carries_the_token_and_debug_shows_neither() {
        let canary = "00Dcanary!AQ.session-secret";
        let instance = "https://api.example.com".parse().unwrap();
        let session = Session::new(Secret::new(canary), Some(instance));
        let current = CurrentSession::new(session, 3);
        let header = current.authorization().unwrap();
        assert_eq!(header.to_str().unwrap(), format!("Bearer {canary}"));
        assert!(header.is_sensitive());
        let shown = format!("{current:?}");
        assert!(!shown.contains("session-secret"), "{shown}");
    }
}
