//! Flow: getAll (the autolaunched flows) and invoke (one flow, with input variables as JSON or
//! as name/value pairs).

use super::shared::{FALSE, GET_MANY, limit, operation, required, return_all, text};
use crate::description::{Choice, Condition, Group, Literal, Parameter, ParameterKind};

/// The flow `operation`.
pub(super) const OPERATION: Parameter = operation(
    on!("flow"),
    &[GET_MANY, Choice::new("Invoke", Literal::String("invoke"))],
    "invoke",
);

const TRUE: &[Condition] = &[Condition::Is(Literal::Bool(true))];

/// The flow parameters.
pub(super) const FIELDS: &[Parameter] = &[
    return_all(on!("flow", ["getAll"])),
    limit(on!("flow", ["getAll"], ("returnAll", FALSE))),
    required("apiName", "API Name", on!("flow", ["invoke"])).describe("API name of the flow"),
    Parameter::new("jsonParameters", "JSON Parameters", ParameterKind::Boolean)
        .show(on!("flow", ["invoke"]))
        .describe("Whether the input variables are given as JSON instead of name/value pairs"),
    Parameter::new("variablesJson", "Variables", ParameterKind::Json)
        .show(on!("flow", ["invoke"], ("jsonParameters", TRUE)))
        .describe("Input variables as a JSON object"),
    Parameter::new(
        "variablesUi",
        "Variables",
        ParameterKind::FixedCollection {
            multiple: true,
            groups: &[Group {
                name: "variablesValues",
                display_name: "Variable",
                values: &[text("name", "Name"), text("value", "Value")],
            }],
        },
    )
    .show(on!("flow", ["invoke"], ("jsonParameters", FALSE)))
    .describe("The input variables to send"),
];
