//! What the Data table node, Evaluation Trigger and Evaluation share: the `dataTableId`
//! resource locator, the row filter parameters (`matchType`, `filters.conditions`) and n8n's
//! errors for the seam's failures.

use serde_json::Value;

use crate::data_tables::{
    DataTableError, RowCondition, RowFilter, RowOperator, TableInfo, TableRef,
};
use crate::description::{Choice, Condition, Group, Literal, Parameter, ParameterKind, Show};
use crate::error::NodeError;
use crate::node::NodeContext;

/// The `dataTableId` resource locator's default.
pub(crate) const TABLE_DEFAULT: Literal = Literal::Object(&[
    ("mode", Literal::String("list")),
    ("value", Literal::String("")),
]);

/// The `dataTableId` parameter with these modes, shown by `show`.
pub(crate) const fn table_parameter(modes: &'static [&'static str], show: Show) -> Parameter {
    Parameter::new(
        "dataTableId",
        "Data table",
        ParameterKind::ResourceLocator { modes },
    )
    .default(TABLE_DEFAULT)
    .required()
    .show(show)
}

const CONDITION_VALUES: &[Parameter] = &[
    Parameter::new("keyName", "Column", ParameterKind::String)
        .default(Literal::String("id"))
        .describe("The column: a system column (id, createdAt, updatedAt) or one of the table's"),
    Parameter::new("condition", "Condition", ParameterKind::String)
        .default(Literal::String("eq"))
        .describe(
            "eq, neq, gt, gte, lt, lte, like (contains, case-sensitive), ilike, isEmpty, \
             isNotEmpty, isTrue, isFalse",
        ),
    Parameter::new("keyValue", "Value", ParameterKind::String).hide(&[(
        "condition",
        &[
            Condition::Is(Literal::String("isEmpty")),
            Condition::Is(Literal::String("isNotEmpty")),
            Condition::Is(Literal::String("isTrue")),
            Condition::Is(Literal::String("isFalse")),
        ],
    )]),
];

const MATCH_TYPES: &[Choice] = &[
    Choice::new("Any Condition", Literal::String("anyCondition")),
    Choice::new("All Conditions", Literal::String("allConditions")),
];

/// n8n's `getSelectFields`: `matchType` and `filters`, shown by `show`.
pub(crate) const fn filter_parameters(show: Show) -> [Parameter; 2] {
    [
        Parameter::new(
            "matchType",
            "Must Match",
            ParameterKind::Options(MATCH_TYPES),
        )
        .default(Literal::String("anyCondition"))
        .show(show),
        Parameter::new(
            "filters",
            "Conditions",
            ParameterKind::FixedCollection {
                multiple: true,
                groups: &[Group {
                    name: "conditions",
                    display_name: "Conditions",
                    values: CONDITION_VALUES,
                }],
            },
        )
        .describe("Filter to decide which rows get")
        .show(show),
    ]
}

/// The table the `dataTableId` parameter names for item `index` (n8n's `name` mode looks it
/// up by name, the others take the value as the id).
pub(crate) fn table_ref(ctx: &NodeContext<'_>, index: usize) -> Result<TableRef, NodeError> {
    let locator = ctx.parameter("dataTableId", index)?;
    let (mode, value) = match &locator {
        Value::Object(fields) => (
            fields.get("mode").and_then(Value::as_str).unwrap_or("id"),
            fields.get("value").cloned().unwrap_or(Value::Null),
        ),
        other => ("id", other.clone()),
    };
    let value = match value {
        Value::String(text) => text,
        Value::Number(number) => number.to_string(),
        _ => String::new(),
    };
    Ok(match mode {
        "name" => TableRef::Name(value),
        _ => TableRef::Id(value),
    })
}

/// The table of item `index`, loaded.
pub(crate) fn table(ctx: &NodeContext<'_>, index: usize) -> Result<TableInfo, NodeError> {
    let reference = table_ref(ctx, index)?;
    ctx.data_tables()?
        .table(&reference)
        .map_err(|error| node_error(error).for_item(index))
}

/// n8n's error for a failed data table operation.
pub(crate) fn node_error(error: DataTableError) -> NodeError {
    match &error {
        DataTableError::NotFound(id) => NodeError::operation(format!(
            "Data table with ID '{id}' could not be found in this project"
        ))
        .with_description(format!(
            "hint: weft keeps data tables in its store: create it with `weft data-tables create \
             --id {id} --name <name> --column <name>:<string|number|boolean|date>` (the table \
             of the exported workflow), or list the tables with `weft data-tables list`"
        )),
        _ => NodeError::operation(error.to_string()),
    }
}

/// True for the failures n8n's service raises as `DataTableValidationError` (not a node
/// error: under continue-on-fail n8n passes the item on without the error).
pub(crate) fn is_validation(error: &NodeError) -> bool {
    error
        .message
        .starts_with("Validation error with data table request:")
}

/// n8n's `getSelectFilter` for item `index` over `table`: every column must exist.
pub(crate) fn row_filter(
    ctx: &NodeContext<'_>,
    index: usize,
    table: &TableInfo,
) -> Result<RowFilter, NodeError> {
    let conditions = ctx
        .optional_parameter("filters.conditions", index)?
        .unwrap_or(Value::Array(Vec::new()));
    let match_type = ctx
        .optional_parameter("matchType", index)?
        .unwrap_or(Value::String("anyCondition".into()));
    let all = match match_type.as_str() {
        Some("allConditions") => true,
        Some("anyCondition") => false,
        _ => return Err(NodeError::operation("unexpected match type").for_item(index)),
    };
    let Value::Array(conditions) = conditions else {
        return Err(NodeError::operation("unexpected fields input").for_item(index));
    };
    let missing: Vec<&str> = conditions
        .iter()
        .filter_map(|condition| condition.get("keyName").and_then(Value::as_str))
        .filter(|name| table.column_type(name).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(NodeError::operation(format!(
            "Filter validation failed: Column(s) \"{}\" do not exist in the selected table. This often happens when switching between tables with different schemas. Please update your filter conditions.",
            missing.join(", ")
        ))
        .for_item(index));
    }
    let mut filter = RowFilter {
        all,
        conditions: Vec::new(),
    };
    for condition in &conditions {
        let column = condition
            .get("keyName")
            .and_then(Value::as_str)
            .ok_or_else(|| NodeError::operation("unexpected fields input").for_item(index))?
            .to_owned();
        let name = condition
            .get("condition")
            .and_then(Value::as_str)
            .unwrap_or("eq");
        let value = condition.get("keyValue").cloned().unwrap_or(Value::Null);
        let (operator, value) = match name {
            "isTrue" => (RowOperator::Eq, Value::Bool(true)),
            "isFalse" => (RowOperator::Eq, Value::Bool(false)),
            other => (
                RowOperator::from_name(other).ok_or_else(|| {
                    NodeError::operation(format!("Unsupported filter condition: {other}"))
                        .for_item(index)
                })?,
                value,
            ),
        };
        filter.conditions.push(RowCondition {
            column,
            operator,
            value,
        });
    }
    Ok(filter)
}
