//! The Salesforce Trigger (`n8n-nodes-base.salesforceTrigger`, typeVersions 1 and 1.1): a polling
//! trigger on record creation or update. Run by hand (`weft run`, n8n's "fetch test event") it
//! queries one arbitrary record of the event's object and emits it (n8n-compat §5.5). Scheduled
//! polls (`weft start`) go through [`PollingTrigger`]: [`poll`] builds the queries, [`tracking`]
//! keeps the cursor and dedupe keys, and the runtime commits the state after the run.

mod description;
mod event;
pub mod poll;
mod poller;
mod timestamp;
pub mod tracking;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::Value;

pub(crate) use description::POLL_TIMES;
pub use event::{Change, Event};
pub use timestamp::Timestamp;

use crate::description::NodeDescription;
use crate::node::{Emitter, Node, NodeContext};
use crate::salesforce::api::Api;
use crate::salesforce::credential_type;
use crate::salesforce::pager::{QueryScope, stream_query};
use crate::{NodeError, Poll, PollingTrigger, register_node};

/// The Salesforce Trigger node.
pub struct SalesforceTrigger;

#[async_trait]
impl Node for SalesforceTrigger {
    fn description(&self) -> &'static NodeDescription {
        &description::DESCRIPTION
    }

    /// Manual mode: one record, no date conditions; errors go to the caller. (n8n's dedupe
    /// against `processedIds` applies too, but a manual run has no saved state, so it keeps the
    /// record.)
    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let text = |name: &str| -> Result<String, NodeError> {
            Ok(match ctx.optional_parameter(name, 0)? {
                Some(Value::String(text)) => text,
                _ => String::new(),
            })
        };
        let event = Event::parse(&text("triggerOn")?, &text("customObject")?)?;
        let soql = poll::manual_query(&event)?;
        let api = Api::new(ctx, credential_type(&text("authentication")?));
        stream_query(&api, &soql, QueryScope::Live, 0, out).await?;
        Ok(())
    }

    fn polling(&self) -> Option<&dyn PollingTrigger> {
        Some(self)
    }
}

#[async_trait]
impl PollingTrigger for SalesforceTrigger {
    async fn poll(
        &self,
        ctx: &NodeContext<'_>,
        state: Option<Value>,
        _at: DateTime<Utc>,
    ) -> Result<Poll, NodeError> {
        poller::poll(ctx, state).await
    }

    fn failure_hint(&self, error: &NodeError) -> Option<&'static str> {
        match error.context.get("errorCode").and_then(Value::as_str) {
            Some("REQUEST_LIMIT_EXCEEDED") => Some(
                "the org's API request limit is used up; the trigger tries again at its next scheduled poll",
            ),
            Some("INVALID_SESSION_ID") => {
                Some("check the credential with `weft credentials test`; the next tick retries")
            }
            _ => None,
        }
    }
}

register_node!(SalesforceTrigger);
