//! weft's node plugin API and built-in nodes.
//!
//! Nodes arrive with the workflow-runtime issue; the crate exists now so that the dependency
//! direction (credentials → nodes → runtime → tests) is fixed from the first commit.

pub use weft_credentials as credentials;
