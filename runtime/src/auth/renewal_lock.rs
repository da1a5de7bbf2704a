//! `RenewalLock`: held while a session is obtained or renewed from the token endpoint, so that
//! across processes one token request per credential is in flight (a lock row in the store, see
//! [`Store::try_lock_session`]). Waiting for it is bounded ([`AuthError::RenewalBusy`]); the
//! holder extends its lease while its request runs, so a process killed while holding it blocks
//! the others only until the lease expires. The lock is only granted for the credential as loaded:
//! a changed or removed credential gets no token request.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::task::JoinHandle;
use tracing::warn;

use crate::auth::{AuthError, ResolvedCredential};
use crate::store::Store;

/// How long a lock lasts, how often its holder extends it, and how long and how often a waiter
/// tries to take it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LockTiming {
    /// A lock not extended for this long is taken over (its holder is gone).
    pub lease: Duration,
    /// The holder extends its lease this often (well within `lease`).
    pub heartbeat: Duration,
    /// A waiter gives up after this long. Above the token client's worst case (three attempts
    /// of 30 s), so a live holder always finishes first.
    pub wait: Duration,
    /// The pause between a waiter's attempts.
    pub retry: Duration,
}

impl LockTiming {
    /// The timing of every session.
    pub(crate) const DEFAULT: Self = Self {
        lease: Duration::from_secs(15),
        heartbeat: Duration::from_secs(5),
        wait: Duration::from_secs(120),
        retry: Duration::from_millis(50),
    };
}

/// A held renewal lock. Give it up with [`RenewalLock::release`]; dropped without that (a
/// cancelled or panicking task), it is released in the background.
pub(crate) struct RenewalLock {
    store: Arc<Store>,
    credential_id: String,
    holder: String,
    heartbeat: JoinHandle<()>,
    released: bool,
}

impl RenewalLock {
    /// Waits (at most `timing.wait`) until this process holds `credential`'s lock.
    pub(crate) async fn acquire(
        store: &Arc<Store>,
        credential: &ResolvedCredential,
        timing: LockTiming,
    ) -> Result<Self, AuthError> {
        let holder = format!("{}:{:016x}", std::process::id(), rand::random::<u64>());
        let started = Instant::now();
        loop {
            let (id, revision, who) = (credential.id.clone(), credential.revision, holder.clone());
            let taken = store
                .in_background(move |store| {
                    store.try_lock_session(&id, &revision, &who, now_ms(), timing.lease)
                })
                .await?;
            if taken {
                let heartbeat = tokio::spawn(extend_while_held(
                    Arc::clone(store),
                    credential.id.clone(),
                    holder.clone(),
                    timing,
                ));
                return Ok(Self {
                    store: Arc::clone(store),
                    credential_id: credential.id.clone(),
                    holder,
                    heartbeat,
                    released: false,
                });
            }
            if started.elapsed() >= timing.wait {
                return Err(AuthError::RenewalBusy {
                    credential: credential.name.clone(),
                    waited_secs: timing.wait.as_secs(),
                });
            }
            tokio::time::sleep(timing.retry).await;
        }
    }

    /// Gives the lock up, so a waiting process goes on at once.
    pub(crate) async fn release(mut self) {
        self.heartbeat.abort();
        self.released = true;
        let (id, holder) = (self.credential_id.clone(), self.holder.clone());
        let released = self
            .store
            .in_background(move |store| store.unlock_session(&id, &holder))
            .await;
        if let Err(error) = released {
            warn!(credential = %self.credential_id, "the renewal lock could not be released; others take it when it expires: {error}");
        }
    }
}

impl Drop for RenewalLock {
    fn drop(&mut self) {
        if self.released {
            return;
        }
        self.heartbeat.abort();
        let (store, id, holder) = (
            Arc::clone(&self.store),
            self.credential_id.clone(),
            self.holder.clone(),
        );
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn_blocking(move || store.unlock_session(&id, &holder));
        }
    }
}

/// Extends the lease every `timing.heartbeat` until aborted, or until the lock was lost.
async fn extend_while_held(
    store: Arc<Store>,
    credential_id: String,
    holder: String,
    timing: LockTiming,
) {
    loop {
        tokio::time::sleep(timing.heartbeat).await;
        let (id, who) = (credential_id.clone(), holder.clone());
        let kept = store
            .in_background(move |store| {
                store.extend_session_lock(&id, &who, now_ms(), timing.lease)
            })
            .await;
        match kept {
            Ok(true) => {}
            Ok(false) => {
                warn!(credential = %credential_id, "the renewal lock was lost (this process stalled past its lease); another process may renew the session too");
                return;
            }
            Err(error) => {
                warn!(credential = %credential_id, "the renewal lock could not be extended: {error}");
                return;
            }
        }
    }
}

/// The wall clock in Unix milliseconds: lock expiry is compared across processes.
fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{KeySource, NewCredential};
    use serde_json::json;

    /// Short enough for a test; the lease outlives the test unless it is not extended.
    const QUICK: LockTiming = LockTiming {
        lease: Duration::from_millis(1500),
        heartbeat: Duration::from_millis(100),
        wait: Duration::from_millis(300),
        retry: Duration::from_millis(10),
    };

    fn store_with_credential() -> (tempfile::TempDir, Arc<Store>, ResolvedCredential) {
        let home = tempfile::tempdir().unwrap();
        let store = Store::open_with_key(home.path(), &KeySource::passphrase("locks")).unwrap();
        store
            .insert_credential(NewCredential {
                id: Some("cc1".into()),
                name: "Client credentials".into(),
                type_name: "httpHeaderAuth".into(),
                data: json!({"name": "X-Api-Key", "value": "s"}),
            })
            .unwrap();
        let credential = ResolvedCredential::load(&store, "cc1").unwrap();
        (home, Arc::new(store), credential)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_waiter_gives_up_naming_the_credential_and_goes_on_after_a_release() {
        let (_home, store, credential) = store_with_credential();
        let held = RenewalLock::acquire(&store, &credential, QUICK)
            .await
            .unwrap();
        // Held past its first lease: the heartbeat keeps other processes out.
        tokio::time::sleep(QUICK.lease * 2).await;
        let refused = RenewalLock::acquire(&store, &credential, QUICK)
            .await
            .err()
            .expect("the lock is held");
        let text = refused.to_string();
        assert!(
            text.starts_with("credential \"Client credentials\": another weft process"),
            "{text}"
        );
        assert!(text.contains("hint: "), "{text}");

        held.release().await;
        let next = RenewalLock::acquire(&store, &credential, QUICK)
            .await
            .unwrap();
        next.release().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_lock_dropped_without_release_is_given_up() {
        let (_home, store, credential) = store_with_credential();
        let patient = LockTiming {
            wait: QUICK.lease * 3 / 4,
            ..QUICK
        };
        drop(
            RenewalLock::acquire(&store, &credential, QUICK)
                .await
                .unwrap(),
        );
        // Taken well before the dropped holder's lease would have expired.
        let next = RenewalLock::acquire(&store, &credential, patient)
            .await
            .unwrap();
        next.release().await;
    }
}
