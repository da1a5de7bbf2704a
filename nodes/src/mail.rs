//! The seams through which a node sends and reads email. Sending: the node builds an
//! [`OutgoingMail`] from its parameters, and the runtime sends it through the node's SMTP
//! credential, which the node never reads; the server's answer comes back as the JSON n8n's Send
//! Email outputs. Reading: the runtime opens a [`MailboxSession`] on the node's IMAP credential's
//! server (logged in, the mailbox selected), and the node searches, fetches whole messages and
//! flags them through it.

use async_trait::async_trait;
use serde_json::Value;

use crate::error::NodeError;

/// An email as the node's parameters describe it; addresses as written (a comma-separated list,
/// each `a@b` or `Name <a@b>`), `None` when the parameter is absent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutgoingMail {
    /// The sender.
    pub from: String,
    /// The recipients.
    pub to: String,
    /// The copy recipients.
    pub cc: Option<String>,
    /// The blind copy recipients: in the envelope, not in the headers.
    pub bcc: Option<String>,
    /// Where replies go.
    pub reply_to: Option<String>,
    /// The subject line.
    pub subject: String,
    /// The plain text body.
    pub text: Option<String>,
    /// The HTML body.
    pub html: Option<String>,
    /// Files attached or embedded, in the order the options name them.
    pub attachments: Vec<MailAttachment>,
}

/// A binary property sent with an email.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MailAttachment {
    /// The file name (the binary's `fileName`, else `unknown`, as n8n names it).
    pub file_name: String,
    /// The MIME type.
    pub mime_type: String,
    /// The content.
    pub content: Vec<u8>,
    /// For a part embedded in the HTML (`<img src="cid:…">`): its Content-ID, the binary
    /// property's name; `None` for a regular attachment.
    pub content_id: Option<String>,
}

/// What the SMTP server answered to a sent email, as n8n's node outputs it (nodemailer's
/// `info`): `accepted`, `rejected`, `response`, `envelope`, `messageId`.
pub type SentMail = serde_json::Map<String, Value>;

/// A mailbox the runtime opened for a node: connected, logged in, selected. The node never sees
/// the login.
#[async_trait]
pub trait MailboxSession: Send {
    /// What `SELECT` said about the mailbox.
    fn status(&self) -> MailboxStatus;

    /// The UIDs of the messages matching `criteria` (the text of an IMAP `SEARCH` after
    /// `UID SEARCH`, e.g. `UNSEEN UID 43:*`), ascending.
    async fn search(&mut self, criteria: &str) -> Result<Vec<u32>, NodeError>;

    /// The sizes of the messages `uids`, as `(uid, RFC822.SIZE)`, ascending by UID.
    async fn sizes(&mut self, uids: &[u32]) -> Result<Vec<(u32, u64)>, NodeError>;

    /// The whole messages `uids` (`BODY.PEEK[]`, so they are not marked seen), ascending by UID.
    async fn fetch(&mut self, uids: &[u32]) -> Result<Vec<FetchedMessage>, NodeError>;

    /// Adds the `\Seen` flag to the messages `uids`.
    async fn mark_seen(&mut self, uids: &[u32]) -> Result<(), NodeError>;

    /// Logs out; a failure is of no consequence and is not reported.
    async fn logout(self: Box<Self>);
}

/// A selected mailbox's identity and next UID (RFC 3501 `UIDVALIDITY`, `UIDNEXT`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MailboxStatus {
    /// Changes when the mailbox's UIDs were reassigned; `None` when the server did not say.
    pub uid_validity: Option<u32>,
    /// The UID the next message will get; `None` when the server did not say.
    pub uid_next: Option<u32>,
    /// How many messages the mailbox holds.
    pub exists: u32,
}

/// One message as the server stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchedMessage {
    /// Its UID.
    pub uid: u32,
    /// The whole message (RFC 5322: headers, blank line, body).
    pub source: Vec<u8>,
}
