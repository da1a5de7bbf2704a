//! `acmeApi`: the Acme API's credential type, declared as data. Its fields are a struct whose
//! JSON Schema `schemars` derives; requests are authenticated statically (the key as header
//! `X-Acme-Key`), only to the hosts n8n's "Allowed HTTP Request Domains" allow; the API's base
//! URL comes from a field, and `weft credentials test` sends a GET of `<base URL>/me`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::{Host, Url};
use weft_credentials::authenticate::{DomainRestriction, Part, StaticApi, StaticAuth, Text};
use weft_credentials::{
    Authenticate, Conditional, CredentialType, DEFAULT_POLICY, FieldError, Secret,
    credential_schema, register_credential_type,
};

/// The data of an `acmeApi` credential, as n8n would store it.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AcmeApiData {
    /// Where the API lives.
    #[schemars(
        title = "Base URL",
        description = "The Acme API's base URL, with its version",
        length(min = 1),
        extend("default" = "https://api.acme.example/v1")
    )]
    pub base_url: String,
    /// The key every request carries.
    #[schemars(
        title = "API Key",
        description = "Settings > API keys in your Acme account"
    )]
    pub api_key: Secret,
    /// n8n's two domain fields (`allowedHttpRequestDomains`, `allowedDomains`).
    #[serde(flatten)]
    pub domains: DomainRestriction,
}

/// `allowedDomains` is drawn only in `domains` mode.
const DOMAIN_FIELDS: &[Conditional] = &[Conditional {
    field: "allowedDomains",
    when: "allowedHttpRequestDomains",
    equals: &["domains"],
}];

fn schema() -> schemars::Schema {
    credential_schema::<AcmeApiData>(ACME_API.name, ACME_API.display_name, DOMAIN_FIELDS)
}

/// What the schema cannot say: the base URL is an http(s) URL, plain http only on loopback (a
/// key must not cross the network in clear text).
fn check(data: &Value) -> Vec<FieldError> {
    let Some(text) = data.get("baseUrl").and_then(Value::as_str) else {
        return Vec::new(); // absent or not a string: the schema's error
    };
    let hint = "write the API's URL, e.g. https://api.acme.example/v1";
    let problem = match Url::parse(text) {
        Err(_) => "is not a URL",
        Ok(url) if url.scheme() == "https" => return Vec::new(),
        Ok(url) if url.scheme() == "http" && is_loopback(&url) => return Vec::new(),
        Ok(url) if url.scheme() == "http" => "uses plain http on a host that is not loopback",
        Ok(_) => "must be an http(s) URL",
    };
    vec![FieldError::new("baseUrl", problem, hint)]
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// How a request is authenticated and where the API is: n8n's
/// `authenticate: { type: 'generic', properties: { headers: { 'X-Acme-Key': '={{$credentials.apiKey}}' } } }`,
/// `requestDefaults: { baseURL: '={{$credentials.baseUrl}}' }` and
/// `test: { request: { url: '/me' } }`, as Rust data.
static AUTHENTICATION: StaticAuth = StaticAuth {
    parts: &[Part::Header {
        name: Text::Literal("X-Acme-Key"),
        value: Text::field("apiKey"),
    }],
    api: Some(StaticApi {
        base_url: Text::field("baseUrl"),
        test_path: Some("/me"),
    }),
};

/// The `acmeApi` credential type.
pub static ACME_API: CredentialType = CredentialType {
    name: "acmeApi",
    display_name: "Acme API",
    documentation_url: "docs/credentials.md",
    schema,
    check,
    authenticate: Authenticate::Static(&AUTHENTICATION),
    policy: &DEFAULT_POLICY,
};

register_credential_type!(ACME_API);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use weft_credentials::Registry;

    #[test]
    fn acme_api_joins_the_registry_and_validates_every_field() {
        let registry = Registry::global().unwrap();
        assert!(registry.get("acmeApi").is_some());
        let names: Vec<&str> = registry.types().map(|t| t.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted, "the registry lists types by name");
        let cases = [
            (json!({}), vec!["baseUrl", "apiKey"]),
            (
                json!({"apiKey": "k", "baseUrl": "http://api.acme.example"}),
                vec!["baseUrl"],
            ),
            (
                json!({"apiKey": "k", "baseUrl": "ftp://127.0.0.1"}),
                vec!["baseUrl"],
            ),
            (json!({"apiKey": "k", "baseUrl": "acme"}), vec!["baseUrl"]),
            (
                json!({"apiKey": "k", "baseUrl": "http://127.0.0.1:9/v1"}),
                vec![],
            ),
            (
                json!({"apiKey": "k", "baseUrl": "https://api.acme.example/v1"}),
                vec![],
            ),
        ];
        for (data, paths) in cases {
            let errors = registry
                .validate("acmeApi", &data)
                .err()
                .unwrap_or_default();
            let found: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
            assert_eq!(found, paths, "{data}");
        }
    }

    #[test]
    fn the_key_is_a_secret_in_the_schema_and_the_header() {
        let schema = schema();
        let key = &schema.as_value()["properties"]["apiKey"];
        assert_eq!(key["x-secret"], json!(true), "{key}");
        assert_eq!(key["writeOnly"], json!(true), "{key}");
        let data = json!({"apiKey": "canary-acme", "baseUrl": "https://api.acme.example/v1"});
        let resolved = AUTHENTICATION.resolve(&data).unwrap();
        let [(name, value)] = resolved.headers.as_slice() else {
            panic!("one header")
        };
        assert_eq!(
            (name.as_str(), value.expose()),
            ("X-Acme-Key", "canary-acme")
        );
        assert!(!format!("{resolved:?}").contains("canary"));
        assert_eq!(
            AUTHENTICATION.test_url(&data).unwrap().unwrap().as_str(),
            "https://api.acme.example/v1/me"
        );
    }
}
