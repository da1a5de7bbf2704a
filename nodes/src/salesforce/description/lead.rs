//! Lead: addToCampaign, addNote, create, upsert, delete, get, getAll, getSummary, update.
//! n8n saves `IsUnreadByOwner` (and, on update, `HasOptedOutOfFax`) but reads the camelCase
//! keys; weft declares both spellings (n8n-compat §3.4).

use super::shared::{
    ADD_NOTE, ADD_TO_CAMPAIGN, CAMPAIGN_OPTIONS, CREATE, CUSTOM_FIELDS, DELETE, FALSE, GET,
    GET_MANY, GET_SUMMARY, NOTE_OPTIONS, QUERY_OPTIONS, UPDATE, UPSERT, additional_fields,
    campaign_id, external_id, external_id_value, flag, limit, locator, note_title, number,
    operation, options, required, return_all, text, update_fields, write_options,
};
use crate::description::Parameter;

/// The lead `operation`.
pub(super) const OPERATION: Parameter = operation(
    on!("lead"),
    &[
        ADD_TO_CAMPAIGN,
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
    number("annualRevenue", "Annual Revenue"),
    text("city", "City"),
    text("country", "Country"),
    CUSTOM_FIELDS,
    text("description", "Description"),
    text("email", "Email"),
    number("fax", "Fax"),
    text("firstname", "First Name"),
    flag("hasOptedOutOfEmail", "Email Opt Out"),
    flag("hasOptedOutOfFax", "Fax Opt Out"),
    flag("HasOptedOutOfFax", "Fax Opt Out")
        .describe("n8n's key on update (never sent by n8n); weft sends it as HasOptedOutOfFax"),
    text("industry", "Industry"),
    flag("IsUnreadByOwner", "Is Unread By Owner")
        .describe("n8n's key (never sent by n8n); weft sends it as IsUnreadByOwner"),
    flag("isUnreadByOwner", "Is Unread By Owner"),
    text("jigsaw", "Jigsaw"),
    text("leadSource", "Lead Source Name or ID"),
    text("mobilePhone", "Mobile Phone"),
    number("numberOfEmployees", "Number Of Employees"),
    locator("owner", "Owner"),
    text("phone", "Phone"),
    text("postalCode", "Postal Code"),
    text("rating", "Rating"),
    text("recordTypeId", "Record Type Name or ID"),
    text("salutation", "Salutation"),
    text("state", "State"),
    text("status", "Status Name or ID"),
    text("street", "Street"),
    text("title", "Title"),
    text("website", "Website"),
];

/// The lead parameters.
pub(super) const FIELDS: &[Parameter] = &[
    external_id(on!("lead", ["upsert"])),
    external_id_value(on!("lead", ["upsert"])),
    required("company", "Company", on!("lead", ["create", "upsert"]))
        .describe("Company of the lead"),
    required("lastname", "Last Name", on!("lead", ["create", "upsert"]))
        .describe("Last name of the lead. Limited to 80 characters."),
    additional_fields(on!("lead", ["create", "upsert"]), FIELDS_BOTH),
    required(
        "leadId",
        "Lead ID",
        on!(
            "lead",
            ["update", "get", "delete", "addToCampaign", "addNote"]
        ),
    ),
    update_fields(
        on!("lead", ["update"]),
        joined!(
            FIELDS_BOTH,
            &[text("company", "Company"), text("lastname", "Last Name")]
        ),
    ),
    return_all(on!("lead", ["getAll"])),
    limit(on!("lead", ["getAll"], ("returnAll", FALSE))),
    options(on!("lead", ["getAll"]), QUERY_OPTIONS),
    campaign_id(on!("lead", ["addToCampaign"])),
    options(on!("lead", ["addToCampaign"]), CAMPAIGN_OPTIONS),
    note_title(on!("lead", ["addNote"])),
    options(on!("lead", ["addNote"]), NOTE_OPTIONS),
    write_options(on!("lead", ["create", "upsert", "update", "delete"])),
];
