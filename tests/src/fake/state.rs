//! The shared state of one running fake: configuration, clock, records, tokens, query cursors,
//! faults, request log and counters. Handlers get it as `Arc<Fake>`.

use super::clock::Clock;
use super::config::FakeConfig;
use super::faults::Faults;
use super::ids::{self, CREATED_BASE};
use super::log::{Counters, RequestLog};
use super::oauth::tokens::Tokens;
use super::query::Cursors;
use super::store::Store;
use jsonwebtoken::DecodingKey;
use parking_lot::{Mutex, RwLock};
use std::collections::HashMap;

/// The org id (18 characters) of every fake org.
pub fn org_id() -> String {
    ids::make("00D", 1)
}

/// The fake org.
pub struct Fake {
    pub config: FakeConfig,
    pub clock: Clock,
    pub store: RwLock<Store>,
    pub tokens: Mutex<Tokens>,
    pub cursors: Mutex<Cursors>,
    pub faults: Mutex<Faults>,
    pub log: Mutex<RequestLog>,
    pub counters: Mutex<Counters>,
    /// JWT verification keys by consumer key.
    pub keys: HashMap<String, DecodingKey>,
    /// `http://127.0.0.1:PORT` of the login host.
    pub login_url: String,
    /// `http://127.0.0.1:PORT` of the My Domain (instance) host.
    pub instance_url: String,
    /// The instance URL token responses name when a test moved the org (`None`: `instance_url`).
    pub moved_instance_url: Mutex<Option<String>>,
}

impl Fake {
    /// Builds the org for `config`, served at the given URLs.
    pub fn new(
        config: FakeConfig,
        login_url: String,
        instance_url: String,
    ) -> Result<Fake, String> {
        let clock = Clock::default();
        let store = Store::new(&config, clock.now_ms())?;
        let mut keys = HashMap::new();
        for app in &config.apps {
            if let Some(pem) = &app.public_key_pem {
                let key = DecodingKey::from_rsa_pem(pem.as_bytes())
                    .map_err(|e| format!("app {}: public key: {e}", app.client_id))?;
                keys.insert(app.client_id.clone(), key);
            }
        }
        Ok(Fake {
            config,
            clock,
            store: RwLock::new(store),
            tokens: Mutex::new(Tokens::default()),
            cursors: Mutex::new(Cursors::default()),
            faults: Mutex::new(Faults::default()),
            log: Mutex::new(RequestLog::default()),
            counters: Mutex::new(Counters::default()),
            keys,
            login_url,
            instance_url,
            moved_instance_url: Mutex::new(None),
        })
    }

    /// The `instance_url` of token responses: where a test moved the org, else the instance host.
    pub fn announced_instance_url(&self) -> String {
        self.moved_instance_url
            .lock()
            .clone()
            .unwrap_or_else(|| self.instance_url.clone())
    }

    /// The fake clock, epoch ms.
    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The User id of a configured user (configured users are the first created User records).
    pub fn user_id(&self, username: &str) -> Option<String> {
        let i = self
            .config
            .users
            .iter()
            .position(|u| u.username.eq_ignore_ascii_case(username))?;
        Some(ids::make("005", CREATED_BASE + i as u64))
    }

    /// The identity URL of a user, on the login host.
    pub fn identity_url(&self, user_id: &str) -> String {
        format!("{}/id/{}/{user_id}", self.login_url, org_id())
    }

    /// Resolves an object name, creating generic custom objects on first use.
    pub fn object(&self, name: &str) -> Option<usize> {
        if let Some(t) = self.store.read().table(name) {
            return Some(t);
        }
        self.store.write().ensure_object(name)
    }

    /// API calls made so far (drives `Sforce-Limit-Info` and `/limits`).
    pub fn api_usage(&self) -> u64 {
        self.counters.lock().api_calls
    }
}
