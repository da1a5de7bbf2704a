//! The runtime's mail transport: sends a node's [`OutgoingMail`] through an `smtp` credential's
//! server with lettre (rustls, the platform's certificate verifier), with n8n's connection modes
//! (nodemailer's): `secure` is TLS from the first byte, otherwise STARTTLS when the server offers
//! it unless `disableStartTls`; a login when the user or password is set. The answer is the JSON
//! n8n's Send Email outputs, without nodemailer's timings and EHLO list (lettre keeps them to
//! itself).

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, Mailboxes, MultiPart, MultiPartBuilder, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde_json::{Value, json};
use weft_credentials::smtp::SmtpData;
use weft_nodes::{MailAttachment, OutgoingMail, SentMail};

/// How long one connection, command or answer may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(60);

/// Why an email was not sent. Never carries the credential's password.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The credential's data is not an `smtp` credential's.
    #[error(
        "the smtp credential's data cannot be read: {0} (hint: `weft credentials validate` it)"
    )]
    Credential(String),
    /// An address parameter is not a mail address list.
    #[error(
        "parameter \"{parameter}\" is not a mail address: {reason} (hint: write `a@b.example` or `Name <a@b.example>`, comma-separated)"
    )]
    Address {
        /// The node parameter.
        parameter: &'static str,
        /// lettre's reason.
        reason: String,
    },
    /// The email cannot be built (no recipient, a bad header).
    #[error("the email cannot be built: {0}")]
    Build(String),
    /// The server cannot be reached or refused the login.
    #[error("the SMTP server {server} cannot be used: {reason}")]
    Connect {
        /// `host:port`.
        server: String,
        /// lettre's description of the failure.
        reason: String,
    },
    /// The server refused or the connection failed.
    #[error("the SMTP server {host}:{port} did not take the email: {reason}")]
    Send {
        /// The server.
        host: String,
        /// Its port.
        port: u16,
        /// lettre's description of the failure (a server answer or a connection error).
        reason: String,
    },
}

/// Sends `mail` through the server of the `smtp` credential `data`.
pub async fn send(data: &Value, mail: &OutgoingMail) -> Result<SentMail, MailError> {
    let smtp: SmtpData = serde_json::from_value(data.clone())
        .map_err(|error| MailError::Credential(error.to_string()))?;
    let message = message_of(mail)?;
    let envelope = message.envelope().clone();
    let message_size = message.formatted().len();
    let message_id = message
        .headers()
        .get_raw("Message-ID")
        .unwrap_or_default()
        .to_owned();
    let failed = |reason: String| MailError::Send {
        host: smtp.host.clone(),
        port: smtp.port,
        reason,
    };
    let transport = transport_of(&smtp).map_err(|error| failed(error.to_string()))?;
    let response = transport
        .send(message)
        .await
        .map_err(|error| failed(error.to_string()))?;
    let recipients: Vec<String> = envelope.to().iter().map(ToString::to_string).collect();
    let response_text = response.message().collect::<Vec<_>>().join("\n");
    Ok(SentMail::from_iter([
        ("accepted".to_owned(), json!(recipients)),
        ("rejected".to_owned(), json!([])),
        ("messageSize".to_owned(), json!(message_size)),
        (
            "response".to_owned(),
            json!(format!("{} {response_text}", response.code())),
        ),
        (
            "envelope".to_owned(),
            json!({
                "from": envelope.from().map(ToString::to_string).unwrap_or_default(),
                "to": recipients,
            }),
        ),
        ("messageId".to_owned(), json!(message_id)),
    ]))
}

/// Connects to the server of the `smtp` credential `data` and logs in, as n8n's credential test
/// (nodemailer's `verify`) does; the server as `host:port`.
pub async fn test_connection(data: &Value) -> Result<String, MailError> {
    let smtp: SmtpData = serde_json::from_value(data.clone())
        .map_err(|error| MailError::Credential(error.to_string()))?;
    let server = format!("{}:{}", smtp.host, smtp.port);
    let failed = |reason: String| MailError::Connect {
        server: server.clone(),
        reason,
    };
    let transport = transport_of(&smtp).map_err(|error| failed(error.to_string()))?;
    match transport.test_connection().await {
        Ok(true) => Ok(server),
        Ok(false) => Err(failed("the connection closed".to_owned())),
        Err(error) => Err(failed(error.to_string())),
    }
}

