//! Where n8n 2.41.1 is wrong (`note.md` of the case, `../shared/spec/n8n-compat.md` §7) weft does
//! the right thing instead, and the runner requires that right thing. Each rule is recognised by
//! what the recording shows, never by a case name, and rewrites the recorded requests into what
//! weft must send (and, where n8n's request failed only because of its bug, the recorded error
//! into what weft must output):
//!
//! | deviation | recognised by | weft must |
//! | --- | --- | --- |
//! | unsent option keys (W1) | a lead or contact write whose recorded body lacks a field the node sets under n8n's misspelt option: lead `IsUnreadByOwner`, lead `HasOptedOutOfFax`, contact `Assistant Phone` | send the field (`IsUnreadByOwner`, `HasOptedOutOfFax`, `AssistantPhone`) with the option's value |
//! | unencoded path segments (W2) | a recorded path segment with a character `encodeURIComponent` escapes (`A&B%201`) | send the same decoded segment with every such character percent-encoded (`A%26B%201`) |
//! | `SELECT  FROM` with empty fields (W16) | a recorded `q` of `SELECT  FROM <custom object>` | query the custom object's default fields (`SELECT id,LastModifiedDate FROM …`), and output the records (items of that object type) where n8n output the `MALFORMED_QUERY` error |
//! | attachment placeholder body (W17) | a recorded Attachment write with `"Body": "filesystem-v2"` | send the base64 of the file the workflow reads (the case must read exactly one) |
//! | flow JSON sent as a string (W18) | a recorded flow invocation whose `inputs` holds a string that parses as a JSON object | send that object, and output the flow's result (`isSuccess: true`) where n8n output the `JSON_PARSER_ERROR` |
//!
//! The API version (W5) is not a rule here: every path's version is normalized (`call.rs`).

use std::fmt;
use std::path::PathBuf;

use anyhow::Context;
use base64::Engine;
use serde_json::{Map, Value};

use super::call::{Body, Call};

/// A kind of n8n bug that the runner checks weft's fix for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deviation {
    /// W1: options n8n never sends.
    UnsentOption,
    /// W2: path segments n8n does not percent-encode.
    UnencodedPath,
    /// W16: `SELECT  FROM` for an empty field list.
    EmptyFieldList,
    /// W17: the `filesystem-v2` placeholder as an attachment body.
    AttachmentPlaceholder,
    /// W18: flow JSON parameters sent as a string.
    FlowJsonString,
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::UnsentOption => "unsent option keys",
            Self::UnencodedPath => "unencoded path segments",
            Self::EmptyFieldList => "SELECT  FROM with empty fields",
            Self::AttachmentPlaceholder => "attachment placeholder body",
            Self::FlowJsonString => "flow JSON sent as a string",
        })
    }
}

/// A recorded error that weft must replace with proper items.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputFix {
    /// The Salesforce error code n8n's bug provoked.
    pub error_code: &'static str,
    /// What each of weft's items must be instead.
    pub check: ItemCheck,
}

/// What an item must look like where n8n output an error.
#[derive(Clone, Debug, PartialEq)]
pub enum ItemCheck {
    /// A query record of this object (`attributes.type`, any case).
    RecordsOf(String),
    /// A successful flow invocation result.
    FlowSuccess,
}

impl ItemCheck {
    /// In words, for a difference.
    pub fn describe(&self) -> String {
        match self {
            Self::RecordsOf(object) => format!("records of {object} (n8n's query was broken)"),
            Self::FlowSuccess => {
                "a flow result with isSuccess true (n8n sent the inputs as a string)".to_owned()
            }
        }
    }

