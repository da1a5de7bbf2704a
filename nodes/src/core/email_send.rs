//! Send Email (`n8n-nodes-base.emailSend`, 2 and 2.1), operation `send`: one email per input
//! item through the node's `smtp` credential, the SMTP server's answer as the output item.
//! 2.1 appends n8n's attribution line unless `options.appendAttribution` is off, as n8n does.
//! Binary properties named in `options.attachments` are embedded (Content-ID = the property's
//! name) and those in `options.fileAttachments` attached. `sendAndWait` and
//! `allowUnauthorizedCerts` are refused at check time.

use async_trait::async_trait;
use serde_json::Value;

use crate::core::binary_data;
use crate::core::conditions::js::to_js_string;
use crate::description::is;
use crate::description::{
    Choice, Condition, CredentialSlot, DisplayOptions, Literal, NodeDescription, Parameter,
    ParameterKind, SlotType,
};
use crate::error::NodeError;
use crate::item::Item;
use crate::mail::{MailAttachment, OutgoingMail};
use crate::node::{Emitter, Node, NodeContext, Unsupported};
use crate::register_node;

/// The Send Email node.
pub struct EmailSend;

/// The credential type the node sends through.
const SMTP: &str = "smtp";

const SEND: &[(&str, &[Condition])] = &[("operation", &[is("send")])];
const VERSION_2: &[(&str, &[Condition])] = &[("@version", &[Condition::Is(Literal::Number(2.0))])];
const TEXT: &[(&str, &[Condition])] = &[
    ("operation", &[is("send")]),
    ("emailFormat", &[is("text"), is("both")]),
];
const HTML: &[(&str, &[Condition])] = &[
    ("operation", &[is("send")]),
    ("emailFormat", &[is("html"), is("both")]),
];

const FORMATS: &[Choice] = &[
    Choice::new("Text", Literal::String("text")),
    Choice::new("HTML", Literal::String("html")),
    Choice::new("Both", Literal::String("both")),
];

const OPTIONS: &[Parameter] = &[
    Parameter::new(
        "appendAttribution",
        "Append n8n Attribution",
        ParameterKind::Boolean,
    )
    .default(Literal::Bool(true))
    .describe("Whether to end the email with \"This email was sent automatically with n8n\""),
    Parameter::new("attachments", "Attachments (Inline)", ParameterKind::String)
        .describe("Binary properties to embed in the body (`cid:<property>`), comma-separated"),
    Parameter::new(
        "fileAttachments",
        "Attachments (File)",
        ParameterKind::String,
    )
    .describe("Binary properties to attach as files, comma-separated"),
    Parameter::new("ccEmail", "CC Email", ParameterKind::String),
    Parameter::new("bccEmail", "BCC Email", ParameterKind::String),
    Parameter::new(
        "allowUnauthorizedCerts",
        "Ignore SSL Issues (Insecure)",
        ParameterKind::Boolean,
    )
    .default(Literal::Bool(false))
    .describe("weft always validates the server's certificate"),
    Parameter::new("replyTo", "Reply To", ParameterKind::String),
];

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.emailSend",
    display_name: "Send Email",
    description: "Sends an email using SMTP protocol",
    versions: &[2.0, 2.1],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "resource",
            "Resource",
            ParameterKind::Options(&[Choice::new("Email", Literal::String("email"))]),
        )
        .default(Literal::String("email"))
        .no_data_expression(),
        Parameter::new(
            "operation",
            "Operation",
            ParameterKind::Options(&[
                Choice::new("Send", Literal::String("send")),
                Choice::new("Send and Wait for Response", Literal::String("sendAndWait")),
            ]),
        )
        .default(Literal::String("send"))
        .no_data_expression(),
        Parameter::new("fromEmail", "From Email", ParameterKind::String)
            .required()
            .show(SEND)
            .describe("The sender, `a@b` or `Name <a@b>`"),
        Parameter::new("toEmail", "To Email", ParameterKind::String)
            .required()
            .show(SEND)
            .describe("The recipients, comma-separated, each `a@b` or `Name <a@b>`"),
        Parameter::new("subject", "Subject", ParameterKind::String).show(SEND),
        Parameter::new(
            "emailFormat",
            "Email Format",
            ParameterKind::Options(FORMATS),
        )
        .default(Literal::String("text"))
        .show(&[
            ("operation", &[is("send")]),
            ("@version", &[Condition::Is(Literal::Number(2.0))]),
        ]),
        Parameter::new(
            "emailFormat",
            "Email Format",
            ParameterKind::Options(FORMATS),
        )
        .default(Literal::String("html"))
        .show(SEND)
        .hide(VERSION_2),
        Parameter::new("text", "Text", ParameterKind::String)
            .show(TEXT)
            .describe("The plain text body"),
        Parameter::new("html", "HTML", ParameterKind::String)
            .show(HTML)
            .describe("The HTML body"),
        Parameter::new("options", "Options", ParameterKind::Collection(OPTIONS)).show(SEND),
    ],
    credentials: &[CredentialSlot {
        credential_type: SlotType::Fixed(SMTP),
        display: DisplayOptions {
            show: &[],
            hide: &[],
        },
    }],
};

