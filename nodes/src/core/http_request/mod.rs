//! HTTP Request (`n8n-nodes-base.httpRequest`, typeVersions 1 to 4.3): one request per input
//! item. Typeversions 1 and 2 (`legacy`) and 3 on (`modern`) read their own parameters into one
//! request model (`request`), sent and decoded (`response`) the same way. Authentication is
//! none, a generic credential type (basic, header, OAuth2, …) or a predefined one, through the
//! runtime's clients. From typeVersion 3 on, a request may be paginated (`pagination`).

mod description;
mod file;
mod legacy;
mod legacy_parameters;
mod modern;
mod pagination;
mod request;
mod response;

use async_trait::async_trait;
use reqwest_middleware::ClientWithMiddleware;
use serde_json::{Map, Value};
use weft_credentials::Registry;

use crate::description::NodeDescription;
use crate::error::{ErrorKind, NodeError};
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext, Unsupported};
use crate::register_node;

/// The HTTP Request node.
pub struct HttpRequest;

#[async_trait]
impl Node for HttpRequest {
    fn description(&self) -> &'static NodeDescription {
        &description::DESCRIPTION
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let http = client(ctx).await?;
        let legacy = is_legacy(ctx.node().type_version);
        for index in 0..ctx.input().len() {
            if legacy {
                legacy::pause_between_batches(ctx, index).await?;
            }
            match exchange(ctx, &http, index, legacy).await {
                Ok(items) => out.emit(0, items).await?,
                Err(error) if ctx.continue_on_fail() => {
                    out.emit(0, [Item::failed(error, index)]).await?;
                }
                Err(error) => return Err(error.for_item(index)),
            }
        }
        Ok(())
    }

    /// Configurations weft cannot run: a credential type it does not have, a proxy, client
    /// certificates, certificate checks off or a binary body.
    fn unsupported(&self, version: f64, parameters: &Value) -> Vec<Unsupported> {
        let text = |name: &str| {
            parameters
                .pointer(name)
                .and_then(Value::as_str)
                .unwrap_or("")
        };
        let on = |name: &str| parameters.pointer(name).and_then(Value::as_bool) == Some(true);
        let mut reasons = Vec::new();
        let authentication = text("/authentication");
        let generic = authentication == "genericCredentialType" || version < 2.0;
        if let Some(credential_type) = credential_type(version, |name| {
            parameters
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
        }) && generic
            && Registry::global().is_ok_and(|registry| registry.get(&credential_type).is_none())
        {
            reasons.push(Unsupported::new(
                if version < 2.0 {
                    "authentication"
                } else {
                    "genericAuthType"
                },
                format!(
                    "weft does not have n8n's credential type `{credential_type}` (HTTP Request \
                     authentication `{authentication}`) yet"
                ),
                "`weft credentials types` lists the types weft has; use one of them, or run this \
                 workflow in n8n",
            ));
        }
        let lacks = [
            (
                !text("/options/proxy").is_empty(),
                "options.proxy",
                "proxy option",
            ),
            (
                on("/provideSslCertificates"),
                "provideSslCertificates",
                "client certificates",
            ),
            (
                on("/allowUnauthorizedCerts"),
                "allowUnauthorizedCerts",
                "option to skip TLS certificate checks",
            ),
            (on("/sendBinaryData"), "sendBinaryData", "binary body"),
        ];
        for (_, parameter, feature) in lacks.iter().filter(|(refused, ..)| *refused) {
            reasons.push(Unsupported::new(
                *parameter,
                format!("weft does not have n8n's HTTP Request {feature} yet"),
                "remove the option, or run this workflow in n8n",
            ));
        }
        reasons
    }
}

register_node!(HttpRequest);

/// n8n's HttpRequestV1 and V2 serve typeVersions 1 and 2.
fn is_legacy(version: f64) -> bool {
    version < 3.0
}

