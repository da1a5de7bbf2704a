//! The parameters of HTTP Request's typeVersions 1 and 2 (n8n's HttpRequestV1 and V2, which share
//! their parameters apart from authentication): `requestMethod`, `responseFormat` with
//! `dataPropertyName`, `jsonParameters` choosing between the `…ParametersJson` texts and the
//! `…ParametersUi` lists, and the legacy `options`. Every one is shown for `@version < 3` only.

use crate::description::{
    Choice, Condition, Group, Literal, Parameter, ParameterKind, VERSION_KEY,
};

/// `@version` 1 and 2.
pub const LEGACY: &[Condition] = &[Condition::Lt(3.0)];
/// `@version` 1 only.
pub const V1: &[Condition] = &[Condition::Lt(2.0)];
/// `@version` 2 and later.
pub const V2_ON: &[Condition] = &[Condition::Gte(2.0)];

const TRUE: &[Condition] = &[Condition::Is(Literal::Bool(true))];
const FALSE: &[Condition] = &[Condition::Is(Literal::Bool(false))];
const WITH_BODY: &[Condition] = &[
    Condition::Is(Literal::String("PATCH")),
    Condition::Is(Literal::String("POST")),
    Condition::Is(Literal::String("PUT")),
];
const WITH_BODY_OR_DELETE: &[Condition] = &[
    Condition::Is(Literal::String("PATCH")),
    Condition::Is(Literal::String("POST")),
    Condition::Is(Literal::String("PUT")),
    Condition::Is(Literal::String("DELETE")),
];

/// v1's `authentication`: the generic credential types by their v1 names.
pub const AUTHENTICATION_V1: Parameter = Parameter::new(
    "authentication",
    "Authentication",
    ParameterKind::Options(&[
        Choice::new("Basic Auth", Literal::String("basicAuth")),
        Choice::new("Digest Auth", Literal::String("digestAuth")),
        Choice::new("Header Auth", Literal::String("headerAuth")),
        Choice::new("None", Literal::String("none")),
        Choice::new("OAuth1", Literal::String("oAuth1")),
        Choice::new("OAuth2", Literal::String("oAuth2")),
        Choice::new("Query Auth", Literal::String("queryAuth")),
    ]),
)
.default(Literal::String("none"))
.show(&[(VERSION_KEY, V1)]);

