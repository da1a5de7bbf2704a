//! The Salesforce node and trigger (`n8n-nodes-base.salesforce`, `n8n-nodes-base.salesforceTrigger`)
//! and what they share: the SOQL builder.

pub mod description;
pub mod fields;
pub mod soql;
