//! Reading small bodies: the layers that must look inside a 403 read it and hand on an equivalent
//! response, and token and test answers are read only up to a bound, so a server that never stops
//! sending cannot exhaust memory.

use reqwest::Response;

/// Bodies larger than this are not inspected (the error bodies policies read are a few hundred bytes).
const MAX_PEEK: u64 = 16 * 1024;

/// Reads the body of `response` and returns it with a rebuilt response carrying the same status,
/// headers and bytes. A large or unreadable body is not read.
pub async fn peek(response: Response) -> (Response, String) {
    if response
        .content_length()
        .is_some_and(|length| length > MAX_PEEK)
    {
        return (response, String::new());
    }
    let status = response.status();
    let version = response.version();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let mut rebuilt = http::Response::new(reqwest::Body::from(bytes));
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    (Response::from(rebuilt), text)
}

/// The body of `response` as text (lossy UTF-8), or `None` when it is longer than `limit` bytes
/// (reading stops there). A body that breaks off is the part that arrived.
pub async fn read_at_most(mut response: Response, limit: usize) -> Option<String> {
    let mut bytes = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        if bytes.len() + chunk.len() > limit {
            return None;
        }
        bytes.extend_from_slice(&chunk);
    }
    Some(String::from_utf8_lossy(&bytes).into_owned())
}
