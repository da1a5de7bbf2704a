//! Property tests of the Salesforce Trigger's tracking against a simulated org: records created
//! and updated at random times with ties (second precision, as Salesforce's timestamps), some
//! becoming visible late (up to the lookback), polls at random times, restarts (the state goes
//! through its saved JSON) and crashes (a poll whose run was interrupted: its items may have gone
//! out, its state is not committed). The simulated query is the keyset query's meaning: every
//! visible record whose cursor field is at or after the lower bound (and for Created, whose
//! `CreatedDate` is too), ordered by the field, then `Id`.
//!
//! Checked: every creation (and every update) made after activation is emitted by a committed
//! poll; no committed poll emits a creation (or the same update) twice.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use weft_nodes::salesforce::trigger::tracking::{Cursor, CursorField, Start, TriggerState};
use weft_nodes::salesforce::trigger::{Change, Timestamp};

const LOOKBACK_S: i64 = 900;
const LOOKBACK_MS: i64 = LOOKBACK_S * 1000;
/// The simulation starts here (ms).
const EPOCH: i64 = 1_795_000_000_000;

/// One step of a history.
#[derive(Clone, Debug)]
enum Op {
    /// A record is created, visible after `delay` seconds.
    Create { delay: i64 },
    /// Record `pick` (modulo the count) is updated, visible after `delay` seconds.
    Update { pick: usize, delay: i64 },
    /// The clock moves `seconds` on.
    Advance { seconds: i64 },
    /// A poll whose run finishes and whose state is committed.
    Poll,
    /// A poll whose run is interrupted: its items went out, its state is lost.
    Crash,
    /// weft restarts: the state is read back from its saved JSON.
    Restart,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => delay().prop_map(|delay| Op::Create { delay }),
        3 => (any::<usize>(), delay()).prop_map(|(pick, delay)| Op::Update { pick, delay }),
        3 => prop_oneof![Just(0i64), 1..3i64, 30..120i64, 600..2000i64].prop_map(|seconds| Op::Advance { seconds }),
        2 => Just(Op::Poll),
        1 => Just(Op::Crash),
        1 => Just(Op::Restart),
    ]
}

/// Seconds until a change becomes visible: mostly at once, sometimes late (up to the lookback).
fn delay() -> impl Strategy<Value = i64> {
    prop_oneof![6 => Just(0i64), 2 => 1..5i64, 1 => (LOOKBACK_S - 100)..=LOOKBACK_S]
}

/// One version of a record: what a query sees once it is visible.
#[derive(Clone, Debug)]
struct Version {
    created: i64,
    modified: i64,
    visible_at: i64,
}

#[derive(Default)]
struct Org {
    now: i64,
    /// Versions per record id, oldest first; a later version is visible no earlier than the one
    /// before it (row locks serialise the transactions).
    records: BTreeMap<String, Vec<Version>>,
}

impl Org {
    fn create(&mut self, delay: i64) {
        let id = format!("001{:015}", self.records.len());
        let version = Version {
            created: self.now,
            modified: self.now,
            visible_at: self.now + delay * 1000,
        };
        self.records.insert(id, vec![version]);
    }

    fn update(&mut self, pick: usize, delay: i64) {
        if self.records.is_empty() {
            return;
        }
        let now = self.now;
        let count = self.records.len();
        let versions = self.records.values_mut().nth(pick % count).unwrap();
        let last = versions.last().unwrap().clone();
        versions.push(Version {
            created: last.created,
            modified: now,
            visible_at: (now + delay * 1000).max(last.visible_at),
        });
    }

    /// The latest visible version of each record, as Salesforce returns it.
    fn visible(&self) -> Vec<(String, Version)> {
        self.records
            .iter()
            .filter_map(|(id, versions)| {
                let version = versions.iter().rev().find(|v| v.visible_at <= self.now)?;
                Some((id.clone(), version.clone()))
            })
            .collect()
    }

    fn query(&self, change: Change, from: Option<Timestamp>) -> Vec<Map<String, Value>> {
        let mut rows: Vec<(String, Version)> = self
            .visible()
            .into_iter()
            .filter(|(_, v)| {
                from.is_none_or(|from| {
                    v.modified >= from.0 && (change == Change::Updated || v.created >= from.0)
                })
            })
            .collect();
        rows.sort_by(|(a, va), (b, vb)| va.modified.cmp(&vb.modified).then(a.cmp(b)));
        rows.into_iter().map(|(id, v)| record(&id, &v)).collect()
    }

