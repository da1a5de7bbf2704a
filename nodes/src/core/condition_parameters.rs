//! What IF, Filter and Switch share around the condition engine: the legacy conditions'
//! parameters (v1), the type-validation parameters, and reading a filter parameter for an item
//! with the options n8n's `typeOptions.filter` derives from the node's own parameters.

use serde_json::Value;

use super::conditions::{ConditionError, Filter, FilterOptions, Validation, legacy};
use crate::description::{Choice, Condition, Group, Literal, Parameter, ParameterKind};
use crate::error::NodeError;
use crate::node::NodeContext;

/// Shown for these `operation` values of a legacy rule.
const REGEX_OPERATIONS: &[(&str, &[Condition])] = &[(
    "operation",
    &[
        Condition::Is(Literal::String("regex")),
        Condition::Is(Literal::String("notRegex")),
    ],
)];
const EMPTY_OPERATIONS: &[(&str, &[Condition])] = &[(
    "operation",
    &[
        Condition::Is(Literal::String("isEmpty")),
        Condition::Is(Literal::String("isNotEmpty")),
    ],
)];
const EMPTY_OR_REGEX: &[(&str, &[Condition])] = &[(
    "operation",
    &[
        Condition::Is(Literal::String("isEmpty")),
        Condition::Is(Literal::String("isNotEmpty")),
        Condition::Is(Literal::String("regex")),
        Condition::Is(Literal::String("notRegex")),
    ],
)];

const fn choice(value: &'static str) -> Choice {
    Choice::new(value, Literal::String(value))
}

/// The operations of a legacy boolean condition.
pub const BOOLEAN_OPERATIONS: &[Choice] = &[choice("equal"), choice("notEqual")];
/// The operations of a legacy dateTime condition.
pub const DATE_OPERATIONS: &[Choice] = &[choice("after"), choice("before")];
/// The operations of a legacy number condition (IF/Filter v1 add the empty checks).
pub const NUMBER_OPERATIONS: &[Choice] = &[
    choice("smaller"),
    choice("smallerEqual"),
    choice("equal"),
    choice("notEqual"),
    choice("larger"),
    choice("largerEqual"),
    choice("isEmpty"),
    choice("isNotEmpty"),
];
/// The operations of a legacy string condition.
pub const STRING_OPERATIONS: &[Choice] = &[
    choice("contains"),
    choice("notContains"),
    choice("endsWith"),
    choice("notEndsWith"),
    choice("equal"),
    choice("notEqual"),
    choice("regex"),
    choice("notRegex"),
    choice("startsWith"),
    choice("notStartsWith"),
    choice("isEmpty"),
    choice("isNotEmpty"),
];

const fn operation(choices: &'static [Choice], default: &'static str) -> Parameter {
    Parameter::new("operation", "Operation", ParameterKind::Options(choices))
        .default(Literal::String(default))
}

/// The `conditions` fixedCollection of IF v1 and Filter v1, shown by `show`.
pub const fn legacy_conditions(show: &'static [(&'static str, &'static [Condition])]) -> Parameter {
    const GROUPS: &[Group] = &[
        Group {
            name: "boolean",
            display_name: "Boolean",
            values: &[
                Parameter::new("value1", "Value 1", ParameterKind::Boolean),
                operation(BOOLEAN_OPERATIONS, "equal"),
                Parameter::new("value2", "Value 2", ParameterKind::Boolean),
            ],
        },
        Group {
            name: "dateTime",
            display_name: "Date & Time",
            values: &[
                Parameter::new("value1", "Value 1", ParameterKind::DateTime),
                operation(DATE_OPERATIONS, "after"),
                Parameter::new("value2", "Value 2", ParameterKind::DateTime),
            ],
        },
        Group {
            name: "number",
            display_name: "Number",
            values: &[
                Parameter::new("value1", "Value 1", ParameterKind::Number),
                operation(NUMBER_OPERATIONS, "smaller").no_data_expression(),
                Parameter::new("value2", "Value 2", ParameterKind::Number).hide(EMPTY_OPERATIONS),
            ],
        },
        Group {
            name: "string",
            display_name: "String",
            values: &[
                Parameter::new("value1", "Value 1", ParameterKind::String),
                operation(STRING_OPERATIONS, "equal").no_data_expression(),
                Parameter::new("value2", "Value 2", ParameterKind::String).hide(EMPTY_OR_REGEX),
                Parameter::new("value2", "Regex", ParameterKind::String).show(REGEX_OPERATIONS),
            ],
        },
    ];
    Parameter::new(
        "conditions",
        "Conditions",
        ParameterKind::FixedCollection {
            multiple: true,
            groups: GROUPS,
        },
    )
    .describe("The type of values to compare")
    .show(show)
}

