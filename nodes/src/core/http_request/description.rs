//! The description of HTTP Request (`n8n-nodes-base.httpRequest`, typeVersions 1 to 4.3), with
//! n8n's parameter names. From typeVersion 3 (n8n's HttpRequestV3): method, URL, authentication,
//! query, headers, body (JSON, form or raw) and the response options; n8n's description is the
//! same for 3 to 4.3 apart from the redirect option's default, which weft does not have (its
//! version thresholds 4.4 and 4.5 concern features weft does not have either). Typeversions 1
//! and 2 have their own parameters (`legacy_parameters`); `url`, `infoMessage` and, from 2 on,
//! the credential choices are shared.

use super::legacy_parameters::{self as legacy, V1, V2_ON};
use crate::description::{
    Choice, Condition, CredentialSlot, DisplayOptions, Group, Literal, NodeDescription, Parameter,
    ParameterKind, SlotType, VERSION_KEY,
};

/// `@version` 3 and later.
const MODERN: &[Condition] = &[Condition::Gte(3.0)];

const TRUE: &[Condition] = &[Condition::Is(Literal::Bool(true))];
const KEYPAIR: &[Condition] = &[Condition::Is(Literal::String("keypair"))];
const JSON: &[Condition] = &[Condition::Is(Literal::String("json"))];
const JSON_OR_FORM: &[Condition] = &[
    Condition::Is(Literal::String("json")),
    Condition::Is(Literal::String("form-urlencoded")),
];
const RAW: &[Condition] = &[Condition::Is(Literal::String("raw"))];
const PREDEFINED: &[Condition] = &[Condition::Is(Literal::String("predefinedCredentialType"))];
const GENERIC: &[Condition] = &[Condition::Is(Literal::String("genericCredentialType"))];

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
            Choice::new("File", Literal::String("file")),
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

const PAGINATION_MODES: &[Condition] = &[
    Condition::Is(Literal::String("updateAParameterInEachRequest")),
    Condition::Is(Literal::String("responseContainsNextURL")),
];

/// `options.pagination.pagination` (n8n's Pagination option).
const PAGINATION: &[Parameter] = &[
    Parameter::new(
        "paginationMode",
        "Pagination Mode",
        ParameterKind::Options(&[
            Choice::new("Off", Literal::String("off")),
            Choice::new(
                "Update a Parameter in Each Request",
                Literal::String("updateAParameterInEachRequest"),
            ),
            Choice::new(
                "Response Contains Next URL",
                Literal::String("responseContainsNextURL"),
            ),
        ]),
    )
    .default(Literal::String("updateAParameterInEachRequest"))
    .no_data_expression(),
    Parameter::new("nextURL", "Next URL", ParameterKind::String)
        .describe("Should evaluate to the URL of the next page ($response is the last page)")
        .show(&[(
            "paginationMode",
            &[Condition::Is(Literal::String("responseContainsNextURL"))],
        )]),
    Parameter::new(
        "parameters",
        "Parameters",
        ParameterKind::FixedCollection {
            multiple: true,
            groups: &[Group {
                name: "parameters",
                display_name: "Parameter",
                values: &[
                    Parameter::new(
                        "type",
                        "Type",
                        ParameterKind::Options(&[
                            Choice::new("Body", Literal::String("body")),
                            Choice::new("Header", Literal::String("headers")),
                            Choice::new("Query", Literal::String("qs")),
                        ]),
                    )
                    .default(Literal::String("qs")),
                    Parameter::new("name", "Name", ParameterKind::String),
                    Parameter::new("value", "Value", ParameterKind::String)
                        .describe("Use an expression with $response, $pageCount or $request"),
                ],
            }],
        },
    )
    .default(Literal::Object(&[(
        "parameters",
        Literal::Array(&[Literal::Object(&[
            ("type", Literal::String("qs")),
            ("name", Literal::String("")),
            ("value", Literal::String("")),
        ])]),
    )]))
    .show(&[(
        "paginationMode",
        &[Condition::Is(Literal::String(
            "updateAParameterInEachRequest",
        ))],
    )]),
    Parameter::new(
        "paginationCompleteWhen",
        "Pagination Complete When",
        ParameterKind::Options(&[
            Choice::new("Response Is Empty", Literal::String("responseIsEmpty")),
            Choice::new(
                "Receive Specific Status Code(s)",
                Literal::String("receiveSpecificStatusCodes"),
            ),
            Choice::new("Other", Literal::String("other")),
        ]),
    )
    .default(Literal::String("responseIsEmpty"))
    .no_data_expression()
    .show(&[("paginationMode", PAGINATION_MODES)]),
    Parameter::new(
        "statusCodesWhenComplete",
        "Status Code(s) when Complete",
        ParameterKind::String,
    )
    .no_data_expression()
    .describe("Accepts comma-separated values")
    .show(&[(
        "paginationCompleteWhen",
        &[Condition::Is(Literal::String("receiveSpecificStatusCodes"))],
    )]),
    Parameter::new(
        "completeExpression",
        "Complete Expression",
        ParameterKind::String,
    )
    .describe("Should evaluate to true when pagination is complete")
    .show(&[(
        "paginationCompleteWhen",
        &[Condition::Is(Literal::String("other"))],
    )]),
    Parameter::new(
        "limitPagesFetched",
        "Limit Pages Fetched",
        ParameterKind::Boolean,
    )
    .no_data_expression()
    .show(&[("paginationMode", PAGINATION_MODES)]),
    Parameter::new("maxRequests", "Max Pages", ParameterKind::Number)
        .default(Literal::Number(100.0))
        .no_data_expression()
        .show(&[("limitPagesFetched", TRUE)]),
    Parameter::new(
        "requestInterval",
        "Interval Between Requests (ms)",
        ParameterKind::Number,
    )
    .show(&[("paginationMode", PAGINATION_MODES)]),
];

