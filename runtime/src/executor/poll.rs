//! One scheduled poll of a workflow's trigger: the trigger node's parameters are served as in a
//! run (expressions evaluated for item 0, no input, the workflow's time zone), and the node's
//! [`PollingTrigger`] answers.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::Value;
use weft_nodes::{
    CredentialClients, ExecutionSettings, NodeContext, NodeError, Poll, PollingTrigger,
};

use super::parameters::NodeParameters;
use crate::expressions::Expressions;
use crate::workflow::Plan;

/// The plan's trigger as a polling trigger, if it is one.
pub fn polling_trigger(plan: &Plan) -> Option<&dyn PollingTrigger> {
    plan.nodes[plan.start].implementation.polling()
}

/// Polls the plan's trigger with its saved `state`, for the tick due `at`.
pub async fn poll(
    plan: &Plan,
    clients: &dyn CredentialClients,
    expressions: &Expressions,
    state: Option<Value>,
    at: DateTime<Utc>,
) -> Result<Poll, NodeError> {
    let node = &plan.nodes[plan.start];
    let trigger = polling_trigger(plan).ok_or_else(|| {
        NodeError::operation(format!("\"{}\" is not a polling trigger", node.info.name))
    })?;
    let parameters = NodeParameters {
        values: &node.parameters,
        expressions,
        input: Arc::default(),
        first_item: 0,
        source: None,
        run_index: 0,
        log: Arc::default(),
    };
    let ctx = NodeContext::new(
        &node.info,
        &[],
        &parameters,
        clients,
        &node.credentials,
        super::files::node_file_access(),
    )
    .with_settings(ExecutionSettings {
        time_zone: plan.zone(),
        ..ExecutionSettings::DEFAULT
    });
    trigger.poll(&ctx, state, at).await
}
