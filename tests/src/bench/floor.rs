//! The floor programs the benchmark compares weft with: what plain `reqwest` and `serde_json` need
//! for the same Salesforce calls, with no workflow, node, item or middleware around them.

use std::sync::Arc;

use anyhow::Context;
use serde_json::{Value, json};
use tokio::task::JoinSet;
use url::Url;

/// Fetches every page of the query at `url` (following `nextRecordsUrl`) with bearer `token`;
/// with `parse`, parses each page with serde_json and counts its records, else only finds the next
/// page's address in the bytes (what the fake alone costs). Returns the records counted.
pub async fn fetch(url: Url, token: &str, parse: bool) -> anyhow::Result<usize> {
    let client = reqwest::Client::new();
    let mut next = Some(url);
    let mut records = 0;
    while let Some(url) = next.take() {
        let body = client
            .get(url.clone())
            .bearer_auth(token)
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        let path = if parse {
            let page: Value = serde_json::from_slice(&body).context("a page is JSON")?;
            records += page["records"].as_array().map_or(0, Vec::len);
            page["nextRecordsUrl"].as_str().map(str::to_owned)
        } else {
            next_records_url(&body)
        };
        next = path.map(|path| url.join(&path)).transpose()?;
    }
    Ok(records)
}

/// The `nextRecordsUrl` of a compact JSON page, found without parsing it.
fn next_records_url(body: &[u8]) -> Option<String> {
    const KEY: &[u8] = b"\"nextRecordsUrl\":\"";
    let start = body.windows(KEY.len()).position(|window| window == KEY)? + KEY.len();
    let length = body[start..].iter().position(|byte| *byte == b'"')?;
    String::from_utf8(body[start..start + length].to_vec()).ok()
}

/// Creates `count` contacts named `Contact <n>` through `composite/sobjects` at `url`, 200 per
/// call as the Salesforce node batches them, parsing each answer.
pub async fn create(url: Url, token: &str, count: usize) -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    let names: Vec<usize> = (0..count).collect();
    for batch in names.chunks(200) {
        let records: Vec<Value> = batch
            .iter()
            .map(|n| json!({"attributes": {"type": "Contact"}, "LastName": format!("Contact {n}")}))
            .collect();
        let body = client
            .post(url.clone())
            .bearer_auth(token)
            .json(&json!({"allOrNone": false, "records": records}))
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        serde_json::from_slice::<Value>(&body).context("the answer is JSON")?;
    }
    Ok(())
}

/// Sends `count` GETs to `url` one after another (each waits for the previous answer), reading
/// every body: the latency of a request, with no contention between requests.
pub async fn sequential_gets(
    client: &reqwest_middleware::ClientWithMiddleware,
    url: &Url,
    count: usize,
) -> anyhow::Result<()> {
    for _ in 0..count {
        get(client, url.as_str()).await?;
    }
    Ok(())
}

/// Sends `count` GETs of `url` at once through `client` (authenticated or not) and waits for all.
pub async fn concurrent_gets(
    client: &reqwest_middleware::ClientWithMiddleware,
    url: &Url,
    count: usize,
) -> anyhow::Result<()> {
    let url = Arc::new(url.clone());
    let mut requests = JoinSet::new();
    for _ in 0..count {
        let (client, url) = (client.clone(), Arc::clone(&url));
        requests.spawn(async move { get(&client, url.as_str()).await });
    }
    while let Some(result) = requests.join_next().await {
        result??;
    }
    Ok(())
}

/// One GET whose answer must be a success; its body is read to the end.
async fn get(client: &reqwest_middleware::ClientWithMiddleware, url: &str) -> anyhow::Result<()> {
    let response = client.get(url).send().await?;
    response.error_for_status()?.bytes().await?;
    Ok(())
}
