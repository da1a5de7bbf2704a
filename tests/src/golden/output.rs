//! Compares weft's `--raw-output` document with the recorded `output.json`.
//!
//! Both sides are normalized as the recording was: `startTime`, `executionTime`, `startedAt`,
//! `stoppedAt`, `timestamp`, `stack`, `resumeToken`, `executionData` and `startData` are dropped
//! everywhere, a sub-execution's `executionId` becomes `<sub-execution-id>` (as the recorder wrote
//! it), the fake's port becomes the recorded one, and `/services/data/vNN.N/` in any string
//! (record `attributes.url`, describe URLs) becomes `vXX`. Then, in this order: the exit code,
//! `status`, `finished` (absent in n8n's failed runs: weft may say `false`), `mode`,
//! `lastNodeExecuted`, the top-level `error`, and per node of `runData` (in execution order) the
//! number of runs and per run `executionIndex`, `source`, `hints`, `executionStatus`, `metadata`,
//! `error` and the items of every output: `json` (exact; for error items the recorded keys only,
//! weft may add more), `pairedItem` (`0`, `{item: 0}` and `[{item: 0, input: 0}]` are the same),
//! `binary` metadata (without the storage-specific `id` and `data`), `metadata` (Execute
//! Workflow's `subExecution`) and the item's `error`.
//!
//! Error objects are compared on `name`, `message`, `description`, `httpCode`, `context` and
//! `node` (those the recording has); n8n's `level`, `tags`, `messages`, `cause`, ... are not.
//! When n8n printed no run data (a workflow stopped before any node ran, the file holds
//! `status: null`), only the exit code is compared.

use serde_json::{Map, Value, json};

use super::call::{RECORDED_PORT, normalize_versions};
use super::deviations::{ItemCheck, OutputFix};
use super::diff::{Difference, Mode, first_difference, index_path, key_path};

/// Keys the recording removed everywhere.
const VOLATILE: [&str; 9] = [
    "startTime",
    "executionTime",
    "startedAt",
    "stoppedAt",
    "timestamp",
    "stack",
    "resumeToken",
    "executionData",
    "startData",
];

/// Keys of an error object that are compared.
const ERROR_KEYS: [&str; 6] = [
    "name",
    "message",
    "description",
    "httpCode",
    "context",
    "node",
];

/// Parses weft's document, rewriting the fake's `port` to the recorded one, and normalizes it.
pub fn parse_actual(text: &str, port: u16) -> anyhow::Result<Value> {
    let text = text.replace(
        &format!("127.0.0.1:{port}"),
        &format!("127.0.0.1:{RECORDED_PORT}"),
    );
    let mut value = serde_json::from_str(&text)?;
    normalize(&mut value);
    Ok(value)
}

/// What the recorder wrote for a sub-execution's id (a sequence number of n8n's database).
const SUB_EXECUTION_ID: &str = "<sub-execution-id>";

/// Drops the volatile keys, replaces sub-execution ids (`subExecution.executionId`) by
/// [`SUB_EXECUTION_ID`] and normalizes API versions in strings, everywhere.
pub fn normalize(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for key in VOLATILE {
                map.remove(key);
            }
            if let Some(id) = map
                .get_mut("subExecution")
                .and_then(Value::as_object_mut)
                .and_then(|sub| sub.get_mut("executionId"))
            {
                *id = json!(SUB_EXECUTION_ID);
            }
            map.values_mut().for_each(normalize);
        }
        Value::Array(values) => values.iter_mut().for_each(normalize),
        Value::String(text) => *text = normalize_versions(text),
        _ => {}
    }
}