/// The credential type the node authenticates with, if any: v1 names generic types by its own
/// `authentication` values, later versions by `genericAuthType` or `nodeCredentialType`.
fn credential_type(version: f64, parameter: impl Fn(&str) -> Option<String>) -> Option<String> {
    let authentication = parameter("authentication")?;
    let v1_type = |value: &str| match value {
        "basicAuth" => Some("httpBasicAuth"),
        "digestAuth" => Some("httpDigestAuth"),
        "headerAuth" => Some("httpHeaderAuth"),
        "queryAuth" => Some("httpQueryAuth"),
        "oAuth1" => Some("oAuth1Api"),
        "oAuth2" => Some("oAuth2Api"),
        _ => None,
    };
    match authentication.as_str() {
        "genericCredentialType" if version >= 2.0 => parameter("genericAuthType"),
        "predefinedCredentialType" if version >= 2.0 => parameter("nodeCredentialType"),
        other if version < 2.0 => v1_type(other).map(str::to_owned),
        _ => None,
    }
    .filter(|name| !name.is_empty())
}

/// The client for every item: authenticated when the node names a credential type.
async fn client(ctx: &NodeContext<'_>) -> Result<ClientWithMiddleware, NodeError> {
    let parameter = |name: &str| {
        ctx.optional_parameter(name, 0)
            .ok()
            .flatten()
            .and_then(|value| value.as_str().map(str::to_owned))
    };
    match credential_type(ctx.node().type_version, parameter) {
        Some(credential_type) => Ok(ctx.http(&credential_type).await?.http),
        None => Ok(ctx.unauthenticated_http()),
    }
}

/// The request for input item `index` and the items its response gives; its failures carry
/// n8n's `context.itemIndex` and, from typeVersion 3 on, `context.request`.
async fn exchange(
    ctx: &NodeContext<'_>,
    http: &ClientWithMiddleware,
    index: usize,
    legacy: bool,
) -> Result<Vec<Item>, NodeError> {
    let (request, options, echo) = if legacy {
        let (request, options) = legacy::read(ctx, index)?;
        (request, options, None)
    } else {
        let (request, options, echo) = modern::read(ctx, index)?;
        (request, options, Some(echo))
    };
    let pagination = match &echo {
        Some(_) => pagination::read(ctx, options.never_error),
        None => Ok(None),
    };
    let result = match (pagination, &echo) {
        (Err(error), _) => Err(error),
        (Ok(Some(pagination)), Some(echo)) => {
            pagination::fetch(ctx, http, &pagination, request, &options, echo, index).await
        }
        _ => match request.send(http).await {
            Ok(sent) => response::items(sent, &options, &ctx.input()[index], index).await,
            Err(error) => Err(error),
        },
    };
    result.map_err(|mut error| {
        error = error.with_context("itemIndex", Value::from(index));
        match echo {
            Some(echo) if error.kind == ErrorKind::Api => error.with_context("request", echo),
            _ => error,
        }
    })
}

/// Name/value pairs of a `parameters` list of `{name, value}` entries; unnamed ones are left out.
fn name_value_pairs(entries: Option<Value>) -> Vec<(String, String)> {
    let entries = match entries {
        Some(Value::Array(entries)) => entries,
        _ => Vec::new(),
    };
    entries
        .into_iter()
        .filter_map(|entry| match entry {
            Value::Object(mut fields) => Some(fields_pair(&mut fields)),
            _ => None,
        })
        .filter(|(name, _)| !name.is_empty())
        .collect()
}

fn fields_pair(fields: &mut Map<String, Value>) -> (String, String) {
    let mut take = |key: &str| fields.remove(key).map(text).unwrap_or_default();
    (take("name"), take("value"))
}

/// A `json` parameter: JSON text, or a value an expression produced.
fn json_parameter(ctx: &NodeContext<'_>, name: &str, index: usize) -> Result<Value, NodeError> {
    match ctx.parameter(name, index)? {
        Value::String(text) => serde_json::from_str(&text).map_err(|error| {
            NodeError::operation(format!("The parameter \"{name}\" needs to be valid JSON"))
                .with_description(error.to_string())
        }),
        other => Ok(other),
    }
}

