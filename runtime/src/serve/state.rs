//! What the handlers share: the store (which also keeps the last test or connect result of each
//! credential, so later launches list it too), the launch token, the addresses the server answers
//! to and the connections waiting for their browser.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::api_error::ApiError;
use super::launch_token::LaunchToken;
use crate::auth::PendingAuthorization;
use crate::store::{CredentialCheck, Store};

/// How long a connection waits for its browser.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(600);
/// How many connections may wait at once (older ones are dropped first).
const MAX_PENDING: usize = 16;

/// The server's shared state.
pub struct AppState {
    /// The encrypted store.
    pub store: Arc<Store>,
    /// The token every API call must carry.
    pub token: LaunchToken,
    /// The `Host` values the server answers to.
    pub hosts: AllowedHosts,
    pending: Mutex<HashMap<String, (Instant, PendingAuthorization)>>,
}

/// The `Host` header values accepted: `host:port` of the bound address (and `localhost` /
/// `127.0.0.1` / `[::1]` for a loopback address), or any for an unspecified address (`0.0.0.0`),
/// which the operator asked for explicitly.
#[derive(Debug)]
pub enum AllowedHosts {
    /// Only these (lower case).
    Only(Vec<String>),
    /// Any Host: the server listens on every interface.
    Any,
}

impl AllowedHosts {
    /// Whether a request's `Host` header value is one the server answers to.
    pub fn allows(&self, host: &str) -> bool {
        match self {
            AllowedHosts::Any => true,
            AllowedHosts::Only(hosts) => hosts.iter().any(|h| h.eq_ignore_ascii_case(host)),
        }
    }
}

impl AppState {
    /// The state of a server on `store` with `token`, answering to `hosts`.
    pub fn new(store: Arc<Store>, token: LaunchToken, hosts: AllowedHosts) -> Self {
        Self {
            store,
            token,
            hosts,
            pending: Mutex::new(HashMap::new()),
        }
    }

    /// Records `check` as the last one of credential `id`. A failure to record is logged: the
    /// outcome itself was shown.
    pub async fn record(&self, id: &str, check: CredentialCheck) {
        let id = id.to_owned();
        let recorded = self
            .with_store(move |store| Ok(store.record_check(&id, &check)?))
            .await;
        if let Err(error) = recorded {
            tracing::warn!(?error, "the connect result could not be saved");
        }
    }

    /// The last check of credential `id`, from this or an earlier launch (or the CLI).
    pub async fn last_check(&self, id: &str) -> Result<Option<CredentialCheck>, ApiError> {
        let id = id.to_owned();
        self.with_store(move |store| Ok(store.last_check(&id)?))
            .await
    }

    /// Keeps a connection until its callback arrives (dropping expired ones, and the oldest
    /// when too many wait).
    pub fn wait_for_callback(&self, pending: PendingAuthorization) {
        let mut waiting = lock(&self.pending);
        waiting.retain(|_, (since, _)| since.elapsed() < CONNECT_TIMEOUT);
        while waiting.len() >= MAX_PENDING {
            let oldest = waiting
                .iter()
                .min_by_key(|(_, (since, _))| *since)
                .map(|(state, _)| state.clone());
            match oldest {
                Some(state) => waiting.remove(&state),
                None => break,
            };
        }
        waiting.insert(pending.state().to_owned(), (Instant::now(), pending));
    }

    /// The connection whose `state` a callback carries, taken (a state is used once).
    pub fn take_pending(&self, state: &str) -> Option<PendingAuthorization> {
        let (since, pending) = lock(&self.pending).remove(state)?;
        (since.elapsed() < CONNECT_TIMEOUT).then_some(pending)
    }

    /// Runs a store call off the async workers (SQLite is synchronous).
    pub async fn with_store<T: Send + 'static>(
        &self,
        call: impl FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || call(&store))
            .await
            .map_err(|_| ApiError::internal("the store call stopped unexpectedly"))?
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
