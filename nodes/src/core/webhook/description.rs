//! The Webhook node's parameters, as n8n 2.41.1 declares them for typeVersions 1, 1.1, 2 and 2.1
//! (the response options its webhook description reads included).

use crate::description::is;
use crate::description::{
    Choice, Condition, Group, Literal, NodeDescription, Parameter, ParameterKind, VERSION_KEY,
};
use crate::description::{CredentialSlot, DisplayOptions, SlotType};

const V1: Condition = Condition::Is(Literal::Number(1.0));
const V11: Condition = Condition::Is(Literal::Number(1.1));
const V2: Condition = Condition::Is(Literal::Number(2.0));

const METHODS: &[Choice] = &[
    Choice::new("DELETE", Literal::String("DELETE")),
    Choice::new("GET", Literal::String("GET")),
    Choice::new("HEAD", Literal::String("HEAD")),
    Choice::new("PATCH", Literal::String("PATCH")),
    Choice::new("POST", Literal::String("POST")),
    Choice::new("PUT", Literal::String("PUT")),
];

const RESPONSE_MODES: &[Choice] = &[
    Choice::new("Immediately", Literal::String("onReceived")),
    Choice::new("When Last Node Finishes", Literal::String("lastNode")),
    Choice::new(
        "Using 'Respond to Webhook' Node",
        Literal::String("responseNode"),
    ),
];

const RESPONSE_MODES_STREAMING: &[Choice] = &[
    Choice::new("Immediately", Literal::String("onReceived")),
    Choice::new("When Last Node Finishes", Literal::String("lastNode")),
    Choice::new(
        "Using 'Respond to Webhook' Node",
        Literal::String("responseNode"),
    ),
    Choice::new("Streaming", Literal::String("streaming")),
];

const RESPONSE_CODES: &[Choice] = &[
    Choice::new("200", Literal::Number(200.0)),
    Choice::new("201", Literal::Number(201.0)),
    Choice::new("204", Literal::Number(204.0)),
    Choice::new("301", Literal::Number(301.0)),
    Choice::new("302", Literal::Number(302.0)),
    Choice::new("304", Literal::Number(304.0)),
    Choice::new("400", Literal::Number(400.0)),
    Choice::new("401", Literal::Number(401.0)),
    Choice::new("403", Literal::Number(403.0)),
    Choice::new("404", Literal::Number(404.0)),
    Choice::new("Custom Code", Literal::String("customCode")),
];

/// The `options.responseHeaders` and Respond to Webhook's: a list of `{name, value}` entries.
pub(crate) const RESPONSE_HEADERS: Parameter = Parameter::new(
    "responseHeaders",
    "Response Headers",
    ParameterKind::FixedCollection {
        multiple: true,
        groups: &[Group {
            name: "entries",
            display_name: "Entries",
            values: &[
                Parameter::new("name", "Name", ParameterKind::String),
                Parameter::new("value", "Value", ParameterKind::String),
            ],
        }],
    },
)
.describe("Add headers to the webhook response");

const OPTIONS: &[Parameter] = &[
    Parameter::new("binaryData", "Binary File", ParameterKind::Boolean)
        .show(&[
            ("/httpMethod", &[is("PATCH"), is("PUT"), is("POST")]),
            (VERSION_KEY, &[V1]),
        ])
        .describe("Whether the webhook will receive binary data"),
    Parameter::new(
        "binaryPropertyName",
        "Put Output File in Field",
        ParameterKind::String,
    )
    .default(Literal::String("data"))
    .show(&[
        ("binaryData", &[Condition::Is(Literal::Bool(true))]),
        (VERSION_KEY, &[V1]),
    ]),
    Parameter::new(
        "binaryPropertyName",
        "Field Name for Binary Data",
        ParameterKind::String,
    )
    .default(Literal::String("data"))
    .hide(&[(VERSION_KEY, &[V1])])
    .describe("The name of the output field to put any binary file data in"),
    Parameter::new("ignoreBots", "Ignore Bots", ParameterKind::Boolean),
    Parameter::new("ipWhitelist", "IP(s) Allowlist", ParameterKind::String),
    Parameter::new("noResponseBody", "No Response Body", ParameterKind::Boolean)
        .show(&[("/responseMode", &[is("onReceived")])])
        .hide(&[("rawBody", &[Condition::Is(Literal::Bool(true))])]),
    Parameter::new("onlyRunIf", "Only Run If", ParameterKind::String),
    Parameter::new(
        "responsePropertyName",
        "Property Name",
        ParameterKind::String,
    )
    .default(Literal::String("data"))
    .show(&[
        ("/responseData", &[is("firstEntryJson")]),
        ("/responseMode", &[is("lastNode")]),
    ]),
    Parameter::new("rawBody", "Raw Body", ParameterKind::Boolean)
        .describe("Whether to return the raw body"),
    Parameter::new(
        "responseCode",
        "Response Code",
        ParameterKind::FixedCollection {
            multiple: false,
            groups: &[Group {
                name: "values",
                display_name: "Values",
                values: &[
                    Parameter::new(
                        "responseCode",
                        "Response Code",
                        ParameterKind::Options(RESPONSE_CODES),
                    )
                    .default(Literal::Number(200.0)),
                    Parameter::new("customCode", "Code", ParameterKind::Number)
                        .default(Literal::Number(200.0))
                        .show(&[("responseCode", &[is("customCode")])]),
                ],
            }],
        },
    )
    .default(Literal::Object(&[(
        "values",
        Literal::Object(&[("responseCode", Literal::Number(200.0))]),
    )]))
    .show(&[(VERSION_KEY, &[Condition::Gte(2.0)])])
    .hide(&[("/responseMode", &[is("responseNode")])]),
    Parameter::new(
        "responseContentType",
        "Response Content-Type",
        ParameterKind::String,
    )
    .show(&[
        ("/responseData", &[is("firstEntryJson")]),
        ("/responseMode", &[is("lastNode")]),
    ]),
    Parameter::new("responseData", "Response Data", ParameterKind::String)
        .show(&[("/responseMode", &[is("onReceived")])])
        .hide(&[("noResponseBody", &[Condition::Is(Literal::Bool(true))])])
        .describe("Custom response data to send"),
    RESPONSE_HEADERS,
];

