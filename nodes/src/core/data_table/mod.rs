//! Data table (`n8n-nodes-base.dataTable`, typeVersions 1 and 1.1): n8n's rows and tables kept in
//! weft's store through [`crate::data_tables::DataTables`].
//!
//! Row operations (`resource: row`): `insert` (every item in one transaction unless the table
//! id is an expression, as n8n's bulk insert; `options.optimizeBulk` answers a count),
//! `get` (filters, limit or all, order by a column), `update`, `upsert`, `deleteRows` (at least
//! one condition; `options.dryRun` shows rows before and after without writing), `rowExists`
//! and `rowNotExists` (the input item passes when a matching row exists, or does not). The
//! row's cells come from `columns` (a resource mapper): the input item's fields
//! (`autoMapInputData`, system columns dropped) or the values given (`defineBelow`). Table
//! operations (`resource: table`): `create`, `list`, `update` (rename), `delete`, `clear`.
//! Versions differ only in whether dates are JavaScript `Date`s (1) or ISO strings (1.1) in the
//! output, which JSON makes the same.

mod common;
mod description;

use async_trait::async_trait;
use serde_json::{Map, Value, json};

pub(crate) use common::{filter_parameters, node_error, row_filter, table, table_parameter};

use crate::data_tables::{Column, ColumnType, DataTables, RowOrder, TableInfo};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

use common::is_validation;
use description::DESCRIPTION;

/// The Data table node.
pub struct DataTable;

#[async_trait]
impl Node for DataTable {
    fn description(&self) -> &'static crate::description::NodeDescription {
        &DESCRIPTION
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let resource: String = ctx.parameter_as("resource", 0)?;
        let operation: String = ctx.parameter_as("operation", 0)?;
        if resource == "row" && operation == "insert" && !table_id_is_expression(ctx) {
            let items = match insert_all(ctx) {
                Ok(items) => items,
                Err(error) if ctx.continue_on_fail() => {
                    passed_on(ctx, 0..ctx.input().len(), &error)
                }
                Err(error) => return Err(error),
            };
            return out.emit(0, items).await;
        }
        let mut items = Vec::new();
        for index in 0..ctx.input().len() {
            let result = match resource.as_str() {
                "table" => table_operation(ctx, &operation, index),
                _ => row_operation(ctx, &operation, index),
            };
            match result {
                Ok(produced) => items.extend(produced),
                Err(error) if ctx.continue_on_fail() => {
                    items.extend(passed_on(ctx, index..index + 1, &error));
                }
                Err(error) => return Err(error.for_item(index)),
            }
        }
        out.emit(0, items).await
    }
}

register_node!(DataTable);

/// Input items `indexes` passed on after a failure under continue-on-fail: with the error, unless
/// it is one n8n's service raised (which n8n passes on without it).
fn passed_on(
    ctx: &NodeContext<'_>,
    indexes: std::ops::Range<usize>,
    error: &NodeError,
) -> Vec<Item> {
    indexes
        .map(|index| {
            let mut item = Item::new(ctx.input()[index].json.clone(), index);
            if !is_validation(error) {
                item.error = Some(error.clone().for_item(index));
            }
            item
        })
        .collect()
}

/// n8n inserts row by row when the table id is an expression (`{` in the written value).
fn table_id_is_expression(ctx: &NodeContext<'_>) -> bool {
    let written = ctx.raw_parameter("dataTableId");
    let value = match &written {
        Some(Value::Object(fields)) => fields.get("value"),
        other => other.as_ref(),
    };
    value
        .and_then(Value::as_str)
        .is_some_and(|text| text.contains('{'))
}

fn data_tables<'a>(ctx: &NodeContext<'a>) -> Result<&'a dyn DataTables, NodeError> {
    ctx.data_tables()
}

/// n8n's `getAddRow`: the cells item `index` writes.
fn row_cells(ctx: &NodeContext<'_>, index: usize) -> Result<Map<String, Value>, NodeError> {
    let mode = ctx.parameter("columns.mappingMode", index)?;
    let data = if mode.as_str() == Some("autoMapInputData") {
        let mut data = ctx.input()[index].json.clone();
        for system in ["id", "createdAt", "updatedAt"] {
            data.remove(system);
        }
        data
    } else {
        match ctx.optional_parameter("columns.value", index)? {
            Some(Value::Object(fields)) => fields,
            _ => Map::new(),
        }
    };
    data.into_iter()
        .map(|(key, value)| match value {
            Value::Array(_) => Err(NodeError::operation(format!(
                "unexpected array input '{value}' in row {index}"
            ))),
            Value::Object(_) => Err(NodeError::operation(format!(
                "unexpected object input '{value}' in row {index}"
            ))),
            value => Ok((key, value)),
        })
        .collect()
}

