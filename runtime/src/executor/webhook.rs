//! A webhook trigger's endpoint, read once at activation: the node's parameters are served as
//! in a run (expressions evaluated for item 0, no input, the workflow's time zone), and the
//! node's [`WebhookTrigger`] describes what it listens to.

use std::sync::Arc;

use weft_nodes::{
    CredentialClients, ExecutionSettings, NodeContext, NodeError, WebhookEndpoint, WebhookTrigger,
};

use super::parameters::NodeParameters;
use crate::expressions::Expressions;
use crate::workflow::Plan;

/// Node `node` of the plan as a webhook trigger, if it is one.
pub fn webhook_trigger(plan: &Plan, node: usize) -> Option<&dyn WebhookTrigger> {
    plan.nodes[node].implementation.webhook()
}

/// The endpoint of node `node`, a webhook trigger.
pub fn webhook_endpoint(
    plan: &Plan,
    node: usize,
    clients: &dyn CredentialClients,
    expressions: &Expressions,
) -> Result<WebhookEndpoint, NodeError> {
    let planned = &plan.nodes[node];
    let trigger = webhook_trigger(plan, node).ok_or_else(|| {
        NodeError::operation(format!("\"{}\" is not a webhook", planned.info.name))
    })?;
    let parameters = NodeParameters {
        values: &planned.parameters,
        expressions,
        input: Arc::default(),
        first_item: 0,
        source: None,
        run_index: 0,
        log: Arc::default(),
    };
    let ctx = NodeContext::new(
        &planned.info,
        &[],
        &parameters,
        clients,
        &planned.credentials,
        super::files::node_file_access(),
    )
    .with_settings(ExecutionSettings {
        time_zone: plan.zone(),
        ..ExecutionSettings::DEFAULT
    });
    trigger.endpoint(&ctx)
}
