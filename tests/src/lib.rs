//! weft's test support: the fake Salesforce server, and (under `tests/`) end-to-end tests that run
//! the real `weft` binary against it.

pub mod bench;
pub mod binaries;
pub mod example_node;
pub mod fake;
pub mod golden;
pub mod imap_fake;
pub mod oauth_client;
pub mod panic_node;
pub mod serve;
pub mod start;
pub mod workflows;

pub use binaries::{
    Connecting, TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_PRIVATE_KEY, WeftHome, jwt_credential,
    weft_binary,
};
pub use fake::{FakeConfig, FakeSalesforce};
pub use imap_fake::FakeImap;
pub use oauth_client::{client_credentials_token, oauth_token_data};
pub use start::WeftStart;
pub use workflows::one_node_workflow;