    fn newest(&self) -> Option<Cursor> {
        self.visible()
            .into_iter()
            .max_by(|(a, va), (b, vb)| va.modified.cmp(&vb.modified).then(a.cmp(b)))
            .map(|(id, v)| Cursor {
                at: Timestamp(v.modified),
                id,
            })
    }
}

fn record(id: &str, version: &Version) -> Map<String, Value> {
    let text = |ms: i64| Timestamp(ms).to_iso().replace("+00:00", "+0000");
    json!({
        "Id": id,
        "CreatedDate": text(version.created),
        "LastModifiedDate": text(version.modified),
        "SystemModstamp": text(version.modified),
    })
    .as_object()
    .unwrap()
    .clone()
}

/// One poll as the poller runs it; returns the emitted `(Id, LastModifiedDate)` pairs and the
/// new state.
fn poll(org: &Org, change: Change, state: &TriggerState) -> (Vec<(String, i64)>, TriggerState) {
    let mut state = state.clone();
    let field = CursorField::SystemModstamp;
    let (from, emit) = match state.start(field, None, LOOKBACK_MS) {
        Start::Read { from } => (from, true),
        Start::Baseline => {
            let newest = org.newest();
            let empty = newest.is_none();
            let from = state.begin_at(field, newest, LOOKBACK_MS);
            if empty {
                state.finish(Timestamp(org.now));
                return (Vec::new(), state);
            }
            (from, false)
        }
    };
    let records = org.query(change, from);
    let emitted = state
        .tracking()
        .observe(change, from, &records, emit, LOOKBACK_MS);
    state.finish(Timestamp(org.now));
    let emitted = emitted
        .into_iter()
        .map(|index| {
            let record = &records[index];
            let id = record["Id"].as_str().unwrap().to_owned();
            let modified = Timestamp::parse(record["LastModifiedDate"].as_str().unwrap()).unwrap();
            (id, modified.0)
        })
        .collect();
    (emitted, state)
}

/// Runs a history; returns the org, the committed emissions and the activation time.
fn run(change: Change, ops: &[Op]) -> (Org, Vec<(String, i64)>, i64) {
    let mut org = Org {
        now: EPOCH,
        ..Org::default()
    };
    // Some records exist before the trigger is activated.
    org.create(0);
    org.now += 1000;
    org.create(0);
    let mut state = TriggerState::default();
    let (emitted, next) = poll(&org, change, &state);
    assert!(
        emitted.is_empty(),
        "the activation poll emitted {emitted:?}"
    );
    state = next;
    let activated = org.now;
    let mut committed = Vec::new();
    for op in ops {
        match op {
            Op::Create { delay } => org.create(*delay),
            Op::Update { pick, delay } => org.update(*pick, *delay),
            Op::Advance { seconds } => org.now += seconds * 1000,
            Op::Poll => {
                let (emitted, next) = poll(&org, change, &state);
                committed.extend(emitted);
                state = next;
            }
            Op::Crash => drop(poll(&org, change, &state)),
            Op::Restart => {
                let saved = serde_json::to_value(&state).unwrap();
                state = TriggerState::from_value(Some(saved)).unwrap();
            }
        }
    }
    // Time passes until everything is visible, and the trigger polls once more.
    org.now += 2 * LOOKBACK_MS;
    let (emitted, _) = poll(&org, change, &state);
    committed.extend(emitted);
    (org, committed, activated)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn every_creation_is_emitted_exactly_once(ops in proptest::collection::vec(op(), 0..80)) {
        let (org, committed, _) = run(Change::Created, &ops);
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for (id, _) in &committed {
            *counts.entry(id).or_default() += 1;
        }
        for (id, versions) in &org.records {
            let before_activation = org.records.keys().take(2).any(|old| old == id);
            let expected = usize::from(!before_activation);
            prop_assert_eq!(counts.get(id.as_str()).copied().unwrap_or(0), expected, "record {} created at {}", id, versions[0].created);
        }
    }

    #[test]
    fn every_update_is_emitted_and_none_twice(ops in proptest::collection::vec(op(), 0..80)) {
        let (org, committed, activated) = run(Change::Updated, &ops);
        let distinct: BTreeSet<&(String, i64)> = committed.iter().collect();
        prop_assert_eq!(distinct.len(), committed.len(), "an update was emitted twice: {:?}", committed);
        for (id, versions) in &org.records {
            for version in versions.iter().filter(|v| v.modified != v.created && v.modified >= activated) {
                prop_assert!(
                    committed.iter().any(|(emitted, at)| emitted == id && *at >= version.modified),
                    "the update of {} at {} was never emitted: {:?}", id, version.modified, committed
                );
            }
        }
    }
}
