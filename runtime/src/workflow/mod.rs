//! n8n workflow JSON: the model, parameter resolution, the checks against the registries, the
//! executable [`Plan`], and each node's parameter JSON Schema.

mod check;
mod model;
mod parameter_schema;
mod parameters;
mod plan;

pub use check::check;
pub use model::NodeConnections;
pub use model::{Connection, OnError, Settings, Workflow, WorkflowNode};
pub use parameter_schema::parameter_schema;
pub use parameters::resolve;
pub use plan::{Edge, Plan, PlannedNode, Retry};
