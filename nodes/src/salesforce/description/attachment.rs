//! Attachment: create, delete, get, getAll, getSummary, update. The file comes from the input
//! item's binary property named by `binaryPropertyName` (create) or `updateFields.binaryPropertyName`.

use super::shared::{
    CREATE, DELETE, FALSE, GET, GET_MANY, GET_SUMMARY, QUERY_OPTIONS, UPDATE, additional_fields,
    binary_property, flag, limit, locator, operation, options, required, return_all, text,
    update_fields, write_options,
};
use crate::description::{Literal, Parameter};

/// The attachment `operation`.
pub(super) const OPERATION: Parameter = operation(
    on!("attachment"),
    &[CREATE, DELETE, GET, GET_MANY, GET_SUMMARY, UPDATE],
    "create",
);

/// Options of both `additionalFields` and `updateFields`.
const FIELDS_BOTH: &[Parameter] = &[
    text("description", "Description"),
    flag("isPrivate", "Is Private"),
    locator("owner", "Owner"),
];

/// The attachment parameters.
pub(super) const FIELDS: &[Parameter] = &[
    required("parentId", "Parent ID", on!("attachment", ["create"])),
    required("name", "Name", on!("attachment", ["create"]))
        .describe("Name of the attached file. Maximum size is 255 characters."),
    binary_property(on!("attachment", ["create"])),
    additional_fields(on!("attachment", ["create"]), FIELDS_BOTH),
    required(
        "attachmentId",
        "Attachment ID",
        on!("attachment", ["update", "get", "delete"]),
    ),
    update_fields(
        on!("attachment", ["update"]),
        joined!(
            FIELDS_BOTH,
            &[
                text("binaryPropertyName", "Input Binary Field")
                    .default(Literal::String("data"))
                    .describe("Replace the file with this binary property of the input item"),
                text("name", "Name"),
            ]
        ),
    ),
    return_all(on!("attachment", ["getAll"])),
    limit(on!("attachment", ["getAll"], ("returnAll", FALSE))),
    options(on!("attachment", ["getAll"]), QUERY_OPTIONS),
    write_options(on!("attachment", ["create", "update", "delete"])),
];
