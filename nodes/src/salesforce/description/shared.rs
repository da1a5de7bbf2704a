//! Builders and declarations shared by the resources: operation choices, record ids, the Get
//! Many parameters (`returnAll`, `limit`, `options.fields`, `options.conditionsUi`), upsert's
//! `externalId`/`externalIdValue`, custom fields, owner pickers, notes and campaigns.

use crate::description::{Choice, Condition, Group, Literal, Parameter, ParameterKind};

/// The `show` entries of a parameter's displayOptions.
pub(super) use crate::description::Show;

/// `returnAll = false`, for `limit`.
pub(super) const FALSE: &[Condition] = &[Condition::Is(Literal::Bool(false))];

pub(super) const ADD_NOTE: Choice = Choice::new("Add Note", Literal::String("addNote"));
pub(super) const ADD_TO_CAMPAIGN: Choice =
    Choice::new("Add to Campaign", Literal::String("addToCampaign"));
pub(super) const CREATE: Choice = Choice::new("Create", Literal::String("create"));
pub(super) const UPSERT: Choice = Choice::new("Create or Update", Literal::String("upsert"));
pub(super) const DELETE: Choice = Choice::new("Delete", Literal::String("delete"));
pub(super) const GET: Choice = Choice::new("Get", Literal::String("get"));
pub(super) const GET_MANY: Choice = Choice::new("Get Many", Literal::String("getAll"));
pub(super) const GET_SUMMARY: Choice = Choice::new("Get Summary", Literal::String("getSummary"));
pub(super) const UPDATE: Choice = Choice::new("Update", Literal::String("update"));

/// A resource's `operation` (noDataExpression, as n8n).
pub(super) const fn operation(
    show: Show,
    choices: &'static [Choice],
    default: &'static str,
) -> Parameter {
    Parameter::new("operation", "Operation", ParameterKind::Options(choices))
        .default(Literal::String(default))
        .no_data_expression()
        .show(show)
}

/// A string collection option or fixedCollection value.
pub(super) const fn text(name: &'static str, display_name: &'static str) -> Parameter {
    Parameter::new(name, display_name, ParameterKind::String)
}

/// A number collection option.
pub(super) const fn number(name: &'static str, display_name: &'static str) -> Parameter {
    Parameter::new(name, display_name, ParameterKind::Number)
}

/// A boolean collection option.
pub(super) const fn flag(name: &'static str, display_name: &'static str) -> Parameter {
    Parameter::new(name, display_name, ParameterKind::Boolean)
}

/// A dateTime collection option (sent as the stored string).
pub(super) const fn date(name: &'static str, display_name: &'static str) -> Parameter {
    Parameter::new(name, display_name, ParameterKind::DateTime)
}

/// A required string shown by `show` (record ids, names, titles).
pub(super) const fn required(
    name: &'static str,
    display_name: &'static str,
    show: Show,
) -> Parameter {
    text(name, display_name).required().show(show)
}

/// An owner (or account) picker: a resource locator whose value is the record id.
pub(super) const fn locator(name: &'static str, display_name: &'static str) -> Parameter {
    Parameter::new(
        name,
        display_name,
        ParameterKind::ResourceLocator {
            modes: &["list", "id"],
        },
    )
    .default(Literal::Object(&[
        ("mode", Literal::String("list")),
        ("value", Literal::String("")),
    ]))
}

/// `additionalFields` of create/upsert.
pub(super) const fn additional_fields(show: Show, options: &'static [Parameter]) -> Parameter {
    Parameter::new(
        "additionalFields",
        "Additional Fields",
        ParameterKind::Collection(options),
    )
    .show(show)
}

/// `updateFields` of update.
pub(super) const fn update_fields(show: Show, options: &'static [Parameter]) -> Parameter {
    Parameter::new(
        "updateFields",
        "Update Fields",
        ParameterKind::Collection(options),
    )
    .show(show)
}

/// An `options` collection.
pub(super) const fn options(show: Show, options: &'static [Parameter]) -> Parameter {
    Parameter::new("options", "Options", ParameterKind::Collection(options)).show(show)
}

/// Upsert's "Match Against": the external-id field name (loaded from describe in n8n's editor).
pub(super) const fn external_id(show: Show) -> Parameter {
    required("externalId", "Match Against", show)
        .describe("The external-id field to match on (its API name; `Id` is allowed)")
}

/// Upsert's "Value to Match".
pub(super) const fn external_id_value(show: Show) -> Parameter {
    required("externalIdValue", "Value to Match", show)
        .describe("Update the record whose external-id field has this value, else create one")
}