/// `options.redirect`: one per default of `followRedirects` (off in 3, on from 4), as n8n has it.
macro_rules! redirect_option {
    ($follow:literal, $versions:expr) => {
        Parameter::new(
            "redirect",
            "Redirects",
            ParameterKind::FixedCollection {
                multiple: false,
                groups: &[Group {
                    name: "redirect",
                    display_name: "Redirect",
                    values: &[
                        Parameter::new(
                            "followRedirects",
                            "Follow Redirects",
                            ParameterKind::Boolean,
                        )
                        .default(Literal::Bool($follow))
                        .no_data_expression()
                        .describe("Whether to follow all redirects"),
                        Parameter::new("maxRedirects", "Max Redirects", ParameterKind::Number)
                            .default(Literal::Number(21.0))
                            .describe("Max number of redirects to follow")
                            .show(&[("followRedirects", TRUE)]),
                    ],
                }],
            },
        )
        .show(&[(VERSION_KEY, $versions)])
    };
}

const OPTIONS: &[Parameter] = &[
    redirect_option!(false, &[Condition::Lt(4.0)]),
    redirect_option!(true, &[Condition::Gte(4.0)]),
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
    Parameter::new(
        "pagination",
        "Pagination",
        ParameterKind::FixedCollection {
            multiple: false,
            groups: &[Group {
                name: "pagination",
                display_name: "Pagination",
                values: PAGINATION,
            }],
        },
    ),
    Parameter::new("timeout", "Timeout", ParameterKind::Number)
        .default(Literal::Number(10_000.0))
        .describe("Milliseconds to wait for the server"),
];

/// A typeVersion 1 slot: the credential type `$type` when `authentication` is `$authentication`.
macro_rules! v1_slot {
    ($type:literal, $authentication:literal) => {
        CredentialSlot {
            credential_type: SlotType::Fixed($type),
            display: DisplayOptions {
                show: &[
                    (VERSION_KEY, V1),
                    (
                        "authentication",
                        &[Condition::Is(Literal::String($authentication))],
                    ),
                ],
                hide: &[],
            },
        }
    };
}

