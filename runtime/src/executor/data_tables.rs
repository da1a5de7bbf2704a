//! The runtime's side of `weft_nodes::DataTables`: n8n's data tables live in weft's store
//! (`store/data_tables.rs`), the same store that keeps data across executions, opened on first
//! use by `weft run` and given by `weft start`.

use serde_json::{Map, Value};
use weft_nodes::data_tables::{
    Column, DataTableError, DataTables, Row, RowFilter, RowOrder, RowPage, TableInfo, TableRef,
};

use super::history::HistoryStore;
use crate::store::Store;

/// A run's data tables: the store of [`HistoryStore`].
pub(super) struct RunDataTables<'a>(pub &'a HistoryStore);

impl RunDataTables<'_> {
    fn store(&self) -> Result<&Store, DataTableError> {
        self.0.open().map(AsRef::as_ref).map_err(|error| {
            DataTableError::Store(format!(
                "weft keeps data tables in its store, which cannot be opened: {error} (hint: \
                 give weft its store: WEFT_HOME and its key, as for credentials)"
            ))
        })
    }
}

impl DataTables for RunDataTables<'_> {
    fn table(&self, reference: &TableRef) -> Result<TableInfo, DataTableError> {
        self.store()?.table(reference)
    }

    fn tables(
        &self,
        name_contains: Option<&str>,
        order: &RowOrder,
        skip: usize,
        take: Option<usize>,
    ) -> Result<(Vec<TableInfo>, usize), DataTableError> {
        self.store()?.tables(name_contains, order, skip, take)
    }

    fn create_table(
        &self,
        id: Option<&str>,
        name: &str,
        columns: &[Column],
    ) -> Result<TableInfo, DataTableError> {
        self.store()?.create_table(id, name, columns)
    }

    fn rename_table(&self, id: &str, name: &str) -> Result<(), DataTableError> {
        self.store()?.rename_table(id, name)
    }

    fn delete_table(&self, id: &str) -> Result<(), DataTableError> {
        self.store()?.delete_table(id)
    }

    fn clear_rows(&self, id: &str) -> Result<usize, DataTableError> {
        self.store()?.clear_rows(id)
    }

    fn add_column(&self, id: &str, column: &Column) -> Result<(), DataTableError> {
        self.store()?.add_column(id, column)
    }

    fn insert_rows(
        &self,
        id: &str,
        rows: &[Map<String, Value>],
    ) -> Result<Vec<Row>, DataTableError> {
        self.store()?.insert_rows(id, rows)
    }

    fn rows(
        &self,
        id: &str,
        filter: &RowFilter,
        order: Option<&RowOrder>,
        skip: usize,
        take: Option<usize>,
    ) -> Result<RowPage, DataTableError> {
        self.store()?.rows(id, filter, order, skip, take)
    }

    fn update_rows(
        &self,
        id: &str,
        filter: &RowFilter,
        data: &Map<String, Value>,
        dry_run: bool,
    ) -> Result<Vec<Row>, DataTableError> {
        self.store()?.update_rows(id, filter, data, dry_run)
    }

    fn upsert_row(
        &self,
        id: &str,
        filter: &RowFilter,
        data: &Map<String, Value>,
        dry_run: bool,
    ) -> Result<Vec<Row>, DataTableError> {
        self.store()?.upsert_row(id, filter, data, dry_run)
    }

    fn delete_rows(
        &self,
        id: &str,
        filter: &RowFilter,
        dry_run: bool,
    ) -> Result<Vec<Row>, DataTableError> {
        self.store()?.delete_rows(id, filter, dry_run)
    }
}
