//! weft's test support: the fake Salesforce server, and (under `tests/`) end-to-end tests that run
//! the real `weft` binary against it.

pub mod bench;
pub mod binaries;
pub mod example_node;
pub mod fake;
pub mod golden;

pub use binaries::{WeftHome, weft_binary};
pub use fake::{FakeConfig, FakeSalesforce};