fn optimize_bulk(ctx: &NodeContext<'_>, index: usize) -> Result<bool, NodeError> {
    Ok(ctx
        .optional_parameter("options.optimizeBulk", index)?
        .and_then(|value| value.as_bool())
        .unwrap_or(false))
}

/// The bulk insert: every input item's row in one transaction.
fn insert_all(ctx: &NodeContext<'_>) -> Result<Vec<Item>, NodeError> {
    let table = table(ctx, 0)?;
    let rows = (0..ctx.input().len())
        .map(|index| row_cells(ctx, index))
        .collect::<Result<Vec<_>, _>>()?;
    let inserted = data_tables(ctx)?
        .insert_rows(&table.id, &rows)
        .map_err(node_error)?;
    if optimize_bulk(ctx, 0)? {
        return Ok(vec![count_item(inserted.len())]);
    }
    Ok(inserted
        .into_iter()
        .enumerate()
        .map(|(index, row)| Item::new(row, index))
        .collect())
}

/// `optimizeBulk`'s answer, paired to nothing as in n8n.
fn count_item(inserted: usize) -> Item {
    let json = json!({"success": true, "insertedRows": inserted});
    Item {
        json: json.as_object().cloned().unwrap_or_default(),
        ..Item::default()
    }
}

fn dry_run(ctx: &NodeContext<'_>, index: usize) -> Result<bool, NodeError> {
    match ctx.optional_parameter("options.dryRun", index)? {
        None => Ok(false),
        Some(Value::Bool(flag)) => Ok(flag),
        Some(other) => Err(NodeError::operation(format!(
            "unexpected input {other} for boolean dryRun"
        ))),
    }
}

fn rows_to_items(rows: Vec<Map<String, Value>>, index: usize) -> Vec<Item> {
    rows.into_iter().map(|row| Item::new(row, index)).collect()
}

/// A write over the rows a filter selects (update, upsert, delete), dry or not.
type FilteredWrite<'a> = dyn Fn(
        &TableInfo,
        &crate::data_tables::RowFilter,
        bool,
    ) -> Result<Vec<Map<String, Value>>, crate::data_tables::DataTableError>
    + 'a;

fn row_operation(
    ctx: &NodeContext<'_>,
    operation: &str,
    index: usize,
) -> Result<Vec<Item>, NodeError> {
    let tables = data_tables(ctx)?;
    let table = table(ctx, index)?;
    let filtered_write = |write: &FilteredWrite<'_>| -> Result<Vec<Item>, NodeError> {
        let dry = dry_run(ctx, index)?;
        let filter = row_filter(ctx, index, &table)?;
        if filter.conditions.is_empty() {
            return Err(NodeError::operation("At least one condition is required"));
        }
        Ok(rows_to_items(
            write(&table, &filter, dry).map_err(node_error)?,
            index,
        ))
    };
    match operation {
        "insert" => {
            let cells = row_cells(ctx, index)?;
            let inserted = tables
                .insert_rows(&table.id, &[cells])
                .map_err(node_error)?;
            if optimize_bulk(ctx, index)? {
                return Ok(vec![count_item(inserted.len()).paired_to(index)]);
            }
            Ok(rows_to_items(inserted, index))
        }
        "get" => {
            let order = if ctx.parameter_as::<bool>("orderBy", index)? {
                let column: String = ctx.parameter_as("orderByColumn", index)?;
                if column.is_empty() {
                    None
                } else if table.column_type(&column).is_none() {
                    return Err(NodeError::operation("Specified column does not exist"));
                } else {
                    let direction: String = ctx.parameter_as("orderByDirection", index)?;
                    Some(RowOrder {
                        column,
                        descending: direction == "DESC",
                    })
                }
            } else {
                None
            };
            let filter = row_filter(ctx, index, &table)?;
            let take = limit(ctx, index)?;
            let page = tables
                .rows(&table.id, &filter, order.as_ref(), 0, take)
                .map_err(node_error)?;
            Ok(rows_to_items(page.rows, index))
        }
        "rowExists" | "rowNotExists" => {
            let filter = row_filter(ctx, index, &table)?;
            let page = tables
                .rows(&table.id, &filter, None, 0, Some(1))
                .map_err(node_error)?;
            let exists = !page.rows.is_empty();
            Ok(if exists == (operation == "rowExists") {
                vec![ctx.input()[index].clone().paired_to(index)]
            } else {
                Vec::new()
            })
        }
        "update" => {
            let cells = row_cells(ctx, index)?;
            filtered_write(&|table, filter, dry| tables.update_rows(&table.id, filter, &cells, dry))
        }
        "upsert" => {
            let cells = row_cells(ctx, index)?;
            filtered_write(&|table, filter, dry| tables.upsert_row(&table.id, filter, &cells, dry))
        }
        "deleteRows" => {
            filtered_write(&|table, filter, dry| tables.delete_rows(&table.id, filter, dry))
        }
        other => Err(NodeError::operation(format!(
            "The operation \"{other}\" is not known"
        ))),
    }
}

