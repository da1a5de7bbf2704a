//! The request log tests read back, and the fake's counters.
//!
//! Each entry has the host role, method, raw path and query, headers (the bearer token replaced by
//! a fingerprint), the body as text and the status answered. Counters: token requests by grant type
//! and API calls (versioned REST requests that passed authentication).

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, VecDeque};

/// Entries kept before the oldest are dropped.
const MAX_ENTRIES: usize = 20_000;
/// Body bytes kept per entry.
const MAX_BODY: usize = 64 * 1024;

/// Which listener a request reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HostRole {
    /// The generic login host (`login.salesforce.com`).
    Login,
    /// The org's My Domain host, which is also the REST instance.
    Instance,
}

/// One logged request.
#[derive(Clone, Debug, Serialize)]
pub struct LogEntry {
    pub seq: u64,
    pub host: HostRole,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The status answered; 0 while in flight or when the connection was dropped.
    pub status: u16,
    /// The injected fault, if any (its `kind`).
    pub fault: Option<String>,
}

impl LogEntry {
    /// A header value by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The first 8 hex characters of SHA-256 of a token: how the log shows credentials.
pub fn fingerprint(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Replaces the credential in an `Authorization` header by its fingerprint.
pub fn redact_authorization(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, token)) => format!("{scheme} {}", fingerprint(token.trim())),
        None => fingerprint(value),
    }
}

/// Body text as logged: UTF-8 (lossy), cut at 64 KiB.
pub fn body_text(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(MAX_BODY)]).into_owned()
}

/// The request log.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: VecDeque<LogEntry>,
    next_seq: u64,
}

impl RequestLog {
    /// Appends an entry (its `seq` is assigned here) and returns the sequence number.
    pub fn push(&mut self, mut entry: LogEntry) -> u64 {
        self.next_seq += 1;
        entry.seq = self.next_seq;
        if self.entries.len() == MAX_ENTRIES {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
        self.next_seq
    }

    /// Records the status of entry `seq`.
    pub fn finish(&mut self, seq: u64, status: u16) {
        if let Some(e) = self.entries.iter_mut().rev().find(|e| e.seq == seq) {
            e.status = status;
        }
    }

    /// Entries with a sequence number greater than `since`.
    pub fn since(&self, since: u64) -> Vec<LogEntry> {
        self.entries
            .iter()
            .filter(|e| e.seq > since)
            .cloned()
            .collect()
    }

    /// Forgets every entry (sequence numbers keep growing).
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// Counters of the fake.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Counters {
    /// Token endpoint requests by `grant_type` (as sent; `none` when absent).
    pub token_requests: BTreeMap<String, u64>,
    /// Authenticated requests under `/services/data/vXX.X/`.
    pub api_calls: u64,
    /// TCP connections accepted on either host.
    pub connections: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_is_fingerprinted() {
        let shown = redact_authorization("Bearer 00Dabc!AQ.secret");
        assert_eq!(shown, format!("Bearer {}", fingerprint("00Dabc!AQ.secret")));
        assert!(!shown.contains("secret"));
        assert_eq!(fingerprint("x").len(), 8);
    }
}
