//! n8n's data tables in the store ([`DataTables`] for [`Store`]): tables, their typed columns and
//! rows whose cells are a JSON object. Every cell written goes through
//! [`weft_nodes::data_tables::cell_for_column`], so stored cells always have their column's
//! type; filters become SQL over `json_extract` with bound values, as n8n's SQLite queries are
//! (`GLOB` for case-sensitive contains, `UPPER … LIKE` for case-insensitive). Each method is one
//! write transaction; a dry run is rolled back.

use rusqlite::types::Value as SqlValue;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params, params_from_iter};
use serde_json::{Map, Value};
use weft_nodes::data_tables::{
    Column, ColumnType, DataTableError, DataTables, Row, RowCondition, RowFilter, RowOperator,
    RowOrder, RowPage, TableInfo, TableRef, cell_for_column,
};

use super::Store;
use super::ids::id_or_new;

impl Store {
    /// Runs `f` in a write transaction, committed when `f` succeeds and `commit` holds.
    fn with_tables<T>(
        &self,
        commit: bool,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, DataTableError>,
    ) -> Result<T, DataTableError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(store_error)?;
        let value = f(&tx)?;
        if commit {
            tx.commit().map_err(store_error)?;
        }
        Ok(value)
    }
}

fn store_error(error: rusqlite::Error) -> DataTableError {
    DataTableError::Store(error.to_string())
}

/// The current time as n8n writes it: ISO 8601 in UTC with milliseconds.
fn now() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

fn load_table(tx: &Transaction<'_>, id: &str) -> Result<TableInfo, DataTableError> {
    let found = tx
        .query_row(
            "SELECT id, name, created_at, updated_at FROM data_tables WHERE id = ?1",
            [id],
            |row| {
                Ok(TableInfo {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    columns: Vec::new(),
                    created_at: row.get(2)?,
                    updated_at: row.get(3)?,
                })
            },
        )
        .optional()
        .map_err(store_error)?;
    let mut table = found.ok_or_else(|| DataTableError::NotFound(id.to_owned()))?;
    let mut statement = tx
        .prepare("SELECT name, type FROM data_table_columns WHERE table_id = ?1 ORDER BY position")
        .map_err(store_error)?;
    let columns = statement
        .query_map([id], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })
        .map_err(store_error)?;
    for column in columns {
        let (name, kind) = column.map_err(store_error)?;
        let column_type = ColumnType::from_name(&kind)
            .ok_or_else(|| DataTableError::Store(format!("column {name} has type {kind}")))?;
        table.columns.push(Column { name, column_type });
    }
    Ok(table)
}

fn touch(tx: &Transaction<'_>, id: &str) -> Result<(), DataTableError> {
    tx.execute(
        "UPDATE data_tables SET updated_at = ?2 WHERE id = ?1",
        params![id, now()],
    )
    .map_err(store_error)?;
    Ok(())
}

/// A stored row as n8n puts it out: the columns in order, then `id`, `createdAt`, `updatedAt`.
fn output_row(table: &TableInfo, stored: &StoredRow) -> Row {
    let mut row = Map::new();
    for column in &table.columns {
        let cell = stored
            .cells
            .get(&column.name)
            .cloned()
            .unwrap_or(Value::Null);
        row.insert(column.name.clone(), cell);
    }
    row.insert("id".into(), Value::from(stored.id));
    row.insert("createdAt".into(), Value::String(stored.created_at.clone()));
    row.insert("updatedAt".into(), Value::String(stored.updated_at.clone()));
    row
}

struct StoredRow {
    id: i64,
    created_at: String,
    updated_at: String,
    cells: Map<String, Value>,
}

/// The cells of `data` checked against `table`'s columns.
fn checked_cells(
    table: &TableInfo,
    data: &Map<String, Value>,
) -> Result<Map<String, Value>, DataTableError> {
    let mut cells = Map::new();
    for (name, value) in data {
        let Some(column) = table.columns.iter().find(|column| &column.name == name) else {
            return Err(DataTableError::Validation(format!(
                "unknown column name '{name}'"
            )));
        };
        let cell =
            cell_for_column(name, column.column_type, value).map_err(DataTableError::Validation)?;
        cells.insert(name.clone(), cell);
    }
    Ok(cells)
}