/// HTTP Request's description.
pub static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.httpRequest",
    display_name: "HTTP Request",
    description: "Makes an HTTP request and returns the response data",
    versions: &[1.0, 2.0, 3.0, 4.0, 4.1, 4.2, 4.3],
    versioned: true,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new("curlImport", "Import cURL", ParameterKind::String)
            .describe("n8n's editor button to import a cURL command; weft does not read it")
            .show(&[(VERSION_KEY, MODERN)]),
        legacy::AUTHENTICATION_V1,
        legacy::REQUEST_METHOD,
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
        .default(Literal::String("GET"))
        .show(&[(VERSION_KEY, MODERN)]),
        Parameter::new("url", "URL", ParameterKind::String).required(),
        legacy::ALLOW_UNAUTHORIZED_CERTS,
        legacy::RESPONSE_FORMAT,
        legacy::DATA_PROPERTY_NAME,
        legacy::JSON_PARAMETERS,
        legacy::OPTIONS,
        legacy::SEND_BINARY_DATA,
        legacy::BINARY_PROPERTY_NAME,
        legacy::BODY_JSON,
        legacy::BODY_UI,
        legacy::HEADERS_JSON,
        legacy::HEADERS_UI,
        legacy::QUERY_JSON,
        legacy::QUERY_UI,
        Parameter::new(
            "authentication",
            "Authentication",
            ParameterKind::Options(&[
                Choice::new("None", Literal::String("none")),
                Choice::new(
                    "Predefined Credential Type",
                    Literal::String("predefinedCredentialType"),
                ),
                Choice::new(
                    "Generic Credential Type",
                    Literal::String("genericCredentialType"),
                ),
            ]),
        )
        .default(Literal::String("none"))
        .no_data_expression()
        .show(&[(VERSION_KEY, V2_ON)]),
        Parameter::new(
            "nodeCredentialType",
            "Credential Type",
            ParameterKind::String,
        )
        .required()
        .no_data_expression()
        .show(&[("authentication", PREDEFINED)]),
        Parameter::new(
            "genericAuthType",
            "Generic Auth Type",
            ParameterKind::String,
        )
        .required()
        .show(&[("authentication", GENERIC)]),
        Parameter::new(
            "provideSslCertificates",
            "SSL Certificates",
            ParameterKind::Boolean,
        )
        .describe("Client certificates: refused by weft")
        .show(&[(VERSION_KEY, MODERN)]),
        Parameter::new("sendQuery", "Send Query Parameters", ParameterKind::Boolean)
            .show(&[(VERSION_KEY, MODERN)]),
        Parameter::new("specifyQuery", "Specify Query Parameters", SPECIFY)
            .show(&[(VERSION_KEY, MODERN), ("sendQuery", TRUE)]),
        name_values("queryParameters", "Query Parameters").show(&[
            (VERSION_KEY, MODERN),
            ("sendQuery", TRUE),
            ("specifyQuery", KEYPAIR),
        ]),
        Parameter::new("jsonQuery", "JSON", ParameterKind::Json).show(&[
            (VERSION_KEY, MODERN),
            ("sendQuery", TRUE),
            ("specifyQuery", JSON),
        ]),
        Parameter::new("sendHeaders", "Send Headers", ParameterKind::Boolean)
            .show(&[(VERSION_KEY, MODERN)]),
        Parameter::new("specifyHeaders", "Specify Headers", SPECIFY)
            .show(&[(VERSION_KEY, MODERN), ("sendHeaders", TRUE)]),
        name_values("headerParameters", "Header Parameters").show(&[
            (VERSION_KEY, MODERN),
            ("sendHeaders", TRUE),
            ("specifyHeaders", KEYPAIR),
        ]),
        Parameter::new("jsonHeaders", "JSON", ParameterKind::Json).show(&[
            (VERSION_KEY, MODERN),
            ("sendHeaders", TRUE),
            ("specifyHeaders", JSON),
        ]),
        Parameter::new("sendBody", "Send Body", ParameterKind::Boolean)
            .show(&[(VERSION_KEY, MODERN)]),
        Parameter::new(
            "contentType",
            "Body Content Type",
            ParameterKind::Options(&[
                Choice::new("JSON", Literal::String("json")),
                Choice::new("Form Urlencoded", Literal::String("form-urlencoded")),
                Choice::new("Raw", Literal::String("raw")),
            ]),
        )
        .show(&[(VERSION_KEY, MODERN), ("sendBody", TRUE)]),
        Parameter::new("specifyBody", "Specify Body", SPECIFY).show(&[
            (VERSION_KEY, MODERN),
            ("sendBody", TRUE),
            ("contentType", JSON_OR_FORM),
        ]),
        name_values("bodyParameters", "Body Parameters").show(&[
            (VERSION_KEY, MODERN),
            ("sendBody", TRUE),
            ("contentType", JSON_OR_FORM),
            ("specifyBody", KEYPAIR),
        ]),
        Parameter::new("jsonBody", "JSON", ParameterKind::Json).show(&[
            (VERSION_KEY, MODERN),
            ("sendBody", TRUE),
            ("contentType", JSON_OR_FORM),
            ("specifyBody", JSON),
        ]),
        Parameter::new("rawContentType", "Content Type", ParameterKind::String).show(&[
            (VERSION_KEY, MODERN),
            ("sendBody", TRUE),
            ("contentType", RAW),
        ]),
        Parameter::new("body", "Body", ParameterKind::String).show(&[
            (VERSION_KEY, MODERN),
            ("sendBody", TRUE),
            ("contentType", RAW),
        ]),
        Parameter::new("options", "Options", ParameterKind::Collection(OPTIONS))
            .show(&[(VERSION_KEY, MODERN)]),
        Parameter::new("infoMessage", "Info", ParameterKind::String)
            .describe("n8n's notice about its browser console; weft does not read it"),
    ],
    credentials: &[
        v1_slot!("httpBasicAuth", "basicAuth"),
        v1_slot!("httpDigestAuth", "digestAuth"),
        v1_slot!("httpHeaderAuth", "headerAuth"),
        v1_slot!("httpQueryAuth", "queryAuth"),
        v1_slot!("oAuth1Api", "oAuth1"),
        v1_slot!("oAuth2Api", "oAuth2"),
        CredentialSlot {
            credential_type: SlotType::FromParameter("genericAuthType"),
            display: DisplayOptions {
                show: &[(VERSION_KEY, V2_ON), ("authentication", GENERIC)],
                hide: &[],
            },
        },
        CredentialSlot {
            credential_type: SlotType::FromParameter("nodeCredentialType"),
            display: DisplayOptions {
                show: &[(VERSION_KEY, V2_ON), ("authentication", PREDEFINED)],
                hide: &[],
            },
        },
    ],
};