/// The attribution n8n's Send Email 2.1 ends an email with.
const ATTRIBUTION: &str = "This email was sent automatically with ";
/// n8n's link for the attribution (its UTM link without an instance id: weft has none).
const ATTRIBUTION_LINK: &str = "https://n8n.io/?utm_source=n8n-internal&utm_medium=powered_by&utm_campaign=n8n-nodes-base.emailSend";

#[async_trait]
impl Node for EmailSend {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    fn unsupported(&self, _version: f64, parameters: &Value) -> Vec<Unsupported> {
        if parameters["operation"] == "sendAndWait" {
            return vec![Unsupported::new(
                "operation",
                "weft cannot send an email and wait for the answer: it has no waiting executions",
                "send the email (operation: send) and receive answers with a Webhook workflow",
            )];
        }
        let options = &parameters["options"];
        let mut refused = Vec::new();
        if options["allowUnauthorizedCerts"] != Value::Bool(false)
            && !options["allowUnauthorizedCerts"].is_null()
        {
            refused.push(Unsupported::new(
                "options.allowUnauthorizedCerts",
                "weft always checks the SMTP server's certificate",
                "give the server a certificate the system trusts, or turn SSL/TLS off in the smtp credential for a server on a trusted network",
            ));
        }
        refused
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        for index in 0..ctx.input().len() {
            let sent = match mail_of(ctx, index) {
                Ok(mail) => ctx.send_mail(SMTP, &mail).await,
                Err(error) => Err(error),
            };
            match sent {
                Ok(answer) => out.emit(0, [Item::new(answer, index)]).await?,
                Err(error) if ctx.continue_on_fail() => {
                    out.emit(0, [Item::failed(error, index)]).await?;
                }
                Err(error) => return Err(error.for_item(index)),
            }
        }
        Ok(())
    }
}

/// The email item `index` describes.
fn mail_of(ctx: &NodeContext<'_>, index: usize) -> Result<OutgoingMail, NodeError> {
    let text_of = |path: &str| -> Result<Option<String>, NodeError> {
        Ok(ctx.optional_parameter(path, index)?.and_then(mail_string))
    };
    let format: String = ctx.parameter_as("emailFormat", index)?;
    let (with_text, with_html) = match format.as_str() {
        "text" => (true, false),
        "html" => (false, true),
        "both" => (true, true),
        other => {
            return Err(NodeError::operation(format!(
                "Parameter \"emailFormat\" has the unknown value \"{other}\""
            ))
            .with_description("hint: use text, html or both"));
        }
    };
    let mut mail = OutgoingMail {
        from: text_of("fromEmail")?.unwrap_or_default(),
        to: text_of("toEmail")?.unwrap_or_default(),
        cc: text_of("options.ccEmail")?,
        bcc: text_of("options.bccEmail")?,
        reply_to: text_of("options.replyTo")?,
        subject: text_of("subject")?.unwrap_or_default(),
        text: if with_text {
            Some(text_of("text")?.unwrap_or_default())
        } else {
            None
        },
        html: if with_html {
            Some(text_of("html")?.unwrap_or_default())
        } else {
            None
        },
        attachments: attachments_of(ctx, index)?,
    };
    let append = match ctx.optional_parameter("options.appendAttribution", index)? {
        Some(Value::Bool(append)) => append,
        _ => ctx.node().type_version >= 2.1,
    };
    if append {
        append_attribution(&mut mail, &format);
    }
    Ok(mail)
}

