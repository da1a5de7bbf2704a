//! The Data table node's parameters, as n8n 2.41.1 declares them (typeVersions 1 and 1.1).

use crate::description::{
    Choice, Condition, Group, Literal, NodeDescription, Parameter, ParameterKind,
};

use super::common::{filter_parameters, table_parameter};

const ROW: &[(&str, &[Condition])] = &[("resource", &[Condition::Is(Literal::String("row"))])];
const TABLE: &[(&str, &[Condition])] = &[("resource", &[Condition::Is(Literal::String("table"))])];

macro_rules! row_operation {
    ($($operation:literal),+) => {
        &[
            ("resource", &[Condition::Is(Literal::String("row"))]),
            ("operation", &[$(Condition::Is(Literal::String($operation))),+]),
        ]
    };
}

macro_rules! table_operation {
    ($($operation:literal),+) => {
        &[
            ("resource", &[Condition::Is(Literal::String("table"))]),
            ("operation", &[$(Condition::Is(Literal::String($operation))),+]),
        ]
    };
}

const FILTERED: &[(&str, &[Condition])] = row_operation!(
    "deleteRows",
    "get",
    "rowExists",
    "rowNotExists",
    "update",
    "upsert"
);
const GET: &[(&str, &[Condition])] = row_operation!("get");
const WRITES: &[(&str, &[Condition])] = row_operation!("insert", "update", "upsert");
const DRY_RUN_OPERATIONS: &[(&str, &[Condition])] =
    row_operation!("update", "upsert", "deleteRows");
const CREATE: &[(&str, &[Condition])] = table_operation!("create");
const LIST: &[(&str, &[Condition])] = table_operation!("list");

const FILTER: [Parameter; 2] = filter_parameters(FILTERED);

const DRY_RUN: Parameter = Parameter::new("dryRun", "Dry Run", ParameterKind::Boolean)
    .default(Literal::Bool(false))
    .describe(
        "Whether the operation simulates and returns affected rows in their \"before\" and \"after\" states",
    );

const COLUMN_VALUES: &[Parameter] = &[
    Parameter::new("name", "Name", ParameterKind::String)
        .required()
        .describe("The name of the column"),
    Parameter::new(
        "type",
        "Type",
        ParameterKind::Options(&[
            Choice::new("Boolean", Literal::String("boolean")),
            Choice::new("Date", Literal::String("date")),
            Choice::new("Number", Literal::String("number")),
            Choice::new("String", Literal::String("string")),
        ]),
    )
    .default(Literal::String("string"))
    .describe("The type of the column"),
];