/// The first difference between the recorded document and weft's (`None` when weft printed
/// none), in plain words. `fixes` replace recorded errors that come from n8n bugs.
pub fn compare(
    expected: &Value,
    actual: Option<&Value>,
    exit_code: i32,
    fixes: &[OutputFix],
) -> Option<String> {
    let fixed_failure = fixes
        .iter()
        .any(|fix| error_code(expected.get("error")) == Some(fix.error_code));
    let want_exit = if fixed_failure {
        0
    } else {
        expected
            .get("exitCode")
            .and_then(Value::as_i64)
            .unwrap_or(0)
    };
    if i64::from(exit_code) != want_exit {
        return Some(format!("exit code {want_exit} expected, got {exit_code}"));
    }
    if expected.get("status").is_some_and(Value::is_null) {
        return None;
    }
    let Some(actual) = actual else {
        return Some("weft printed no run document".to_owned());
    };
    let top = if fixed_failure {
        top_level_success(actual)
    } else {
        top_level(expected, actual)
    };
    top.or_else(|| compare_run_data(expected, actual, fixes, fixed_failure).map(|d| d.to_string()))
}

/// `status`, `finished`, `mode`, `lastNodeExecuted` and `error` as recorded.
fn top_level(expected: &Value, actual: &Value) -> Option<String> {
    for key in ["status", "mode", "lastNodeExecuted"] {
        let (want, got) = (field(expected, key), field(actual, key));
        if want != got {
            return Some(Difference::values(key, want, got).to_string());
        }
    }
    let finished = field(actual, "finished");
    match expected.get("finished") {
        Some(want) if want != finished => {
            return Some(Difference::values("finished", want, finished).to_string());
        }
        None if finished.as_bool() == Some(true) => {
            return Some("finished: not expected (n8n's failed run has none), got true".into());
        }
        _ => {}
    }
    compare_error(expected.get("error"), actual.get("error"), "error").map(|d| d.to_string())
}

/// The run must have succeeded (weft fixed what made n8n's fail).
fn top_level_success(actual: &Value) -> Option<String> {
    let status = field(actual, "status");
    if status != "success" || actual.get("error").is_some() {
        return Some(format!(
            "status: expected \"success\" (n8n failed on its own bug), got {status} with error {}",
            field(actual, "error")
        ));
    }
    None
}

/// `value[key]`, `null` when absent.
fn field<'a>(value: &'a Value, key: &str) -> &'a Value {
    value.get(key).unwrap_or(&Value::Null)
}

/// The error code of an error object (`context.errorCode`) or an error item's json (`errorCode`).
fn error_code(error: Option<&Value>) -> Option<&str> {
    let error = error?;
    error
        .pointer("/context/errorCode")
        .or_else(|| error.get("errorCode"))
        .and_then(Value::as_str)
}

/// Error objects on the compared keys.
fn compare_error(
    expected: Option<&Value>,
    actual: Option<&Value>,
    path: &str,
) -> Option<Difference> {
    match (expected, actual) {
        (None, None) => None,
        (Some(want), None) => Some(Difference::new(
            path,
            format!("missing (expected {})", super::diff::show(want)),
        )),
        (None, Some(got)) => Some(Difference::new(
            path,
            format!("not expected (got {})", super::diff::show(got)),
        )),
        (Some(want), Some(got)) => {
            let want: Map<String, Value> = ERROR_KEYS
                .iter()
                .filter_map(|key| Some(((*key).to_owned(), want.get(*key)?.clone())))
                .collect();
            first_difference(&Value::Object(want), got, path, Mode::Subset)
        }
    }
}

/// Every recorded node and run; no node weft ran that n8n did not (unless n8n failed on a bug
/// and stopped early).
fn compare_run_data(
    expected: &Value,
    actual: &Value,
    fixes: &[OutputFix],
    fixed_failure: bool,
) -> Option<Difference> {
    let empty = Map::new();
    let want = expected
        .get("runData")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let got = actual
        .get("runData")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut nodes: Vec<(&String, &Value)> = want.iter().collect();
    nodes.sort_by_key(|(_, runs)| runs.pointer("/0/executionIndex").and_then(Value::as_i64));
    for (node, runs) in nodes {
        let path = key_path("runData", node);
        let Some(got_runs) = got.get(node) else {
            return Some(Difference::new(path, "n8n ran this node, weft did not"));
        };
        let (want_runs, got_runs) = (as_list(runs), as_list(got_runs));
        if want_runs.len() != got_runs.len() {
            return Some(Difference::new(
                path,
                format!("expected {} runs, got {}", want_runs.len(), got_runs.len()),
            ));
        }
        for (index, (w, g)) in want_runs.iter().zip(got_runs).enumerate() {
            if let Some(found) = compare_run(w, g, &index_path(&path, index), fixes) {
                return Some(found);
            }
        }
    }
    if fixed_failure {
        return None;
    }
    got.keys()
        .find(|node| !want.contains_key(*node))
        .map(|node| Difference::new(key_path("runData", node), "weft ran this node, n8n did not"))
}