/// The binary properties the options name, as n8n reads them: only when the item has binary
/// data at all, embedded ones first.
fn attachments_of(ctx: &NodeContext<'_>, index: usize) -> Result<Vec<MailAttachment>, NodeError> {
    let item = &ctx.input()[index];
    if item.binary.is_none() {
        return Ok(Vec::new());
    }
    let mut attachments = Vec::new();
    for (option, inline) in [
        ("options.attachments", true),
        ("options.fileAttachments", false),
    ] {
        let Some(names) = ctx.optional_parameter(option, index)?.and_then(mail_string) else {
            continue;
        };
        for name in names
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            let binary = binary_data::input_binary(item, name, index)?;
            attachments.push(MailAttachment {
                file_name: binary
                    .file_name
                    .clone()
                    .unwrap_or_else(|| "unknown".to_owned()),
                mime_type: binary.mime_type.clone(),
                content: binary_data::content(binary, name, index)?,
                content_id: inline.then(|| name.to_owned()),
            });
        }
    }
    Ok(attachments)
}

/// n8n's attribution: to the HTML body when the format is HTML (or both, with HTML), else to
/// the text.
fn append_attribution(mail: &mut OutgoingMail, format: &str) {
    let html_body = mail
        .html
        .as_deref()
        .filter(|html| format == "html" || !html.is_empty());
    match html_body {
        Some(html) => {
            let indent = "\t\t\t\t\t";
            mail.html = Some(format!(
                "\n{indent}{html}\n{indent}<br>\n{indent}<br>\n{indent}---\n{indent}<br>\n{indent}<em>{ATTRIBUTION}<a href=\"{ATTRIBUTION_LINK}\" target=\"_blank\">n8n</a></em>\n{indent}"
            ));
        }
        None => {
            let text = mail.text.as_deref().unwrap_or("undefined");
            mail.text = Some(format!("{text}\n\n---\n{ATTRIBUTION}n8n\nhttps://n8n.io"));
        }
    }
}

/// n8n's `toMailString`: absent and null are no value, objects are their JSON text.
fn mail_string(value: Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Array(_) | Value::Object(_) => Some(value.to_string()),
        other => Some(to_js_string(Some(&other))),
    }
}

register_node!(EmailSend);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn mail(text: Option<&str>, html: Option<&str>) -> OutgoingMail {
        OutgoingMail {
            text: text.map(str::to_owned),
            html: html.map(str::to_owned),
            ..OutgoingMail::default()
        }
    }

    #[test]
    fn the_attribution_goes_where_n8n_puts_it() {
        let mut html = mail(None, Some("<p>Hi</p>"));
        append_attribution(&mut html, "html");
        let body = html.html.unwrap();
        assert!(
            body.starts_with("\n\t\t\t\t\t<p>Hi</p>\n\t\t\t\t\t<br>"),
            "{body:?}"
        );
        assert!(body.contains("<em>This email was sent automatically with <a href=\"https://n8n.io/?utm_source=n8n-internal&utm_medium=powered_by&utm_campaign=n8n-nodes-base.emailSend\" target=\"_blank\">n8n</a></em>"));
        assert_eq!(html.text, None);

        let mut text = mail(Some("Hi"), None);
        append_attribution(&mut text, "text");
        assert_eq!(
            text.text.as_deref(),
            Some("Hi\n\n---\nThis email was sent automatically with n8n\nhttps://n8n.io")
        );

        // "both" with an empty HTML body: n8n appends to the text.
        let mut both = mail(Some("Hi"), Some(""));
        append_attribution(&mut both, "both");
        assert_eq!(both.html.as_deref(), Some(""));
        assert!(both.text.unwrap().ends_with("with n8n\nhttps://n8n.io"));
    }

    #[test]
    fn values_become_mail_strings_as_n8n_makes_them() {
        let cases = [
            (json!(null), None),
            (json!("a@b.test"), Some("a@b.test")),
            (json!(1.5), Some("1.5")),
            (json!(true), Some("true")),
            (json!(["a", 1]), Some("[\"a\",1]")),
            (json!({ "a": 1 }), Some("{\"a\":1}")),
        ];
        for (value, expected) in cases {
            assert_eq!(mail_string(value.clone()).as_deref(), expected, "{value}");
        }
    }

    #[test]
    fn send_and_wait_and_insecure_tls_are_refused() {
        let refused = |parameters: Value| -> Vec<String> {
            EmailSend
                .unsupported(2.1, &parameters)
                .into_iter()
                .map(|unsupported| unsupported.parameter)
                .collect()
        };
        assert_eq!(
            refused(json!({ "operation": "sendAndWait" })),
            ["operation"]
        );
        assert_eq!(
            refused(json!({ "operation": "send", "options": {
                "attachments": "data", "fileAttachments": "", "allowUnauthorizedCerts": true
            } })),
            ["options.allowUnauthorizedCerts"]
        );
        assert!(refused(json!({ "operation": "send", "options": {} })).is_empty());
    }
}
