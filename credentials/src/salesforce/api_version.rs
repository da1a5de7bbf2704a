//! The REST API version: weft's addition to every Salesforce credential.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The version used when a credential names none: Spring '26, a current GA release.
pub const DEFAULT_API_VERSION: &str = "66.0";

/// A REST API version such as `66.0`. Accepts `"66.0"`, `"v66.0"`, `"66"` and the number `66`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiVersion {
    major: u32,
    minor: u32,
}

impl ApiVersion {
    /// Parses a version as a user writes it.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let text = text
            .strip_prefix('v')
            .or_else(|| text.strip_prefix('V'))
            .unwrap_or(text);
        let (major, minor) = text.split_once('.').unwrap_or((text, "0"));
        let major: u32 = major.parse().ok()?;
        let minor: u32 = minor.parse().ok()?;
        (20..1000).contains(&major).then_some(Self { major, minor })
    }

    /// The path segment, e.g. `v66.0`.
    pub fn path_segment(&self) -> String {
        format!("v{self}")
    }
}

impl Default for ApiVersion {
    fn default() -> Self {
        Self {
            major: 66,
            minor: 0,
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl Serialize for ApiVersion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ApiVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        let text = match &value {
            serde_json::Value::String(text) => Cow::Borrowed(text.as_str()),
            serde_json::Value::Number(number) => Cow::Owned(number.to_string()),
            _ => Cow::Borrowed(""),
        };
        if text.is_empty() {
            return Ok(Self::default());
        }
        ApiVersion::parse(&text)
            .ok_or_else(|| serde::de::Error::custom("apiVersion must look like 66.0, v66.0 or 66"))
    }
}

impl JsonSchema for ApiVersion {
    fn schema_name() -> Cow<'static, str> {
        "ApiVersion".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": ["string", "number"],
            "title": "API Version",
            "description": "Salesforce REST API version, e.g. 66.0. Set 59.0 to reproduce n8n's requests exactly.",
            "default": DEFAULT_API_VERSION,
            "pattern": "^[vV]?[0-9]{2,3}(\\.[0-9]+)?$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_spellings_users_write() {
        for text in ["66.0", "v66.0", "66", " V66.0 "] {
            assert_eq!(ApiVersion::parse(text).unwrap().to_string(), "66.0");
        }
        assert_eq!(ApiVersion::parse("59.0").unwrap().path_segment(), "v59.0");
        let from_number: ApiVersion = serde_json::from_str("66").unwrap();
        assert_eq!(from_number, ApiVersion::default());
        let empty: ApiVersion = serde_json::from_str("\"\"").unwrap();
        assert_eq!(empty, ApiVersion::default());
    }

    #[test]
    fn refuses_nonsense() {
        for text in ["", "latest", "6.0", "66.x", "-66"] {
            assert!(ApiVersion::parse(text).is_none(), "{text}");
        }
    }
}
