//! The runtime's IMAP client: opens a mailbox on an `imap` credential's server for the Email
//! Trigger (IMAP) with async-imap, as n8n's `@n8n/imap` connects: `secure` is TLS from the first
//! byte (rustls, the platform's certificate verifier, as the mail transport), otherwise plain text
//! without STARTTLS; LOGIN with the user and password; SELECT of the mailbox. Every step has a
//! time limit, so an unreachable or silent server fails the poll instead of holding it.

use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

use async_imap::types::Fetch;
use async_imap::{Client, Session};
use async_trait::async_trait;
use futures_util::TryStreamExt;
use rustls::pki_types::ServerName;
use rustls_platform_verifier::BuilderVerifierExt;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use weft_credentials::imap::ImapData;
use weft_nodes::{FetchedMessage, MailboxSession, MailboxStatus, NodeError};

/// How long connecting, the greeting and the login may take (n8n's `authTimeout`, 20 s).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);

/// How long one command and its answer may take (n8n's inactivity timeout, 120 s).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(120);

/// Why a mailbox could not be opened or used. Never carries the credential's password.
#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    /// The credential's data is not an `imap` credential's.
    #[error(
        "the imap credential's data cannot be read: {0} (hint: `weft credentials validate` it)"
    )]
    Credential(String),
    /// The server cannot be reached, its TLS failed, or it refused the login.
    #[error("the IMAP server {server} cannot be used: {reason}")]
    Connect {
        /// `host:port`.
        server: String,
        /// What failed.
        reason: String,
    },
    /// A command failed or timed out.
    #[error("the IMAP server {server} failed {command}: {reason}")]
    Command {
        /// `host:port`.
        server: String,
        /// The command (`SELECT`, `UID SEARCH`, ...).
        command: &'static str,
        /// The server's answer or the connection's failure.
        reason: String,
    },
}

/// Connects to the server of the `imap` credential `data`, logs in and selects `mailbox`.
/// `allow_unauthorized_certs` overrides the credential's field (Email Trigger 1's option).
pub async fn open(
    data: &Value,
    mailbox: &str,
    allow_unauthorized_certs: Option<bool>,
) -> Result<Box<dyn MailboxSession>, ImapError> {
    let imap = read_data(data)?;
    let server = server_of(&imap);
    let allow_unauthorized = allow_unauthorized_certs.unwrap_or(imap.allow_unauthorized_certs);
    if imap.secure && allow_unauthorized {
        return Err(ImapError::Connect {
            server,
            reason: "weft does not connect to a server whose certificate it cannot verify (hint: turn off \"Allow Self-Signed Certificates\" / \"Ignore SSL Issues\" and give the server a certificate the system trusts)".to_owned(),
        });
    }
    if imap.secure {
        let stream = tls_stream(&imap, &server).await?;
        Ok(Box::new(
            select(login(stream, &imap, &server).await?, mailbox, server).await?,
        ))
    } else {
        let stream = tcp_stream(&imap, &server).await?;
        Ok(Box::new(
            select(login(stream, &imap, &server).await?, mailbox, server).await?,
        ))
    }
}

/// Connects to the server of the `imap` credential `data`, logs in and lists the mailboxes, as
/// n8n's credential test (`imapConnectionTest`) does; the server as `host:port`.
pub async fn test_connection(data: &Value) -> Result<String, ImapError> {
    let imap = read_data(data)?;
    let server = server_of(&imap);
    if imap.secure {
        let stream = tls_stream(&imap, &server).await?;
        list_and_leave(login(stream, &imap, &server).await?, &server).await?;
    } else {
        let stream = tcp_stream(&imap, &server).await?;
        list_and_leave(login(stream, &imap, &server).await?, &server).await?;
    }
    Ok(server)
}

fn read_data(data: &Value) -> Result<ImapData, ImapError> {
    serde_json::from_value(data.clone()).map_err(|error| ImapError::Credential(error.to_string()))
}

