//! The seam through which nodes reach n8n's data tables (the Data table node, Evaluation
//! Trigger and Evaluation): named tables of typed columns (string, number, boolean, date) whose
//! rows also have `id`, `createdAt` and `updatedAt`. The runtime keeps them in its store and
//! implements [`DataTables`]; the nodes own what their parameters mean.
//!
//! A cell is checked against its column's type as n8n's data table service does
//! ([`cell_for_column`], n8n's `validateFieldType` without strictness): numbers take what
//! JavaScript's `Number()` takes, booleans `true`/`false` in any case and 0/1, dates the forms
//! n8n parses (stored as ISO 8601 in UTC with milliseconds), and a string column keeps numbers as
//! their JavaScript text (SQLite's text affinity, n8n's default database).

use std::fmt;

use serde_json::{Map, Value};

use crate::core::conditions::js::{number_to_string, string_to_number};
use crate::core::conditions::{loose_boolean, parse_date_time_in};

/// The system columns every row has, with their types (n8n's
/// `DATA_TABLE_SYSTEM_COLUMN_TYPE_MAP`).
pub const SYSTEM_COLUMNS: [(&str, ColumnType); 3] = [
    ("id", ColumnType::Number),
    ("createdAt", ColumnType::Date),
    ("updatedAt", ColumnType::Date),
];

/// A column's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// Text.
    String,
    /// A JavaScript number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A moment, kept as ISO 8601 in UTC.
    Date,
}

impl ColumnType {
    /// n8n's name of the type.
    pub fn name(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Number => "number",
            Self::Boolean => "boolean",
            Self::Date => "date",
        }
    }

    /// The type n8n names `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::String, Self::Number, Self::Boolean, Self::Date]
            .into_iter()
            .find(|kind| kind.name() == name)
    }
}

/// One user column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// Its name: a letter, then letters, digits and underscores, at most 63 characters.
    pub name: String,
    /// Its type.
    pub column_type: ColumnType,
}

impl Column {
    /// Why `name` cannot name a user column (n8n's rules), or `None` when it can.
    pub fn name_problem(name: &str) -> Option<String> {
        let mut chars = name.chars();
        let well_formed = chars
            .next()
            .is_some_and(|first| first.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
            && name.len() <= 63;
        if !well_formed {
            return Some(
                "Only alphabetical characters and non-leading numbers and underscores are allowed for column names, and the maximum length is 63 characters.".into(),
            );
        }
        let lower = name.to_lowercase();
        if SYSTEM_COLUMNS
            .iter()
            .any(|(system, _)| system.to_lowercase() == lower)
        {
            return Some(format!(
                "Column name \"{name}\" is reserved as a system column name."
            ));
        }
        if lower == "dryrunstate" {
            return Some(format!(
                "Column name \"{name}\" is reserved as a testing column name."
            ));
        }
        None
    }
}

/// A table: its id, name, columns in order, and when it was made and last changed.
#[derive(Clone, Debug, PartialEq)]
pub struct TableInfo {
    /// The id (n8n's: letters and digits).
    pub id: String,
    /// The name, unique among tables.
    pub name: String,
    /// The user columns, in order.
    pub columns: Vec<Column>,
    /// ISO 8601.
    pub created_at: String,
    /// ISO 8601.
    pub updated_at: String,
}

impl TableInfo {
    /// The type of column `name`, a system column's included.
    pub fn column_type(&self, name: &str) -> Option<ColumnType> {
        SYSTEM_COLUMNS
            .iter()
            .find(|(system, _)| *system == name)
            .map(|(_, kind)| *kind)
            .or_else(|| {
                self.columns
                    .iter()
                    .find(|column| column.name == name)
                    .map(|column| column.column_type)
            })
    }
}

/// How a node names a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableRef {
    /// By id (the resource locator's `id` and `list` modes).
    Id(String),
    /// By name, case-insensitively (the `name` mode).
    Name(String),
}

/// A row: the user columns in order, then `id`, `createdAt`, `updatedAt` (n8n's order).
pub type Row = Map<String, Value>;

/// One condition of a row filter, its value already checked against the column's type.
#[derive(Clone, Debug, PartialEq)]
pub struct RowCondition {
    /// The column, a system column or a user one.
    pub column: String,
    /// What is compared.
    pub operator: RowOperator,
    /// The value compared with (`null` for `eq`/`neq` means "is null"/"is not null").
    pub value: Value,
}

/// The comparisons of n8n's data table filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowOperator {
    /// Equal (`null`: is null).
    Eq,
    /// Not equal, or null (`null`: is not null).
    Neq,
    /// Greater than.
    Gt,
    /// Greater than or equal.
    Gte,
    /// Less than.
    Lt,
    /// Less than or equal.
    Lte,
    /// Contains, case-sensitive (`%` in the value is a wildcard; without one the value may
    /// appear anywhere).
    Like,
    /// Contains, case-insensitive (ASCII letters).
    ILike,
    /// Null or the empty string.
    IsEmpty,
    /// Neither null nor the empty string.
    IsNotEmpty,
}

