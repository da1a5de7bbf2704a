//! Custom object: create, upsert, delete, get, getAll, update, on the object named by
//! `customObject`. Its fields are the top-level `customFieldsUi` entries.

use super::shared::{
    CONDITIONS, CREATE, CUSTOM_FIELDS_KIND, DELETE, FALSE, GET, GET_MANY, QUERY_ALL, UPDATE,
    UPSERT, additional_fields, external_id, external_id_value, limit, operation, options, required,
    return_all, text, update_fields, write_options,
};
use crate::description::{Parameter, ParameterKind};

/// The custom object `operation`.
pub(super) const OPERATION: Parameter = operation(
    on!("customObject"),
    &[CREATE, UPSERT, DELETE, GET, GET_MANY, UPDATE],
    "create",
);

/// `recordTypeId`, the one option of `additionalFields` and `updateFields`.
const RECORD_TYPE: &[Parameter] = &[text("recordTypeId", "Record Type Name or ID")];

/// The custom object parameters.
pub(super) const FIELDS: &[Parameter] = &[
    required(
        "customObject",
        "Custom Object Name or ID",
        on!(
            "customObject",
            ["create", "upsert", "update", "get", "delete", "getAll"]
        ),
    )
    .describe("API name of the custom object, e.g. Invoice__c"),
    external_id(on!("customObject", ["upsert"])),
    external_id_value(on!("customObject", ["upsert"])),
    required(
        "recordId",
        "Record ID",
        on!("customObject", ["update", "get", "delete"]),
    ),
    Parameter::new("customFieldsUi", "Fields", CUSTOM_FIELDS_KIND)
        .show(on!("customObject", ["create", "upsert", "update"])),
    additional_fields(on!("customObject", ["create", "upsert"]), RECORD_TYPE),
    update_fields(on!("customObject", ["update"]), RECORD_TYPE),
    return_all(on!("customObject", ["getAll"])),
    limit(on!("customObject", ["getAll"], ("returnAll", FALSE))),
    options(
        on!("customObject", ["getAll"]),
        &[
            CONDITIONS,
            Parameter::new(
                "fields",
                "Field Names or IDs",
                ParameterKind::MultiOptions(&[]),
            )
            .describe("Fields to include (loaded from the object's describe in n8n's editor)"),
            QUERY_ALL,
        ],
    ),
    write_options(on!(
        "customObject",
        ["create", "upsert", "update", "delete"]
    )),
];