/// The SQL of a column: a system column's own, a user column's cell.
fn column_sql(name: &str) -> String {
    match name {
        "id" => "id".into(),
        "createdAt" => "created_at".into(),
        "updatedAt" => "updated_at".into(),
        // Column names are letters, digits and underscores (checked when created).
        user => format!("json_extract(cells, '$.\"{user}\"')"),
    }
}

fn sql_value(value: &Value) -> SqlValue {
    match value {
        Value::Null => SqlValue::Null,
        Value::Bool(flag) => SqlValue::Integer(i64::from(*flag)),
        Value::Number(number) => SqlValue::Real(number.as_f64().unwrap_or(f64::NAN)),
        Value::String(text) => SqlValue::Text(text.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

/// n8n's `toSqliteGlobFromPercent`: `%` is any text, GLOB's own wildcards are literal.
fn glob_pattern(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '%' => "*".into(),
            '[' => "[[]".into(),
            ']' => "[]]".into(),
            '*' => "[*]".into(),
            '?' => "[?]".into(),
            other => other.to_string(),
        })
        .collect()
}

/// The WHERE clause (after `table_id = ?`) of `filter` over `table`, with its values; the
/// conditions' values are checked as n8n's `validateAndTransformFilters` checks them.
fn filter_sql(
    table: &TableInfo,
    filter: &RowFilter,
) -> Result<(String, Vec<SqlValue>), DataTableError> {
    let mut parts = Vec::new();
    let mut values = Vec::new();
    for condition in &filter.conditions {
        let RowCondition {
            column,
            operator,
            value,
        } = condition;
        let Some(column_type) = table.column_type(column) else {
            return Err(DataTableError::Validation(format!(
                "unknown column name '{column}'"
            )));
        };
        let value =
            cell_for_column(column, column_type, value).map_err(DataTableError::Validation)?;
        let sql = column_sql(column);
        let is_string = column_type == ColumnType::String;
        let part = match (operator, &value) {
            (RowOperator::IsEmpty, _) if is_string => format!("({sql} IS NULL OR {sql} = '')"),
            (RowOperator::IsNotEmpty, _) if is_string => {
                format!("({sql} IS NOT NULL AND {sql} != '')")
            }
            (RowOperator::IsEmpty, _) | (RowOperator::Eq, Value::Null) => format!("{sql} IS NULL"),
            (RowOperator::IsNotEmpty, _) | (RowOperator::Neq, Value::Null) => {
                format!("{sql} IS NOT NULL")
            }
            (RowOperator::Like | RowOperator::ILike, Value::Null)
            | (
                RowOperator::Gt | RowOperator::Gte | RowOperator::Lt | RowOperator::Lte,
                Value::Null,
            ) => {
                return Err(DataTableError::Validation(format!(
                    "{} filter value cannot be null or undefined",
                    operator_name(*operator).to_uppercase()
                )));
            }
            (RowOperator::Like | RowOperator::ILike, Value::String(text)) => {
                let pattern = if text.contains('%') {
                    text.clone()
                } else {
                    format!("%{text}%")
                };
                if *operator == RowOperator::Like {
                    values.push(SqlValue::Text(glob_pattern(&pattern)));
                    format!("{sql} GLOB ?")
                } else {
                    values.push(SqlValue::Text(
                        pattern.replace('\\', "\\\\").replace('_', "\\_"),
                    ));
                    format!("UPPER({sql}) LIKE UPPER(?) ESCAPE '\\'")
                }
            }
            (RowOperator::Like | RowOperator::ILike, _) => {
                return Err(DataTableError::Validation(format!(
                    "{} filter value must be a string",
                    operator_name(*operator).to_uppercase()
                )));
            }
            (RowOperator::Neq, _) => {
                values.push(sql_value(&value));
                format!("({sql} != ? OR {sql} IS NULL)")
            }
            (comparison, _) => {
                values.push(sql_value(&value));
                let symbol = match comparison {
                    RowOperator::Gt => ">",
                    RowOperator::Gte => ">=",
                    RowOperator::Lt => "<",
                    RowOperator::Lte => "<=",
                    _ => "=",
                };
                format!("{sql} {symbol} ?")
            }
        };
        parts.push(part);
    }
    if parts.is_empty() {
        return Ok((String::new(), values));
    }
    let joiner = if filter.all { " AND " } else { " OR " };
    Ok((format!(" AND ({})", parts.join(joiner)), values))
}

fn operator_name(operator: RowOperator) -> &'static str {
    match operator {
        RowOperator::Like => "like",
        RowOperator::ILike => "ilike",
        RowOperator::Gt => "gt",
        RowOperator::Gte => "gte",
        RowOperator::Lt => "lt",
        RowOperator::Lte => "lte",
        _ => "eq",
    }
}

