//! weft's test support: the fake Salesforce server, and (under `tests/`) end-to-end tests that run
//! the real `weft` binary against it.

pub mod fake;
pub mod golden;

pub use fake::{FakeConfig, FakeSalesforce};
