//! Testing a stored credential: the type's test request through the credential's client,
//! shared by `weft credentials test` and `weft serve`; the type's policy reads who the answer
//! shows and gives the hints. A static credential is validated as data first; one whose type
//! declares no test request (n8n's generic HTTP types, which have none in n8n either) is checked
//! as data only: valid, and able to make a request, but not tried against a server. An SMTP
//! credential is tried by connecting and logging in, as n8n's `smtpConnectionTest` does, and an
//! IMAP credential by connecting, logging in and listing the mailboxes (`imapConnectionTest`).

use std::fmt;
use std::sync::Arc;

use serde_json::Value;
use url::Url;
use weft_credentials::scheme::server_answer::describe_error_body;
use weft_credentials::{ApiPolicy, Authenticate, Identity};

use crate::auth::response_body::read_at_most;

use crate::auth::{AuthenticatedClient, Connections, Problem, ResolvedCredential, RetryPolicy};
use crate::store::{CredentialCheck, Store};

/// What a test found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tested {
    /// The test request succeeded.
    Works {
        /// Its HTTP status.
        status: u16,
        /// Who the credential acts as, when the type reads that from the answer
        /// (`ApiPolicy::identity`).
        identity: Option<Identity>,
    },
    /// An SMTP credential: the server took the connection and the login.
    MailServer {
        /// `host:port`.
        server: String,
    },
    /// An IMAP credential: the server took the connection and the login, and listed the
    /// mailboxes.
    ImapServer {
        /// `host:port`.
        server: String,
    },
    /// A static credential: its data is valid; no server was asked.
    DataOnly {
        /// The type's display name.
        type_label: &'static str,
    },
}

/// `works: <who>`, or that the data is valid but was not tried against a server.
impl fmt::Display for Tested {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tested::Works {
                identity: Some(identity),
                ..
            } => write!(f, "works: {}", identity.summary),
            Tested::Works {
                status,
                identity: None,
            } => write!(f, "works: the test request answered HTTP {status}"),
            Tested::MailServer { server } => write!(
                f,
                "works: the SMTP server {server} took the connection and the login"
            ),
            Tested::ImapServer { server } => write!(
                f,
                "works: the IMAP server {server} took the connection and the login"
            ),
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
    let outcome = tested(&store, credential, id_or_name).await;
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

/// The test of `credential`: a static one's data must validate and build the request
/// middleware (a Custom Auth JSON that parses, headers that are valid); then the test request is
/// sent if the type has one (every token flow; a static type that declares one). A token
/// credential gets its session first: a session that cannot be had is the outcome too.
async fn tested(
    store: &Arc<Store>,
    credential: ResolvedCredential,
    id_or_name: &str,
) -> Result<Tested, Problem> {
    let credential_type = credential.credential_type;
    if matches!(credential_type.authenticate, Authenticate::Static(_))
        && let Err(errors) = weft_credentials::validate(credential_type, &credential.data)
    {
        let listed: Vec<String> = errors.iter().map(ToString::to_string).collect();
        return Err(Problem::new(
            format!(
                "credential \"{id_or_name}\": the data is invalid: {}",
                listed.join("; ")
            ),
            "edit the credential (`weft serve`) or import it again with the fields fixed",
        ));
    }
    if credential_type.name == weft_credentials::smtp::SMTP.name {
        return match crate::mail::test_connection(&credential.data).await {
            Ok(server) => Ok(Tested::MailServer { server }),
            Err(error) => Err(Problem::new(
                format!("credential \"{id_or_name}\": {error}"),
                "check the host, port, SSL/TLS and login of the credential, then test again",
            )),
        };
    }
    if credential_type.name == weft_credentials::imap::IMAP.name {
        return match crate::imap::test_connection(&credential.data).await {
            Ok(server) => Ok(Tested::ImapServer { server }),
            Err(error) => Err(Problem::new(
                format!("credential \"{id_or_name}\": {error}"),
                "check the host, port, SSL/TLS and login of the credential, then test again",
            )),
        };
    }
    let connections = Connections::new(Arc::clone(store), RetryPolicy::default());
    let client = connections
        .client_for(credential)
        .map_err(|error| Problem::from_error(&error, RETRY_HINT))?;
    if !client.has_test_request() {
        return Ok(Tested::DataOnly {
            type_label: credential_type.display_name,
        });
    }
    match client.test_url().await {
        Ok(url) => test_request(&client, url, credential_type.policy, id_or_name).await,
        Err(error) => Err(Problem::from_error(&error, RETRY_HINT)),
    }
}

/// Sends the test request, a GET of `url`, through `client`; `policy` reads its answer.
async fn test_request(
    client: &AuthenticatedClient,
    url: Url,
    policy: &dyn ApiPolicy,
    id_or_name: &str,
) -> Result<Tested, Problem> {
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
    let Some(body) = read_at_most(response, MAX_TEST_ANSWER).await else {
        return Err(Problem::new(
            format!(
                "credential \"{id_or_name}\": the test request answered HTTP {status} with a body over 64 KiB"
            ),
            policy.test_failure_hint(status),
        ));
    };
    if (200..300).contains(&status) {
        let answer: Value = serde_json::from_str(&body).unwrap_or_default();
        Ok(Tested::Works {
            status,
            identity: policy.identity(&answer),
        })
    } else {
        // The body is described, not quoted: a server may echo the request and its credential.
        Err(Problem::new(
            format!(
                "credential \"{id_or_name}\": the test request answered HTTP {status} with {}",
                describe_error_body(&body)
            ),
            policy.test_failure_hint(status),
        ))
    }
}

/// The largest test answer read (an OpenID Connect userinfo answer is about 2 KiB).
const MAX_TEST_ANSWER: usize = 64 * 1024;

const RETRY_HINT: &str = "check the credential's fields, then test again";
