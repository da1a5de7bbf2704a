//! Requests to the Salesforce REST API for one node run: the credential's client is fetched on the
//! first request (so a node that fails before calling Salesforce makes no token request), path
//! segments are percent-encoded, and answers become JSON or n8n-shaped errors.

use reqwest::Method;
use serde_json::{Map, Value, json};
use tokio::sync::OnceCell;
use url::Url;

use crate::node::NodeContext;
use crate::salesforce::ignored::IgnoredKeys;
use crate::{NodeError, NodeHttp};

/// A request body.
pub enum Body {
    /// No body (GET, DELETE, and PATCH with nothing to update).
    None,
    /// A JSON object.
    Json(Value),
    /// A body built in memory (a multipart upload), so the auth layer can replay it after a 401.
    Bytes {
        /// Its `Content-Type`.
        content_type: String,
        /// The bytes.
        bytes: Vec<u8>,
    },
}

/// The Salesforce API as one node run sees it.
pub struct Api<'c, 'a> {
    ctx: &'c NodeContext<'a>,
    credential_type: &'static str,
    http: OnceCell<NodeHttp>,
    ignored: IgnoredKeys,
}

impl<'c, 'a> Api<'c, 'a> {
    /// The API of the node's credential of type `credential_type`.
    pub fn new(ctx: &'c NodeContext<'a>, credential_type: &'static str) -> Self {
        Self {
            ctx,
            credential_type,
            http: OnceCell::new(),
            ignored: IgnoredKeys::default(),
        }
    }

    /// Warns (once per key in this run) that these keys of `collection` send nothing.
    pub fn report_ignored(&self, collection: &str, keys: Vec<String>) {
        self.ignored.report(&self.ctx.node().name, collection, keys);
    }

    async fn client(&self) -> Result<&NodeHttp, NodeError> {
        self.http
            .get_or_try_init(|| self.ctx.http(self.credential_type))
            .await
    }

    /// The API base of the credential's session (every Salesforce type has one).
    async fn api_base(&self) -> Result<&Url, NodeError> {
        self.client().await?.api_base.as_ref().ok_or_else(|| {
            NodeError::operation(format!(
                "The {} credential has no API base URL",
                self.credential_type
            ))
        })
    }

    /// `<api base>/<segments>`, each segment percent-encoded as JavaScript's
    /// `encodeURIComponent` would (n8n put ids and external-id values in paths verbatim, so a
    /// value with `/`, `?`, `#`, `&` or a space retargeted the request).
    pub async fn url(&self, segments: &[&str]) -> Result<Url, NodeError> {
        let mut url = self.api_base().await?.clone();
        let mut path = url.path().trim_end_matches('/').to_owned();
        for segment in segments {
            path.push('/');
            path.push_str(&urlencoding::encode(segment));
        }
        url.set_path(&path);
        Ok(url)
    }

    /// A URL path that Salesforce returned (e.g. `nextRecordsUrl`), on the instance host.
    pub async fn returned_url(&self, path: &str) -> Result<Url, NodeError> {
        self.api_base()
            .await?
            .join(path)
            .map_err(|_| NodeError::operation(format!("Salesforce returned a bad URL: {path}")))
    }

    /// Sends a request and returns the answer's JSON; an empty answer (204) is n8n's
    /// `{ "errors": [], "success": true }`.
    pub async fn send(&self, method: Method, url: Url, body: Body) -> Result<Value, NodeError> {
        let client = self.client().await?;
        let mut request = client
            .http
            .request(method, url)
            .header(reqwest::header::ACCEPT, "application/json");
        request = match body {
            Body::None => request,
            Body::Json(value) => request.json(&value),
            Body::Bytes {
                content_type,
                bytes,
            } => request
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(bytes),
        };
        let response = request.send().await.map_err(transport_error)?;
        let status = response.status().as_u16();
        // One answer (a query page at most) is held, as bytes, and parsed from them.
        let bytes = response.bytes().await.map_err(|error| {
            NodeError::api(format!("the answer could not be read: {error}")).with_http_code(status)
        })?;
        if !(200..300).contains(&status) {
            return Err(api_error(status, &String::from_utf8_lossy(&bytes)));
        }
        if bytes.trim_ascii().is_empty() {
            return Ok(json!({ "errors": [], "success": true }));
        }
        serde_json::from_slice(&bytes)
            .or_else(|_| Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned())))
    }

    /// `GET` of a URL.
    pub async fn get(&self, url: Url) -> Result<Value, NodeError> {
        self.send(Method::GET, url, Body::None).await
    }
}