/// One run of a node.
fn compare_run(want: &Value, got: &Value, path: &str, fixes: &[OutputFix]) -> Option<Difference> {
    if let Some(fix) = fixes
        .iter()
        .find(|fix| error_code(want.get("error")) == Some(fix.error_code))
    {
        let status = field(got, "executionStatus");
        if status != "success" {
            return Some(Difference::new(
                key_path(path, "executionStatus"),
                format!("expected \"success\" (n8n failed on its own bug), got {status}"),
            ));
        }
        let items = got.pointer("/data/main/0").unwrap_or(&Value::Null);
        return check_items(&fix.check, as_list(items), &key_path(path, "data.main[0]"));
    }
    for key in [
        "executionIndex",
        "source",
        "hints",
        "executionStatus",
        "metadata",
    ] {
        if let Some(found) = first_difference(
            field(want, key),
            field(got, key),
            &key_path(path, key),
            Mode::Exact,
        ) {
            return Some(found);
        }
    }
    if let Some(found) = compare_error(
        want.get("error"),
        got.get("error"),
        &key_path(path, "error"),
    ) {
        return Some(found);
    }
    let want_main = as_list(want.pointer("/data/main").unwrap_or(&Value::Null));
    let got_main = as_list(got.pointer("/data/main").unwrap_or(&Value::Null));
    let main_path = key_path(path, "data.main");
    if want.get("data").is_none() {
        let items: usize = got_main.iter().map(|output| as_list(output).len()).sum();
        return (items > 0)
            .then(|| Difference::new(main_path, format!("expected no data, got {items} items")));
    }
    if want_main.len() != got_main.len() {
        return Some(Difference::new(
            main_path,
            format!(
                "expected {} outputs, got {}",
                want_main.len(),
                got_main.len()
            ),
        ));
    }
    want_main
        .iter()
        .zip(got_main)
        .enumerate()
        .find_map(|(index, (w, g))| {
            compare_items(
                as_list(w),
                as_list(g),
                &index_path(&main_path, index),
                fixes,
            )
        })
}

/// The items of one output.
fn compare_items(
    want: &[Value],
    got: &[Value],
    path: &str,
    fixes: &[OutputFix],
) -> Option<Difference> {
    let fix = fixes.iter().find(|fix| {
        !want.is_empty()
            && want.iter().all(|item| {
                let code = error_code(item.get("error")).or_else(|| error_code(item.get("json")));
                code == Some(fix.error_code)
            })
    });
    if let Some(fix) = fix {
        return check_items(&fix.check, got, path);
    }
    if want.len() != got.len() {
        return Some(Difference::new(
            path,
            format!("expected {} items, got {}", want.len(), got.len()),
        ));
    }
    want.iter()
        .zip(got)
        .enumerate()
        .find_map(|(index, (w, g))| compare_item(w, g, &index_path(path, index)))
}

/// One item: `json`, `pairedItem`, `binary` metadata, `metadata` (sub-executions), `error`.
fn compare_item(want: &Value, got: &Value, path: &str) -> Option<Difference> {
    let is_error = want.get("error").is_some() || want.pointer("/json/error").is_some();
    let mode = if is_error { Mode::Subset } else { Mode::Exact };
    first_difference(
        field(want, "json"),
        field(got, "json"),
        &key_path(path, "json"),
        mode,
    )
    .or_else(|| {
        first_difference(
            &paired(field(want, "pairedItem")),
            &paired(field(got, "pairedItem")),
            &key_path(path, "pairedItem"),
            Mode::Exact,
        )
    })
    .or_else(|| {
        first_difference(
            &binary_metadata(field(want, "binary")),
            &binary_metadata(field(got, "binary")),
            &key_path(path, "binary"),
            Mode::Exact,
        )
    })
    .or_else(|| {
        first_difference(
            field(want, "metadata"),
            field(got, "metadata"),
            &key_path(path, "metadata"),
            Mode::Exact,
        )
    })
    .or_else(|| {
        want.get("error")
            .and_then(|w| compare_error(Some(w), got.get("error"), &key_path(path, "error")))
    })
}

