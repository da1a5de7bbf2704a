//! The Salesforce node and trigger (`n8n-nodes-base.salesforce`, `n8n-nodes-base.salesforceTrigger`)
//! and what they share: the SOQL builder, the API client and the query pager.

mod api;
pub mod description;
pub mod fields;
#[cfg(test)]
mod golden_cases;
mod ignored;
mod node;
mod operations;
mod pager;
pub mod soql;
pub mod trigger;

pub use node::{Salesforce, credential_type};