pub(super) static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.dataTable",
    display_name: "Data table",
    description: "Permanently save data across workflow executions in a table",
    versions: &[1.0, 1.1],
    versioned: true,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "resource",
            "Resource",
            ParameterKind::Options(&[
                Choice::new("Row", Literal::String("row")),
                Choice::new("Table", Literal::String("table")),
            ]),
        )
        .default(Literal::String("row"))
        .no_data_expression(),
        Parameter::new(
            "operation",
            "Operation",
            ParameterKind::Options(&[
                Choice::new("Delete", Literal::String("deleteRows")),
                Choice::new("Get", Literal::String("get")),
                Choice::new("If Row Exists", Literal::String("rowExists")),
                Choice::new("If Row Does Not Exist", Literal::String("rowNotExists")),
                Choice::new("Insert", Literal::String("insert")),
                Choice::new("Update", Literal::String("update")),
                Choice::new("Upsert", Literal::String("upsert")),
            ]),
        )
        .default(Literal::String("insert"))
        .no_data_expression()
        .show(ROW),
        table_parameter(&["list", "name", "id"], ROW),
        FILTER[0],
        FILTER[1],
        Parameter::new("columns", "Columns", ParameterKind::ResourceMapper)
            .default(Literal::Object(&[
                ("mappingMode", Literal::String("defineBelow")),
                ("value", Literal::Null),
            ]))
            .no_data_expression()
            .required()
            .describe("The row's cells: autoMapInputData takes the input item's fields, defineBelow the values given")
            .show(WRITES),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[Parameter::new(
                "optimizeBulk",
                "Optimize Bulk",
                ParameterKind::Boolean,
            )
            .default(Literal::Bool(false))
            .no_data_expression()
            .describe("Whether to improve bulk insert performance 5x by not returning inserted data")]),
        )
        .show(row_operation!("insert")),
        Parameter::new("returnAll", "Return All", ParameterKind::Boolean)
            .default(Literal::Bool(false))
            .describe("Whether to return all results or only up to a given limit")
            .show(GET),
        Parameter::new("limit", "Limit Per Input Row", ParameterKind::Number)
            .default(Literal::Number(50.0))
            .describe("Max number of results to return")
            .show(&[
                ("resource", &[Condition::Is(Literal::String("row"))]),
                ("operation", &[Condition::Is(Literal::String("get"))]),
                ("returnAll", &[Condition::Is(Literal::Bool(false))]),
            ]),
        Parameter::new("orderBy", "Order By", ParameterKind::Boolean)
            .default(Literal::Bool(false))
            .describe("Whether to sort the results by a column")
            .show(GET),
        Parameter::new("orderByColumn", "Order By Column", ParameterKind::String)
            .default(Literal::String("createdAt"))
            .show(&[
                ("resource", &[Condition::Is(Literal::String("row"))]),
                ("operation", &[Condition::Is(Literal::String("get"))]),
                ("orderBy", &[Condition::Is(Literal::Bool(true))]),
            ]),
        Parameter::new(
            "orderByDirection",
            "Order By Direction",
            ParameterKind::Options(&[
                Choice::new("Ascending", Literal::String("ASC")),
                Choice::new("Descending", Literal::String("DESC")),
            ]),
        )
        .default(Literal::String("DESC"))
        .describe("Sort direction for the column")
        .show(&[
            ("resource", &[Condition::Is(Literal::String("row"))]),
            ("operation", &[Condition::Is(Literal::String("get"))]),
            ("orderBy", &[Condition::Is(Literal::Bool(true))]),
        ]),
        Parameter::new("options", "Options", ParameterKind::Collection(&[DRY_RUN]))
            .show(DRY_RUN_OPERATIONS),
        Parameter::new(
            "operation",
            "Operation",
            ParameterKind::Options(&[
                Choice::new("Clear", Literal::String("clear")),
                Choice::new("Create", Literal::String("create")),
                Choice::new("Delete", Literal::String("delete")),
                Choice::new("List", Literal::String("list")),
                Choice::new("Rename", Literal::String("update")),
            ]),
        )
        .default(Literal::String("list"))
        .no_data_expression()
        .show(TABLE),
        table_parameter(
            &["list", "name", "id"],
            table_operation!("clear", "delete", "update"),
        ),
        Parameter::new("tableName", "Name", ParameterKind::String)
            .required()
            .describe("The name of the data table to create")
            .show(CREATE),
        Parameter::new(
            "columns",
            "Columns",
            ParameterKind::FixedCollection {
                multiple: true,
                groups: &[Group {
                    name: "column",
                    display_name: "Column",
                    values: COLUMN_VALUES,
                }],
            },
        )
        .describe("The columns to create in the data table")
        .show(CREATE),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[Parameter::new(
                "createIfNotExists",
                "Reuse Existing Tables",
                ParameterKind::Boolean,
            )
            .default(Literal::Bool(true))
            .describe("Whether to return existing table if one exists with the same name without throwing an error")]),
        )
        .show(CREATE),
        Parameter::new("returnAll", "Return All", ParameterKind::Boolean)
            .default(Literal::Bool(true))
            .describe("Whether to return all results or only up to a given limit")
            .show(LIST),
        Parameter::new("limit", "Limit Per Input Row", ParameterKind::Number)
            .default(Literal::Number(50.0))
            .describe("Max number of results to return")
            .show(&[
                ("resource", &[Condition::Is(Literal::String("table"))]),
                ("operation", &[Condition::Is(Literal::String("list"))]),
                ("returnAll", &[Condition::Is(Literal::Bool(false))]),
            ]),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[
                Parameter::new("filterName", "Filter by Name", ParameterKind::String)
                    .describe("Filter data tables by name (case-insensitive)"),
                Parameter::new(
                    "sortField",
                    "Sort Field",
                    ParameterKind::Options(&[
                        Choice::new("Created", Literal::String("createdAt")),
                        Choice::new("Name", Literal::String("name")),
                        Choice::new("Updated", Literal::String("updatedAt")),
                    ]),
                )
                .default(Literal::String("name"))
                .describe("Field to sort by"),
                Parameter::new(
                    "sortDirection",
                    "Sort Direction",
                    ParameterKind::Options(&[
                        Choice::new("Ascending", Literal::String("asc")),
                        Choice::new("Descending", Literal::String("desc")),
                    ]),
                )
                .default(Literal::String("asc")),
            ]),
        )
        .show(LIST),
        Parameter::new("newName", "New Name", ParameterKind::String)
            .required()
            .describe("The new name for the data table")
            .show(table_operation!("update")),
    ],
    credentials: &[],
};
