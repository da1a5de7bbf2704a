//! The seam through which a node sends email: the node builds an [`OutgoingMail`] from its
//! parameters, and the runtime sends it through the node's SMTP credential, which the node never
//! reads. The server's answer comes back as the JSON n8n's Send Email outputs.

use serde_json::Value;

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
