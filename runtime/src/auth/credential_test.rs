//! Testing a stored credential: the type's test request (OpenID Connect userinfo) through the
//! credential's session, shared by `weft credentials test` and `weft serve`. A static credential
//! (n8n's generic HTTP types, which have no test request in n8n either) is checked as data only:
//! valid, and able to make a request, but not tried against a server.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;
use weft_credentials::scheme::server_answer::{describe_error_body, plain_line};

use crate::auth::response_body::read_at_most;
use weft_credentials::Authenticate;

use crate::auth::static_layer::StaticLayer;
use crate::auth::{AuthenticatedClient, Connections, Problem, ResolvedCredential, RetryPolicy};
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

/// What a test found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tested {
    /// The test request answered: the credential works as this user.
    User(TestedUser),
    /// A static credential: its data is valid; no server was asked.
    DataOnly {
        /// The type's display name.
        type_label: &'static str,
    },
}

/// `works: user …`, or that the data is valid but was not tried against a server.
impl fmt::Display for Tested {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tested::User(user) => write!(f, "works: {user}"),
            Tested::DataOnly { type_label } => write!(
                f,
                "is valid as data; it was not tested against a server ({type_label} credentials have no test request, in n8n either)"
            ),
        }
    }
}

/// Runs the test request of `id_or_name` with the data stored now (a fresh session cache, so an
/// edited credential is tested as edited; a session persisted in the store is reused), and keeps
/// the outcome as the credential's last check (what `weft serve` lists).
pub async fn test_credential(store: Arc<Store>, id_or_name: &str) -> Result<Tested, Problem> {
    let credential = ResolvedCredential::load(&store, id_or_name)
        .map_err(|error| Problem::from_error(&error, RETRY_HINT))?;
    let id = credential.id.clone();
    let outcome = if credential
        .credential_type
        .authenticate
        .token_scheme()
        .is_some()
    {
        let connections = Connections::new(Arc::clone(&store), RetryPolicy::default());
        let client = connections
            .client_for(credential)
            .map_err(|error| Problem::from_error(&error, RETRY_HINT))?;
        test_request(&client, id_or_name).await.map(Tested::User)
    } else {
        check_static(credential, id_or_name)
    };
    let check = match &outcome {
        Ok(tested) => CredentialCheck::worked("test", tested.to_string()),
        Err(problem) => {
            CredentialCheck::failed("test", problem.message.clone(), problem.hint.clone())
        }
    };
    let recorded = store
        .in_background(move |store| store.record_check(&id, &check))
        .await;
    if let Err(error) = recorded {
        tracing::warn!(%error, "the test result could not be saved");
    }
    outcome
}

/// A static credential's test: its data validates and builds the request middleware (a Custom
/// Auth JSON that parses, headers that are valid); no request is sent.
fn check_static(credential: ResolvedCredential, id_or_name: &str) -> Result<Tested, Problem> {
    let credential_type = credential.credential_type;
    if let Err(errors) = weft_credentials::validate(credential_type, &credential.data) {
        let listed: Vec<String> = errors.iter().map(ToString::to_string).collect();
        return Err(Problem::new(
            format!(
                "credential \"{id_or_name}\": the data is invalid: {}",
                listed.join("; ")
            ),
            "edit the credential (`weft serve`) or import it again with the fields fixed",
        ));
    }
    if let Authenticate::Static(declaration) = credential_type.authenticate {
        StaticLayer::new(&credential, declaration)
            .map_err(|error| Problem::from_error(&error, RETRY_HINT))?;
    }
    Ok(Tested::DataOnly {
        type_label: credential_type.display_name,
    })
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
