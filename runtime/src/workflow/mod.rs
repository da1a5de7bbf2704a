//! n8n workflow JSON: the model, parameter resolution, the checks against the registries, the
//! executable [`Plan`], and each node's parameter JSON Schema.

mod check;
mod lint;
mod model;
mod n8n_types;
mod parameter_schema;
mod parameters;
mod plan;

pub use check::{Findings, check, execution_order_warning, review};
pub use lint::run_time_problems;
pub use model::NodeConnections;
pub use model::{Connection, OnError, Settings, Workflow, WorkflowNode};
pub use n8n_types::{N8nNodeType, n8n_credential_type, n8n_node_type};
pub use parameter_schema::parameter_schema;
pub use parameters::resolve;
pub use plan::{Edge, Plan, PlannedNode, Retry};