fn server_of(imap: &ImapData) -> String {
    format!("{}:{}", imap.host.trim(), imap.port)
}

async fn tcp_stream(imap: &ImapData, server: &str) -> Result<TcpStream, ImapError> {
    let failed = |reason: String| ImapError::Connect {
        server: server.to_owned(),
        reason,
    };
    let connecting = TcpStream::connect((imap.host.trim(), imap.port));
    match tokio::time::timeout(CONNECT_TIMEOUT, connecting).await {
        Ok(Ok(stream)) => Ok(stream),
        Ok(Err(error)) => Err(failed(error.to_string())),
        Err(_) => Err(failed(format!(
            "no connection within {} s",
            CONNECT_TIMEOUT.as_secs()
        ))),
    }
}

async fn tls_stream(
    imap: &ImapData,
    server: &str,
) -> Result<tokio_rustls::client::TlsStream<TcpStream>, ImapError> {
    let failed = |reason: String| ImapError::Connect {
        server: server.to_owned(),
        reason,
    };
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|builder| builder.with_platform_verifier())
        .map_err(|error| failed(error.to_string()))?
        .with_no_client_auth();
    let name = ServerName::try_from(imap.host.trim().to_owned())
        .map_err(|error| failed(format!("the host is not a server name: {error}")))?;
    let tcp = tcp_stream(imap, server).await?;
    let handshake = TlsConnector::from(Arc::new(config)).connect(name, tcp);
    match tokio::time::timeout(CONNECT_TIMEOUT, handshake).await {
        Ok(Ok(stream)) => Ok(stream),
        Ok(Err(error)) => Err(failed(format!("TLS: {error}"))),
        Err(_) => Err(failed(format!(
            "no TLS handshake within {} s",
            CONNECT_TIMEOUT.as_secs()
        ))),
    }
}

/// Reads the greeting and logs in.
async fn login<T>(stream: T, imap: &ImapData, server: &str) -> Result<Session<T>, ImapError>
where
    T: AsyncRead + AsyncWrite + Unpin + Debug + Send,
{
    let failed = |reason: String| ImapError::Connect {
        server: server.to_owned(),
        reason,
    };
    let greeted_and_logged_in = async {
        let mut client = Client::new(stream);
        match client.read_response().await {
            Ok(Some(_)) => {}
            Ok(None) => return Err(failed("the server closed the connection".to_owned())),
            Err(error) => return Err(failed(error.to_string())),
        }
        client
            .login(&imap.user, imap.password.expose())
            .await
            .map_err(|(error, _)| failed(format!("the login was refused: {error}")))
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, greeted_and_logged_in).await {
        Ok(result) => result,
        Err(_) => Err(failed(format!(
            "no greeting and login within {} s",
            CONNECT_TIMEOUT.as_secs()
        ))),
    }
}

async fn list_and_leave<T>(mut session: Session<T>, server: &str) -> Result<(), ImapError>
where
    T: AsyncRead + AsyncWrite + Unpin + Debug + Send,
{
    let listed = timed(server, "LIST", async {
        let names: Vec<_> = session
            .list(Some(""), Some("*"))
            .await?
            .try_collect()
            .await?;
        Ok(names.len())
    })
    .await;
    let _ = tokio::time::timeout(COMMAND_TIMEOUT, session.logout()).await;
    listed.map(|_| ())
}

async fn select<T>(
    mut session: Session<T>,
    mailbox: &str,
    server: String,
) -> Result<OpenMailbox<T>, ImapError>
where
    T: AsyncRead + AsyncWrite + Unpin + Debug + Send,
{
    let selected = timed(&server, "SELECT", session.select(mailbox)).await?;
    Ok(OpenMailbox {
        session,
        server,
        status: MailboxStatus {
            uid_validity: selected.uid_validity,
            uid_next: selected.uid_next,
            exists: selected.exists,
        },
    })
}

