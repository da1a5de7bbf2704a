//! Data nodes keep across executions of a workflow (Remove Duplicates' history): one JSON value
//! per workflow and context, read and replaced in one write transaction so that two executions
//! never both read the same old value.

use rusqlite::{OptionalExtension, params};
use serde_json::Value;

use super::Store;
use super::error::StoreError;

impl Store {
    /// Applies `change` to the value kept for `workflow` and `context` (`None` when there is
    /// none; a returned `None` removes it). When `change` fails, nothing is written and its
    /// error is the inner one.
    pub fn update_processed_data<E>(
        &self,
        workflow: &str,
        context: &str,
        change: impl FnOnce(Option<Value>) -> Result<Option<Value>, E>,
    ) -> Result<Result<(), E>, StoreError> {
        self.write(|tx| {
            let stored: Option<String> = tx
                .query_row(
                    "SELECT value FROM processed_data WHERE workflow = ?1 AND context = ?2",
                    params![workflow, context],
                    |row| row.get(0),
                )
                .optional()?;
            let stored = stored
                .map(|text| serde_json::from_str(&text))
                .transpose()
                .map_err(|cause| StoreError::ProcessedData {
                    workflow: workflow.to_owned(),
                    context: context.to_owned(),
                    cause,
                })?;
            let value = match change(stored) {
                Ok(value) => value,
                Err(error) => return Ok(Err(error)),
            };
            match value {
                Some(value) => tx.execute(
                    "INSERT INTO processed_data (workflow, context, value) VALUES (?1, ?2, ?3)
                     ON CONFLICT (workflow, context) DO UPDATE SET value = excluded.value",
                    params![workflow, context, value.to_string()],
                )?,
                None => tx.execute(
                    "DELETE FROM processed_data WHERE workflow = ?1 AND context = ?2",
                    params![workflow, context],
                )?,
            };
            Ok(Ok(()))
        })
    }
}
