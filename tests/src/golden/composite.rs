//! sObject Collections calls (`/composite/sobjects`) as the single-record calls they stand for,
//! so that weft's batched writes compare with n8n's one request per item:
//!
//! - `POST /composite/sobjects {records}` → `POST /sobjects/<attributes.type>` per record, the
//!   record without `attributes` as body;
//! - `PATCH /composite/sobjects {records}` → `PATCH /sobjects/<type>/<Id>` per record, body without
//!   `attributes` and `Id`/`id` (a record left empty is a PATCH without a body, as n8n sends it);
//! - `PATCH /composite/sobjects/<Object>/<Field> {records}` → `PATCH /sobjects/<Object>/<Field>/<value>`,
//!   body without `attributes` and the external id field;
//! - `DELETE /composite/sobjects?ids=a,b` → `DELETE /sobjects/*/<id>` per id (any object name).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::call::{ANY_VERSION, Body, Call, Segment};

/// `call` itself, or the single-record calls a composite collection call stands for.
pub fn expand(call: Call) -> Vec<Call> {
    let Some(rest) = call.api_segments() else {
        return vec![call];
    };
    let rest: Vec<&str> = rest.iter().filter_map(|s| s.decoded.as_deref()).collect();
    let (method, upsert) = match (call.method.as_str(), rest.as_slice()) {
        ("POST" | "PATCH" | "DELETE", ["composite", "sobjects"]) => (call.method.clone(), None),
        ("PATCH", ["composite", "sobjects", object, field]) => (
            "PATCH".to_owned(),
            Some(((*object).to_owned(), (*field).to_owned())),
        ),
        _ => return vec![call],
    };
    if method == "DELETE" {
        return call
            .query
            .get("ids")
            .into_iter()
            .flatten()
            .flat_map(|ids| ids.split(','))
            .filter(|id| !id.is_empty())
            .map(|id| single(&call, "DELETE", vec![wildcard(), Segment::value(id)], None))
            .collect();
    }
    let records = match &call.body {
        Body::Json(Value::Object(body)) => match body.get("records") {
            Some(Value::Array(records)) => records.clone(),
            _ => return vec![call],
        },
        _ => return vec![call],
    };
    records
        .into_iter()
        .map(|record| {
            let mut record = match record {
                Value::Object(record) => record,
                _ => Map::new(),
            };
            let object = record
                .remove("attributes")
                .and_then(|attributes| attributes.get("type").cloned())
                .and_then(|t| t.as_str().map(str::to_owned));
            let mut tail = Vec::new();
            match (&upsert, method.as_str()) {
                (Some((object_in_path, field)), _) => {
                    let value = take_key(&mut record, field);
                    tail.push(Segment::value(object.as_deref().unwrap_or(object_in_path)));
                    tail.push(Segment::value(field));
                    tail.push(Segment::value(&scalar_text(&value)));
                }
                (None, "PATCH") => {
                    let id = take_key(&mut record, "id");
                    tail.push(object.as_deref().map_or_else(wildcard, Segment::value));
                    tail.push(Segment::value(&scalar_text(&id)));
                }
                _ => tail.push(object.as_deref().map_or_else(wildcard, Segment::value)),
            }
            let body = if method == "PATCH" && record.is_empty() {
                None
            } else {
                Some(Value::Object(record))
            };
            single(&call, &method, tail, body)
        })
        .collect()
}

/// A single-record call under `/services/data/vXX/sobjects/`, headers taken from `call`.
fn single(call: &Call, method: &str, tail: Vec<Segment>, body: Option<Value>) -> Call {
    let mut segments: Vec<Segment> = ["services", "data", ANY_VERSION, "sobjects"]
        .into_iter()
        .map(Segment::raw)
        .collect();
    segments.extend(tail);
    Call {
        method: method.to_owned(),
        segments,
        query: BTreeMap::new(),
        authorization: call.authorization.clone(),
        content_type: call.content_type.clone(),
        body: body.map_or(Body::Empty, Body::Json),
        jwt: None,
    }
}