impl RowOperator {
    /// The operator n8n names `name` (`eq`, `ilike`, …).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "eq" => Self::Eq,
            "neq" => Self::Neq,
            "gt" => Self::Gt,
            "gte" => Self::Gte,
            "lt" => Self::Lt,
            "lte" => Self::Lte,
            "like" => Self::Like,
            "ilike" => Self::ILike,
            "isEmpty" => Self::IsEmpty,
            "isNotEmpty" => Self::IsNotEmpty,
            _ => return None,
        })
    }
}

/// Which rows an operation touches: all conditions must hold, or any.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowFilter {
    /// True: every condition must hold (n8n's `allConditions`); false: any.
    pub all: bool,
    /// The conditions; none selects every row.
    pub conditions: Vec<RowCondition>,
}

/// How rows are ordered: by `column`, then by id ascending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowOrder {
    /// The column, a system column or a user one.
    pub column: String,
    /// Descending when true.
    pub descending: bool,
}

/// One page of rows and how many rows the filter matches in all.
#[derive(Clone, Debug, PartialEq)]
pub struct RowPage {
    /// The rows of the page.
    pub rows: Vec<Row>,
    /// How many rows match.
    pub count: usize,
}

/// Why a data table operation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataTableError {
    /// No table has this id.
    NotFound(String),
    /// No table has this name.
    NameNotFound(String),
    /// Another table has this name.
    NameConflict(String),
    /// The request does not fit the table (n8n's `DataTableValidationError`).
    Validation(String),
    /// The store failed.
    Store(String),
}

impl fmt::Display for DataTableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound(id) => write!(f, "Could not find the data table: '{id}'"),
            Self::NameNotFound(name) => write!(f, "Data table with name \"{name}\" not found"),
            Self::NameConflict(name) => {
                write!(
                    f,
                    "Data table with name '{name}' already exists in this project"
                )
            }
            Self::Validation(message) => {
                write!(f, "Validation error with data table request: {message}")
            }
            Self::Store(message) => write!(f, "The data tables cannot be read or saved: {message}"),
        }
    }
}

impl std::error::Error for DataTableError {}

/// Data tables as the runtime keeps them. Every method is one transaction.
pub trait DataTables: Send + Sync {
    /// The table `reference` names.
    fn table(&self, reference: &TableRef) -> Result<TableInfo, DataTableError>;

    /// Tables whose name contains `name_contains` (case-insensitive), ordered by `order`
    /// (`name`, `createdAt` or `updatedAt`; ascending unless `descending`), `skip` then at most
    /// `take`; with the count of all that match.
    fn tables(
        &self,
        name_contains: Option<&str>,
        order: &RowOrder,
        skip: usize,
        take: Option<usize>,
    ) -> Result<(Vec<TableInfo>, usize), DataTableError>;

    /// Makes a table (with the given id, else a new one).
    fn create_table(
        &self,
        id: Option<&str>,
        name: &str,
        columns: &[Column],
    ) -> Result<TableInfo, DataTableError>;

    /// Renames table `id`.
    fn rename_table(&self, id: &str, name: &str) -> Result<(), DataTableError>;

    /// Removes table `id` and its rows.
    fn delete_table(&self, id: &str) -> Result<(), DataTableError>;

    /// Removes every row of table `id`; the number removed.
    fn clear_rows(&self, id: &str) -> Result<usize, DataTableError>;

    /// Adds a column at the end of table `id`.
    fn add_column(&self, id: &str, column: &Column) -> Result<(), DataTableError>;

    /// Inserts `rows` (cells by column name; missing ones are null) into table `id`, all or
    /// none; the rows as stored.
    fn insert_rows(
        &self,
        id: &str,
        rows: &[Map<String, Value>],
    ) -> Result<Vec<Row>, DataTableError>;

    /// The rows of table `id` that `filter` selects, in `order` (else by id), `skip` then at
    /// most `take`.
    fn rows(
        &self,
        id: &str,
        filter: &RowFilter,
        order: Option<&RowOrder>,
        skip: usize,
        take: Option<usize>,
    ) -> Result<RowPage, DataTableError>;

    /// Sets `data` on the rows `filter` selects; the rows after the change. With `dry_run`,
    /// nothing is written and each row comes twice, as it was and as it would be, marked
    /// `dryRunState: before|after`.
    fn update_rows(
        &self,
        id: &str,
        filter: &RowFilter,
        data: &Map<String, Value>,
        dry_run: bool,
    ) -> Result<Vec<Row>, DataTableError>;

    /// [`DataTables::update_rows`], or when no row matches, inserts `data` as a new row.
    fn upsert_row(
        &self,
        id: &str,
        filter: &RowFilter,
        data: &Map<String, Value>,
        dry_run: bool,
    ) -> Result<Vec<Row>, DataTableError>;

