//! Credentials into authenticated HTTP: a session cache per credential (single-flight, persisted
//! in the store), the token client, and the middleware chain redirects → tracing → retry → auth
//! (redirects outermost, so every hop passes the credential layer again).

mod auth_layer;
mod authorization_code;
mod client;
mod credential;
mod credential_test;
mod digest;
mod error;
mod problem;
mod redirect_layer;
mod renewal_lock;
mod response_body;
mod retry_layer;
mod session_cache;
mod static_layer;
mod token_client;
mod trace_layer;

pub use authorization_code::{Connected, PendingAuthorization};
pub use client::{AuthenticatedClient, Connections, unauthenticated_client};
pub use credential::ResolvedCredential;
pub use credential_test::{Tested, test_credential};
pub use error::AuthError;
pub use problem::Problem;
pub use retry_layer::RetryPolicy;
pub use session_cache::{CredentialSession, CurrentSession};
pub use token_client::TokenClient;
