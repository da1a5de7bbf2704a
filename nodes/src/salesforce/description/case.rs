//! Case: addComment, create, delete, get, getAll, getSummary, update.

use super::shared::{
    CREATE, CUSTOM_FIELDS, DELETE, FALSE, GET, GET_MANY, GET_SUMMARY, QUERY_OPTIONS, UPDATE,
    additional_fields, flag, limit, locator, operation, options, required, return_all, text,
    update_fields, write_options,
};
use crate::description::{Choice, Literal, Parameter};

/// The case `operation`.
pub(super) const OPERATION: Parameter = operation(
    on!("case"),
    &[
        Choice::new("Add Comment", Literal::String("addComment")),
        CREATE,
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
    text("accountId", "Account ID"),
    text("contactId", "Contact ID"),
    CUSTOM_FIELDS,
    text("description", "Description"),
    flag("isEscalated", "Is Escalated"),
    text("origin", "Origin Name or ID"),
    locator("owner", "Owner"),
    text("ParentId", "Parent ID").describe("The ID of the parent case in the hierarchy"),
    text("priority", "Priority Name or ID"),
    text("reason", "Reason Name or ID"),
    text("recordTypeId", "Record Type Name or ID"),
    text("status", "Status Name or ID"),
    text("subject", "Subject"),
    text("suppliedCompany", "Supplied Company"),
    text("suppliedEmail", "Supplied Email"),
    text("suppliedName", "Supplied Name"),
    text("suppliedPhone", "Supplied Phone"),
];

/// The case parameters.
pub(super) const FIELDS: &[Parameter] = &[
    required("type", "Type Name or ID", on!("case", ["create"])).describe("The type of case"),
    additional_fields(on!("case", ["create"]), FIELDS_BOTH),
    required(
        "caseId",
        "Case ID",
        on!("case", ["update", "get", "delete", "addComment"]),
    ),
    update_fields(
        on!("case", ["update"]),
        joined!(FIELDS_BOTH, &[text("type", "Type Name or ID")]),
    ),
    return_all(on!("case", ["getAll"])),
    limit(on!("case", ["getAll"], ("returnAll", FALSE))),
    options(on!("case", ["getAll"]), QUERY_OPTIONS),
    options(
        on!("case", ["addComment"]),
        &[
            text("commentBody", "Comment Body").describe("Text of the comment (4,000 bytes)"),
            flag("isPublished", "Is Published")
                .describe("Whether the comment is visible to customers in the Self-Service portal"),
        ],
    ),
    write_options(on!("case", ["create", "update", "delete"])),
];
