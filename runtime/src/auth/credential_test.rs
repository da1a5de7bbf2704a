//! Testing a stored credential: the type's test request (OpenID Connect userinfo) through the
//! credential's session, shared by `weft credentials test` and `weft serve`.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;
use weft_credentials::scheme::server_answer::{describe_error_body, plain_line};

use crate::auth::response_body::read_at_most;
use crate::auth::{AuthenticatedClient, Connections, Problem, RetryPolicy};
use crate::store::{CredentialCheck, Store};

/// Who the credential acts as, from the test request's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestedUser {
    /// The Salesforce username.
    pub username: String,
    /// The user's id.
    pub user_id: String,
    /// The org's id.
    pub organization_id: String,
}

/// `user <username> (<user id>), org <org id>`.
impl fmt::Display for TestedUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "user {} ({}), org {}",
            self.username, self.user_id, self.organization_id
        )
    }
}

/// Runs the test request of `id_or_name` with the data stored now (a fresh session cache, so an
/// edited credential is tested as edited; a session persisted in the store is reused), and keeps
/// the outcome as the credential's last check (what `weft serve` lists).
pub async fn test_credential(store: Arc<Store>, id_or_name: &str) -> Result<TestedUser, Problem> {
    let connections = Connections::new(Arc::clone(&store), RetryPolicy::default());
    let client = connections
        .client(id_or_name)
        .map_err(|error| Problem::from_error(&error, RETRY_HINT))?;
    let outcome = test_request(&client, id_or_name).await;
    let check = match &outcome {
        Ok(user) => CredentialCheck::worked("test", format!("works: {user}")),
        Err(problem) => {
            CredentialCheck::failed("test", problem.message.clone(), problem.hint.clone())
        }
    };
    let id = client.credential_id().to_owned();
    let recorded = store
        .in_background(move |store| store.record_check(&id, &check))
        .await;
    if let Err(error) = recorded {
        tracing::warn!(%error, "the test result could not be saved");
    }
    outcome
}

async fn test_request(
    client: &AuthenticatedClient,
    id_or_name: &str,
) -> Result<TestedUser, Problem> {
    let url = client
        .test_url()
        .await
        .map_err(|error| Problem::from_error(&error, RETRY_HINT))?;
    let response = match client.http().get(url).send().await {
        Ok(response) => response,
        Err(reqwest_middleware::Error::Middleware(error)) => {
            return Err(Problem::from_error(&format!("{error:#}"), RETRY_HINT));
        }
        Err(error) => {
            return Err(Problem::new(
                format!("credential \"{id_or_name}\": the test request failed: {error}"),
                "check the network and the credential's host",
            ));
        }
    };
    let status = response.status().as_u16();
    let Some(body) = read_at_most(response, MAX_USERINFO).await else {
        return Err(Problem::new(
            format!(
                "credential \"{id_or_name}\": the test request answered HTTP {status} with a body over 64 KiB"
            ),
            status_hint(status),
        ));
    };
    if (200..300).contains(&status) {
        let user: Value = serde_json::from_str(&body).unwrap_or_default();
        let field = |key: &str| {
            user[key]
                .as_str()
                .map_or_else(|| "?".to_owned(), plain_line)
        };
        Ok(TestedUser {
            username: field("preferred_username"),
            user_id: field("user_id"),
            organization_id: field("organization_id"),
        })
    } else {
        // The body is described, not quoted: a server may echo the request and its bearer token.
        Err(Problem::new(
            format!(
                "credential \"{id_or_name}\": the test request answered HTTP {status} with {}",
                describe_error_body(&body)
            ),
            status_hint(status),
        ))
    }
}

/// The largest userinfo answer read (Salesforce's is about 2 KiB).
const MAX_USERINFO: usize = 64 * 1024;

const RETRY_HINT: &str = "check the credential's fields, then test again";

fn status_hint(status: u16) -> &'static str {
    match status {
        401 | 403 => {
            "Salesforce refused the session even after a renewal: check that the user is active and the app grants the `api` and `openid` (or `id`) scopes"
        }
        404 => "the host does not serve /services/oauth2/userinfo: check My Domain URL",
        _ => "Salesforce could not answer: try again later",
    }
}
