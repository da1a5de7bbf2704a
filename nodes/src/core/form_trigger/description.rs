//! The n8n Form Trigger's parameters, as n8n 2.41.1 declares them for typeVersions 1 and 2 to
//! 2.6 (`FormTriggerV1`, `FormTriggerV2` and the shared `common.descriptions`).

use crate::description::is;
use crate::description::{
    Choice, Condition, CredentialSlot, DisplayOptions, Group, Literal, NodeDescription, Parameter,
    ParameterKind, SlotType, VERSION_KEY,
};

const V1: Condition = Condition::Is(Literal::Number(1.0));
const V2: Condition = Condition::Is(Literal::Number(2.0));
const V24: Condition = Condition::Is(Literal::Number(2.4));

/// n8n's `formElementTypes`.
const FIELD_TYPES: &[Choice] = &[
    Choice::new("Checkboxes", Literal::String("checkbox")),
    Choice::new("Custom HTML", Literal::String("html")),
    Choice::new("Date", Literal::String("date")),
    Choice::new("Dropdown", Literal::String("dropdown")),
    Choice::new("Email", Literal::String("email")),
    Choice::new("File", Literal::String("file")),
    Choice::new("Hidden Field", Literal::String("hiddenField")),
    Choice::new("Number", Literal::String("number")),
    Choice::new("Password", Literal::String("password")),
    Choice::new("Radio Buttons", Literal::String("radio")),
    Choice::new("Text Input", Literal::String("text")),
    Choice::new("Textarea", Literal::String("textarea")),
];

/// The `html` field's default, n8n's `placeholder`.
const HTML_PLACEHOLDER: &str = "<!-- Your custom HTML here --->\n\n\n";

/// A `fieldOptions` list (dropdown entries, checkboxes or radio buttons) shown for `kind`.
macro_rules! field_options {
    ($label:literal, $option_label:literal, $kind:literal) => {
        Parameter::new(
            "fieldOptions",
            $label,
            ParameterKind::FixedCollection {
                multiple: true,
                groups: &[Group {
                    name: "values",
                    display_name: "Values",
                    values: &[Parameter::new(
                        "option",
                        $option_label,
                        ParameterKind::String,
                    )],
                }],
            },
        )
        .default(Literal::Object(&[(
            "values",
            Literal::Array(&[Literal::Object(&[("option", Literal::String(""))])]),
        )]))
        .required()
        .show(&[("fieldType", &[is($kind)])])
    };
}