/// The transport n8n's nodemailer options describe.
fn transport_of(
    smtp: &SmtpData,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, lettre::transport::smtp::Error> {
    let tls = if smtp.secure {
        Tls::Wrapper(TlsParameters::new(smtp.host.clone())?)
    } else if smtp.disable_start_tls {
        Tls::None
    } else {
        Tls::Opportunistic(TlsParameters::new(smtp.host.clone())?)
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(smtp.host.as_str())
        .port(smtp.port)
        .tls(tls)
        .timeout(Some(SMTP_TIMEOUT));
    if !smtp.host_name.is_empty() {
        builder = builder.hello_name(ClientId::Domain(smtp.host_name.clone()));
    }
    if !smtp.user.is_empty() || !smtp.password.is_empty() {
        builder = builder.credentials(Credentials::new(
            smtp.user.clone(),
            smtp.password.expose().to_owned(),
        ));
    }
    Ok(builder.build())
}

/// The MIME message of `mail`: its body ([`body_of`]) with embedded parts beside it in a
/// multipart/related and files after it in a multipart/mixed, as nodemailer nests them.
fn message_of(mail: &OutgoingMail) -> Result<Message, MailError> {
    let from: Mailbox =
        mail.from
            .trim()
            .parse()
            .map_err(|error: lettre::address::AddressError| MailError::Address {
                parameter: "fromEmail",
                reason: error.to_string(),
            })?;
    let domain = from.email.domain().to_owned();
    let mut builder = Message::builder()
        .from(from)
        .subject(mail.subject.as_str())
        .message_id(Some(format!("<{}@{domain}>", message_token())));
    for mailbox in mailboxes("toEmail", Some(&mail.to))? {
        builder = builder.to(mailbox);
    }
    for mailbox in mailboxes("options.ccEmail", mail.cc.as_deref())? {
        builder = builder.cc(mailbox);
    }
    for mailbox in mailboxes("options.bccEmail", mail.bcc.as_deref())? {
        builder = builder.bcc(mailbox);
    }
    for mailbox in mailboxes("options.replyTo", mail.reply_to.as_deref())? {
        builder = builder.reply_to(mailbox);
    }
    let body = body_of(mail);
    let (inline, files): (Vec<&MailAttachment>, Vec<&MailAttachment>) = mail
        .attachments
        .iter()
        .partition(|attachment| attachment.content_id.is_some());
    let body = with_parts(MultiPart::related(), body, &inline)?;
    let built = match with_parts(MultiPart::mixed(), body, &files)? {
        Part::Single(part) => builder.singlepart(part),
        Part::Multi(parts) => builder.multipart(parts),
    };
    built.map_err(|error| MailError::Build(error.to_string()))
}

/// A message body: one part, or several.
enum Part {
    Single(SinglePart),
    Multi(MultiPart),
}

/// The text, the HTML, or both as alternatives (an empty text without either).
fn body_of(mail: &OutgoingMail) -> Part {
    match (&mail.text, &mail.html) {
        (Some(text), Some(html)) => Part::Multi(MultiPart::alternative_plain_html(
            text.clone(),
            html.clone(),
        )),
        (None, Some(html)) => Part::Single(SinglePart::html(html.clone())),
        (text, None) => Part::Single(SinglePart::plain(text.clone().unwrap_or_default())),
    }
}

/// `body` followed by `attachments` in a `container` (multipart/related for embedded parts,
/// multipart/mixed for files); `body` itself without attachments.
fn with_parts(
    container: MultiPartBuilder,
    body: Part,
    attachments: &[&MailAttachment],
) -> Result<Part, MailError> {
    if attachments.is_empty() {
        return Ok(body);
    }
    let mut parts = match body {
        Part::Single(part) => container.singlepart(part),
        Part::Multi(nested) => container.multipart(nested),
    };
    for attachment in attachments {
        let content_type = ContentType::parse(&attachment.mime_type)
            .or_else(|_| ContentType::parse("application/octet-stream"))
            .map_err(|error| MailError::Build(error.to_string()))?;
        let part = match &attachment.content_id {
            Some(id) => Attachment::new_inline_with_name(id.clone(), attachment.file_name.clone()),
            None => Attachment::new(attachment.file_name.clone()),
        };
        parts = parts.singlepart(part.body(attachment.content.clone(), content_type));
    }
    Ok(Part::Multi(parts))
}

/// The mailboxes of an address list parameter; none when it is absent or blank.
fn mailboxes(parameter: &'static str, list: Option<&str>) -> Result<Vec<Mailbox>, MailError> {
    let Some(list) = list.map(str::trim).filter(|list| !list.is_empty()) else {
        return Ok(Vec::new());
    };
    let parsed: Mailboxes = list
        .parse()
        .map_err(|error: lettre::address::AddressError| MailError::Address {
            parameter,
            reason: error.to_string(),
        })?;
    Ok(parsed.into_iter().collect())
}

/// A unique Message-ID's local part.
fn message_token() -> String {
    use rand::Rng;
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
