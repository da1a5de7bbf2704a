//! The description of the Email Trigger (IMAP) (`n8n-nodes-base.emailReadImap`, typeVersions 1,
//! 2, 2.1 and 2.2): n8n 2.41.1's parameters and defaults, plus `pollTimes` (n8n's node keeps an
//! IMAP connection open instead; weft polls, every minute by default). `format` comes before
//! `downloadAttachments`, whose display depends on it, so weft's one-pass resolution sees its
//! default.

use crate::credentials::imap::IMAP;
use crate::description::{
    Choice, Condition, CredentialSlot, DisplayOptions, Literal, NodeDescription, Parameter,
    ParameterKind, Show, SlotType, VERSION_KEY,
};
use crate::salesforce::trigger::POLL_TIMES;

const SIMPLE: Show = &[("format", &[Condition::Is(Literal::String("simple"))])];

const RESOLVED: Show = &[("format", &[Condition::Is(Literal::String("resolved"))])];

const SIMPLE_WITH_ATTACHMENTS: Show = &[
    ("format", &[Condition::Is(Literal::String("simple"))]),
    ("downloadAttachments", &[Condition::Is(Literal::Bool(true))]),
];

const PREFIX_DESCRIPTION: &str = "Prefix for name of the binary property to which to write the attachments. An index starting with 0 will be added. So if name is \"attachment_\" the first attachment is saved to \"attachment_0\"";

const fn prefix(show: Show) -> Parameter {
    Parameter::new(
        "dataPropertyAttachmentsPrefixName",
        "Property Prefix Name",
        ParameterKind::String,
    )
    .default(Literal::String("attachment_"))
    .show(show)
    .describe(PREFIX_DESCRIPTION)
}

const CUSTOM_EMAIL_CONFIG: Parameter = Parameter::new(
    "customEmailConfig",
    "Custom Email Rules",
    ParameterKind::String,
)
.default(Literal::String("[\"UNSEEN\"]"))
.describe("Custom email fetching rules: a JSON array of node-imap search criteria");

const FORCE_RECONNECT: Parameter = Parameter::new(
    "forceReconnect",
    "Force Reconnect Every Minutes",
    ParameterKind::Number,
)
.default(Literal::Number(60.0))
.describe("Accepted and ignored: weft connects anew at every poll");

/// typeVersion 1's options.
const OPTIONS_V1: Parameter = Parameter::new(
    "options",
    "Options",
    ParameterKind::Collection(&[
        CUSTOM_EMAIL_CONFIG,
        Parameter::new(
            "allowUnauthorizedCerts",
            "Ignore SSL Issues (Insecure)",
            ParameterKind::Boolean,
        )
        .default(Literal::Bool(false))
        .describe("Whether to connect even if SSL certificate validation is not possible"),
        FORCE_RECONNECT,
    ]),
)
.show(&[(VERSION_KEY, &[Condition::Lt(2.0)])]);

/// typeVersion 2's options (Fetch Only New Emails from 2.1 on).
const OPTIONS_V2: Parameter = Parameter::new(
    "options",
    "Options",
    ParameterKind::Collection(&[
        CUSTOM_EMAIL_CONFIG,
        FORCE_RECONNECT,
        Parameter::new(
            "trackLastMessageId",
            "Fetch Only New Emails",
            ParameterKind::Boolean,
        )
        .default(Literal::Bool(true))
        .show(&[(VERSION_KEY, &[Condition::Gte(2.1)])])
        .describe(
            "Whether to fetch only new emails since the last run, or all emails that match the \"Custom Email Rules\"",
        ),
    ]),
)
.show(&[(VERSION_KEY, &[Condition::Gte(2.0)])]);

pub(super) static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.emailReadImap",
    display_name: "Email Trigger (IMAP)",
    description: "Triggers the workflow when a new email is received",
    versions: &[1.0, 2.0, 2.1, 2.2],
    versioned: true,
    trigger: true,
    outputs: &["main"],
    parameters: &[
        POLL_TIMES,
        Parameter::new("mailbox", "Mailbox Name", ParameterKind::String)
            .default(Literal::String("INBOX")),
        Parameter::new(
            "postProcessAction",
            "Action",
            ParameterKind::Options(&[
                Choice::new("Mark as Read", Literal::String("read")),
                Choice::new("Nothing", Literal::String("nothing")),
            ]),
        )
        .default(Literal::String("read"))
        .describe(
            "What to do after the email has been received. If \"nothing\" gets selected it will be processed multiple times.",
        ),
        Parameter::new(
            "format",
            "Format",
            ParameterKind::Options(&[
                Choice::new("RAW", Literal::String("raw")),
                Choice::new("Resolved", Literal::String("resolved")),
                Choice::new("Simple", Literal::String("simple")),
            ]),
        )
        .default(Literal::String("simple"))
        .describe("The format to return the message in"),
        Parameter::new(
            "downloadAttachments",
            "Download Attachments",
            ParameterKind::Boolean,
        )
        .default(Literal::Bool(false))
        .show(SIMPLE)
        .describe("Whether attachments of emails should be downloaded"),
        prefix(RESOLVED),
        prefix(SIMPLE_WITH_ATTACHMENTS),
        OPTIONS_V1,
        OPTIONS_V2,
    ],
    credentials: &[CredentialSlot {
        credential_type: SlotType::Fixed(IMAP.name),
        display: DisplayOptions::ALWAYS,
    }],
};
