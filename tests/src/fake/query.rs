//! `query` and `queryAll`: the first page of a SOQL query, and further pages through query
//! locators (`nextRecordsUrl` = `/services/data/vXX.X/query/<locator>-<offset>`). A cursor keeps the
//! matching record numbers for two (fake) days; records are rendered from the store page by page.

use super::error::ApiError;
use super::ids;
use super::render::{Item, RecordsJson, View};
use super::rest::{Answer, Req, json};
use super::soql::compile::{self, Shape};
use super::soql::{eval, parser};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::json;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

/// How long a locator stays valid.
const LOCATOR_LIFETIME_MS: i64 = 2 * 24 * 3600 * 1000;
/// Open cursors kept before the oldest are forgotten.
const MAX_CURSORS: usize = 500;

/// The state behind a query locator.
#[derive(Clone)]
struct Cursor {
    table: usize,
    items: Arc<Vec<Item>>,
    numbers: Arc<Vec<u64>>,
    expires_ms: i64,
}

/// Open query cursors.
#[derive(Default)]
pub struct Cursors {
    open: HashMap<String, Cursor>,
    order: VecDeque<String>,
    next: u64,
}

impl Cursors {
    fn open(&mut self, cursor: Cursor) -> String {
        self.next += 1;
        let locator = ids::make("01g", self.next);
        if self.order.len() == MAX_CURSORS
            && let Some(old) = self.order.pop_front()
        {
            self.open.remove(&old);
        }
        self.order.push_back(locator.clone());
        self.open.insert(locator.clone(), cursor);
        locator
    }

    fn get(&self, locator: &str, now: i64) -> Option<Cursor> {
        self.open
            .get(locator)
            .filter(|c| c.expires_ms > now)
            .cloned()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Page<'a> {
    total_size: usize,
    done: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_records_url: Option<String>,
    records: RecordsJson<'a>,
}

/// Routes `query[/locator]` and `queryAll[/locator]`.
pub fn handle(req: &Req, all: bool, rest: &[&str]) -> Answer {
    match rest {
        [] => first_page(req, all),
        [locator] => next_page(req, locator),
        _ => Err(ApiError::not_found()),
    }
}

/// The page size: `Sforce-Query-Options: batchSize=N` (200..2000), never above the configured size.
fn batch_size(req: &Req) -> usize {
    let asked = req
        .headers
        .get("sforce-query-options")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split([',', ';'])
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("batchSize"))
                .and_then(|(_, n)| n.trim().parse::<usize>().ok())
        });
    let configured = req.fake.config.page_size.max(1);
    asked.map_or(configured, |n| n.clamp(200, 2000).min(configured))
}

fn first_page(req: &Req, all: bool) -> Answer {
    let q = req.query.get("q").map_or("", String::as_str);
    let parsed = parser::parse(q).map_err(|e| e.into_api(q))?;
    if req.fake.object(&parsed.from.text).is_none() {
        return Err(compile::unknown_object(&parsed.from).into_api(q));
    }
    let now = req.fake.now();
    let store = req.fake.store.read();
    let plan = compile::compile(&store, &parsed, now).map_err(|e| e.into_api(q))?;
    let numbers = eval::run(&store, &plan, now, all);
    let items = match plan.shape {
        Shape::Count => {
            return Ok(json(
                StatusCode::OK,
                &json!({"totalSize": numbers.len(), "done": true, "records": []}),
            ));
        }
        Shape::CountField(alias) => {
            let record = json!({"attributes": {"type": "AggregateResult"}, alias: numbers.len()});
            return Ok(json(
                StatusCode::OK,
                &json!({"totalSize": 1, "done": true, "records": [record]}),
            ));
        }
        Shape::Records(items) => items,
    };
    let cursor = Cursor {
        table: plan.table,
        items: Arc::new(items),
        numbers: Arc::new(numbers),
        expires_ms: now + LOCATOR_LIFETIME_MS,
    };
    let batch = batch_size(req);
    let locator =
        (cursor.numbers.len() > batch).then(|| req.fake.cursors.lock().open(cursor.clone()));
    Ok(page(req, &store, &cursor, locator.as_deref(), 0, batch))
}

fn next_page(req: &Req, locator: &str) -> Answer {
    let invalid = || ApiError::bad("INVALID_QUERY_LOCATOR", "invalid query locator");
    let (id, offset) = match locator.rsplit_once('-') {
        Some((id, offset)) => (id, offset.parse::<usize>().map_err(|_| invalid())?),
        None => (locator, 0),
    };
    let now = req.fake.now();
    let cursor = req.fake.cursors.lock().get(id, now).ok_or_else(invalid)?;
    if offset > cursor.numbers.len() {
        return Err(invalid());
    }
    let store = req.fake.store.read();
    Ok(page(
        req,
        &store,
        &cursor,
        Some(id),
        offset,
        batch_size(req),
    ))
}

fn page(
    req: &Req,
    store: &super::store::Store,
    cursor: &Cursor,
    locator: Option<&str>,
    offset: usize,
    batch: usize,
) -> axum::response::Response {
    let total = cursor.numbers.len();
    let end = offset.saturating_add(batch).min(total);
    let done = end >= total;
    let next_records_url = locator
        .filter(|_| !done)
        .map(|l| format!("/services/data/v{}/query/{l}-{end}", req.version));
    let view = View::new(
        store,
        cursor.table,
        &cursor.items,
        &req.version,
        req.fake.now(),
    );
    json(
        StatusCode::OK,
        &Page {
            total_size: total,
            done,
            next_records_url,
            records: RecordsJson {
                view,
                numbers: &cursor.numbers[offset..end],
            },
        },
    )
}
