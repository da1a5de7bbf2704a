//! Document: upload (a ContentVersion from the input item's binary data).

use super::shared::{additional_fields, binary_property, locator, operation, required, text};
use crate::description::{Choice, Literal, Parameter};

/// The document `operation`.
pub(super) const OPERATION: Parameter = operation(
    on!("document"),
    &[Choice::new("Upload", Literal::String("upload"))],
    "upload",
);

/// The document parameters.
pub(super) const FIELDS: &[Parameter] = &[
    required("title", "Title", on!("document", ["upload"])).describe("Name of the file"),
    binary_property(on!("document", ["upload"])),
    additional_fields(
        on!("document", ["upload"]),
        &[
            text("fileExtension", "File Extension")
                .describe("File extension to use; by default the binary data's"),
            text("linkToObjectId", "Link to Object ID")
                .describe("ID of the object you want to link this document to"),
            locator("ownerId", "Owner"),
        ],
    ),
];