/// `work` (one command) within [`COMMAND_TIMEOUT`], its failure described.
async fn timed<R>(
    server: &str,
    command: &'static str,
    work: impl Future<Output = async_imap::error::Result<R>>,
) -> Result<R, ImapError> {
    let failed = |reason: String| ImapError::Command {
        server: server.to_owned(),
        command,
        reason,
    };
    match tokio::time::timeout(COMMAND_TIMEOUT, work).await {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(error)) => Err(failed(error.to_string())),
        Err(_) => Err(failed(format!(
            "no answer within {} s",
            COMMAND_TIMEOUT.as_secs()
        ))),
    }
}

/// A logged-in session with the mailbox selected.
struct OpenMailbox<T>
where
    T: AsyncRead + AsyncWrite + Unpin + Debug + Send,
{
    session: Session<T>,
    server: String,
    status: MailboxStatus,
}

/// An IMAP sequence set of `uids` (`3,5,9`).
fn uid_set(uids: &[u32]) -> String {
    uids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

impl<T> OpenMailbox<T>
where
    T: AsyncRead + AsyncWrite + Unpin + Debug + Send,
{
    /// `UID FETCH` of `query` for `uids` (nothing for none).
    async fn uid_fetch(&mut self, uids: &[u32], query: &str) -> Result<Vec<Fetch>, NodeError> {
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let session = &mut self.session;
        timed(&self.server, "UID FETCH", async {
            session
                .uid_fetch(uid_set(uids), query)
                .await?
                .try_collect()
                .await
        })
        .await
        .map_err(node_error)
    }
}

fn node_error(error: ImapError) -> NodeError {
    NodeError::operation(error.to_string())
}

#[async_trait]
impl<T> MailboxSession for OpenMailbox<T>
where
    T: AsyncRead + AsyncWrite + Unpin + Debug + Send,
{
    fn status(&self) -> MailboxStatus {
        self.status
    }

    async fn search(&mut self, criteria: &str) -> Result<Vec<u32>, NodeError> {
        let found = timed(
            &self.server,
            "UID SEARCH",
            self.session.uid_search(criteria),
        )
        .await
        .map_err(node_error)?;
        let mut uids: Vec<u32> = found.into_iter().collect();
        uids.sort_unstable();
        Ok(uids)
    }

    async fn sizes(&mut self, uids: &[u32]) -> Result<Vec<(u32, u64)>, NodeError> {
        let fetched = self.uid_fetch(uids, "(UID RFC822.SIZE)").await?;
        let mut sizes: Vec<(u32, u64)> = fetched
            .iter()
            .filter_map(|fetch| Some((fetch.uid?, u64::from(fetch.size?))))
            .collect();
        sizes.sort_unstable();
        Ok(sizes)
    }

    async fn fetch(&mut self, uids: &[u32]) -> Result<Vec<FetchedMessage>, NodeError> {
        let fetched = self.uid_fetch(uids, "(UID BODY.PEEK[])").await?;
        let mut messages: Vec<FetchedMessage> = fetched
            .iter()
            .filter_map(|fetch| {
                Some(FetchedMessage {
                    uid: fetch.uid?,
                    source: fetch.body()?.to_vec(),
                })
            })
            .collect();
        messages.sort_unstable_by_key(|message| message.uid);
        Ok(messages)
    }

    async fn mark_seen(&mut self, uids: &[u32]) -> Result<(), NodeError> {
        if uids.is_empty() {
            return Ok(());
        }
        let session = &mut self.session;
        timed(&self.server, "UID STORE", async {
            let _: Vec<_> = session
                .uid_store(uid_set(uids), "+FLAGS (\\Seen)")
                .await?
                .try_collect()
                .await?;
            Ok(())
        })
        .await
        .map_err(node_error)
    }

    async fn logout(mut self: Box<Self>) {
        let _ = tokio::time::timeout(COMMAND_TIMEOUT, self.session.logout()).await;
    }
}
