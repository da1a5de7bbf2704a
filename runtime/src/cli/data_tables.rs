//! `weft data-tables`: the data tables the Data table node, Evaluation Trigger and Evaluation
//! use. A workflow exported from n8n names its table by id, so `create --id` makes the table
//! under that id; `list`, `show` (the rows as JSON) and `delete` manage them.

use std::io::Write;
use std::process::ExitCode;

use serde_json::{Value, json};
use weft_nodes::data_tables::{Column, ColumnType, DataTables, RowFilter, RowOrder, TableRef};

use super::js_json;
use super::table;
use super::terminal_text::escaped;
use crate::store::Store;

/// A `--column name:type` argument.
pub fn parse_column(text: &str) -> Result<Column, String> {
    let (name, kind) = text.split_once(':').unwrap_or((text, "string"));
    let column_type = ColumnType::from_name(kind).ok_or_else(|| {
        format!("the column type `{kind}` is not one of string, number, boolean, date")
    })?;
    if let Some(problem) = Column::name_problem(name) {
        return Err(problem);
    }
    Ok(Column {
        name: name.to_owned(),
        column_type,
    })
}

/// Prints `value` as pretty JSON with JavaScript's numbers.
fn print_json(value: &Value) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    js_json::to_writer_pretty(&mut stdout, value)?;
    writeln!(stdout)?;
    Ok(())
}

/// Refuses with the store's message and a hint.
fn refused(error: weft_nodes::data_tables::DataTableError) -> anyhow::Result<ExitCode> {
    eprintln!("error: {error}\n  hint: `weft data-tables list` shows the tables");
    Ok(ExitCode::from(1))
}

/// The table an id or, failing that, a name names.
fn find(
    store: &Store,
    id_or_name: &str,
) -> Result<weft_nodes::data_tables::TableInfo, weft_nodes::data_tables::DataTableError> {
    store
        .table(&TableRef::Id(id_or_name.to_owned()))
        .or_else(|_| {
            let order = RowOrder {
                column: "name".into(),
                descending: false,
            };
            let (tables, _) = store.tables(Some(id_or_name), &order, 0, None)?;
            tables
                .into_iter()
                .find(|table| table.name == id_or_name)
                .ok_or_else(|| {
                    weft_nodes::data_tables::DataTableError::NotFound(id_or_name.to_owned())
                })
        })
}

/// `create`: a table with these columns, under `id` if given.
pub fn create(id: Option<&str>, name: &str, columns: &[Column]) -> anyhow::Result<ExitCode> {
    match Store::open_default()?.create_table(id, name, columns) {
        Ok(table) => {
            println!(
                "created data table {} ({})",
                escaped(&table.id),
                escaped(&table.name)
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => refused(error),
    }
}

/// `list`: every table with its columns and row count.
pub fn list(as_json: bool) -> anyhow::Result<ExitCode> {
    let store = Store::open_default()?;
    let order = RowOrder {
        column: "name".into(),
        descending: false,
    };
    let (tables, _) = match store.tables(None, &order, 0, None) {
        Ok(found) => found,
        Err(error) => return refused(error),
    };
    let mut rows = Vec::new();
    let mut documents = Vec::new();
    for table in &tables {
        let count = match store.rows(&table.id, &RowFilter::default(), None, 0, Some(0)) {
            Ok(page) => page.count,
            Err(error) => return refused(error),
        };
        let columns: Vec<String> = table
            .columns
            .iter()
            .map(|column| format!("{}:{}", column.name, column.column_type.name()))
            .collect();
        documents
            .push(json!({"id": table.id, "name": table.name, "columns": columns, "rows": count}));
        rows.push(vec![
            escaped(&table.id).into_owned(),
            escaped(&table.name).into_owned(),
            escaped(&columns.join(", ")).into_owned(),
            count.to_string(),
        ]);
    }
    if as_json {
        print_json(&Value::Array(documents))?;
    } else {
        table::print(&["ID", "NAME", "COLUMNS", "ROWS"], &rows);
    }
    Ok(ExitCode::SUCCESS)
}

/// `show`: the rows of a table as a JSON array (what the Data table node's get puts out).
pub fn show(id_or_name: &str, limit: Option<usize>) -> anyhow::Result<ExitCode> {
    let store = Store::open_default()?;
    let table = match find(&store, id_or_name) {
        Ok(table) => table,
        Err(error) => return refused(error),
    };
    match store.rows(&table.id, &RowFilter::default(), None, 0, limit) {
        Ok(page) => {
            let rows = page.rows.into_iter().map(Value::Object).collect();
            print_json(&Value::Array(rows))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => refused(error),
    }
}

/// `delete`: a table and its rows.
pub fn delete(id_or_name: &str) -> anyhow::Result<ExitCode> {
    let store = Store::open_default()?;
    let table = match find(&store, id_or_name) {
        Ok(table) => table,
        Err(error) => return refused(error),
    };
    match store.delete_table(&table.id) {
        Ok(()) => {
            println!(
                "deleted data table {} ({})",
                escaped(&table.id),
                escaped(&table.name)
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => refused(error),
    }
}