/// One form element (`formFields.values[i]`).
const FIELD: &[Parameter] = &[
    Parameter::new("fieldName", "Field Name", ParameterKind::String)
        .required()
        .show(&[(VERSION_KEY, &[V24])])
        .hide(&[("fieldType", &[is("html")])])
        .describe("The name of the field, used in input attributes and referenced by the workflow"),
    Parameter::new("fieldLabel", "Label", ParameterKind::String)
        .required()
        .show(&[(VERSION_KEY, &[Condition::Gte(2.4)])])
        .hide(&[("fieldType", &[is("hiddenField"), is("html")])])
        .describe("Label that appears above the input field"),
    Parameter::new("fieldLabel", "Field Name", ParameterKind::String)
        .required()
        .show(&[(VERSION_KEY, &[Condition::Lt(2.4)])])
        .hide(&[("fieldType", &[is("hiddenField"), is("html")])])
        .describe("Label that appears above the input field"),
    Parameter::new("fieldName", "Field Name", ParameterKind::String)
        .show(&[
            ("fieldType", &[is("hiddenField")]),
            (VERSION_KEY, &[Condition::Lt(2.4)]),
        ])
        .describe("The name of the field, used in input attributes and referenced by the workflow"),
    Parameter::new("fieldType", "Element Type", ParameterKind::Options(FIELD_TYPES))
        .default(Literal::String("text"))
        .required()
        .describe("The type of field to add to the form"),
    Parameter::new("elementName", "Element Name", ParameterKind::String)
        .show(&[("fieldType", &[is("html")])])
        .describe("Optional field. It can be used to include the html in the output."),
    Parameter::new("fieldName", "Custom Field Name", ParameterKind::String)
        .show(&[(VERSION_KEY, &[Condition::Gte(2.5)])])
        .hide(&[("fieldType", &[is("html")])])
        .describe("The name of the field, used in input attributes and referenced by the workflow"),
    Parameter::new("placeholder", "Placeholder", ParameterKind::String)
        .hide(&[(
            "fieldType",
            &[
                is("dropdown"),
                is("date"),
                is("file"),
                is("html"),
                is("hiddenField"),
                is("radio"),
                is("checkbox"),
            ],
        )])
        .describe("Sample text to display inside the field"),
    Parameter::new("defaultValue", "Default Value", ParameterKind::String)
        .show(&[(
            "fieldType",
            &[is("text"), is("number"), is("email"), is("textarea")],
        )])
        .describe("Default value that will be pre-filled in the form field"),
    Parameter::new("defaultValue", "Default Value", ParameterKind::DateTime)
        .show(&[("fieldType", &[is("date")])])
        .describe("Default date value that will be pre-filled in the form field (format: YYYY-MM-DD)"),
    Parameter::new("defaultValue", "Default Value", ParameterKind::String)
        .show(&[("fieldType", &[is("dropdown"), is("radio")])])
        .describe("Default value that will be pre-selected. Must match one of the option labels."),
    Parameter::new("defaultValue", "Default Value", ParameterKind::String)
        .show(&[("fieldType", &[is("checkbox")])])
        .describe("Default value(s) that will be pre-selected, separated by commas"),
    Parameter::new("fieldValue", "Field Value", ParameterKind::String)
        .show(&[("fieldType", &[is("hiddenField")])])
        .describe("Input value can be set here or will be passed as a query parameter via Field Name if no value is set"),
    field_options!("Field Options", "Option", "dropdown"),
    field_options!("Checkboxes", "Checkbox Label", "checkbox"),
    field_options!("Radio Buttons", "Radio Button Label", "radio"),
    Parameter::new("multiselectLegacyNotice", "Notice", ParameterKind::String).show(&[
        ("multiselect", &[Condition::Is(Literal::Bool(true))]),
        ("fieldType", &[is("dropdown")]),
        (VERSION_KEY, &[Condition::Lt(2.3)]),
    ]),
    Parameter::new("multiselect", "Multiple Choice", ParameterKind::Boolean)
        .show(&[
            ("fieldType", &[is("dropdown")]),
            (VERSION_KEY, &[Condition::Lt(2.3)]),
        ])
        .describe("Whether to allow the user to select multiple options from the dropdown list"),
    Parameter::new(
        "limitSelection",
        "Limit Selection",
        ParameterKind::Options(&[
            Choice::new("Exact Number", Literal::String("exact")),
            Choice::new("Range", Literal::String("range")),
            Choice::new("Unlimited", Literal::String("unlimited")),
        ]),
    )
    .default(Literal::String("unlimited"))
    .show(&[("fieldType", &[is("checkbox")])]),
    Parameter::new("numberOfSelections", "Number of Selections", ParameterKind::Number)
        .default(Literal::Number(1.0))
        .show(&[
            ("fieldType", &[is("checkbox")]),
            ("limitSelection", &[is("exact")]),
        ]),
    Parameter::new("minSelections", "Minimum Selections", ParameterKind::Number)
        .default(Literal::Number(0.0))
        .show(&[
            ("fieldType", &[is("checkbox")]),
            ("limitSelection", &[is("range")]),
        ]),
    Parameter::new("maxSelections", "Maximum Selections", ParameterKind::Number)
        .default(Literal::Number(1.0))
        .show(&[
            ("fieldType", &[is("checkbox")]),
            ("limitSelection", &[is("range")]),
        ]),
    Parameter::new("html", "HTML", ParameterKind::String)
        .default(Literal::String(HTML_PLACEHOLDER))
        .no_data_expression()
        .show(&[("fieldType", &[is("html")])])
        .describe("HTML elements to display on the form page (script, style and input tags are removed)"),
    Parameter::new("multipleFiles", "Multiple Files", ParameterKind::Boolean)
        .default(Literal::Bool(true))
        .show(&[("fieldType", &[is("file")])])
        .describe("Whether to allow the user to select multiple files from the file input or just one"),
    Parameter::new("acceptFileTypes", "Accepted File Types", ParameterKind::String)
        .show(&[("fieldType", &[is("file")])])
        .describe("Comma-separated list of allowed file extensions"),
    Parameter::new("formatDate", "Notice", ParameterKind::String)
        .show(&[("fieldType", &[is("date")])]),
    Parameter::new("requiredField", "Required Field", ParameterKind::Boolean)
        .hide(&[("fieldType", &[is("html"), is("hiddenField")])])
        .describe("Whether to require the user to enter a value for this field before submitting the form"),
];

