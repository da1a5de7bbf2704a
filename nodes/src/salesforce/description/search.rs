//! Search: query (a raw SOQL query, paged).

use super::shared::{operation, required};
use crate::description::{Choice, Literal, Parameter};

/// The search `operation`.
pub(super) const OPERATION: Parameter = operation(
    on!("search"),
    &[Choice::new("Query", Literal::String("query"))],
    "query",
);

/// The search parameters.
pub(super) const FIELDS: &[Parameter] = &[required("query", "Query", on!("search", ["query"]))
    .describe("A SOQL query, sent unchanged, e.g. SELECT Id, Name FROM Account")];
