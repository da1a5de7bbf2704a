//! The production / sandbox choice and the login host it implies.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// n8n's "Environment Type".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// Production and Developer Edition orgs: `https://login.salesforce.com`.
    #[default]
    #[schemars(title = "Production")]
    Production,
    /// Sandboxes: `https://test.salesforce.com`.
    #[schemars(title = "Sandbox")]
    Sandbox,
}

impl Environment {
    /// The generic login host of this environment.
    pub fn login_url(self) -> &'static str {
        match self {
            Environment::Production => "https://login.salesforce.com",
            Environment::Sandbox => "https://test.salesforce.com",
        }
    }
}
