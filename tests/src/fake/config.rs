//! Configuration of a fake org: connected apps, users, token lifetime, API versions, page size,
//! seeds and schema knobs. [`FakeConfig::default`] is ready for weft's tests; the binary can read the
//! same structure from a JSON file (`--config`), every field optional.

use serde::Deserialize;
use std::time::Duration;

/// The registered public key of the default app (`tests/fixtures/keys/test-rsa-public.pem`).
pub const DEFAULT_PUBLIC_KEY: &str = include_str!("../../fixtures/keys/test-rsa-public.pem");

/// Everything that shapes a fake org.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FakeConfig {
    /// Connected apps (and External Client Apps) that may obtain tokens.
    pub apps: Vec<ConnectedApp>,
    /// Users of the org; each also becomes a `User` record.
    pub users: Vec<UserConfig>,
    /// Session timeout: access tokens stop working this long after they were issued.
    #[serde(with = "seconds")]
    pub token_lifetime: Duration,
    /// Port of the login host (0 = ephemeral).
    pub login_port: u16,
    /// Port of the My Domain (instance) host (0 = ephemeral).
    pub instance_port: u16,
    /// JWT audiences accepted besides the login and My Domain URLs, e.g. the real login hosts.
    /// External Client Apps that reject legacy audiences refuse these and the login URL.
    pub legacy_audiences: Vec<String>,
    /// Reject JWTs whose `exp` is more than 3 minutes (plus 30 s skew) in the future.
    pub strict_jwt_exp: bool,
    /// Oldest served API version (major number); older versions answer 410.
    pub min_api_version: u32,
    /// Newest served API version (major number); newer ones answer 404.
    pub max_api_version: u32,
    /// Largest query page the fake returns (Salesforce: 2,000). `batchSize` can only lower it.
    pub page_size: usize,
    /// The daily API request allocation reported by `Sforce-Limit-Info` and `/limits`.
    pub daily_api_limit: u64,
    /// Records to generate per object (`("Account", 100_000)`), on top of the default seed.
    pub seeds: Vec<(String, u64)>,
    /// Seed a few records of the common objects so offline dry runs return something.
    pub default_seed: bool,
    /// Extra fields, `Object.Field;type[;flag...]` (see `schema::FieldSpec`), e.g.
    /// `Invoice__c.Invoice_Number__c;string;ext`.
    pub custom_fields: Vec<String>,
    /// Fields hidden by field-level security, `Object.Field`.
    pub hidden_fields: Vec<String>,
    /// Autolaunched flows served under `actions/custom/flow`.
    pub flows: Vec<FlowConfig>,
    /// Compress answers with gzip for clients that send `Accept-Encoding: gzip`, as Salesforce
    /// does. Off by default, so benchmarks of the fake measure serving, not compressing.
    pub gzip: bool,
}

/// A connected app or External Client App.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConnectedApp {
    pub name: String,
    pub client_id: String,
    pub client_secret: String,
    /// PEM public key or X.509 certificate used to verify JWT assertions.
    pub public_key_pem: Option<String>,
    pub jwt_enabled: bool,
    pub client_credentials_enabled: bool,
    /// Username of the client-credentials Run-As user (`None`: "no client credentials user enabled").
    pub run_as: Option<String>,
    pub refresh_token_rotation: bool,
    /// Allowed callbacks; `*` matches any run of characters other than `/` (e.g. any port).
    pub redirect_uris: Vec<String>,
    /// An External Client App on a Spring '26 org: legacy JWT audiences answer `app_not_found`.
    pub external_client_app: bool,
}

/// A user of the org.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UserConfig {
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// Pre-authorised for every app (JWT bearer works without an approval).
    pub pre_authorized: bool,
    pub active: bool,
}

/// An invocable autolaunched flow.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FlowConfig {
    pub name: String,
    pub label: String,
    /// Input variables that must be present in every input.
    pub required_inputs: Vec<String>,
}

impl FakeConfig {
    /// The default org with only `seeds` as data (no small default data set).
    pub fn seeded_only(seeds: Vec<(String, u64)>) -> Self {
        Self {
            seeds,
            default_seed: false,
            ..Self::default()
        }
    }
}