/// The rows of `table` that `filter` selects, ordered, paged; and how many match.
fn select_rows(
    tx: &Transaction<'_>,
    table: &TableInfo,
    filter: &RowFilter,
    order: Option<&RowOrder>,
    skip: usize,
    take: Option<usize>,
) -> Result<(Vec<StoredRow>, usize), DataTableError> {
    let (clause, filter_values) = filter_sql(table, filter)?;
    let mut values = vec![SqlValue::Text(table.id.clone())];
    values.extend(filter_values);
    let count: i64 = tx
        .query_row(
            &format!("SELECT COUNT(*) FROM data_table_rows WHERE table_id = ?{clause}"),
            params_from_iter(values.iter()),
            |row| row.get(0),
        )
        .map_err(store_error)?;
    let order_sql = match order {
        Some(order) => {
            if table.column_type(&order.column).is_none() {
                return Err(DataTableError::Validation(format!(
                    "unknown column name '{}'",
                    order.column
                )));
            }
            let direction = if order.descending { "DESC" } else { "ASC" };
            format!("{} {direction}, id ASC", column_sql(&order.column))
        }
        None => "id ASC".into(),
    };
    let limit = take.map_or(-1, |take| take as i64);
    let sql = format!(
        "SELECT id, created_at, updated_at, cells FROM data_table_rows WHERE table_id = ?{clause} \
         ORDER BY {order_sql} LIMIT {limit} OFFSET {skip}"
    );
    let mut statement = tx.prepare(&sql).map_err(store_error)?;
    let rows = statement
        .query_map(params_from_iter(values.iter()), |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
            ))
        })
        .map_err(store_error)?;
    let mut found = Vec::new();
    for row in rows {
        let (id, created_at, updated_at, cells) = row.map_err(store_error)?;
        let cells = serde_json::from_str(&cells).map_err(|error| {
            DataTableError::Store(format!(
                "row {id} of table {} is not JSON: {error}",
                table.id
            ))
        })?;
        found.push(StoredRow {
            id,
            created_at,
            updated_at,
            cells,
        });
    }
    Ok((found, count as usize))
}

fn insert(
    tx: &Transaction<'_>,
    table: &TableInfo,
    data: &Map<String, Value>,
) -> Result<StoredRow, DataTableError> {
    let cells = checked_cells(table, data)?;
    let id: i64 = tx
        .query_row(
            "UPDATE data_tables SET next_row_id = next_row_id + 1 WHERE id = ?1 \
             RETURNING next_row_id - 1",
            [&table.id],
            |row| row.get(0),
        )
        .map_err(store_error)?;
    let stamp = now();
    let mut full = Map::new();
    for column in &table.columns {
        let cell = cells.get(&column.name).cloned().unwrap_or(Value::Null);
        full.insert(column.name.clone(), cell);
    }
    tx.execute(
        "INSERT INTO data_table_rows (table_id, id, created_at, updated_at, cells) \
         VALUES (?1, ?2, ?3, ?3, ?4)",
        params![table.id, id, stamp, Value::Object(full.clone()).to_string()],
    )
    .map_err(store_error)?;
    Ok(StoredRow {
        id,
        created_at: stamp.clone(),
        updated_at: stamp,
        cells: full,
    })
}

