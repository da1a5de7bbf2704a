//! A faithful fake Salesforce for tests and offline dry runs.
//!
//! [`FakeSalesforce::start`] serves a login host and the org's My Domain host on two loopback ports:
//! OAuth (JWT bearer, client credentials, web-server flow with PKCE, refresh with optional rotation,
//! revoke, introspect, userinfo, identity), the REST API (sObjects, describe, SOQL query with
//! locators, SOSL, sObject Collections, flow actions, ContentVersion uploads, limits), fault
//! injection, a request log and counters. See `README.md` in this folder for the admin HTTP API.

mod admin;
pub mod clock;
pub mod config;
mod control;
pub mod error;
pub mod faults;
pub mod ids;
pub mod log;
mod oauth;
mod query;
mod render;
mod rest;
pub mod schema;
mod seed;
mod server;
mod soql;
mod sosl;
mod state;
mod store;
mod value;

pub use config::{ConnectedApp, FakeConfig, FlowConfig, UserConfig};
pub use control::RecordChange;
pub use faults::{FaultKind, FaultRule};
pub use log::{Counters, HostRole, LogEntry, fingerprint};

use state::Fake;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// A running fake org. Dropping it stops the servers.
pub struct FakeSalesforce {
    fake: Arc<Fake>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

async fn bind(port: u16) -> std::io::Result<(TcpListener, String)> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let url = format!("http://{}", listener.local_addr()?);
    Ok((listener, url))
}

impl FakeSalesforce {
    /// Starts the fake with the default configuration on ephemeral ports.
    pub async fn start_default() -> anyhow::Result<Self> {
        Self::start(FakeConfig::default()).await
    }

    /// Binds both hosts and starts serving.
    pub async fn start(config: FakeConfig) -> anyhow::Result<Self> {
        let (login, login_url) = bind(config.login_port).await?;
        let (instance, instance_url) = bind(config.instance_port).await?;
        let fake =
            Arc::new(Fake::new(config, login_url, instance_url).map_err(anyhow::Error::msg)?);
        let (shutdown, watcher) = watch::channel(false);
        let tasks = vec![
            tokio::spawn(server::serve(
                login,
                HostRole::Login,
                Arc::clone(&fake),
                watcher.clone(),
            )),
            tokio::spawn(server::serve(
                instance,
                HostRole::Instance,
                Arc::clone(&fake),
                watcher,
            )),
        ];
        Ok(FakeSalesforce {
            fake,
            shutdown,
            tasks,
        })
    }

    /// `http://127.0.0.1:PORT` of the login host (`login.salesforce.com`).
    pub fn login_url(&self) -> &str {
        &self.fake.login_url
    }

    /// `http://127.0.0.1:PORT` of the My Domain host, which is also the REST instance.
    pub fn instance_url(&self) -> &str {
        &self.fake.instance_url
    }

    /// Base URL of the admin HTTP API.
    pub fn admin_url(&self) -> String {
        format!("{}/__admin", self.fake.instance_url)
    }

    /// The configuration the fake runs with.
    pub fn config(&self) -> &FakeConfig {
        &self.fake.config
    }

    /// The org id (18 characters).
    pub fn org_id(&self) -> String {
        state::org_id()
    }

    /// The User id of a configured user.
    pub fn user_id(&self, username: &str) -> Option<String> {
        self.fake.user_id(username)
    }

    /// Every logged request so far.
    pub fn log(&self) -> Vec<LogEntry> {
        self.fake.log.lock().since(0)
    }

    /// Clears the log and the counters.
    pub fn reset_log(&self) {
        self.fake.reset_log();
    }

    /// Token requests by grant type, API calls and connections accepted.
    pub fn counters(&self) -> Counters {
        self.fake.counters.lock().clone()
    }

    /// Adds a fault rule.
    pub fn inject(&self, rule: FaultRule) {
        self.fake.inject(rule);
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.fake.faults.lock().clear();
    }

    /// Revokes every access token.
    pub fn revoke_access_tokens(&self) {
        self.fake.revoke_access_tokens();
    }

    /// Revokes an access or refresh token; false if unknown.
    pub fn revoke_token(&self, token: &str) -> bool {
        self.fake.revoke_token(token)
    }

    /// Expires every current session.
    pub fn expire_all_sessions(&self) {
        self.fake.expire_all_sessions();
    }

    /// Method, path and status of each REST call (`/services/data/...` on the instance host), in
    /// order.
    pub fn rest_calls(&self) -> Vec<(String, String, u16)> {
        self.log()
            .into_iter()
            .filter(|entry| {
                entry.host == HostRole::Instance && entry.path.starts_with("/services/data/")
            })
            .map(|entry| (entry.method, entry.path, entry.status))
            .collect()
    }

    /// Token responses from now on name `url` as the instance (see `Fake::move_instance`).
    pub fn move_instance(&self, url: &str) {
        self.fake.move_instance(url);
    }

    /// [`instance_url`](Self::instance_url) with `localhost` for `127.0.0.1`: another origin on
    /// the same listener, to [`move_instance`](Self::move_instance) to.
    pub fn instance_alias_url(&self) -> String {
        self.fake.instance_url.replace("127.0.0.1", "localhost")
    }

    /// Sets the number of seeded records of an object (standard or `X__c`).
    pub fn seed(&self, object: &str, count: u64) -> anyhow::Result<()> {
        self.fake.seed(object, count).map_err(anyhow::Error::msg)
    }

    /// Changes a record's timestamps or hides it until a later time.
    pub fn change_record(&self, id: &str, change: &RecordChange) -> anyhow::Result<()> {
        self.fake
            .change_record(id, change)
            .map_err(anyhow::Error::msg)
    }

    /// Hides or shows a field (`Object.Field`) through field-level security.
    pub fn set_field_hidden(&self, field: &str, hidden: bool) -> anyhow::Result<()> {
        self.fake
            .set_field_hidden(field, hidden)
            .map_err(anyhow::Error::msg)
    }

    /// The fake clock, epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.fake.now()
    }

    /// Moves the fake clock forward (tokens and locators expire, hidden records appear).
    pub fn advance_clock(&self, by: Duration) {
        self.fake
            .clock
            .advance(i64::try_from(by.as_millis()).unwrap_or(i64::MAX));
    }

    /// Stops both servers and waits for them.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks.drain(..) {
            let _ = task.await;
        }
    }
}
