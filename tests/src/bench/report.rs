//! The harness's results: one row per figure, printed as a table and optionally saved as JSON.

use std::fmt::Write as _;

use serde::Serialize;

/// One reported figure.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// The scenario it belongs to.
    pub scenario: String,
    /// What was measured.
    pub metric: String,
    /// The value (a median where timed).
    pub value: f64,
    /// Its unit (`ms`, `MiB`, `×`, `calls`, `items`).
    pub unit: &'static str,
    /// The target, as text, when the issue sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Whether the target is met.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub met: Option<bool>,
}

impl Row {
    /// A figure without a target.
    pub fn info(scenario: &str, metric: &str, value: f64, unit: &'static str) -> Self {
        Self {
            scenario: scenario.to_owned(),
            metric: metric.to_owned(),
            value,
            unit,
            target: None,
            met: None,
        }
    }

    /// A figure that must be at most `limit`.
    pub fn at_most(
        scenario: &str,
        metric: &str,
        value: f64,
        unit: &'static str,
        limit: f64,
    ) -> Self {
        Self {
            target: Some(format!("≤ {limit} {unit}")),
            met: Some(value <= limit),
            ..Self::info(scenario, metric, value, unit)
        }
    }

    /// A figure that must equal `expected`.
    pub fn exactly(
        scenario: &str,
        metric: &str,
        value: f64,
        unit: &'static str,
        expected: f64,
    ) -> Self {
        Self {
            target: Some(format!("= {expected} {unit}")),
            met: Some(value == expected),
            ..Self::info(scenario, metric, value, unit)
        }
    }
}

/// The rows as a plain-text table.
pub fn table(rows: &[Row]) -> String {
    let mut text = format!(
        "{:<10} {:<44} {:>12} {:<6} {:<16} {}\n",
        "scenario", "metric", "value", "unit", "target", "met"
    );
    for row in rows {
        let met = match row.met {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "",
        };
        let _ = writeln!(
            text,
            "{:<10} {:<44} {:>12.2} {:<6} {:<16} {met}",
            row.scenario,
            row.metric,
            row.value,
            row.unit,
            row.target.as_deref().unwrap_or("")
        );
    }
    text
}
