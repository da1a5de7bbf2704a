//! Query results streamed page by page: `GET /query?q=` (or `/queryAll`), then every
//! `nextRecordsUrl` as Salesforce gave it, each page handed to the emitter as it arrives.

use serde_json::Value;

use crate::node::Emitter;
use crate::salesforce::api::Api;
use crate::{Item, NodeError};

/// Which query resource to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryScope {
    /// `query`: live records.
    Live,
    /// `queryAll`: deleted and archived records too.
    All,
}

/// Runs `soql` and emits one item per record, paired to input item `index`; returns how many.
pub async fn stream_query(
    api: &Api<'_, '_>,
    soql: &str,
    scope: QueryScope,
    index: usize,
    out: &mut Emitter,
) -> Result<usize, NodeError> {
    let resource = match scope {
        QueryScope::Live => "query",
        QueryScope::All => "queryAll",
    };
    let mut url = api.url(&[resource]).await?;
    url.query_pairs_mut().append_pair("q", soql);
    let mut count = 0;
    loop {
        let mut page = api.get(url).await?;
        let records = match page.get_mut("records").map(Value::take) {
            Some(Value::Array(records)) => records,
            _ => Vec::new(),
        };
        count += records.len();
        out.emit(
            0,
            records
                .into_iter()
                .map(|record| Item::from_value(record, index)),
        )
        .await?;
        match page.get("nextRecordsUrl").and_then(Value::as_str) {
            Some(next) => url = api.returned_url(next).await?,
            None => return Ok(count),
        }
    }
}