/// n8n's dry-run rows: the row before and after, each marked; a side that does not exist is a
/// row of nulls.
fn dry_run_pair(before: Option<Row>, after: Option<Row>) -> Vec<Row> {
    let template = before
        .as_ref()
        .or(after.as_ref())
        .cloned()
        .unwrap_or_default();
    let nulls = || {
        let mut row = Map::new();
        for key in ["id", "createdAt", "updatedAt"] {
            row.insert(key.into(), Value::Null);
        }
        for key in template.keys() {
            row.insert(key.clone(), Value::Null);
        }
        row
    };
    [(before, "before"), (after, "after")]
        .into_iter()
        .map(|(row, state)| {
            let mut row = row.unwrap_or_else(nulls);
            row.insert("dryRunState".into(), Value::String(state.into()));
            row
        })
        .collect()
}

/// Updates the rows `filter` selects with `data`; the rows after (or the dry-run pairs).
fn update(
    tx: &Transaction<'_>,
    table: &TableInfo,
    filter: &RowFilter,
    data: &Map<String, Value>,
    dry_run: bool,
) -> Result<Vec<Row>, DataTableError> {
    if table.columns.is_empty() {
        return Err(DataTableError::Validation(
            "No columns found for this data table or data table not found".into(),
        ));
    }
    if filter.conditions.is_empty() {
        return Err(DataTableError::Validation(
            "Filter must not be empty".into(),
        ));
    }
    if data.is_empty() {
        return Err(DataTableError::Validation(
            "Data columns must not be empty".into(),
        ));
    }
    let cells = checked_cells(table, data)?;
    let (rows, _) = select_rows(tx, table, filter, None, 0, None)?;
    let stamp = now();
    let mut output = Vec::new();
    for mut row in rows {
        let before = output_row(table, &row);
        row.cells.extend(cells.clone());
        row.updated_at = stamp.clone();
        if dry_run {
            output.extend(dry_run_pair(Some(before), Some(output_row(table, &row))));
            continue;
        }
        tx.execute(
            "UPDATE data_table_rows SET cells = ?3, updated_at = ?4 WHERE table_id = ?1 AND id = ?2",
            params![
                table.id,
                row.id,
                Value::Object(row.cells.clone()).to_string(),
                stamp
            ],
        )
        .map_err(store_error)?;
        output.push(output_row(table, &row));
    }
    Ok(output)
}

fn find_by_name(tx: &Transaction<'_>, name: &str) -> Result<String, DataTableError> {
    tx.query_row(
        "SELECT id FROM data_tables WHERE LOWER(name) LIKE ?1 ORDER BY updated_at DESC LIMIT 1",
        [format!("%{}%", name.to_lowercase())],
        |row| row.get(0),
    )
    .optional()
    .map_err(store_error)?
    .ok_or_else(|| DataTableError::NameNotFound(name.to_owned()))
}

fn check_name_free(tx: &Transaction<'_>, name: &str) -> Result<(), DataTableError> {
    let taken: bool = tx
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM data_tables WHERE name = ?1)",
            [name],
            |row| row.get(0),
        )
        .map_err(store_error)?;
    if taken {
        return Err(DataTableError::NameConflict(name.to_owned()));
    }
    Ok(())
}

impl DataTables for Store {
    fn table(&self, reference: &TableRef) -> Result<TableInfo, DataTableError> {
        self.with_tables(false, |tx| match reference {
            TableRef::Id(id) => load_table(tx, id),
            TableRef::Name(name) => load_table(tx, &find_by_name(tx, name)?),
        })
    }