/// `limit` unless `returnAll` (0 or less: no limit, as n8n's falsy limit).
fn limit(ctx: &NodeContext<'_>, index: usize) -> Result<Option<usize>, NodeError> {
    if ctx.parameter_as::<bool>("returnAll", index)? {
        return Ok(None);
    }
    let limit: f64 = ctx.parameter_as("limit", index)?;
    Ok((limit >= 1.0).then_some(limit as usize))
}

/// A table as the node puts it out.
fn table_json(table: &TableInfo) -> Map<String, Value> {
    let columns: Vec<Value> = table
        .columns
        .iter()
        .enumerate()
        .map(|(index, column)| {
            json!({"name": column.name, "type": column.column_type.name(), "index": index})
        })
        .collect();
    let json = json!({
        "id": table.id,
        "name": table.name,
        "columns": columns,
        "createdAt": table.created_at,
        "updatedAt": table.updated_at,
    });
    json.as_object().cloned().unwrap_or_default()
}

fn table_operation(
    ctx: &NodeContext<'_>,
    operation: &str,
    index: usize,
) -> Result<Vec<Item>, NodeError> {
    let tables = data_tables(ctx)?;
    let one = |json: Value| Ok(vec![Item::from_value(json, index)]);
    match operation {
        "create" => {
            let name: String = ctx.parameter_as("tableName", index)?;
            let reuse = ctx
                .optional_parameter("options.createIfNotExists", index)?
                .and_then(|value| value.as_bool())
                .unwrap_or(false);
            if reuse {
                let order = RowOrder {
                    column: "updatedAt".into(),
                    descending: true,
                };
                let (found, _) = tables
                    .tables(Some(&name), &order, 0, Some(1))
                    .map_err(node_error)?;
                if let Some(existing) = found.into_iter().find(|table| table.name == name) {
                    return one(Value::Object(table_json(&existing)));
                }
            }
            let columns = match ctx.optional_parameter("columns.column", index)? {
                Some(Value::Array(columns)) => columns,
                _ => Vec::new(),
            };
            let columns = columns
                .iter()
                .map(|column| {
                    let name = column["name"].as_str().unwrap_or_default().to_owned();
                    let kind = column["type"].as_str().unwrap_or("string");
                    let column_type = ColumnType::from_name(kind).ok_or_else(|| {
                        NodeError::operation(format!("Unsupported field type: {kind}"))
                    })?;
                    Ok(Column { name, column_type })
                })
                .collect::<Result<Vec<_>, NodeError>>()?;
            let created = tables
                .create_table(None, &name, &columns)
                .map_err(node_error)?;
            one(Value::Object(table_json(&created)))
        }
        "list" => {
            let take = limit(ctx, index)?;
            let options = ctx
                .optional_parameter("options", index)?
                .unwrap_or_else(|| json!({}));
            let order = match (
                options["sortField"].as_str(),
                options["sortDirection"].as_str(),
            ) {
                (Some(field), Some(direction)) => RowOrder {
                    column: field.into(),
                    descending: direction == "desc",
                },
                _ => RowOrder {
                    column: "updatedAt".into(),
                    descending: true,
                },
            };
            let name = options["filterName"]
                .as_str()
                .filter(|name| !name.is_empty());
            let (found, _) = tables.tables(name, &order, 0, take).map_err(node_error)?;
            Ok(found
                .iter()
                .map(|table| Item::new(table_json(table), index))
                .collect())
        }
        "update" => {
            let new_name: String = ctx.parameter_as("newName", index)?;
            let table = table(ctx, index)?;
            tables
                .rename_table(&table.id, &new_name)
                .map_err(node_error)?;
            one(json!({"success": true, "name": new_name}))
        }
        "delete" => {
            let locator = ctx.parameter("dataTableId", index)?;
            let written = locator.get("value").cloned().unwrap_or(locator);
            let table = table(ctx, index)?;
            tables.delete_table(&table.id).map_err(node_error)?;
            one(json!({"success": true, "deletedTableId": written}))
        }
        "clear" => {
            let table = table(ctx, index)?;
            let removed = tables.clear_rows(&table.id).map_err(node_error)?;
            one(json!({"success": true, "deletedCount": removed}))
        }
        other => Err(NodeError::operation(format!(
            "The operation \"{other}\" is not known"
        ))),
    }
}
