//! Contact: addToCampaign, addNote, create, upsert, delete, get, getAll, getSummary, update.
//! n8n's keys are kept as saved, typos included (`acconuntId`, `Assistant Phone`); weft also
//! declares `assistantPhone`, and `emailBouncedDate` on create, where n8n declares the bounce
//! date under `otherPostalCode` (n8n-compat §3.4).

use super::shared::{
    ADD_NOTE, ADD_TO_CAMPAIGN, CAMPAIGN_OPTIONS, CREATE, CUSTOM_FIELDS, DELETE, FALSE, GET,
    GET_MANY, GET_SUMMARY, NOTE_OPTIONS, QUERY_OPTIONS, UPDATE, UPSERT, additional_fields,
    campaign_id, date, external_id, external_id_value, flag, limit, locator, note_title, operation,
    options, required, return_all, text, update_fields, write_options,
};
use crate::description::Parameter;

/// The contact `operation`.
pub(super) const OPERATION: Parameter = operation(
    on!("contact"),
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
    locator("acconuntId", "Account").describe("The parent account (n8n's key, sic)"),
    text("assistantName", "Assistant Name"),
    text("Assistant Phone", "Assistant Phone")
        .describe("n8n's key (never sent by n8n); weft sends it as AssistantPhone"),
    text("assistantPhone", "Assistant Phone").describe("weft's key for AssistantPhone"),
    date("birthdate", "Birth Date"),
    CUSTOM_FIELDS,
    text("department", "Department"),
    text("description", "Description"),
    text("email", "Email"),
    date("emailBouncedDate", "Email Bounced Date"),
    text("emailBouncedReason", "Email Bounced Reason"),
    text("fax", "Fax"),
    text("firstName", "First Name"),
    text("genderIdentity", "Gender Identity"),
    flag("hasOptedOutOfEmail", "Email Opt Out"),
    text("homePhone", "Home Phone"),
    text("jigsaw", "Jigsaw"),
    text("leadSource", "Lead Source Name or ID"),
    text("mailingCity", "Mailing City"),
    text("mailingCountry", "Mailing Country"),
    text("mailingPostalCode", "Mailing Postal Code"),
    text("mailingState", "Mailing State"),
    text("mailingStreet", "Mailing Street"),
    text("middleName", "Middle Name"),
    text("mobilePhone", "Mobile Phone"),
    text("otherCity", "Other City"),
    text("otherCountry", "Other Country"),
    text("otherPhone", "Other Phone"),
    text("otherPostalCode", "Other Postal Code")
        .describe("Sent as OtherPostalCode (n8n also saves its Email Bounced Date under this key)"),
    text("otherState", "Other State"),
    text("otherStreet", "Other Street"),
    locator("owner", "Owner"),
    text("phone", "Phone"),
    text("pronouns", "Pronouns"),
    text("recordTypeId", "Record Type Name or ID"),
    text("salutation", "Salutation"),
    text("suffix", "Suffix"),
    text("title", "Title"),
];

/// The contact parameters.
pub(super) const FIELDS: &[Parameter] = &[
    external_id(on!("contact", ["upsert"])),
    external_id_value(on!("contact", ["upsert"])),
    required(
        "lastname",
        "Last Name",
        on!("contact", ["create", "upsert"]),
    )
    .describe("Last name of the contact. Limited to 80 characters."),
    additional_fields(on!("contact", ["create", "upsert"]), FIELDS_BOTH),
    required(
        "contactId",
        "Contact ID",
        on!(
            "contact",
            ["update", "get", "delete", "addToCampaign", "addNote"]
        ),
    ),
    update_fields(
        on!("contact", ["update"]),
        joined!(FIELDS_BOTH, &[text("lastName", "Last Name")]),
    ),
    return_all(on!("contact", ["getAll"])),
    limit(on!("contact", ["getAll"], ("returnAll", FALSE))),
    options(on!("contact", ["getAll"]), QUERY_OPTIONS),
    campaign_id(on!("contact", ["addToCampaign"])),
    options(on!("contact", ["addToCampaign"]), CAMPAIGN_OPTIONS),
    note_title(on!("contact", ["addNote"])),
    options(on!("contact", ["addNote"]), NOTE_OPTIONS),
    write_options(on!("contact", ["create", "upsert", "update", "delete"])),
];