const SHOWN_WITH_RESPONSE_MODE: &[(&str, &[Condition])] = &[(VERSION_KEY, &[V1, V11, V2])];

pub(super) static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.webhook",
    display_name: "Webhook",
    description: "Starts the workflow when a webhook is called (served by `weft start`)",
    versions: &[1.0, 1.1, 2.0, 2.1],
    versioned: false,
    trigger: true,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "multipleMethods",
            "Allow Multiple HTTP Methods",
            ParameterKind::Boolean,
        )
        .describe("Whether to allow the webhook to listen for multiple HTTP methods"),
        Parameter::new("httpMethod", "HTTP Method", ParameterKind::Options(METHODS))
            .default(Literal::String("GET"))
            .show(&[("multipleMethods", &[Condition::Is(Literal::Bool(false))])])
            .describe("The HTTP method to listen to"),
        Parameter::new(
            "httpMethod",
            "HTTP Methods",
            ParameterKind::MultiOptions(METHODS),
        )
        .default(Literal::Array(&[
            Literal::String("GET"),
            Literal::String("POST"),
        ]))
        .show(&[("multipleMethods", &[Condition::Is(Literal::Bool(true))])])
        .describe("The HTTP methods to listen to"),
        Parameter::new("path", "Path", ParameterKind::String).describe(
            "The path to listen to; `:name` segments are parameters, and then the node's webhookId is put in front",
        ),
        Parameter::new(
            "authentication",
            "Authentication",
            ParameterKind::Options(&[
                Choice::new("Basic Auth", Literal::String("basicAuth")),
                Choice::new("Header Auth", Literal::String("headerAuth")),
                Choice::new("JWT Auth", Literal::String("jwtAuth")),
                Choice::new("n8n User Auth (OAuth2)", Literal::String("n8nOAuth2")),
                Choice::new("None", Literal::String("none")),
            ]),
        )
        .default(Literal::String("none"))
        .no_data_expression()
        .describe("The way to authenticate"),
        Parameter::new(
            "requireExecuteAccess",
            "Require Workflow Execute Permission",
            ParameterKind::Boolean,
        )
        .default(Literal::Bool(true))
        .show(&[("authentication", &[is("n8nOAuth2")])]),
        Parameter::new("responseMode", "Respond", ParameterKind::Options(RESPONSE_MODES))
            .default(Literal::String("onReceived"))
            .show(SHOWN_WITH_RESPONSE_MODE)
            .describe("When and how to respond to the webhook"),
        Parameter::new(
            "responseMode",
            "Respond",
            ParameterKind::Options(RESPONSE_MODES_STREAMING),
        )
        .default(Literal::String("onReceived"))
        .hide(SHOWN_WITH_RESPONSE_MODE)
        .describe("When and how to respond to the webhook"),
        Parameter::new("webhookNotice", "Notice", ParameterKind::String)
            .show(&[("responseMode", &[is("responseNode")])]),
        Parameter::new("webhookStreamingNotice", "Notice", ParameterKind::String)
            .show(&[("responseMode", &[is("streaming")])]),
        Parameter::new("responseCode", "Response Code", ParameterKind::Number)
            .default(Literal::Number(200.0))
            .show(&[(VERSION_KEY, &[V1, V11])])
            .hide(&[("responseMode", &[is("responseNode")])])
            .describe("The HTTP Response code to return"),
        Parameter::new(
            "responseData",
            "Response Data",
            ParameterKind::Options(&[
                Choice::new("All Entries", Literal::String("allEntries")),
                Choice::new("First Entry JSON", Literal::String("firstEntryJson")),
                Choice::new("First Entry Binary", Literal::String("firstEntryBinary")),
                Choice::new("No Response Body", Literal::String("noData")),
            ]),
        )
        .default(Literal::String("firstEntryJson"))
        .show(&[("responseMode", &[is("lastNode")])])
        .describe("What data should be returned"),
        Parameter::new(
            "responseBinaryPropertyName",
            "Property Name",
            ParameterKind::String,
        )
        .default(Literal::String("data"))
        .required()
        .show(&[("responseData", &[is("firstEntryBinary")])])
        .describe("Name of the binary property to return"),
        Parameter::new("contentTypeNotice", "Notice", ParameterKind::String)
            .show(&[("responseMode", &[is("onReceived")])]),
        Parameter::new("options", "Options", ParameterKind::Collection(OPTIONS)),
    ],
    credentials: &[
        CredentialSlot {
            credential_type: SlotType::Fixed("httpBasicAuth"),
            display: DisplayOptions {
                show: &[("authentication", &[is("basicAuth")])],
                hide: &[],
            },
        },
        CredentialSlot {
            credential_type: SlotType::Fixed("httpHeaderAuth"),
            display: DisplayOptions {
                show: &[("authentication", &[is("headerAuth")])],
                hide: &[],
            },
        },
        CredentialSlot {
            credential_type: SlotType::Fixed("jwtAuth"),
            display: DisplayOptions {
                show: &[("authentication", &[is("jwtAuth")])],
                hide: &[],
            },
        },
    ],
};
