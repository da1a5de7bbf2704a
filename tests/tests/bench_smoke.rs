//! The benchmark harness on a tiny workload, so it cannot rot: every scenario runs once and the
//! figures that are counts (items written, API calls, token requests) must meet their targets.
//! Timings are never asserted here; the real figures come from release builds
//! (`docs/performance.md`).

use serde_json::Value;
use weft_tests::weft_binary;

#[test]
fn every_scenario_runs_and_its_counts_meet_the_targets() {
    let folder = tempfile::tempdir().unwrap();
    let report = folder.path().join("bench.json");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_bench"))
        .args([
            "--runs",
            "1",
            "--records",
            "2000",
            "--contacts",
            "300",
            "--requests",
            "20",
            "--items",
            "500",
            "--merge-items",
            "100",
            "--merge-items",
            "300",
            "--node-items",
            "100",
            "--node-items",
            "300",
        ])
        .arg("--weft")
        .arg(weft_binary())
        .arg("--json")
        .arg(&report)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows: Vec<Value> = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let counted = |row: &&Value| {
        let metric = row["metric"].as_str().unwrap();
        ["items written", "API calls", "token requests"]
            .iter()
            .any(|count| metric.starts_with(count))
    };
    let counts: Vec<&Value> = rows.iter().filter(counted).collect();
    assert_eq!(counts.len(), 26, "{rows:#?}");
    for row in counts {
        assert!(row["met"] == true || row["target"].is_null(), "{row}");
    }
    let value = |scenario: &str, metric: &str| {
        rows.iter()
            .find(|row| row["scenario"] == scenario && row["metric"] == metric)
            .map(|row| row["value"].clone())
    };
    assert_eq!(
        value("getall-2k", "API calls per weft run"),
        Some(1.0.into())
    );
    assert_eq!(value("create", "API calls per weft run"), Some(2.0.into()));
    assert_eq!(value("getall-if-2k", "items written"), Some(1_000.0.into()));
    assert_eq!(value("merge-0.3k", "items written"), Some(300.0.into()));
    for scenario in ["items-only", "code-all", "code-each", "set-ext"] {
        for (size, items) in [("0.1k", 100.0), ("0.3k", 300.0)] {
            assert_eq!(
                value(&format!("{scenario}-{size}"), "items written"),
                Some(items.into()),
                "{scenario} over {items} items"
            );
        }
    }
    // 100 groups of `g`: Summarize and Remove Duplicates put out one item per group.
    for scenario in ["summarize", "remove-duplicates"] {
        for size in ["0.1k", "0.3k"] {
            assert_eq!(
                value(&format!("{scenario}-{size}"), "items written"),
                Some(100.0.into()),
                "{scenario}-{size}"
            );
        }
    }
    assert_eq!(
        value("auth", "token requests per cold batch (max)"),
        Some(1.0.into())
    );
}
