//! What the handlers share: the store, the launch token, the addresses the server answers to, the
//! last test or connect result of each credential and the connections waiting for their browser.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::api_error::ApiError;
use super::launch_token::LaunchToken;
use crate::auth::{PendingAuthorization, Problem};
use crate::store::Store;

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
    results: Mutex<HashMap<String, LastResult>>,
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

/// The outcome of the last "Test" or "Connect" of a credential, as the page lists it.
#[derive(Clone, Debug, Serialize)]
pub struct LastResult {
    /// `test` or `connect`.
    pub action: &'static str,
    /// Whether it worked.
    pub ok: bool,
    /// What happened (user and org, the instance reached, or Salesforce's answer).
    pub message: String,
    /// What to change, when it failed.
    pub hint: Option<String>,
    /// When, in seconds since the Unix epoch.
    pub at: u64,
}

impl LastResult {
    /// A success.
    pub fn ok(action: &'static str, message: String) -> Self {
        Self {
            action,
            ok: true,
            message,
            hint: None,
            at: now(),
        }
    }

    /// A failure.
    pub fn failed(action: &'static str, problem: Problem) -> Self {
        Self {
            action,
            ok: false,
            message: problem.message,
            hint: Some(problem.hint),
            at: now(),
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
            results: Mutex::new(HashMap::new()),
            pending: Mutex::new(HashMap::new()),
        }
    }

    /// Records the last result of credential `id`.
    pub fn record(&self, id: &str, result: LastResult) {
        lock(&self.results).insert(id.to_owned(), result);
    }

    /// The last result of credential `id`.
    pub fn last_result(&self, id: &str) -> Option<LastResult> {
        lock(&self.results).get(id).cloned()
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

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}