/// Where a node keeps its `looseTypeValidation` switch: in `options` before `since`, at the top
/// level from then on (IF and Filter 2.1, Switch 3.1).
#[derive(Clone, Copy, Debug)]
pub struct FilterNode {
    /// The typeVersion from which `looseTypeValidation` is a top-level parameter.
    pub top_level_loose_since: f64,
    /// The filter version per typeVersion: `(from typeVersion, filter version)`, ascending.
    pub filter_versions: &'static [(f64, u8)],
}

impl FilterNode {
    /// The options n8n's `typeOptions.filter` gives this node for item `item`:
    /// `caseSensitive = !options.ignoreCase`, the type validation from `looseTypeValidation`,
    /// the filter version from the typeVersion.
    pub fn derived_options(
        &self,
        ctx: &NodeContext<'_>,
        item: usize,
    ) -> Result<FilterOptions, NodeError> {
        let version = ctx.node().type_version;
        let truthy = |value: Option<Value>| {
            value.is_some_and(|value| !matches!(value, Value::Null | Value::Bool(false)))
        };
        let ignore_case = truthy(ctx.optional_parameter("options.ignoreCase", item)?);
        let loose_path = if version < self.top_level_loose_since {
            "options.looseTypeValidation"
        } else {
            "looseTypeValidation"
        };
        let loose = truthy(ctx.optional_parameter(loose_path, item)?);
        let filter_version = self
            .filter_versions
            .iter()
            .rev()
            .find(|(since, _)| version >= *since)
            .map_or(1, |(_, filter)| *filter);
        Ok(FilterOptions {
            case_sensitive: !ignore_case,
            validation: Validation {
                strict: !loose,
                version: filter_version,
            },
        })
    }

    /// Whether item `item` passes the filter parameter at `path`.
    pub fn passes(
        &self,
        ctx: &NodeContext<'_>,
        path: &str,
        item: usize,
    ) -> Result<bool, NodeError> {
        let value = ctx.optional_parameter(path, item)?.unwrap_or(Value::Null);
        let filter = Filter::read(&value, self.derived_options(ctx, item)?);
        filter.passes(item).map_err(|error| item_error(error, item))
    }
}

/// A condition error as the node's error for item `item` (`context.itemIndex`).
pub fn item_error(error: ConditionError, item: usize) -> NodeError {
    NodeError::from(error)
        .with_context("itemIndex", Value::from(item))
        .for_item(item)
}

/// Whether item `item` passes the legacy conditions, all of them or (`any`) one.
pub fn legacy_passes(ctx: &NodeContext<'_>, item: usize, any: bool) -> Result<bool, NodeError> {
    let conditions = ctx
        .optional_parameter("conditions", item)?
        .unwrap_or(Value::Null);
    legacy::conditions_pass(&conditions, any).map_err(|error| item_error(error, item))
}

/// The shared `looseTypeValidation` parameter (a top-level one or an option).
pub const fn loose_type_validation() -> Parameter {
    Parameter::new(
        "looseTypeValidation",
        "Convert types where required",
        ParameterKind::Boolean,
    )
    .describe("If the type of an expression doesn't match the type of the comparison, n8n will try to cast the expression to the required type. E.g. for booleans \"false\" or 0 will be cast to false")
}