/// A request that got no answer (the connection failed or closed): n8n's message is the
/// underlying error's, so this one names every cause (`error sending request: … connection
/// closed before message completed`), never the URL.
fn transport_error(error: reqwest_middleware::Error) -> NodeError {
    match error {
        reqwest_middleware::Error::Middleware(error) => NodeError::api(format!("{error:#}")),
        reqwest_middleware::Error::Reqwest(error) => {
            let error = error.without_url();
            let mut message = error.to_string();
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                message = format!("{message}: {cause}");
                source = cause.source();
            }
            NodeError::api(message)
        }
    }
}

/// n8n's `NodeApiError` for a Salesforce error answer: the message chosen by status, Salesforce's
/// messages joined with ` | ` as the description, and `{ errorCode, fields }` as context.
pub fn api_error(status: u16, body: &str) -> NodeError {
    let errors: Vec<Value> = match serde_json::from_str::<Value>(body) {
        Ok(Value::Array(errors)) => errors,
        Ok(object @ Value::Object(_)) => vec![object],
        _ => Vec::new(),
    };
    let messages: Vec<&str> = errors.iter().filter_map(error_message).collect();
    let error_code = errors
        .first()
        .and_then(|error| error.get("errorCode"))
        .cloned()
        .unwrap_or(Value::Null);
    let fields: Vec<&str> = errors
        .iter()
        .filter_map(|error| error.get("fields").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut error = NodeError::from_status(status, body)
        .with_context("errorCode", error_code)
        .with_context(
            "fields",
            if fields.is_empty() {
                Value::Null
            } else {
                Value::String(fields.join(", "))
            },
        );
    let description = messages.join(" | ");
    if !description.is_empty() && description != error.message {
        error = error.with_description(description);
    }
    error
}

/// An error's message: its own, or (flow actions) the first nested error's.
fn error_message(error: &Value) -> Option<&str> {
    error.get("message").and_then(Value::as_str).or_else(|| {
        error
            .get("errors")
            .and_then(Value::as_array)
            .and_then(|nested| nested.first())
            .and_then(|nested| nested.get("message"))
            .and_then(Value::as_str)
    })
}

/// The item n8n's Salesforce node emits for a failed input item when it continues on fail:
/// `{ error, description, httpCode, errorCode, fields }`, with the error attached.
pub fn error_item(error: NodeError, index: usize) -> crate::Item {
    let context = |key: &str| error.context.get(key).cloned().unwrap_or(Value::Null);
    let json = Map::from_iter([
        ("error".to_owned(), Value::String(error.message.clone())),
        (
            "description".to_owned(),
            error.description.clone().map_or(Value::Null, Value::String),
        ),
        (
            "httpCode".to_owned(),
            error
                .http_code
                .map_or(Value::Null, |status| Value::String(status.to_string())),
        ),
        ("errorCode".to_owned(), context("errorCode")),
        ("fields".to_owned(), context("fields")),
    ]);
    crate::Item {
        error: Some(error),
        ..crate::Item::new(json, index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salesforce_errors_take_n8n_shape() {
        let error = api_error(
            400,
            r#"[{"message":"Required fields are missing: [Name]","errorCode":"REQUIRED_FIELD_MISSING","fields":["Name"]}]"#,
        );
        let item = error_item(error, 3);
        assert_eq!(
            Value::Object(item.json.clone()),
            json!({
                "error": "Bad request - please check your parameters",
                "description": "Required fields are missing: [Name]",
                "httpCode": "400",
                "errorCode": "REQUIRED_FIELD_MISSING",
                "fields": "Name"
            })
        );
        assert_eq!(item.paired_indexes(), [3]);
    }

    #[test]
    fn flow_errors_use_the_nested_message_and_no_code() {
        let error = api_error(
            400,
            r#"[{"actionName":"Score_Lead","errors":[{"statusCode":"REQUIRED_FIELD_MISSING","message":"Missing required input parameter: LeadId","fields":[]}],"isSuccess":false}]"#,
        );
        assert_eq!(
            error.description.as_deref(),
            Some("Missing required input parameter: LeadId")
        );
        assert_eq!(error.context["errorCode"], Value::Null);
        assert_eq!(error.context["fields"], Value::Null);
    }

    #[test]
    fn operation_errors_have_null_details() {
        let item = error_item(NodeError::operation("Invalid SOQL field name: Na me"), 0);
        assert_eq!(
            Value::Object(item.json),
            json!({"error": "Invalid SOQL field name: Na me", "description": null, "httpCode": null, "errorCode": null, "fields": null})
        );
    }
}
