//! HTTP for nodes without building clients: the runtime implements [`CredentialClients`] and
//! hands a node a [`NodeHttp`] for the credential the workflow names. A node never sees a token.

use async_trait::async_trait;
use reqwest_middleware::ClientWithMiddleware;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::NodeError;

/// A node's reference to a stored credential, as workflow JSON writes it:
/// `"credentials": { "<type>": { "id": "…", "name": "…" } }`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialRef {
    /// The credential's id; the runtime resolves by id first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The credential's name; used when no credential has the id and the name is unique.
    #[serde(default)]
    pub name: String,
}

/// An authenticated client and the API base URL of its current session.
#[derive(Clone, Debug)]
pub struct NodeHttp {
    /// Requests to the service's hosts carry the credential's authentication.
    pub http: ClientWithMiddleware,
    /// The API base, e.g. `https://acme.my.salesforce.com/services/data/v66.0`.
    pub api_base: Url,
}

/// What the runtime gives nodes for HTTP.
#[async_trait]
pub trait CredentialClients: Send + Sync {
    /// The client of the credential `reference` of type `credential_type`. Errors name the
    /// credential, never its data.
    async fn client(
        &self,
        credential_type: &str,
        reference: &CredentialRef,
    ) -> Result<NodeHttp, NodeError>;

    /// A client without authentication (tracing and retries still apply).
    fn unauthenticated(&self) -> ClientWithMiddleware;
}
