//! The description of HTTP Request (`n8n-nodes-base.httpRequest`, typeVersions 4 to 4.3), with
//! n8n's parameter names: method, URL, authentication (none or a predefined credential type),
//! query, headers, body (JSON, form or raw) and the response options. n8n's description is the
//! same for these versions (its version thresholds, 4.1 for redirects of other methods, 4.4 and
//! 4.5, concern features weft does not have).

use crate::description::{
    Choice, Condition, CredentialSlot, DisplayOptions, Group, Literal, NodeDescription, Parameter,
    ParameterKind, SlotType,
};

const TRUE: &[Condition] = &[Condition::Is(Literal::Bool(true))];
const KEYPAIR: &[Condition] = &[Condition::Is(Literal::String("keypair"))];
const JSON: &[Condition] = &[Condition::Is(Literal::String("json"))];
const JSON_OR_FORM: &[Condition] = &[
    Condition::Is(Literal::String("json")),
    Condition::Is(Literal::String("form-urlencoded")),
];
const RAW: &[Condition] = &[Condition::Is(Literal::String("raw"))];
const PREDEFINED: &[Condition] = &[Condition::Is(Literal::String("predefinedCredentialType"))];

const NAME_VALUE: &[Parameter] = &[
    Parameter::new("name", "Name", ParameterKind::String),
    Parameter::new("value", "Value", ParameterKind::String),
];

const fn name_values(name: &'static str, display_name: &'static str) -> Parameter {
    Parameter::new(
        name,
        display_name,
        ParameterKind::FixedCollection {
            multiple: true,
            groups: &[Group {
                name: "parameters",
                display_name: "Parameter",
                values: NAME_VALUE,
            }],
        },
    )
    .default(Literal::Object(&[(
        "parameters",
        Literal::Array(&[Literal::Object(&[
            ("name", Literal::String("")),
            ("value", Literal::String("")),
        ])]),
    )]))
}

const SPECIFY: ParameterKind = ParameterKind::Options(&[
    Choice::new("Using Fields Below", Literal::String("keypair")),
    Choice::new("Using JSON", Literal::String("json")),
]);

const RESPONSE: &[Parameter] = &[
    Parameter::new(
        "fullResponse",
        "Include Response Headers and Status",
        ParameterKind::Boolean,
    ),
    Parameter::new("neverError", "Never Error", ParameterKind::Boolean),
    Parameter::new(
        "responseFormat",
        "Response Format",
        ParameterKind::Options(&[
            Choice::new("Autodetect", Literal::String("autodetect")),
            Choice::new("JSON", Literal::String("json")),
            Choice::new("Text", Literal::String("text")),
        ]),
    ),
    Parameter::new(
        "outputPropertyName",
        "Put Output in Field",
        ParameterKind::String,
    )
    .default(Literal::String("data")),
];

const OPTIONS: &[Parameter] = &[
    Parameter::new(
        "response",
        "Response",
        ParameterKind::FixedCollection {
            multiple: false,
            groups: &[Group {
                name: "response",
                display_name: "Response",
                values: RESPONSE,
            }],
        },
    ),
    Parameter::new(
        "lowercaseHeaders",
        "Lowercase Headers",
        ParameterKind::Boolean,
    )
    .default(Literal::Bool(true))
    .describe(
        "Whether to lowercase header names (weft always sends them lower-case: HTTP header names \
         are case-insensitive)",
    ),
    Parameter::new("timeout", "Timeout", ParameterKind::Number)
        .default(Literal::Number(10_000.0))
        .describe("Milliseconds to wait for the server"),
];

/// HTTP Request's description.
pub static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.httpRequest",
    display_name: "HTTP Request",
    description: "Makes an HTTP request and returns the response data",
    versions: &[4.0, 4.1, 4.2, 4.3],
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "method",
            "Method",
            ParameterKind::Options(&[
                Choice::new("DELETE", Literal::String("DELETE")),
                Choice::new("GET", Literal::String("GET")),
                Choice::new("HEAD", Literal::String("HEAD")),
                Choice::new("OPTIONS", Literal::String("OPTIONS")),
                Choice::new("PATCH", Literal::String("PATCH")),
                Choice::new("POST", Literal::String("POST")),
                Choice::new("PUT", Literal::String("PUT")),
            ]),
        )
        .default(Literal::String("GET")),
        Parameter::new("url", "URL", ParameterKind::String).required(),
        Parameter::new(
            "authentication",
            "Authentication",
            ParameterKind::Options(&[
                Choice::new("None", Literal::String("none")),
                Choice::new(
                    "Predefined Credential Type",
                    Literal::String("predefinedCredentialType"),
                ),
            ]),
        )
        .no_data_expression(),
        Parameter::new(
            "nodeCredentialType",
            "Credential Type",
            ParameterKind::String,
        )
        .required()
        .no_data_expression()
        .show(&[("authentication", PREDEFINED)]),
        Parameter::new("sendQuery", "Send Query Parameters", ParameterKind::Boolean),
        Parameter::new("specifyQuery", "Specify Query Parameters", SPECIFY)
            .show(&[("sendQuery", TRUE)]),
        name_values("queryParameters", "Query Parameters")
            .show(&[("sendQuery", TRUE), ("specifyQuery", KEYPAIR)]),
        Parameter::new("jsonQuery", "JSON", ParameterKind::Json)
            .show(&[("sendQuery", TRUE), ("specifyQuery", JSON)]),
        Parameter::new("sendHeaders", "Send Headers", ParameterKind::Boolean),
        Parameter::new("specifyHeaders", "Specify Headers", SPECIFY).show(&[("sendHeaders", TRUE)]),
        name_values("headerParameters", "Header Parameters")
            .show(&[("sendHeaders", TRUE), ("specifyHeaders", KEYPAIR)]),
        Parameter::new("jsonHeaders", "JSON", ParameterKind::Json)
            .show(&[("sendHeaders", TRUE), ("specifyHeaders", JSON)]),
        Parameter::new("sendBody", "Send Body", ParameterKind::Boolean),
        Parameter::new(
            "contentType",
            "Body Content Type",
            ParameterKind::Options(&[
                Choice::new("JSON", Literal::String("json")),
                Choice::new("Form Urlencoded", Literal::String("form-urlencoded")),
                Choice::new("Raw", Literal::String("raw")),
            ]),
        )
        .show(&[("sendBody", TRUE)]),
        Parameter::new("specifyBody", "Specify Body", SPECIFY)
            .show(&[("sendBody", TRUE), ("contentType", JSON_OR_FORM)]),
        name_values("bodyParameters", "Body Parameters").show(&[
            ("sendBody", TRUE),
            ("contentType", JSON_OR_FORM),
            ("specifyBody", KEYPAIR),
        ]),
        Parameter::new("jsonBody", "JSON", ParameterKind::Json).show(&[
            ("sendBody", TRUE),
            ("contentType", JSON_OR_FORM),
            ("specifyBody", JSON),
        ]),
        Parameter::new("rawContentType", "Content Type", ParameterKind::String)
            .show(&[("sendBody", TRUE), ("contentType", RAW)]),
        Parameter::new("body", "Body", ParameterKind::String)
            .show(&[("sendBody", TRUE), ("contentType", RAW)]),
        Parameter::new("options", "Options", ParameterKind::Collection(OPTIONS)),
    ],
    credentials: &[CredentialSlot {
        credential_type: SlotType::FromParameter("nodeCredentialType"),
        display: DisplayOptions {
            show: &[("authentication", PREDEFINED)],
            hide: &[],
        },
    }],
};
