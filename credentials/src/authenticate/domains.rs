//! n8n's "Allowed HTTP Request Domains": two fields n8n adds to every generic credential type,
//! and the rule they make for the hosts a request may carry the credential to.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// Which hosts the credential may be sent to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DomainMode {
    /// Allow all requests when used in the HTTP Request or GraphQL node
    #[default]
    #[schemars(title = "All")]
    All,
    /// Restrict requests to specific domains
    #[schemars(title = "Specific Domains")]
    Domains,
    /// Block all requests when used in the HTTP Request or GraphQL node
    #[schemars(title = "None")]
    None,
}

/// The two fields, flattened into each generic type's data.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DomainRestriction {
    /// The mode.
    #[serde(default)]
    #[schemars(
        title = "Allowed HTTP Request Domains",
        description = "Control which domains this credential can be used with in HTTP Request or GraphQL nodes"
    )]
    pub allowed_http_request_domains: DomainMode,
    /// The hosts of `domains` mode.
    #[serde(default)]
    #[schemars(
        title = "Allowed Domains",
        description = "Comma-separated list of allowed domains (supports wildcards with *)",
        extend("x-placeholder" = "example.com, *.subdomain.com")
    )]
    pub allowed_domains: String,
}

/// Why a request may not carry the credential. The texts are n8n's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// `allowedHttpRequestDomains` is `none`.
    #[error(
        "This credential is configured to prevent use within an HTTP Request or GraphQL node (hint: set the credential's Allowed HTTP Request Domains to All or to Specific Domains)"
    )]
    Blocked,
    /// `domains` mode with an empty list.
    #[error(
        "No allowed domains specified. Configure allowed domains or change restriction setting. (hint: fill in the credential's Allowed Domains)"
    )]
    NoDomains,
    /// The request's host is not in the list.
    #[error(
        "Domain not allowed: This credential is restricted from accessing {host}. Only the following domains are allowed: {allowed} (hint: add the host to the credential's Allowed Domains, or send the request elsewhere)"
    )]
    NotAllowed {
        /// The request's host (with its port, as n8n shows it).
        host: String,
        /// The list as written.
        allowed: String,
    },
}

/// The rule a credential's data makes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum DomainRule {
    /// Any host.
    #[default]
    Any,
    /// No host.
    Blocked,
    /// Only these hosts (the list as written, trimmed; may be empty).
    Only(String),
}

impl DomainRule {
    /// The rule of `data`, read leniently as n8n reads it: an absent or unknown mode allows all.
    pub fn of(data: &Value) -> Self {
        let mode = data
            .get("allowedHttpRequestDomains")
            .cloned()
            .and_then(|mode| serde_json::from_value(mode).ok())
            .unwrap_or_default();
        match mode {
            DomainMode::All => DomainRule::Any,
            DomainMode::None => DomainRule::Blocked,
            DomainMode::Domains => DomainRule::Only(
                data.get("allowedDomains")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
            ),
        }
    }

    /// Whether a request to `url` may carry the credential.
    pub fn check(&self, url: &Url) -> Result<(), DomainError> {
        match self {
            DomainRule::Any => Ok(()),
            DomainRule::Blocked => Err(DomainError::Blocked),
            DomainRule::Only(allowed) if allowed.is_empty() => Err(DomainError::NoDomains),
            DomainRule::Only(allowed) if host_allowed(url, allowed) => Ok(()),
            DomainRule::Only(allowed) => Err(DomainError::NotAllowed {
                host: display_host(url),
                allowed: allowed.clone(),
            }),
        }
    }
}

/// n8n's matching: exact host names, or `*.suffix` for subdomains only (never the bare domain);
/// case and a trailing dot do not count.
fn host_allowed(url: &Url, allowed: &str) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = normalised(host);
    allowed
        .split(',')
        .map(normalised)
        .filter(|entry| !entry.is_empty())
        .any(|entry| match entry.strip_prefix("*.") {
            Some("") => false,
            Some(suffix) => host.ends_with(&format!(".{suffix}")),
            None => host == entry,
        })
}

fn normalised(host: &str) -> String {
    host.trim().to_lowercase().trim_end_matches('.').to_owned()
}

fn display_host(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hosts_are_matched_as_n8n_matches_them() {
        let url = |text: &str| Url::parse(text).unwrap();
        let only = |list: &str| {
            DomainRule::of(&json!({"allowedHttpRequestDomains": "domains", "allowedDomains": list}))
        };
        let cases = [
            ("https://api.example.com/x", "api.example.com", true),
            ("https://API.Example.com./x", "api.example.com", true),
            (
                "https://api.example.com/x",
                " other.com , API.example.com. ",
                true,
            ),
            ("https://a.b.example.com/", "*.example.com", true),
            ("https://example.com/", "*.example.com", false),
            ("https://evilexample.com/", "*.example.com", false),
            ("https://example.com.evil.io/", "example.com", false),
            ("https://x.io/", "*.", false),
        ];
        for (address, list, allowed) in cases {
            assert_eq!(
                only(list).check(&url(address)).is_ok(),
                allowed,
                "{address} in {list}"
            );
        }
        assert_eq!(
            only("a.com")
                .check(&url("http://127.0.0.1:8080/p?secret=1"))
                .unwrap_err(),
            DomainError::NotAllowed {
                host: "127.0.0.1:8080".into(),
                allowed: "a.com".into()
            }
        );
        assert_eq!(
            only("  ").check(&url("https://a.com")),
            Err(DomainError::NoDomains)
        );
        let none = DomainRule::of(&json!({"allowedHttpRequestDomains": "none"}));
        assert_eq!(none.check(&url("https://a.com")), Err(DomainError::Blocked));
        for data in [
            json!({}),
            json!({"allowedHttpRequestDomains": "all", "allowedDomains": "a.com"}),
            json!({"allowedHttpRequestDomains": 3}),
        ] {
            assert_eq!(DomainRule::of(&data), DomainRule::Any, "{data}");
        }
    }
}
