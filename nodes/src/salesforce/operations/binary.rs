//! An input item's binary property as Salesforce wants it: base64 `Body` and `ContentType` for
//! attachments, raw bytes for document uploads.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use crate::node::NodeContext;
use crate::{BinaryData, NodeError};

/// The binary property `property` of input item `index`, or n8n's error when it is missing.
pub fn binary<'c>(
    ctx: &'c NodeContext<'_>,
    property: &str,
    index: usize,
) -> Result<&'c BinaryData, NodeError> {
    ctx.input()
        .get(index)
        .and_then(|item| item.binary.as_ref())
        .and_then(|binary| binary.get(property))
        .ok_or_else(|| NodeError::operation(format!("The property {property} does not exist")))
}

/// The property's bytes.
pub fn bytes(data: &BinaryData) -> Result<Vec<u8>, NodeError> {
    STANDARD
        .decode(data.data.as_bytes())
        .map_err(|_| NodeError::operation("The binary data is not valid base64"))
}

/// Adds `Body` (base64) and `ContentType` from the binary property to an attachment body.
pub fn attach_binary(
    ctx: &NodeContext<'_>,
    property: &str,
    index: usize,
    body: &mut Map<String, Value>,
) -> Result<(), NodeError> {
    let data = binary(ctx, property, index)?;
    bytes(data)?;
    body.insert("Body".into(), Value::String(data.data.clone()));
    body.insert("ContentType".into(), Value::String(data.mime_type.clone()));
    Ok(())
}