const FORM_FIELDS: ParameterKind = ParameterKind::FixedCollection {
    multiple: true,
    groups: &[Group {
        name: "values",
        display_name: "Values",
        values: FIELD,
    }],
};

const RESPONSE_MODES: &[Choice] = &[
    Choice::new("Form Is Submitted", Literal::String("onReceived")),
    Choice::new("Workflow Finishes", Literal::String("lastNode")),
    Choice::new(
        "Using 'Respond to Webhook' Node",
        Literal::String("responseNode"),
    ),
];

const PATH_DESCRIPTION: &str = "The final segment of the form's URL, both for test and production";

/// n8n's `respondWithOptions`.
const RESPOND_WITH: Parameter = Parameter::new(
    "respondWithOptions",
    "Form Response",
    ParameterKind::FixedCollection {
        multiple: false,
        groups: &[Group {
            name: "values",
            display_name: "Values",
            values: &[
                Parameter::new(
                    "respondWith",
                    "Respond With",
                    ParameterKind::Options(&[
                        Choice::new("Form Submitted Text", Literal::String("text")),
                        Choice::new("Redirect URL", Literal::String("redirect")),
                    ]),
                )
                .default(Literal::String("text")),
                Parameter::new("formSubmittedText", "Text to Show", ParameterKind::String)
                    .default(Literal::String(super::SUBMITTED_TEXT))
                    .show(&[("respondWith", &[is("text")])])
                    .describe("The text displayed to users after they fill the form"),
                Parameter::new("redirectUrl", "URL to Redirect to", ParameterKind::String)
                    .show(&[("respondWith", &[is("redirect")])])
                    .describe("The URL to redirect users to after they fill the form"),
            ],
        }],
    },
)
.default(Literal::Object(&[(
    "values",
    Literal::Object(&[("respondWith", Literal::String("text"))]),
)]))
.hide(&[("/responseMode", &[is("responseNode")])]);

const USE_WORKFLOW_TIMEZONE: &str =
    "Whether to use the workflow timezone in 'submittedAt' field or UTC";

const OPTIONS_V1: &[Parameter] = &[
    Parameter::new("ipWhitelist", "IP(s) Allowlist", ParameterKind::String),
    Parameter::new(
        "formSubmittedText",
        "Form Submitted Text",
        ParameterKind::String,
    )
    .default(Literal::String(super::SUBMITTED_TEXT))
    .describe("The text displayed to users after they filled the form"),
];

const OPTIONS_V2: &[Parameter] = &[
    Parameter::new(
        "appendAttribution",
        "Append n8n Attribution",
        ParameterKind::Boolean,
    )
    .default(Literal::Bool(true))
    .describe("Whether to include the link “Form automated with n8n” at the bottom of the form"),
    Parameter::new("ipWhitelist", "IP(s) Allowlist", ParameterKind::String),
    Parameter::new("buttonLabel", "Button Label", ParameterKind::String)
        .default(Literal::String("Submit"))
        .describe("The label of the submit button in the form"),
    Parameter::new("path", "Form Path", ParameterKind::String)
        .show(&[(VERSION_KEY, &[Condition::Gte(2.2)])])
        .describe(PATH_DESCRIPTION),
    RESPOND_WITH,
    Parameter::new("ignoreBots", "Ignore Bots", ParameterKind::Boolean)
        .describe("Whether to ignore requests from bots like link previewers and web crawlers"),
    Parameter::new(
        "includeUserInOutput",
        "Include User in Output",
        ParameterKind::Boolean,
    )
    .default(Literal::Bool(true))
    .show(&[
        ("/authentication", &[is("n8nUserAuth")]),
        (VERSION_KEY, &[Condition::Gte(2.6)]),
    ]),
    Parameter::new(
        "useWorkflowTimezone",
        "Use Workflow Timezone",
        ParameterKind::Boolean,
    )
    .default(Literal::Bool(false))
    .show(&[(VERSION_KEY, &[V2])])
    .describe(USE_WORKFLOW_TIMEZONE),
    Parameter::new(
        "useWorkflowTimezone",
        "Use Workflow Timezone",
        ParameterKind::Boolean,
    )
    .default(Literal::Bool(true))
    .show(&[(VERSION_KEY, &[Condition::Gte(2.1)])])
    .describe(USE_WORKFLOW_TIMEZONE),
    Parameter::new("customCss", "Custom Form Styling", ParameterKind::String)
        .show(&[(VERSION_KEY, &[Condition::Gte(2.1)])])
        .describe(
            "CSS added to the form page (`<` is removed so it cannot close the style element)",
        ),
    Parameter::new("showHeaders", "Show Headers", ParameterKind::Boolean)
        .describe("Whether the form submit request headers are shown"),
];

