//! Reading a small error body without losing the response: the layers that must look inside a
//! 403 read it and hand on an equivalent response.

use reqwest::Response;

/// Bodies larger than this are not inspected (Salesforce's error bodies are a few hundred bytes).
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