/// A value as request text: strings as they are, anything else as JSON.
fn text(value: Value) -> String {
    match value {
        Value::String(text) => text,
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn configurations_weft_cannot_run_are_refused_with_the_reason() {
        let refused =
            |version: f64, parameters: Value| HttpRequest.unsupported(version, &parameters);
        assert_eq!(refused(4.3, json!({ "authentication": "none" })), []);
        assert_eq!(refused(1.0, json!({ "authentication": "none" })), []);
        // A predefined type is the credential check's business, as in 4.x.
        let predefined = json!({"authentication": "predefinedCredentialType", "nodeCredentialType": "hubspotApi"});
        assert_eq!(refused(4.2, predefined), []);
        // The generic types weft has run.
        for (version, authentication, generic) in [
            (4.3, "genericCredentialType", "httpHeaderAuth"),
            (4.2, "genericCredentialType", "httpBasicAuth"),
            (3.0, "genericCredentialType", "httpQueryAuth"),
            (2.0, "genericCredentialType", "httpBearerAuth"),
            (4.1, "genericCredentialType", "httpCustomAuth"),
            (2.0, "genericCredentialType", "oAuth2Api"),
            (1.0, "oAuth2", ""),
            (4.3, "genericCredentialType", "httpDigestAuth"),
            (1.0, "basicAuth", ""),
            (1.0, "digestAuth", ""),
            (1.0, "headerAuth", ""),
            (1.0, "queryAuth", ""),
        ] {
            let parameters = json!({"authentication": authentication, "genericAuthType": generic});
            assert_eq!(refused(version, parameters.clone()), [], "{parameters}");
        }
        let cases = [
            (
                4.3,
                json!({"authentication": "genericCredentialType", "genericAuthType": "oAuth1Api"}),
                "genericAuthType",
                "`oAuth1Api` (HTTP Request authentication `genericCredentialType`)",
            ),
            (
                1.0,
                json!({"authentication": "oAuth1"}),
                "authentication",
                "`oAuth1Api` (HTTP Request authentication `oAuth1`)",
            ),
            (
                1.0,
                json!({"options": {"proxy": "http://proxy:3128"}}),
                "options.proxy",
                "proxy option",
            ),
            (
                1.0,
                json!({"allowUnauthorizedCerts": true}),
                "allowUnauthorizedCerts",
                "skip TLS certificate checks",
            ),
            (
                2.0,
                json!({"sendBinaryData": true}),
                "sendBinaryData",
                "binary body",
            ),
            (
                4.2,
                json!({"provideSslCertificates": true}),
                "provideSslCertificates",
                "client certificates",
            ),
        ];
        for (version, parameters, parameter, expected) in cases {
            let refusals = refused(version, parameters.clone());
            let [refusal] = refusals.as_slice() else {
                panic!("{parameters} at {version}: {refusals:?}");
            };
            assert_eq!(refusal.parameter, parameter, "{parameters}");
            assert!(
                refusal.reason.contains(expected),
                "{refusal:?} lacks {expected:?}"
            );
        }
    }

    #[test]
    fn credential_types_by_version() {
        let of = |version: f64, parameters: Value| {
            credential_type(version, |name| {
                parameters
                    .get(name)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
        };
        assert_eq!(
            of(1.0, json!({"authentication": "oAuth2"})).as_deref(),
            Some("oAuth2Api")
        );
        assert_eq!(of(1.0, json!({"authentication": "none"})), None);
        assert_eq!(of(2.0, json!({"authentication": "basicAuth"})), None);
        assert_eq!(
            of(3.0, json!({"authentication": "predefinedCredentialType", "nodeCredentialType": "salesforceJwtApi"})).as_deref(),
            Some("salesforceJwtApi")
        );
        assert_eq!(
            of(4.2, json!({"authentication": "genericCredentialType", "genericAuthType": "httpBasicAuth"})).as_deref(),
            Some("httpBasicAuth")
        );
    }
}
