//! User: get, getAll.

use super::shared::{
    FALSE, GET, GET_MANY, QUERY_OPTIONS, limit, operation, options, required, return_all,
};
use crate::description::Parameter;

/// The user `operation`.
pub(super) const OPERATION: Parameter = operation(on!("user"), &[GET, GET_MANY], "get");

/// The user parameters.
pub(super) const FIELDS: &[Parameter] = &[
    required("userId", "User ID", on!("user", ["get"])),
    return_all(on!("user", ["getAll"])),
    limit(on!("user", ["getAll"], ("returnAll", FALSE))),
    options(on!("user", ["getAll"]), QUERY_OPTIONS),
];