    /// Removes the rows `filter` selects; the rows removed (with `dry_run`, as
    /// [`DataTables::update_rows`] shows them, removing nothing).
    fn delete_rows(
        &self,
        id: &str,
        filter: &RowFilter,
        dry_run: bool,
    ) -> Result<Vec<Row>, DataTableError>;
}

/// `value` as a cell of column `name` of type `column_type` (n8n's `validateAndTransformCell`),
/// or the validation message.
pub fn cell_for_column(
    name: &str,
    column_type: ColumnType,
    value: &Value,
) -> Result<Value, String> {
    let mismatch = |detail: &str| {
        format!(
            "value '{}' does not match column type '{}': '{name}' expects a {} but we got {detail}",
            js_text(value),
            column_type.name(),
            match column_type {
                ColumnType::Date => "dateTime",
                other => other.name(),
            },
        )
    };
    match (column_type, value) {
        (_, Value::Null) => Ok(Value::Null),
        (ColumnType::String, Value::Number(number)) => Ok(Value::String(number_to_string(
            number.as_f64().unwrap_or(f64::NAN),
        ))),
        (ColumnType::String, Value::Bool(flag)) => {
            Ok(Value::String(if *flag { "1" } else { "0" }.into()))
        }
        (ColumnType::String, Value::String(_)) => Ok(value.clone()),
        (ColumnType::Number, Value::Number(_)) => Ok(value.clone()),
        (ColumnType::Number, Value::String(text)) => {
            let number = string_to_number(text);
            serde_json::Number::from_f64(number)
                .map(Value::Number)
                .ok_or_else(|| mismatch(&format!("'{text}'")))
        }
        (ColumnType::Number, Value::Bool(flag)) => Ok(Value::from(u8::from(*flag))),
        (ColumnType::Boolean, _) => loose_boolean(value)
            .map(Value::Bool)
            .ok_or_else(|| mismatch(&describe(value))),
        (ColumnType::Date, Value::String(text)) => parse_date_time_in(text, chrono_tz::Tz::UTC)
            .map(|moment| Value::String(moment.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()))
            .ok_or_else(|| mismatch(&format!("'{text}'"))),
        (ColumnType::Date, Value::Number(number)) => number
            .as_f64()
            .and_then(|millis| chrono::DateTime::from_timestamp_millis(millis as i64))
            .map(|moment| Value::String(moment.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()))
            .ok_or_else(|| mismatch(&describe(value))),
        _ => Err(mismatch(&describe(value))),
    }
}

/// n8n's `getValueDescription`: how an error message names a value's type.
fn describe(value: &Value) -> String {
    match value {
        Value::Object(_) => "object".into(),
        Value::Array(_) => "array".into(),
        Value::String(text) => format!("'{text}'"),
        other => format!("'{other}'"),
    }
}

/// JavaScript's `String(value)`.
fn js_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Number(number) => number_to_string(number.as_f64().unwrap_or(f64::NAN)),
        Value::Object(_) => "[object Object]".into(),
        Value::Array(items) => items.iter().map(js_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn cells_are_converted_as_n8n_converts_them() {
        let cases = [
            (ColumnType::String, json!(5), Ok(json!("5"))),
            (ColumnType::String, json!(1.5), Ok(json!("1.5"))),
            (ColumnType::String, json!(null), Ok(json!(null))),
            (ColumnType::Number, json!(" 12 "), Ok(json!(12.0))),
            (ColumnType::Number, json!(""), Ok(json!(0.0))),
            (ColumnType::Number, json!(true), Ok(json!(1))),
            (ColumnType::Boolean, json!("TRUE"), Ok(json!(true))),
            (ColumnType::Boolean, json!(0), Ok(json!(false))),
            (
                ColumnType::Date,
                json!("2024-03-01T10:00:00+01:00"),
                Ok(json!("2024-03-01T09:00:00.000Z")),
            ),
            (
                ColumnType::Date,
                json!("2024-03-01"),
                Ok(json!("2024-03-01T00:00:00.000Z")),
            ),
        ];
        for (column_type, value, expected) in cases {
            assert_eq!(
                cell_for_column("c", column_type, &value),
                expected,
                "{column_type:?} {value}"
            );
        }
        assert_eq!(
            cell_for_column("age", ColumnType::Number, &json!("abc")).unwrap_err(),
            "value 'abc' does not match column type 'number': 'age' expects a number but we got 'abc'"
        );
        assert!(cell_for_column("flag", ColumnType::Boolean, &json!("yes")).is_err());
        assert!(cell_for_column("when", ColumnType::Date, &json!("soon")).is_err());
        assert!(cell_for_column("name", ColumnType::String, &json!({"a": 1})).is_err());
    }

    #[test]
    fn column_names_follow_n8ns_rules() {
        assert_eq!(Column::name_problem("email_2"), None);
        for bad in ["2nd", "with space", "", "id", "CreatedAt", "dryRunState"] {
            assert!(Column::name_problem(bad).is_some(), "{bad}");
        }
    }
}