/// The request method (`method` from typeVersion 3 on).
pub const REQUEST_METHOD: Parameter = Parameter::new(
    "requestMethod",
    "Request Method",
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
.show(&[(VERSION_KEY, LEGACY)]);

/// Certificate checks off: refused by weft (it always verifies TLS).
pub const ALLOW_UNAUTHORIZED_CERTS: Parameter = Parameter::new(
    "allowUnauthorizedCerts",
    "Ignore SSL Issues (Insecure)",
    ParameterKind::Boolean,
)
.show(&[(VERSION_KEY, LEGACY)]);

/// How the response is read: JSON, text or a file into `dataPropertyName`.
pub const RESPONSE_FORMAT: Parameter = Parameter::new(
    "responseFormat",
    "Response Format",
    ParameterKind::Options(&[
        Choice::new("File", Literal::String("file")),
        Choice::new("JSON", Literal::String("json")),
        Choice::new("String", Literal::String("string")),
    ]),
)
.default(Literal::String("json"))
.show(&[(VERSION_KEY, LEGACY)]);

const NOT_JSON: &[Condition] = &[
    Condition::Is(Literal::String("string")),
    Condition::Is(Literal::String("file")),
];

/// The field that takes a text or file response.
pub const DATA_PROPERTY_NAME: Parameter =
    Parameter::new("dataPropertyName", "Property Name", ParameterKind::String)
        .default(Literal::String("data"))
        .required()
        .show(&[(VERSION_KEY, LEGACY), ("responseFormat", NOT_JSON)]);

/// Whether query, headers and body come as JSON texts instead of lists.
pub const JSON_PARAMETERS: Parameter = Parameter::new(
    "jsonParameters",
    "JSON/RAW Parameters",
    ParameterKind::Boolean,
)
.show(&[(VERSION_KEY, LEGACY)]);

const LEGACY_OPTIONS: &[Parameter] = &[
    Parameter::new("batchInterval", "Batch Interval", ParameterKind::Number)
        .default(Literal::Number(1000.0))
        .describe("Milliseconds between batches of requests, 0 for none"),
    Parameter::new("batchSize", "Batch Size", ParameterKind::Number)
        .default(Literal::Number(50.0))
        .describe("Requests per batch, -1 for no batches, 0 counts as 1"),
    Parameter::new(
        "bodyContentType",
        "Body Content Type",
        ParameterKind::Options(&[
            Choice::new("JSON", Literal::String("json")),
            Choice::new("RAW/Custom", Literal::String("raw")),
            Choice::new(
                "Form-Data Multipart",
                Literal::String("multipart-form-data"),
            ),
            Choice::new("Form Urlencoded", Literal::String("form-urlencoded")),
        ]),
    )
    .default(Literal::String("json"))
    .show(&[("/requestMethod", WITH_BODY)]),
    Parameter::new("fullResponse", "Full Response", ParameterKind::Boolean),
    Parameter::new(
        "followAllRedirects",
        "Follow All Redirects",
        ParameterKind::Boolean,
    ),
    Parameter::new(
        "followRedirect",
        "Follow GET/HEAD Redirect",
        ParameterKind::Boolean,
    )
    .default(Literal::Bool(true)),
    Parameter::new(
        "ignoreResponseCode",
        "Ignore Response Code",
        ParameterKind::Boolean,
    ),
    Parameter::new(
        "bodyContentCustomMimeType",
        "MIME Type",
        ParameterKind::String,
    )
    .show(&[("/requestMethod", WITH_BODY)]),
    Parameter::new("proxy", "Proxy", ParameterKind::String)
        .describe("An HTTP proxy: refused by weft, which connects directly"),
    Parameter::new("splitIntoItems", "Split Into Items", ParameterKind::Boolean)
        .show(&[("/responseFormat", &[Condition::Is(Literal::String("json"))])]),
    Parameter::new("timeout", "Timeout", ParameterKind::Number)
        .default(Literal::Number(10_000.0))
        .describe("Milliseconds to wait for the server (one hour when the option is not set)"),
    Parameter::new("useQueryString", "Use Querystring", ParameterKind::Boolean)
        .describe("Whether arrays are sent as foo=bar&foo=baz instead of foo[0]=bar&foo[1]=baz"),
];

/// The legacy `options` collection.
pub const OPTIONS: Parameter = Parameter::new(
    "options",
    "Options",
    ParameterKind::Collection(LEGACY_OPTIONS),
)
.show(&[(VERSION_KEY, LEGACY)]);

/// Sending an input binary as the body: refused by weft.
pub const SEND_BINARY_DATA: Parameter =
    Parameter::new("sendBinaryData", "Send Binary File", ParameterKind::Boolean).show(&[
        (VERSION_KEY, LEGACY),
        ("jsonParameters", TRUE),
        ("requestMethod", WITH_BODY),
    ]);

/// The binary field sent as the body.
pub const BINARY_PROPERTY_NAME: Parameter = Parameter::new(
    "binaryPropertyName",
    "Input Binary Field",
    ParameterKind::String,
)
.default(Literal::String("data"))
.required()
.show(&[
    (VERSION_KEY, LEGACY),
    ("jsonParameters", TRUE),
    ("requestMethod", WITH_BODY),
])
.hide(&[("sendBinaryData", FALSE)]);

/// The body as JSON (or raw) text.
pub const BODY_JSON: Parameter =
    Parameter::new("bodyParametersJson", "Body Parameters", ParameterKind::Json)
        .show(&[
            (VERSION_KEY, LEGACY),
            ("jsonParameters", TRUE),
            ("requestMethod", WITH_BODY_OR_DELETE),
        ])
        .hide(&[("sendBinaryData", TRUE)]);

/// The headers as JSON text.
pub const HEADERS_JSON: Parameter =
    Parameter::new("headerParametersJson", "Headers", ParameterKind::Json)
        .show(&[(VERSION_KEY, LEGACY), ("jsonParameters", TRUE)]);

/// The query as JSON text.
pub const QUERY_JSON: Parameter = Parameter::new(
    "queryParametersJson",
    "Query Parameters",
    ParameterKind::Json,
)
.show(&[(VERSION_KEY, LEGACY), ("jsonParameters", TRUE)]);

const NAME_VALUE: &[Parameter] = &[
    Parameter::new("name", "Name", ParameterKind::String),
    Parameter::new("value", "Value", ParameterKind::String),
];

/// A `…ParametersUi` list of `parameter` name/value entries, empty by default.
const fn name_values(name: &'static str, display_name: &'static str) -> Parameter {
    Parameter::new(
        name,
        display_name,
        ParameterKind::FixedCollection {
            multiple: true,
            groups: &[Group {
                name: "parameter",
                display_name: "Parameter",
                values: NAME_VALUE,
            }],
        },
    )
    .default(Literal::Object(&[]))
}

/// The body as a list.
pub const BODY_UI: Parameter = name_values("bodyParametersUi", "Body Parameters").show(&[
    (VERSION_KEY, LEGACY),
    ("jsonParameters", FALSE),
    ("requestMethod", WITH_BODY_OR_DELETE),
]);

/// The headers as a list.
pub const HEADERS_UI: Parameter = name_values("headerParametersUi", "Headers")
    .show(&[(VERSION_KEY, LEGACY), ("jsonParameters", FALSE)]);

/// The query as a list.
pub const QUERY_UI: Parameter = name_values("queryParametersUi", "Query Parameters")
    .show(&[(VERSION_KEY, LEGACY), ("jsonParameters", FALSE)]);
