//! Opportunity: addNote, create, upsert, delete, get, getAll, getSummary, update. n8n declares a
//! `phone` option that it never sends (an Opportunity has no Phone); weft accepts and ignores it.

use super::shared::{
    ADD_NOTE, CREATE, CUSTOM_FIELDS, DELETE, FALSE, GET, GET_MANY, GET_SUMMARY, NOTE_OPTIONS,
    QUERY_OPTIONS, UPDATE, UPSERT, additional_fields, date, external_id, external_id_value, limit,
    locator, note_title, number, operation, options, required, return_all, text, update_fields,
    write_options,
};
use crate::description::{Choice, Literal, Parameter, ParameterKind};

/// The opportunity `operation`.
pub(super) const OPERATION: Parameter = operation(
    on!("opportunity"),
    &[
        ADD_NOTE,
        CREATE,
        UPSERT,
        DELETE,
        GET,
        GET_MANY,
        GET_SUMMARY,
        UPDATE,
    ],
    "create",
);

/// Options of both `additionalFields` and `updateFields`.
const FIELDS_BOTH: &[Parameter] = &[
    locator("accountId", "Account"),
    number("amount", "Amount"),
    text("campaignId", "Campaign Name or ID"),
    CUSTOM_FIELDS,
    text("description", "Description"),
    text("forecastCategoryName", "Forecast Category Name"),
    text("leadSource", "Lead Source Name or ID"),
    text("nextStep", "Next Step"),
    locator("owner", "Owner"),
    text("phone", "Phone").describe("Declared by n8n but never sent; ignored with a warning"),
    text("pricebook2Id", "Pricebook2 ID"),
    number("probability", "Probability"),
    Parameter::new(
        "type",
        "Type",
        ParameterKind::Options(&[
            Choice::new("Business", Literal::String("Business")),
            Choice::new("New Business", Literal::String("New Business")),
        ]),
    )
    .default(Literal::String("")),
];

/// The opportunity parameters.
pub(super) const FIELDS: &[Parameter] = &[
    external_id(on!("opportunity", ["upsert"])),
    external_id_value(on!("opportunity", ["upsert"])),
    required("name", "Name", on!("opportunity", ["create", "upsert"])),
    date("closeDate", "Close Date")
        .required()
        .show(on!("opportunity", ["create", "upsert"]))
        .describe("Date when the opportunity is expected to close"),
    required(
        "stageName",
        "Stage Name or ID",
        on!("opportunity", ["create", "upsert"]),
    ),
    additional_fields(on!("opportunity", ["create", "upsert"]), FIELDS_BOTH),
    required(
        "opportunityId",
        "Opportunity ID",
        on!("opportunity", ["update", "get", "delete", "addNote"]),
    ),
    update_fields(
        on!("opportunity", ["update"]),
        joined!(
            FIELDS_BOTH,
            &[
                date("closeDate", "Close Date"),
                text("name", "Name"),
                text("stageName", "Stage Name or ID"),
            ]
        ),
    ),
    return_all(on!("opportunity", ["getAll"])),
    limit(on!("opportunity", ["getAll"], ("returnAll", FALSE))),
    options(on!("opportunity", ["getAll"]), QUERY_OPTIONS),
    note_title(on!("opportunity", ["addNote"])),
    options(on!("opportunity", ["addNote"]), NOTE_OPTIONS),
    write_options(on!("opportunity", ["create", "upsert", "update", "delete"])),
];
