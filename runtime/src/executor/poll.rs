//! One scheduled poll of a workflow's trigger: the trigger node's parameters are served as in a
//! run (expressions evaluated for item 0, no input, the workflow's time zone), and the node's
//! [`PollingTrigger`] answers; after the commit, the same context serves its after-commit work.

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
    let trigger = trigger_of(plan)?;
    let parameters = trigger_parameters(plan, expressions);
    let ctx = trigger_context(plan, clients, &parameters);
    trigger.poll(&ctx, state, at).await
}

/// Has the plan's trigger do a committed poll's [`Poll::after_commit`] `work`.
pub async fn after_commit(
    plan: &Plan,
    clients: &dyn CredentialClients,
    expressions: &Expressions,
    work: Value,
) -> Result<(), NodeError> {
    let trigger = trigger_of(plan)?;
    let parameters = trigger_parameters(plan, expressions);
    let ctx = trigger_context(plan, clients, &parameters);
    trigger.after_commit(&ctx, work).await
}

fn trigger_of(plan: &Plan) -> Result<&dyn PollingTrigger, NodeError> {
    polling_trigger(plan).ok_or_else(|| {
        let name = &plan.nodes[plan.start].info.name;
        NodeError::operation(format!("\"{name}\" is not a polling trigger"))
    })
}

/// The trigger's parameters as in a run: expressions evaluated for item 0, no input.
fn trigger_parameters<'a>(plan: &'a Plan, expressions: &'a Expressions) -> NodeParameters<'a> {
    NodeParameters {
        values: &plan.nodes[plan.start].parameters,
        expressions,
        input: Arc::default(),
        first_item: 0,
        source: None,
        run_index: 0,
        log: Arc::default(),
    }
}

/// The trigger's context: its parameters, credentials and file access, the workflow's zone.
fn trigger_context<'a>(
    plan: &'a Plan,
    clients: &'a dyn CredentialClients,
    parameters: &'a NodeParameters<'a>,
) -> NodeContext<'a> {
    let node = &plan.nodes[plan.start];
    NodeContext::new(
        &node.info,
        &[],
        parameters,
        clients,
        &node.credentials,
        super::files::node_file_access(),
    )
    .with_settings(ExecutionSettings {
        time_zone: plan.zone(),
        ..ExecutionSettings::DEFAULT
    })
}