/// The binary property holding a file (attachment create, document upload).
pub(super) const fn binary_property(show: Show) -> Parameter {
    required("binaryPropertyName", "Input Binary Field", show)
        .default(Literal::String("data"))
        .describe("Name of the binary property which contains the data for the file")
}

/// `returnAll` of Get Many.
pub(super) const fn return_all(show: Show) -> Parameter {
    Parameter::new("returnAll", "Return All", ParameterKind::Boolean)
        .show(show)
        .describe("Whether to return all results or only up to a given limit")
}

/// `limit` of Get Many; `show` must include `("returnAll", FALSE)`.
pub(super) const fn limit(show: Show) -> Parameter {
    Parameter::new("limit", "Limit", ParameterKind::Number)
        .default(Literal::Number(50.0))
        .show(show)
        .describe("Max number of results to return")
}

/// `options.conditionsUi` of Get Many: `conditionValues[] { field, operation, value }`.
pub(in crate::salesforce) const CONDITIONS: Parameter = Parameter::new(
    "conditionsUi",
    "Conditions",
    ParameterKind::FixedCollection {
        multiple: true,
        groups: &[Group {
            name: "conditionValues",
            display_name: "Condition",
            values: &[
                text("field", "Field Name or ID"),
                Parameter::new(
                    "operation",
                    "Operation",
                    ParameterKind::Options(&[
                        Choice::new("<", Literal::String("<")),
                        Choice::new("<=", Literal::String("<=")),
                        Choice::new("=", Literal::String("equal")),
                        Choice::new(">", Literal::String(">")),
                        Choice::new(">=", Literal::String(">=")),
                    ]),
                )
                .default(Literal::String("equal")),
                text("value", "Value"),
            ],
        }],
    },
)
.describe("Conditions joined with AND in the SOQL WHERE clause");

/// weft's `options.queryAll`: also return deleted and archived records.
pub(super) const QUERY_ALL: Parameter = flag("queryAll", "Include Deleted and Archived")
    .describe("weft only: query through queryAll, which also returns deleted and archived records");

/// The `options` of Get Many for the standard objects: comma-separated `fields` and conditions.
pub(super) const QUERY_OPTIONS: &[Parameter] = &[
    CONDITIONS,
    text("fields", "Fields").describe("Fields to include, separated by commas"),
    QUERY_ALL,
];

/// weft's `options.useCompositeApi` of create, upsert, update and delete.
const USE_COMPOSITE_API: Parameter = flag("useCompositeApi", "Use Composite API")
    .default(Literal::Bool(true))
    .describe(
        "weft only. On: several input items are written through composite/sobjects, up to 200 records per request (allOrNone false), each record's result or error on its own item. Off: one request per item, as n8n sends them",
    );

/// weft's `options` of create, upsert, update and delete. A weft extension, so n8n workflows
/// (which never write it) resolve to the parameters n8n shows.
pub(super) const fn write_options(show: Show) -> Parameter {
    options(show, &[USE_COMPOSITE_API])
        .describe("weft only: how writes over several input items are sent")
        .weft_extension()
}

/// `customFieldsUi`: `customFieldsValues[] { fieldId, value }`, each sent as `body[fieldId]`.
pub(super) const CUSTOM_FIELDS_KIND: ParameterKind = ParameterKind::FixedCollection {
    multiple: true,
    groups: &[Group {
        name: "customFieldsValues",
        display_name: "Custom Field",
        values: &[text("fieldId", "Field Name or ID"), text("value", "Value")],
    }],
};

/// `customFieldsUi` inside `additionalFields` / `updateFields`.
pub(super) const CUSTOM_FIELDS: Parameter =
    Parameter::new("customFieldsUi", "Custom Fields", CUSTOM_FIELDS_KIND);

pub(super) const NOTE_BODY: Parameter =
    text("body", "Body").describe("Body of the note. Limited to 32 KB.");
pub(super) const NOTE_PRIVATE: Parameter = flag("isPrivate", "Is Private")
    .describe("Whether only the note owner (or Modify All Data) can see the note");

/// The `options` of addNote, except for accounts (whose owner key is `ownerId`).
pub(super) const NOTE_OPTIONS: &[Parameter] = &[NOTE_BODY, NOTE_PRIVATE, locator("owner", "Owner")];

/// addNote's `title`.
pub(super) const fn note_title(show: Show) -> Parameter {
    required("title", "Title", show).describe("Title of the note")
}

/// addToCampaign's `campaignId`.
pub(super) const fn campaign_id(show: Show) -> Parameter {
    required("campaignId", "Campaign Name or ID", show)
}

/// The `options` of addToCampaign.
pub(super) const CAMPAIGN_OPTIONS: &[Parameter] =
    &[text("status", "Status").describe("Controls the HasResponded flag on this object")];
