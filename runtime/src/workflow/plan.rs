//! `Plan`: a checked workflow, ready to execute: every node joined with its implementation,
//! parameters resolved, connections turned into edges by node index.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono_tz::Tz;
use serde_json::{Map, Value};
use weft_nodes::{CredentialRef, Item, Node, NodeInfo};

use super::model::OnError;

/// A workflow that passed every check.
#[derive(Clone)]
pub struct Plan {
    /// The workflow's name.
    pub name: String,
    /// The nodes, in the workflow's order.
    pub nodes: Vec<PlannedNode>,
    /// The index of the trigger a run starts at.
    pub start: usize,
    /// Pinned output per node name.
    pub pin_data: BTreeMap<String, Vec<Item>>,
    /// The workflow's IANA time zone (`settings.timezone`, checked); `None` for the machine's.
    pub time_zone: Option<String>,
}

impl Plan {
    /// The zone the workflow runs in (n8n's `getTimezone()`): its own, else the machine's
    /// (`$TZ`, when it names a zone), else UTC.
    pub fn zone(&self) -> Tz {
        self.time_zone
            .clone()
            .or_else(|| std::env::var("TZ").ok())
            .and_then(|name| name.parse().ok())
            .unwrap_or(Tz::UTC)
    }
}

/// One node of a plan.
#[derive(Clone)]
pub struct PlannedNode {
    /// Name, type, version and `continueOnFail()`.
    pub info: NodeInfo,
    /// The registered implementation.
    pub implementation: &'static dyn Node,
    /// Resolved parameters (defaults filled, expressions not yet evaluated).
    pub parameters: Map<String, Value>,
    /// Credential references by type.
    pub credentials: BTreeMap<String, CredentialRef>,
    /// The node as written in the workflow (n8n puts it into errors, parameters resolved).
    pub written: Value,
    /// `[x, y]` on the canvas.
    pub position: [f64; 2],
    /// Skipped; passes its input through.
    pub disabled: bool,
    /// What a failure does.
    pub on_error: OnError,
    /// Retries, when `retryOnFail` is set.
    pub retry: Option<Retry>,
    /// Emit one empty item when the node produced none.
    pub always_output_data: bool,
    /// `Node::item_wise` for its version and parameters: the executor may stream it.
    pub item_wise: bool,
    /// Run with the first input item only.
    pub execute_once: bool,
    /// How many main outputs the node emits to (`Node::outputs` for its version and
    /// parameters: Switch's rules, Filter's discarded items), the error output not counted.
    pub main_outputs: usize,
    /// Per output (main outputs, then the error output), the connected targets.
    pub outputs: Vec<Vec<Edge>>,
    /// The types of the nodes upstream of this one, each once (n8n's `getParentNodes`).
    pub ancestor_types: Vec<String>,
    /// The name and type of every node upstream of it, each once, nearest first.
    pub ancestors: Vec<(String, String)>,
}

/// A connection to input `input` of node `target`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    /// The target node's index.
    pub target: usize,
    /// The target's input index.
    pub input: usize,
}

/// How often and how patiently a failed node is tried again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retry {
    /// Tries in all (2..=5).
    pub tries: u32,
    /// The pause between tries (0..=5 s).
    pub wait: Duration,
}

impl Retry {
    /// n8n's clamping: `maxTries` into 2..=5 (default 3), `waitBetweenTries` into 0..=5000 ms
    /// (default 1000).
    pub fn clamped(max_tries: Option<f64>, wait_between_tries: Option<f64>) -> Self {
        let tries = max_tries.unwrap_or(3.0).clamp(2.0, 5.0) as u32;
        let wait = wait_between_tries.unwrap_or(1000.0).clamp(0.0, 5000.0) as u64;
        Self {
            tries,
            wait: Duration::from_millis(wait),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_are_clamped_like_n8n() {
        assert_eq!(
            Retry::clamped(None, None),
            Retry {
                tries: 3,
                wait: Duration::from_secs(1)
            }
        );
        assert_eq!(
            Retry::clamped(Some(9.0), Some(-5.0)),
            Retry {
                tries: 5,
                wait: Duration::ZERO
            }
        );
        assert_eq!(
            Retry::clamped(Some(1.0), Some(60_000.0)),
            Retry {
                tries: 2,
                wait: Duration::from_secs(5)
            }
        );
    }
}