    fn tables(
        &self,
        name_contains: Option<&str>,
        order: &RowOrder,
        skip: usize,
        take: Option<usize>,
    ) -> Result<(Vec<TableInfo>, usize), DataTableError> {
        self.with_tables(false, |tx| {
            let pattern = format!("%{}%", name_contains.unwrap_or("").to_lowercase());
            let count: i64 = tx
                .query_row(
                    "SELECT COUNT(*) FROM data_tables WHERE LOWER(name) LIKE ?1",
                    [&pattern],
                    |row| row.get(0),
                )
                .map_err(store_error)?;
            let column = match order.column.as_str() {
                "createdAt" => "created_at",
                "updatedAt" => "updated_at",
                _ => "LOWER(name)",
            };
            let direction = if order.descending { "DESC" } else { "ASC" };
            let limit = take.map_or(-1, |take| take as i64);
            let mut statement = tx
                .prepare(&format!(
                    "SELECT id FROM data_tables WHERE LOWER(name) LIKE ?1 \
                     ORDER BY {column} {direction} LIMIT {limit} OFFSET {skip}"
                ))
                .map_err(store_error)?;
            let ids = statement
                .query_map([&pattern], |row| row.get::<_, String>(0))
                .map_err(store_error)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(store_error)?;
            let tables = ids
                .iter()
                .map(|id| load_table(tx, id))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((tables, count as usize))
        })
    }