impl Default for FakeConfig {
    fn default() -> Self {
        FakeConfig {
            apps: vec![ConnectedApp::default()],
            users: vec![
                UserConfig::default(),
                UserConfig {
                    username: "unapproved@example.com".into(),
                    first_name: "Una".into(),
                    last_name: "Approved".into(),
                    email: "unapproved@example.com".into(),
                    pre_authorized: false,
                    active: true,
                },
            ],
            token_lifetime: Duration::from_secs(2 * 3600),
            login_port: 0,
            instance_port: 0,
            legacy_audiences: vec![
                "https://login.salesforce.com".into(),
                "https://test.salesforce.com".into(),
            ],
            strict_jwt_exp: false,
            min_api_version: 31,
            max_api_version: 68,
            page_size: 2000,
            daily_api_limit: 15_000,
            seeds: Vec::new(),
            default_seed: true,
            gzip: false,
            custom_fields: Vec::new(),
            hidden_fields: Vec::new(),
            flows: vec![
                FlowConfig {
                    name: "LargeOrder".into(),
                    label: "Large Order".into(),
                    required_inputs: vec!["OrderAmount".into()],
                },
                FlowConfig {
                    name: "Welcome_Email".into(),
                    label: "Welcome Email".into(),
                    required_inputs: Vec::new(),
                },
            ],
        }
    }
}

impl Default for ConnectedApp {
    fn default() -> Self {
        ConnectedApp {
            name: "weft test client".into(),
            client_id: "weft-test-client".into(),
            client_secret: "weft-test-secret".into(),
            public_key_pem: Some(DEFAULT_PUBLIC_KEY.into()),
            jwt_enabled: true,
            client_credentials_enabled: true,
            run_as: Some("integration@example.com".into()),
            refresh_token_rotation: false,
            redirect_uris: vec![
                "http://127.0.0.1:*/callback".into(),
                "http://localhost:*/callback".into(),
            ],
            external_client_app: false,
        }
    }
}

impl Default for UserConfig {
    fn default() -> Self {
        UserConfig {
            username: "integration@example.com".into(),
            first_name: "Ida".into(),
            last_name: "Integration".into(),
            email: "integration@example.com".into(),
            pre_authorized: true,
            active: true,
        }
    }
}

impl FakeConfig {
    /// The app with this consumer key.
    pub fn app(&self, client_id: &str) -> Option<&ConnectedApp> {
        self.apps.iter().find(|a| a.client_id == client_id)
    }

    /// The user with this username (case-insensitive, as Salesforce usernames are).
    pub fn user(&self, username: &str) -> Option<&UserConfig> {
        self.users
            .iter()
            .find(|u| u.username.eq_ignore_ascii_case(username))
    }
}

impl ConnectedApp {
    /// Whether `uri` matches one of the app's callbacks.
    pub fn allows_redirect(&self, uri: &str) -> bool {
        self.redirect_uris.iter().any(|p| glob_match(p, uri, true))
    }
}

/// Matches `text` against a pattern where `*` stands for any run of characters (excluding `/` when
/// `segment` is set).
pub fn glob_match(pattern: &str, text: &str, segment: bool) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            let Some(rest) = text.strip_prefix(head) else {
                return false;
            };
            (0..=rest.len())
                .filter(|&i| rest.is_char_boundary(i))
                .take_while(|&i| !segment || !rest[..i].contains('/'))
                .any(|i| glob_match(tail, &rest[i..], segment))
        }
    }
}

mod seconds {
    use serde::{Deserialize, Deserializer};
    use std::time::Duration;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_patterns_allow_any_loopback_port() {
        let app = ConnectedApp::default();
        assert!(app.allows_redirect("http://127.0.0.1:8123/callback"));
        assert!(!app.allows_redirect("http://127.0.0.1:8123/evil/callback"));
        assert!(!app.allows_redirect("http://127.0.0.1:8123/callback/"));
        assert!(glob_match(
            "/services/data/*/query*",
            "/services/data/v66.0/query/01g-2",
            false
        ));
    }
}
