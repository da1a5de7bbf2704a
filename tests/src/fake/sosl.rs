//! Minimal SOSL: `search?q=FIND {term} [IN ... FIELDS] [RETURNING Obj[(fields)], ...] [LIMIT n]`
//! and `parameterizedSearch?q=term&sobject=Obj&Obj.fields=A,B`. Text fields are searched for the
//! term case-insensitively (`*` wildcards are ignored); results come as `{"searchRecords": [...]}`.

use super::error::ApiError;
use super::render::{Item, View, named_fields};
use super::rest::{Answer, Req, json};
use super::schema::FieldType;
use axum::http::StatusCode;
use serde_json::{Value as Json, json};

/// Objects searched when RETURNING is absent.
const DEFAULT_OBJECTS: &[&str] = &["Account", "Contact", "Lead", "Opportunity", "Case"];
const MAX_RESULTS: usize = 2000;

fn malformed(text: &str) -> ApiError {
    ApiError::bad("MALFORMED_SEARCH", text)
}

/// `GET search?q=...`.
pub fn search(req: &Req) -> Answer {
    let q = req.query.get("q").map_or("", String::as_str);
    let rest = q.trim();
    let rest = rest
        .get(..4)
        .filter(|head| head.eq_ignore_ascii_case("find"))
        .map(|_| rest[4..].trim_start())
        .ok_or_else(|| {
            malformed("No search term found. The search term must be enclosed in braces.")
        })?;
    let (term, rest) = rest
        .strip_prefix('{')
        .and_then(|r| r.split_once('}'))
        .ok_or_else(|| {
            malformed("No search term found. The search term must be enclosed in braces.")
        })?;
    let upper = rest.to_ascii_uppercase();
    let (returning, limit) = match upper.find("RETURNING") {
        Some(i) => split_limit(&rest[i + "RETURNING".len()..]),
        None => split_limit(
            rest.get(upper.find("LIMIT").unwrap_or(rest.len())..)
                .unwrap_or(""),
        ),
    };
    let targets: Vec<(String, Option<String>)> = if upper.contains("RETURNING") {
        split_top(&returning)
            .into_iter()
            .map(|spec| match spec.split_once('(') {
                Some((name, fields)) => (
                    name.trim().to_string(),
                    Some(fields.trim_end_matches(')').to_string()),
                ),
                None => (spec.trim().to_string(), None),
            })
            .collect()
    } else {
        DEFAULT_OBJECTS
            .iter()
            .map(|o| (o.to_string(), None))
            .collect()
    };
    run(req, term, &targets, limit)
}

/// `GET parameterizedSearch?q=term&sobject=Obj&Obj.fields=A,B`.
pub fn parameterized(req: &Req) -> Answer {
    let term = req.query.get("q").cloned().unwrap_or_default();
    let targets: Vec<(String, Option<String>)> = match req.query.get("sobject") {
        Some(objects) => objects
            .split(',')
            .map(|o| {
                (
                    o.trim().to_string(),
                    req.query.get(&format!("{}.fields", o.trim())).cloned(),
                )
            })
            .collect(),
        None => DEFAULT_OBJECTS
            .iter()
            .map(|o| (o.to_string(), None))
            .collect(),
    };
    let limit = req
        .query
        .get("overallLimit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(MAX_RESULTS);
    run(req, &term, &targets, limit)
}

/// Splits `... LIMIT n` off a clause.
fn split_limit(text: &str) -> (String, usize) {
    let upper = text.to_ascii_uppercase();
    match upper.rfind("LIMIT") {
        Some(i) if !text[i..].contains(')') => {
            let n = text[i + 5..].trim().parse().unwrap_or(MAX_RESULTS);
            (text[..i].to_string(), n.min(MAX_RESULTS))
        }
        _ => (text.to_string(), MAX_RESULTS),
    }
}

/// Splits on commas outside parentheses.
fn split_top(text: &str) -> Vec<String> {
    let (mut parts, mut depth, mut current) = (Vec::new(), 0i32, String::new());
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

fn run(req: &Req, term: &str, targets: &[(String, Option<String>)], limit: usize) -> Answer {
    let needle = term.replace(['*', '"'], "").trim().to_lowercase();
    if needle.len() < 2 {
        return Err(malformed("search term must be longer than one character"));
    }
    let now = req.fake.now();
    let mut found: Vec<Json> = Vec::new();
    for (object, fields) in targets {
        let t = req.fake.object(object).ok_or_else(|| {
            ApiError::bad(
                "INVALID_TYPE",
                format!("sObject type '{object}' is not supported."),
            )
        })?;
        let store = req.fake.store.read();
        let items: Vec<Item> = match fields {
            Some(list) => named_fields(&store, t, list)?,
            None => named_fields(&store, t, "Id")?,
        };
        let table = store.get(t);
        let text_fields: Vec<usize> = table
            .def
            .visible()
            .filter(|&i| {
                matches!(
                    table.def.fields[i].kind,
                    FieldType::String
                        | FieldType::Email
                        | FieldType::Phone
                        | FieldType::TextArea
                        | FieldType::Picklist
                )
            })
            .collect();
        let view = View::new(&store, t, &items, &req.version, now);
        for n in table.numbers() {
            if found.len() >= limit {
                break;
            }
            let Some(row) = table.row(n, now).filter(|r| !r.is_deleted()) else {
                continue;
            };
            let hit = text_fields.iter().any(|&i| {
                row.get(&store, i)
                    .as_str()
                    .is_some_and(|s| s.to_lowercase().contains(&needle))
            });
            if hit {
                found.push(serde_json::to_value(view.record(row)).unwrap_or(Json::Null));
            }
        }
    }
    Ok(json(StatusCode::OK, &json!({"searchRecords": found})))
}