    fn create_table(
        &self,
        id: Option<&str>,
        name: &str,
        columns: &[Column],
    ) -> Result<TableInfo, DataTableError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 128 {
            return Err(DataTableError::Validation(
                "a data table's name has 1 to 128 characters".into(),
            ));
        }
        for column in columns {
            if let Some(problem) = Column::name_problem(&column.name) {
                return Err(DataTableError::Validation(problem));
            }
        }
        let id = id_or_new(id.map(str::to_owned)).map_err(|error| {
            DataTableError::Validation(format!(
                "{error}; a data table id is 1 to 64 letters, digits, '-' or '_'"
            ))
        })?;
        self.with_tables(true, |tx| {
            check_name_free(tx, name)?;
            let exists: bool = tx
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM data_tables WHERE id = ?1)",
                    [&id],
                    |row| row.get(0),
                )
                .map_err(store_error)?;
            if exists {
                return Err(DataTableError::Validation(format!(
                    "a data table with id '{id}' already exists"
                )));
            }
            let stamp = now();
            tx.execute(
                "INSERT INTO data_tables (id, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                params![id, name, stamp],
            )
            .map_err(store_error)?;
            for (position, column) in columns.iter().enumerate() {
                add_column_in(tx, &id, position, column)?;
            }
            load_table(tx, &id)
        })
    }

    fn rename_table(&self, id: &str, name: &str) -> Result<(), DataTableError> {
        self.with_tables(true, |tx| {
            load_table(tx, id)?;
            check_name_free(tx, name)?;
            tx.execute(
                "UPDATE data_tables SET name = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, name, now()],
            )
            .map_err(store_error)?;
            Ok(())
        })
    }

    fn delete_table(&self, id: &str) -> Result<(), DataTableError> {
        self.with_tables(true, |tx| {
            load_table(tx, id)?;
            tx.execute("DELETE FROM data_tables WHERE id = ?1", [id])
                .map_err(store_error)?;
            Ok(())
        })
    }

    fn clear_rows(&self, id: &str) -> Result<usize, DataTableError> {
        self.with_tables(true, |tx| {
            load_table(tx, id)?;
            let removed = tx
                .execute("DELETE FROM data_table_rows WHERE table_id = ?1", [id])
                .map_err(store_error)?;
            touch(tx, id)?;
            Ok(removed)
        })
    }

    fn add_column(&self, id: &str, column: &Column) -> Result<(), DataTableError> {
        if let Some(problem) = Column::name_problem(&column.name) {
            return Err(DataTableError::Validation(problem));
        }
        self.with_tables(true, |tx| {
            let table = load_table(tx, id)?;
            if table.columns.iter().any(|known| known.name == column.name) {
                return Err(DataTableError::Validation(format!(
                    "Data table column with name '{}' already exists in data table '{}'",
                    column.name, table.name
                )));
            }
            add_column_in(tx, id, table.columns.len(), column)?;
            touch(tx, id)
        })
    }

    fn insert_rows(
        &self,
        id: &str,
        rows: &[Map<String, Value>],
    ) -> Result<Vec<Row>, DataTableError> {
        self.with_tables(true, |tx| {
            let table = load_table(tx, id)?;
            let mut inserted = Vec::with_capacity(rows.len());
            for data in rows {
                inserted.push(output_row(&table, &insert(tx, &table, data)?));
            }
            touch(tx, id)?;
            Ok(inserted)
        })
    }

    fn rows(
        &self,
        id: &str,
        filter: &RowFilter,
        order: Option<&RowOrder>,
        skip: usize,
        take: Option<usize>,
    ) -> Result<RowPage, DataTableError> {
        self.with_tables(false, |tx| {
            let table = load_table(tx, id)?;
            let (rows, count) = select_rows(tx, &table, filter, order, skip, take)?;
            Ok(RowPage {
                rows: rows.iter().map(|row| output_row(&table, row)).collect(),
                count,
            })
        })
    }

    fn update_rows(
        &self,
        id: &str,
        filter: &RowFilter,
        data: &Map<String, Value>,
        dry_run: bool,
    ) -> Result<Vec<Row>, DataTableError> {
        self.with_tables(!dry_run, |tx| {
            let table = load_table(tx, id)?;
            let rows = update(tx, &table, filter, data, dry_run)?;
            if !dry_run {
                touch(tx, id)?;
            }
            Ok(rows)
        })
    }

    fn upsert_row(
        &self,
        id: &str,
        filter: &RowFilter,
        data: &Map<String, Value>,
        dry_run: bool,
    ) -> Result<Vec<Row>, DataTableError> {
        self.with_tables(!dry_run, |tx| {
            let table = load_table(tx, id)?;
            let mut rows = update(tx, &table, filter, data, dry_run)?;
            if rows.is_empty() {
                let stored = insert(tx, &table, data)?;
                if dry_run {
                    let mut after = Map::new();
                    after.insert("id".into(), Value::from(0));
                    after.insert("createdAt".into(), Value::String(stored.created_at.clone()));
                    after.insert("updatedAt".into(), Value::String(stored.updated_at.clone()));
                    after.extend(checked_cells(&table, data)?);
                    rows = dry_run_pair(None, Some(after));
                } else {
                    rows = vec![output_row(&table, &stored)];
                }
            }
            if !dry_run {
                touch(tx, id)?;
            }
            Ok(rows)
        })
    }

    fn delete_rows(
        &self,
        id: &str,
        filter: &RowFilter,
        dry_run: bool,
    ) -> Result<Vec<Row>, DataTableError> {
        self.with_tables(!dry_run, |tx| {
            let table = load_table(tx, id)?;
            if filter.conditions.is_empty() {
                return Err(DataTableError::Validation(
                    "Filter is required for delete operations to prevent accidental deletion of all data".into(),
                ));
            }
            let (rows, _) = select_rows(tx, &table, filter, None, 0, None)?;
            let mut output = Vec::new();
            for row in &rows {
                let shown = output_row(&table, row);
                if dry_run {
                    output.extend(dry_run_pair(Some(shown), None));
                    continue;
                }
                tx.execute(
                    "DELETE FROM data_table_rows WHERE table_id = ?1 AND id = ?2",
                    params![id, row.id],
                )
                .map_err(store_error)?;
                output.push(shown);
            }
            if !dry_run {
                touch(tx, id)?;
            }
            Ok(output)
        })
    }
}

fn add_column_in(
    tx: &Transaction<'_>,
    id: &str,
    position: usize,
    column: &Column,
) -> Result<(), DataTableError> {
    tx.execute(
        "INSERT INTO data_table_columns (table_id, position, name, type) VALUES (?1, ?2, ?3, ?4)",
        params![id, position as i64, column.name, column.column_type.name()],
    )
    .map_err(|error| match error {
        rusqlite::Error::SqliteFailure(failure, _)
            if failure.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            DataTableError::Validation(format!(
                "Data table column with name '{}' already exists",
                column.name
            ))
        }
        other => store_error(other),
    })?;
    Ok(())
}