/// A segment matching any object name.
fn wildcard() -> Segment {
    Segment {
        raw: "*".to_owned(),
        decoded: None,
        require_encoded: false,
    }
}

/// Removes the key equal to `name` ignoring case, returning its value (`null` when absent).
fn take_key(record: &mut Map<String, Value>, name: &str) -> Value {
    let key = record
        .keys()
        .find(|key| key.eq_ignore_ascii_case(name))
        .cloned();
    key.and_then(|key| record.remove(&key))
        .unwrap_or(Value::Null)
}

/// A path value: strings as they are, other values as JSON text.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call(method: &str, path: &str, query: &str, body: Value) -> Call {
        let line = json!({"method": method, "path": path, "rawQuery": query,
            "headers": {"Authorization": "Bearer t.1", "Content-Type": "application/json"},
            "body": if body.is_null() { String::new() } else { body.to_string() }});
        Call::from_log_line(&line.to_string(), 1).unwrap()
    }

    fn described(calls: &[Call]) -> Vec<String> {
        calls.iter().map(Call::describe).collect()
    }

    #[test]
    fn create_collection() {
        let calls = expand(call(
            "POST",
            "/services/data/v66.0/composite/sobjects",
            "",
            json!({"allOrNone": false, "records": [
                {"attributes": {"type": "Account"}, "Name": "A"},
                {"attributes": {"type": "Account"}, "Name": "B"}]}),
        ));
        assert_eq!(
            described(&calls),
            [
                "POST /services/data/vXX/sobjects/Account",
                "POST /services/data/vXX/sobjects/Account"
            ]
        );
        assert_eq!(calls[1].body, Body::Json(json!({"Name": "B"})));
        assert_eq!(calls[1].authorization.as_deref(), Some("Bearer t.1"));
    }

    #[test]
    fn update_collection_drops_id_and_empty_bodies() {
        let calls = expand(call(
            "PATCH",
            "/services/data/v66.0/composite/sobjects",
            "",
            json!({"records": [
                {"attributes": {"type": "Lead"}, "id": "00Q1", "Company": "C"},
                {"attributes": {"type": "Lead"}, "Id": "00Q2"}]}),
        ));
        assert_eq!(
            described(&calls),
            [
                "PATCH /services/data/vXX/sobjects/Lead/00Q1",
                "PATCH /services/data/vXX/sobjects/Lead/00Q2"
            ]
        );
        assert_eq!(calls[0].body, Body::Json(json!({"Company": "C"})));
        assert_eq!(calls[1].body, Body::Empty);
    }

    #[test]
    fn upsert_collection_moves_the_external_id_into_the_path() {
        let calls = expand(call(
            "PATCH",
            "/services/data/v66.0/composite/sobjects/Account/External_Id__c",
            "",
            json!({"records": [{"attributes": {"type": "Account"}, "External_Id__c": "A&B 1", "Name": "N"}]}),
        ));
        assert_eq!(
            described(&calls),
            ["PATCH /services/data/vXX/sobjects/Account/External_Id__c/A&B 1"]
        );
        assert_eq!(calls[0].segments[6].raw, "A%26B%201");
        assert_eq!(calls[0].body, Body::Json(json!({"Name": "N"})));
    }

    #[test]
    fn delete_collection_names_no_object() {
        let calls = expand(call(
            "DELETE",
            "/services/data/v66.0/composite/sobjects",
            "ids=001A,001B&allOrNone=false",
            Value::Null,
        ));
        assert_eq!(
            described(&calls),
            [
                "DELETE /services/data/vXX/sobjects/*/001A",
                "DELETE /services/data/vXX/sobjects/*/001B"
            ]
        );
        assert!(calls[0].query.is_empty());
    }

    #[test]
    fn other_calls_stay() {
        let single = call(
            "GET",
            "/services/data/v66.0/sobjects/Account/001A",
            "",
            Value::Null,
        );
        assert_eq!(expand(single.clone()), vec![single]);
    }
}
