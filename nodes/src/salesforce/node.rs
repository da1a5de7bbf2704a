//! The Salesforce node (`n8n-nodes-base.salesforce`): one request (or one paged query) per input
//! item, results in input order, or composite calls for writes over several items (unless
//! `options.useCompositeApi` is `false`); per-item failures become n8n's error items when the
//! node continues on fail.

use async_trait::async_trait;
use serde_json::Value;

use crate::description::NodeDescription;
use crate::node::{Emitter, Node, NodeContext};
use crate::salesforce::api::{Api, error_item};
use crate::salesforce::description::DESCRIPTION;
use crate::salesforce::operations;
use crate::{NodeError, register_node};

/// The Salesforce node.
pub struct Salesforce;

/// The credential type an `authentication` value selects.
pub fn credential_type(authentication: &str) -> &'static str {
    match authentication {
        "jwt" => "salesforceJwtApi",
        "clientCredentials" => "salesforceClientCredentialsApi",
        _ => "salesforceOAuth2Api",
    }
}

#[async_trait]
impl Node for Salesforce {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let text = |name: &str| -> Result<String, NodeError> {
            Ok(match ctx.optional_parameter(name, 0)? {
                Some(Value::String(text)) => text,
                _ => String::new(),
            })
        };
        let resource = text("resource")?;
        let operation = text("operation")?;
        let api = Api::new(ctx, credential_type(&text("authentication")?));
        if ctx.input().len() > 1
            && operations::batchable(&resource, &operation)
            && uses_composite_api(ctx)?
        {
            return operations::run_batched(&api, ctx, &resource, &operation, out).await;
        }
        for index in 0..ctx.input().len() {
            match operations::run(&api, ctx, &resource, &operation, index, out).await {
                Ok(()) => {}
                Err(error) if ctx.continue_on_fail() => {
                    out.emit(0, [error_item(error, index)]).await?;
                }
                Err(error) => return Err(error.for_item(index)),
            }
        }
        Ok(())
    }
}

/// weft's `options.useCompositeApi` (read from item 0, like the operation): on unless set to
/// `false`.
fn uses_composite_api(ctx: &NodeContext<'_>) -> Result<bool, NodeError> {
    Ok(ctx.optional_parameter("options.useCompositeApi", 0)? != Some(Value::Bool(false)))
}

register_node!(Salesforce);
