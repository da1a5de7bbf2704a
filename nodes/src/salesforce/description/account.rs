//! Account: addNote, create, upsert, delete, get, getAll, getSummary, update.

use super::shared::{
    ADD_NOTE, CREATE, CUSTOM_FIELDS, DELETE, FALSE, GET, GET_MANY, GET_SUMMARY, NOTE_BODY,
    NOTE_PRIVATE, QUERY_OPTIONS, UPDATE, UPSERT, additional_fields, external_id, external_id_value,
    limit, locator, note_title, number, operation, options, required, return_all, text,
    update_fields, write_options,
};
use crate::description::Parameter;

/// The account `operation`.
pub(super) const OPERATION: Parameter = operation(
    on!("account"),
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
    text("accountNumber", "Account Number"),
    text("accountSource", "Account Source Name or ID"),
    number("annualRevenue", "Annual Revenue"),
    text("billingCity", "Billing City"),
    text("billingCountry", "Billing Country"),
    text("billingPostalCode", "Billing Postal Code"),
    text("billingState", "Billing State"),
    text("billingStreet", "Billing Street"),
    CUSTOM_FIELDS,
    text("description", "Description"),
    text("fax", "Fax"),
    text("industry", "Industry"),
    text("jigsaw", "Jigsaw"),
    number("numberOfEmployees", "Number Of Employees"),
    text("parentId", "Parent ID"),
    text("phone", "Phone"),
    text("recordTypeId", "Record Type Name or ID"),
    text("shippingCity", "Shipping City"),
    text("shippingCountry", "Shipping Country"),
    text("shippingPostalCode", "Shipping Postal Code"),
    text("shippingState", "Shipping State"),
    text("shippingStreet", "Shipping Street"),
    text("sicDesc", "SicDesc"),
    text("type", "Type Name or ID"),
    text("website", "Website"),
];

/// The account parameters.
pub(super) const FIELDS: &[Parameter] = &[
    external_id(on!("account", ["upsert"])),
    external_id_value(on!("account", ["upsert"])),
    required("name", "Name", on!("account", ["create", "upsert"]))
        .describe("Name of the account. Maximum size is 255 characters."),
    additional_fields(
        on!("account", ["create", "upsert"]),
        joined!(FIELDS_BOTH, &[locator("owner", "Owner")]),
    ),
    required(
        "accountId",
        "Account ID",
        on!("account", ["update", "get", "delete", "addNote"]),
    ),
    update_fields(
        on!("account", ["update"]),
        joined!(
            FIELDS_BOTH,
            &[text("name", "Name"), locator("ownerId", "Owner")]
        ),
    ),
    return_all(on!("account", ["getAll"])),
    limit(on!("account", ["getAll"], ("returnAll", FALSE))),
    options(on!("account", ["getAll"]), QUERY_OPTIONS),
    note_title(on!("account", ["addNote"])),
    options(
        on!("account", ["addNote"]),
        &[NOTE_BODY, NOTE_PRIVATE, locator("ownerId", "Owner")],
    ),
    write_options(on!("account", ["create", "upsert", "update", "delete"])),
];