pub(super) static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.formTrigger",
    display_name: "n8n Form Trigger",
    description: "Generate webforms and pass their responses to the workflow (served by `weft start` at /form/<path>)",
    versions: &[1.0, 2.0, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6],
    versioned: true,
    trigger: true,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "authentication",
            "Authentication",
            ParameterKind::Options(&[
                Choice::new("Basic Auth", Literal::String("basicAuth")),
                Choice::new("None", Literal::String("none")),
            ]),
        )
        .default(Literal::String("none"))
        .show(&[(VERSION_KEY, &[Condition::Gte(2.0)])])
        .hide(&[(VERSION_KEY, &[Condition::Gte(2.6)])]),
        Parameter::new(
            "authentication",
            "Authentication",
            ParameterKind::Options(&[
                Choice::new("Basic Auth", Literal::String("basicAuth")),
                Choice::new("n8n User Auth", Literal::String("n8nUserAuth")),
                Choice::new("None", Literal::String("none")),
            ]),
        )
        .default(Literal::String("none"))
        .show(&[(VERSION_KEY, &[Condition::Gte(2.6)])]),
        Parameter::new(
            "requireExecuteAccess",
            "Require Workflow Execute Permission",
            ParameterKind::Boolean,
        )
        .show(&[
            ("authentication", &[is("n8nUserAuth")]),
            (VERSION_KEY, &[Condition::Gte(2.6)]),
        ]),
        Parameter::new("path", "Form Path", ParameterKind::String)
            .required()
            .show(&[(VERSION_KEY, &[V1])])
            .describe(PATH_DESCRIPTION),
        Parameter::new("path", "Form Path", ParameterKind::String)
            .required()
            .show(&[(VERSION_KEY, &[Condition::Gte(2.0)])])
            .hide(&[(VERSION_KEY, &[Condition::Gte(2.2)])])
            .describe(PATH_DESCRIPTION),
        Parameter::new("formTitle", "Form Title", ParameterKind::String)
            .required()
            .describe("Shown at the top of the form"),
        Parameter::new("formDescription", "Form Description", ParameterKind::String)
            .describe("Shown underneath the Form Title; accepts HTML (script, style and input tags are removed)"),
        Parameter::new("formFields", "Form Elements", FORM_FIELDS),
        Parameter::new("responseMode", "Respond When", ParameterKind::Options(RESPONSE_MODES))
            .default(Literal::String("onReceived"))
            .hide(&[(VERSION_KEY, &[Condition::Gte(2.2)])])
            .describe("When to respond to the form submission"),
        Parameter::new(
            "responseMode",
            "Respond When",
            ParameterKind::Options(&[
                Choice::new("Form Is Submitted", Literal::String("onReceived")),
                Choice::new("Workflow Finishes", Literal::String("lastNode")),
            ]),
        )
        .default(Literal::String("onReceived"))
        .show(&[(VERSION_KEY, &[Condition::Gte(2.2)])])
        .describe("When to respond to the form submission"),
        Parameter::new("formNotice", "Notice", ParameterKind::String)
            .show(&[("responseMode", &[is("responseNode")])])
            .hide(&[(VERSION_KEY, &[V1])]),
        Parameter::new("addFormPage", "Notice", ParameterKind::String)
            .hide(&[(VERSION_KEY, &[V1])]),
        Parameter::new("options", "Options", ParameterKind::Collection(OPTIONS_V1))
            .show(&[(VERSION_KEY, &[V1])])
            .hide(&[("responseMode", &[is("responseNode")])]),
        Parameter::new("options", "Options", ParameterKind::Collection(OPTIONS_V2))
            .hide(&[(VERSION_KEY, &[V1])]),
    ],
    credentials: &[CredentialSlot {
        credential_type: SlotType::Fixed("httpBasicAuth"),
        display: DisplayOptions {
            show: &[("authentication", &[is("basicAuth")])],
            hide: &[],
        },
    }],
};
