//! Polling triggers' state and the runs they started.
//!
//! A trigger's state (its cursor and dedupe keys, as JSON) is read before a poll and written
//! back only after the run the poll started has finished, in the same transaction as the run's
//! record ([`Store::commit_poll`]). A crash in between leaves the old state, so the next poll
//! reads the same changes again instead of losing them. Each state has a generation, and a
//! commit names the generation it polled from: when another process committed meanwhile, the
//! commit is refused and nothing is written.

use rusqlite::{OptionalExtension, params};
use serde_json::Value;

use super::Store;
use super::error::StoreError;

/// A trigger's saved state and its generation (0 when none was saved yet).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TriggerSnapshot {
    /// Grows by one with every commit.
    pub generation: u64,
    /// The state, `None` before the first commit.
    pub state: Option<Value>,
}

/// The record of one run a trigger started.
#[derive(Clone, Debug, PartialEq)]
pub struct ExecutionRecord {
    /// `success` or `error`.
    pub status: &'static str,
    /// How many items the trigger emitted.
    pub items: usize,
    /// The failing node and its message, for a failed run.
    pub error: Option<String>,
    /// When the run started (RFC 3339).
    pub started_at: String,
}

/// A stored run, as [`Store::executions`] lists them.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredExecution {
    /// The row id, in commit order.
    pub id: i64,
    /// The trigger node.
    pub node: String,
    /// `success` or `error`.
    pub status: String,
    /// How many items the trigger emitted.
    pub items: u64,
}

impl Store {
    /// The state of trigger `node` in `workflow`.
    pub fn trigger_state(&self, workflow: &str, node: &str) -> Result<TriggerSnapshot, StoreError> {
        let row: Option<(u64, String)> = self
            .conn()
            .query_row(
                "SELECT generation, state FROM trigger_state WHERE workflow = ?1 AND node = ?2",
                params![workflow, node],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let Some((generation, text)) = row else {
            return Ok(TriggerSnapshot::default());
        };
        let state = serde_json::from_str(&text).map_err(|cause| StoreError::TriggerState {
            workflow: workflow.to_owned(),
            node: node.to_owned(),
            cause,
        })?;
        Ok(TriggerSnapshot {
            generation,
            state: Some(state),
        })
    }

    /// Forgets the state of every trigger of `workflow` (`weft start --reset-state`); returns
    /// how many triggers had one. Their runs stay recorded.
    pub fn reset_trigger_state(&self, workflow: &str) -> Result<usize, StoreError> {
        self.write(|tx| {
            let removed = tx.execute(
                "DELETE FROM trigger_state WHERE workflow = ?1",
                params![workflow],
            )?;
            Ok(removed)
        })
    }

    /// Saves `state` for trigger `node` of `workflow` if it is still at generation `polled_at`,
    /// together with the record of the run it started (if any), in one transaction. Returns
    /// false, writing nothing, when another process committed since.
    pub fn commit_poll(
        &self,
        workflow: &str,
        node: &str,
        polled_at: u64,
        state: &Value,
        run: Option<&ExecutionRecord>,
    ) -> Result<bool, StoreError> {
        let text = state.to_string();
        self.write(|tx| {
            let saved = if polled_at == 0 {
                tx.execute(
                    concat!(
                        "INSERT INTO trigger_state (workflow, node, generation, state, updated_at) VALUES (?1, ?2, 1, ?3, ",
                        now_sql!(),
                        ") ON CONFLICT (workflow, node) DO NOTHING"
                    ),
                    params![workflow, node, text],
                )?
            } else {
                tx.execute(
                    concat!(
                        "UPDATE trigger_state SET generation = generation + 1, state = ?3, updated_at = ",
                        now_sql!(),
                        " WHERE workflow = ?1 AND node = ?2 AND generation = ?4"
                    ),
                    params![workflow, node, text, polled_at],
                )?
            };
            if saved == 0 {
                return Ok(false);
            }
            if let Some(run) = run {
                tx.execute(
                    concat!(
                        "INSERT INTO executions (workflow, node, mode, status, items, error, started_at, finished_at) VALUES (?1, ?2, 'trigger', ?3, ?4, ?5, ?6, ",
                        now_sql!(),
                        ")"
                    ),
                    params![
                        workflow,
                        node,
                        run.status,
                        run.items as u64,
                        run.error,
                        run.started_at
                    ],
                )?;
            }
            Ok(true)
        })
    }

    /// The runs triggers of `workflow` started, oldest first.
    pub fn executions(&self, workflow: &str) -> Result<Vec<StoredExecution>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT id, node, status, items FROM executions WHERE workflow = ?1 ORDER BY id",
        )?;
        let rows = statement.query_map([workflow], |row| {
            Ok(StoredExecution {
                id: row.get(0)?,
                node: row.get(1)?,
                status: row.get(2)?,
                items: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::store::KeySource;

    fn store() -> (tempfile::TempDir, Store) {
        let home = tempfile::tempdir().unwrap();
        let key = KeySource::passphrase("trigger state tests");
        let store = Store::open_with_key(home.path(), &key).unwrap();
        (home, store)
    }

    fn run(items: usize) -> ExecutionRecord {
        ExecutionRecord {
            status: "success",
            items,
            error: None,
            started_at: "2026-11-23T12:00:00.000Z".into(),
        }
    }

    #[test]
    fn state_and_run_are_committed_together_and_only_from_the_generation_polled() {
        let (_home, store) = store();
        assert_eq!(
            store.trigger_state("wf", "T").unwrap(),
            TriggerSnapshot::default()
        );
        assert!(
            store
                .commit_poll("wf", "T", 0, &json!({"a": 1}), None)
                .unwrap()
        );
        assert!(
            !store
                .commit_poll("wf", "T", 0, &json!({"a": 2}), Some(&run(3)))
                .unwrap()
        );
        let snapshot = store.trigger_state("wf", "T").unwrap();
        assert_eq!(snapshot.generation, 1);
        assert_eq!(snapshot.state, Some(json!({"a": 1})));
        assert!(
            store.executions("wf").unwrap().is_empty(),
            "a refused commit recorded a run"
        );
        assert!(
            store
                .commit_poll("wf", "T", 1, &json!({"a": 3}), Some(&run(3)))
                .unwrap()
        );
        assert_eq!(
            store.trigger_state("wf", "T").unwrap().state,
            Some(json!({"a": 3}))
        );
        let runs = store.executions("wf").unwrap();
        assert_eq!(
            (runs.len(), runs[0].items, runs[0].status.as_str()),
            (1, 3, "success")
        );
        assert!(store.trigger_state("other", "T").unwrap().state.is_none());
    }

    #[test]
    fn a_state_that_is_not_json_fails_loudly_until_reset() {
        let (_home, store) = store();
        assert!(
            store
                .commit_poll("wf", "T", 0, &json!({"a": 1}), None)
                .unwrap()
        );
        store
            .conn()
            .execute(
                "UPDATE trigger_state SET state = '{\"a\": ' WHERE node = 'T'",
                [],
            )
            .unwrap();
        let error = store.trigger_state("wf", "T").unwrap_err().to_string();
        assert!(
            error.contains("trigger \"T\" of workflow wf is not JSON"),
            "{error}"
        );
        assert!(
            error.contains("hint: run `weft start --reset-state`"),
            "{error}"
        );
        assert_eq!(store.reset_trigger_state("wf").unwrap(), 1);
        assert_eq!(
            store.trigger_state("wf", "T").unwrap(),
            TriggerSnapshot::default()
        );
        assert_eq!(store.reset_trigger_state("wf").unwrap(), 0);
    }
}