/// Items that must show what weft does instead of n8n's error.
fn check_items(check: &ItemCheck, got: &[Value], path: &str) -> Option<Difference> {
    if got.is_empty() {
        return Some(Difference::new(
            path,
            format!("expected {}, got no items", check.describe()),
        ));
    }
    got.iter().enumerate().find_map(|(index, item)| {
        let json = field(item, "json");
        let passes =
            item.get("error").is_none() && json.get("error").is_none() && check.accepts(json);
        (!passes).then(|| {
            Difference::new(
                key_path(&index_path(path, index), "json"),
                format!(
                    "expected {}, got {}",
                    check.describe(),
                    super::diff::show(json)
                ),
            )
        })
    })
}

/// `pairedItem` as a list of `{item, input}`.
fn paired(value: &Value) -> Value {
    match value {
        Value::Number(item) => json!([{"item": item, "input": 0}]),
        Value::Object(object) => {
            let mut object = object.clone();
            object.entry("input").or_insert(json!(0));
            Value::Array(vec![Value::Object(object)])
        }
        Value::Array(values) => Value::Array(
            values
                .iter()
                .flat_map(|v| as_list(&paired(v)).to_vec())
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Binary metadata per property, without the storage-specific `id` and `data`.
fn binary_metadata(value: &Value) -> Value {
    let mut value = value.clone();
    if let Some(properties) = value.as_object_mut() {
        for property in properties.values_mut().filter_map(Value::as_object_mut) {
            property.remove("id");
            property.remove("data");
        }
    }
    value
}

/// An array's elements; anything else is empty.
fn as_list(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(items: Value) -> Value {
        json!({"exitCode": 0, "status": "success", "finished": true, "mode": "cli", "lastNodeExecuted": "S",
            "runData": {"S": [{"executionIndex": 0, "source": [], "hints": [], "executionStatus": "success",
                "data": {"main": [items]}}]}})
    }

    #[test]
    fn same_document_passes_and_volatile_keys_are_ignored() {
        let want = doc(json!([{"json": {"a": 1}, "pairedItem": {"item": 0}}]));
        let mut got = want.clone();
        got["runData"]["S"][0]["startTime"] = json!(123);
        got["runData"]["S"][0]["data"]["main"][0][0]["pairedItem"] = json!(0);
        normalize(&mut got);
        assert_eq!(compare(&want, Some(&got), 0, &[]), None);
    }

    #[test]
    fn item_value_difference() {
        let want = doc(json!([{"json": {"Name": "Acme"}, "pairedItem": {"item": 0}}]));
        let got = doc(json!([{"json": {"Name": "Globex"}, "pairedItem": {"item": 0}}]));
        assert_eq!(
            compare(&want, Some(&got), 0, &[]).unwrap(),
            r#"runData.S[0].data.main[0][0].json.Name: expected "Acme", got "Globex""#
        );
    }

    #[test]
    fn error_items_may_carry_more_keys() {
        let want = doc(
            json!([{"json": {"error": "Not found"}, "pairedItem": {"item": 0},
            "error": {"message": "Not found", "level": "warning", "context": {"errorCode": "NOT_FOUND"}}}]),
        );
        let got = doc(
            json!([{"json": {"error": "Not found", "httpCode": "404"}, "pairedItem": {"item": 0},
            "error": {"message": "Not found", "context": {"errorCode": "NOT_FOUND"}}}]),
        );
        assert_eq!(compare(&want, Some(&got), 0, &[]), None);
        let mut wrong = got.clone();
        wrong["runData"]["S"][0]["data"]["main"][0][0]["error"]["context"]["errorCode"] =
            json!("X");
        assert!(
            compare(&want, Some(&wrong), 0, &[])
                .unwrap()
                .contains("error.context.errorCode")
        );
    }

    #[test]
    fn exit_code_status_and_finished() {
        let want = json!({"exitCode": 1, "status": "error", "mode": "cli", "lastNodeExecuted": "S",
            "error": {"message": "m", "httpCode": "404"}, "runData": {}});
        let mut got = want.clone();
        got["finished"] = json!(false);
        assert_eq!(compare(&want, Some(&got), 1, &[]), None);
        assert_eq!(
            compare(&want, Some(&got), 0, &[]).unwrap(),
            "exit code 1 expected, got 0"
        );
        got["error"]["httpCode"] = json!(404);
        assert_eq!(
            compare(&want, Some(&got), 1, &[]).unwrap(),
            r#"error.httpCode: expected "404", got 404"#
        );
    }

    #[test]
    fn binary_metadata_without_storage_details() {
        let want = doc(json!([{"json": {}, "pairedItem": {"item": 0},
            "binary": {"data": {"fileName": "a.txt", "bytes": 3, "data": "filesystem-v2", "id": "x"}}}]));
        let got = doc(json!([{"json": {}, "pairedItem": {"item": 0},
            "binary": {"data": {"fileName": "a.txt", "bytes": 3, "data": "YWJj"}}}]));
        assert_eq!(compare(&want, Some(&got), 0, &[]), None);
    }

    #[test]
    fn nodes_that_ran_differently() {
        let want = doc(json!([]));
        let mut got = want.clone();
        got["runData"]["Extra"] = json!([]);
        assert_eq!(
            compare(&want, Some(&got), 0, &[]).unwrap(),
            "runData.Extra: weft ran this node, n8n did not"
        );
    }

    #[test]
    fn sub_execution_ids_are_normalized_and_metadata_compared() {
        let sub = |id: Value| json!({"subExecution": {"executionId": id, "workflowId": "w"}});
        let mut want = doc(
            json!([{"json": {}, "pairedItem": {"item": 0}, "metadata": sub(json!("<sub-execution-id>"))}]),
        );
        want["runData"]["S"][0]["metadata"] = sub(json!("<sub-execution-id>"));
        let mut got =
            doc(json!([{"json": {}, "pairedItem": {"item": 0}, "metadata": sub(json!("17"))}]));
        got["runData"]["S"][0]["metadata"] = sub(json!(3));
        normalize(&mut got);
        assert_eq!(compare(&want, Some(&got), 0, &[]), None);
        got["runData"]["S"][0]["data"]["main"][0][0]
            .as_object_mut()
            .unwrap()
            .remove("metadata");
        assert_eq!(
            compare(&want, Some(&got), 0, &[]).unwrap(),
            r#"runData.S[0].data.main[0][0].metadata: expected {"subExecution":{"executionId":"<sub-execution-id>","workflowId":"w"}}, got null"#
        );
    }

    #[test]
    fn versions_are_normalized_in_strings() {
        let mut value = json!({"url": "/services/data/v66.0/sobjects/Account/1", "startedAt": 1});
        normalize(&mut value);
        assert_eq!(
            value,
            json!({"url": "/services/data/vXX/sobjects/Account/1"})
        );
    }

    #[test]
    fn fixes_replace_recorded_errors() {
        let fix = OutputFix {
            error_code: "MALFORMED_QUERY",
            check: ItemCheck::RecordsOf("Invoice__c".into()),
        };
        let want = doc(
            json!([{"json": {"error": "Bad request", "errorCode": "MALFORMED_QUERY"}, "pairedItem": {"item": 0}}]),
        );
        let got = doc(json!([
            {"json": {"attributes": {"type": "Invoice__c"}, "Id": "a01"}, "pairedItem": {"item": 0}},
            {"json": {"attributes": {"type": "Invoice__c"}, "Id": "a02"}, "pairedItem": {"item": 0}}]));
        assert_eq!(
            compare(&want, Some(&got), 0, std::slice::from_ref(&fix)),
            None
        );
        let same_error = want.clone();
        assert!(
            compare(&want, Some(&same_error), 0, &[fix])
                .unwrap()
                .contains("records of Invoice__c")
        );
    }
}
