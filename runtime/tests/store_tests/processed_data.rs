//! Data kept across executions: one value per workflow and context, replaced or removed in one
//! transaction; a failed change writes nothing.

use serde_json::{Value, json};
use weft_runtime::store::Store;

use super::open;

fn read(store: &Store, workflow: &str, context: &str) -> Option<Value> {
    let mut seen = None;
    store
        .update_processed_data(workflow, context, |value| {
            seen = value.clone();
            Ok::<_, ()>(value)
        })
        .unwrap()
        .unwrap();
    seen
}

#[test]
fn values_are_kept_per_workflow_and_context_and_a_failed_change_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    store
        .update_processed_data("wf", "n:a", |old| {
            assert_eq!(old, None);
            Ok::<_, ()>(Some(json!({"mode": "entries", "data": ["x"]})))
        })
        .unwrap()
        .unwrap();
    assert_eq!(
        read(&store, "wf", "n:a"),
        Some(json!({"mode": "entries", "data": ["x"]}))
    );
    assert_eq!(read(&store, "wf", ""), None, "the workflow's own is apart");
    assert_eq!(
        read(&store, "other", "n:a"),
        None,
        "so is another workflow's"
    );
    let failed = store
        .update_processed_data("wf", "n:a", |_| Err::<Option<Value>, _>("refused"))
        .unwrap();
    assert_eq!(failed, Err("refused"));
    assert_eq!(
        read(&store, "wf", "n:a"),
        Some(json!({"mode": "entries", "data": ["x"]}))
    );
    store
        .update_processed_data("wf", "n:a", |_| Ok::<_, ()>(None))
        .unwrap()
        .unwrap();
    assert_eq!(read(&store, "wf", "n:a"), None);
}