    /// Whether an item's json is acceptable.
    pub fn accepts(&self, json: &Value) -> bool {
        match self {
            Self::RecordsOf(object) => json
                .pointer("/attributes/type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.eq_ignore_ascii_case(object)),
            Self::FlowSuccess => json.get("isSuccess") == Some(&Value::Bool(true)),
        }
    }
}

/// What a case's workflow tells the rules.
#[derive(Debug, Default)]
pub struct Facts {
    /// The parameters of every Salesforce node.
    pub salesforce_parameters: Vec<Value>,
    /// The files the workflow reads (after rewriting to the golden `files/`).
    pub files: Vec<PathBuf>,
}

/// The deviations found and the output fixes they bring.
#[derive(Debug, Default)]
pub struct Found {
    /// Each kind once, in order of discovery.
    pub kinds: Vec<Deviation>,
    /// Recorded errors to replace.
    pub output_fixes: Vec<OutputFix>,
}

impl Found {
    fn note(&mut self, kind: Deviation) {
        if !self.kinds.contains(&kind) {
            self.kinds.push(kind);
        }
    }
}

/// Options n8n never sends: (object, option key in the workflow, Salesforce field).
const UNSENT_OPTIONS: [(&str, &str, &str); 3] = [
    ("lead", "IsUnreadByOwner", "IsUnreadByOwner"),
    ("lead", "HasOptedOutOfFax", "HasOptedOutOfFax"),
    ("contact", "Assistant Phone", "AssistantPhone"),
];

/// n8n's binary data placeholder in the filesystem mode.
const PLACEHOLDER: &str = "filesystem-v2";

/// Rewrites the recorded `calls` into what weft must send.
pub fn apply(calls: &mut [Call], facts: &Facts) -> anyhow::Result<Found> {
    let mut found = Found::default();
    for call in calls.iter_mut() {
        for segment in &mut call.segments {
            if !segment.unencoded_characters().is_empty() {
                segment.require_encoded = true;
                found.note(Deviation::UnencodedPath);
            }
        }
        if unsent_options(call, facts) {
            found.note(Deviation::UnsentOption);
        }
        if let Some(object) = empty_field_list(call) {
            found.note(Deviation::EmptyFieldList);
            found.output_fixes.push(OutputFix {
                error_code: "MALFORMED_QUERY",
                check: ItemCheck::RecordsOf(object),
            });
        }
        if attachment_placeholder(call, facts)? {
            found.note(Deviation::AttachmentPlaceholder);
        }
        if flow_json_string(call) {
            found.note(Deviation::FlowJsonString);
            found.output_fixes.push(OutputFix {
                error_code: "JSON_PARSER_ERROR",
                check: ItemCheck::FlowSuccess,
            });
        }
    }
    Ok(found)
}

/// The recorded JSON object body of a create or update.
fn write_body(call: &mut Call) -> Option<&mut Map<String, Value>> {
    if !matches!(call.method.as_str(), "POST" | "PATCH") {
        return None;
    }
    match &mut call.body {
        Body::Json(Value::Object(body)) => Some(body),
        _ => None,
    }
}

/// W1: adds the options n8n dropped to the body.
fn unsent_options(call: &mut Call, facts: &Facts) -> bool {
    let Some(object) = call.sobject().map(str::to_ascii_lowercase) else {
        return false;
    };
    let Some(body) = write_body(call) else {
        return false;
    };
    let mut changed = false;
    for (option_object, option, field) in UNSENT_OPTIONS {
        if object != option_object || body.contains_key(field) {
            continue;
        }
        let value = facts.salesforce_parameters.iter().find_map(|parameters| {
            ["additionalFields", "updateFields"]
                .iter()
                .find_map(|collection| parameters.get(collection)?.get(option))
                .filter(|value| !value.as_str().is_some_and(|s| s.starts_with('=')))
        });
        if let Some(value) = value {
            body.insert(field.to_owned(), value.clone());
            changed = true;
        }
    }
    changed
}

/// W16: `SELECT  FROM X…` → `SELECT id,LastModifiedDate FROM X…` for custom objects; the object.
fn empty_field_list(call: &mut Call) -> Option<String> {
    const BROKEN: &str = "SELECT  FROM ";
    let q = call.query.get_mut("q")?.first_mut()?;
    let rest = q.strip_prefix(BROKEN)?;
    let object = rest.split_whitespace().next()?.to_owned();
    if !object.to_ascii_lowercase().ends_with("__c") {
        return None;
    }
    *q = format!("SELECT id,LastModifiedDate FROM {rest}");
    Some(object)
}

/// W17: the placeholder body → the base64 of the file the workflow reads.
fn attachment_placeholder(call: &mut Call, facts: &Facts) -> anyhow::Result<bool> {
    let is_attachment = call
        .sobject()
        .is_some_and(|object| object.eq_ignore_ascii_case("attachment"));
    let Some(body) = write_body(call).filter(|_| is_attachment) else {
        return Ok(false);
    };
    if body.get("Body").and_then(Value::as_str) != Some(PLACEHOLDER) {
        return Ok(false);
    }
    let [file] = facts.files.as_slice() else {
        anyhow::bail!(
            "the recorded attachment body is n8n's {PLACEHOLDER:?} placeholder, but the workflow reads {} files instead of one",
            facts.files.len()
        );
    };
    let content = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let encoded = base64::engine::general_purpose::STANDARD.encode(content);
    body.insert("Body".to_owned(), encoded.into());
    Ok(true)
}

/// W18: string elements of a flow's `inputs` that are JSON objects → those objects.
fn flow_json_string(call: &mut Call) -> bool {
    let is_flow = call.api_segments().is_some_and(|rest| {
        rest.len() == 4
            && rest[..3]
                .iter()
                .map(|s| s.raw.as_str())
                .eq(["actions", "custom", "flow"])
    });
    let Some(inputs) = write_body(call)
        .filter(|_| is_flow)
        .and_then(|body| body.get_mut("inputs"))
        .and_then(Value::as_array_mut)
    else {
        return false;
    };
    let mut changed = false;
    for input in inputs {
        if let Some(object) = input
            .as_str()
            .and_then(|text| serde_json::from_str::<Value>(text).ok())
            .filter(Value::is_object)
        {
            *input = object;
            changed = true;
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call(method: &str, path: &str, query: &str, body: Value) -> Call {
        let line = json!({"method": method, "path": path, "rawQuery": query,
            "headers": {"Content-Type": "application/json"},
            "body": if body.is_null() { String::new() } else { body.to_string() }});
        Call::from_log_line(&line.to_string(), 1).unwrap()
    }

    #[test]
    fn unsent_options_are_required() {
        let facts = Facts {
            salesforce_parameters: vec![
                json!({"updateFields": {"HasOptedOutOfFax": true, "IsUnreadByOwner": false, "email": "e"}}),
            ],
            files: vec![],
        };
        let mut calls = [call(
            "PATCH",
            "/services/data/v59.0/sobjects/lead/00Q1",
            "",
            json!({"Email": "e"}),
        )];
        let found = apply(&mut calls, &facts).unwrap();
        assert_eq!(found.kinds, [Deviation::UnsentOption]);
        assert_eq!(
            calls[0].body,
            Body::Json(json!({"Email": "e", "IsUnreadByOwner": false, "HasOptedOutOfFax": true}))
        );
        let mut contact = [call(
            "PATCH",
            "/services/data/v59.0/sobjects/contact/0031",
            "",
            json!({"Email": "e"}),
        )];
        assert!(apply(&mut contact, &facts).unwrap().kinds.is_empty());
    }

    #[test]
    fn unencoded_segments_must_be_encoded() {
        let mut calls = [
            call(
                "PATCH",
                "/services/data/v59.0/sobjects/account/External_Id__c/A&B%201",
                "",
                json!({}),
            ),
            call(
                "GET",
                "/services/data/v59.0/sobjects/account/001A",
                "",
                Value::Null,
            ),
        ];
        let found = apply(&mut calls, &Facts::default()).unwrap();
        assert_eq!(found.kinds, [Deviation::UnencodedPath]);
        assert!(calls[0].segments[6].require_encoded);
        assert!(!calls[1].segments.iter().any(|s| s.require_encoded));
    }

    #[test]
    fn empty_field_list_queries_the_defaults() {
        let mut calls = [call(
            "GET",
            "/services/data/v59.0/query",
            "q=SELECT%20%20FROM%20Invoice__c%20",
            Value::Null,
        )];
        let found = apply(&mut calls, &Facts::default()).unwrap();
        assert_eq!(
            calls[0].query["q"],
            ["SELECT id,LastModifiedDate FROM Invoice__c "]
        );
        assert_eq!(
            found.output_fixes,
            [OutputFix {
                error_code: "MALFORMED_QUERY",
                check: ItemCheck::RecordsOf("Invoice__c".into())
            }]
        );
    }

    #[test]
    fn attachment_placeholder_becomes_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("hello.txt");
        std::fs::write(&file, "hi").unwrap();
        let facts = Facts {
            salesforce_parameters: vec![],
            files: vec![file],
        };
        let mut calls = [call(
            "POST",
            "/services/data/v59.0/sobjects/attachment",
            "",
            json!({"Name": "a", "Body": "filesystem-v2"}),
        )];
        let found = apply(&mut calls, &facts).unwrap();
        assert_eq!(found.kinds, [Deviation::AttachmentPlaceholder]);
        assert_eq!(
            calls[0].body,
            Body::Json(json!({"Name": "a", "Body": "aGk="}))
        );
        let mut calls = [call(
            "POST",
            "/services/data/v59.0/sobjects/attachment",
            "",
            json!({"Body": "filesystem-v2"}),
        )];
        assert!(apply(&mut calls, &Facts::default()).is_err());
    }

    #[test]
    fn flow_inputs_as_objects() {
        let mut calls = [call(
            "POST",
            "/services/data/v59.0/actions/custom/flow/Echo",
            "",
            json!({"inputs": ["{\n  \"RecordId\": \"001A\"\n}"]}),
        )];
        let found = apply(&mut calls, &Facts::default()).unwrap();
        assert_eq!(found.kinds, [Deviation::FlowJsonString]);
        assert_eq!(
            calls[0].body,
            Body::Json(json!({"inputs": [{"RecordId": "001A"}]}))
        );
        assert!(ItemCheck::FlowSuccess.accepts(&json!({"isSuccess": true})));
        assert!(!ItemCheck::FlowSuccess.accepts(&json!({"isSuccess": false})));
    }
}
