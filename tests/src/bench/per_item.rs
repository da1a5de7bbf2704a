//! Scenarios of one node over N items made in the workflow (Edit Fields raw JSON → Split Out →
//! the node): the items alone (`items-only`, a No Op), the Code node in both modes (`code-all`, `code-each`), Edit Fields whose values
//! call the expression library's extension functions (`set-ext`), and the data nodes that see
//! every item at once: Summarize split by a field (`summarize`) and Remove Duplicates by a field
//! (`remove-duplicates`). Per size: wall time, per-item time and peak RSS; between sizes, how the
//! per-item time and the peak RSS grow.

use serde_json::{Value, json};

use super::measure::Sample;
use super::report::Row;
use super::scenarios::{Org, Programs, items_in, mib, ms};
use super::workflows::{chain, node, raw_list, split_out, trigger};

/// A node measured over items made in the workflow.
pub struct PerItem {
    /// The scenario's name in the report (the size is appended).
    pub name: &'static str,
    /// The JSON of item `n`.
    pub record: fn(usize) -> Value,
    /// The node under test, fed the items.
    pub node: fn() -> Value,
    /// How many items the node puts out for N items in.
    pub written: fn(usize) -> usize,
}

/// Groups of the data-node scenarios: item `n` is in group `n % GROUPS`.
const GROUPS: usize = 100;

/// A record of the data-node scenarios.
fn grouped(n: usize) -> Value {
    json!({ "n": n, "g": format!("g{}", n % GROUPS) })
}

/// A Code node (typeVersion 2, JavaScript) in `mode` running `code`.
fn code(mode: &str, code: &str) -> Value {
    node(
        "Code",
        "n8n-nodes-base.code",
        2.0,
        json!({"mode": mode, "jsCode": code}),
    )
}

/// `items-only`: the items alone, passed through a No Op: what the workflow's list and Split Out
/// cost, to set the other scenarios' memory against (their node's own share is the difference).
pub const ITEMS_ONLY: PerItem = PerItem {
    name: "items-only",
    record: |n| json!({ "n": n }),
    node: || node("End", "n8n-nodes-base.noOp", 1.0, json!({})),
    written: |items| items,
};

/// `code-all`: one run over all items mapping each to a new item.
pub const CODE_ALL: PerItem = PerItem {
    name: "code-all",
    record: |n| json!({ "n": n }),
    node: || {
        code(
            "runOnceForAllItems",
            "return $input.all().map(i => ({ json: { id: i.json.n, double: i.json.n * 2 } }))",
        )
    },
    written: |items| items,
};

/// `code-each`: one run per item.
pub const CODE_EACH: PerItem = PerItem {
    name: "code-each",
    record: |n| json!({ "n": n }),
    node: || {
        code(
            "runOnceForEachItem",
            "return { json: { id: $json.n, double: $json.n * 2 } }",
        )
    },
    written: |items| items,
};

/// `set-ext`: Edit Fields with three extension-function calls per item (JavaScript, not the
/// native path of plain `$json` reads).
pub const SET_EXT: PerItem = PerItem {
    name: "set-ext",
    record: |n| {
        json!({"n": n as f64 + 0.125, "name": format!("record number {n}"),
               "tags": [format!("t{}", n % 3), format!("t{}", n % 5), "t0"]})
    },
    node: || {
        let field = |id: &str, name: &str, kind: &str, value: &str| json!({"id": id, "name": name, "type": kind, "value": value});
        node(
            "Fields",
            "n8n-nodes-base.set",
            3.4,
            json!({"assignments": {"assignments": [
                field("a", "title", "string", "={{ $json.name.toTitleCase() }}"),
                field("b", "rounded", "number", "={{ $json.n.round(2) }}"),
                field("c", "distinct", "number", "={{ $json.tags.unique().length }}"),
            ]}, "options": {}}),
        )
    },
    written: |items| items,
};

/// `summarize`: Summarize 1.1 counting and summing `n` per group of `g`.
pub const SUMMARIZE: PerItem = PerItem {
    name: "summarize",
    record: grouped,
    node: || {
        node(
            "Summary",
            "n8n-nodes-base.summarize",
            1.1,
            json!({"fieldsToSummarize": {"values": [{"aggregation": "count", "field": "n"},
                   {"aggregation": "sum", "field": "n"}]}, "fieldsToSplitBy": "g", "options": {}}),
        )
    },
    written: |items| items.min(GROUPS),
};

/// `remove-duplicates`: Remove Duplicates 2 keeping the first item of each `g`.
pub const REMOVE_DUPLICATES: PerItem = PerItem {
    name: "remove-duplicates",
    record: grouped,
    node: || {
        node(
            "Distinct",
            "n8n-nodes-base.removeDuplicates",
            2.0,
            json!({"compare": "selectedFields", "fieldsToCompare": "g", "options": {}}),
        )
    },
    written: |items| items.min(GROUPS),
};

/// Runs `scenario` once per size in `sizes` (ascending).
pub async fn run(
    programs: &Programs,
    scenario: &PerItem,
    sizes: &[usize],
) -> anyhow::Result<Vec<Row>> {
    let org = Org::start(programs, Vec::new()).await?;
    let mut rows = Vec::new();
    let mut previous: Option<(usize, f64, f64)> = None;
    for &items in sizes {
        let workflow = chain(vec![
            trigger(),
            raw_list(
                "Records",
                "records",
                (0..items).map(scenario.record).collect(),
            ),
            split_out("Each", "records"),
            (scenario.node)(),
        ]);
        let workflow = org.write(&format!("{}-{items}.json", scenario.name), &workflow)?;
        let output = org.folder.join("mapped.json");
        let mut samples: Vec<Sample> = Vec::new();
        for _ in 0..programs.runs {
            samples.push(org.weft_run(programs, &workflow, &output)?.sample);
        }
        let name = format!("{}-{}k", scenario.name, items as f64 / 1000.0);
        let per_item = ms(&samples) * 1000.0 / items as f64;
        rows.push(Row::exactly(
            &name,
            "items written",
            items_in(&output)? as f64,
            "items",
            (scenario.written)(items) as f64,
        ));
        rows.push(Row::info(&name, "weft wall", ms(&samples), "ms"));
        rows.push(Row::info(&name, "weft wall per item", per_item, "µs"));
        rows.push(Row::info(&name, "weft peak RSS", mib(&samples), "MiB"));
        if let Some((before, before_per_item, before_rss)) = previous {
            rows.push(Row::at_most(
                &name,
                &format!("wall per item growth from {before} items"),
                per_item / before_per_item,
                "×",
                1.25,
            ));
            rows.push(Row::info(
                &name,
                &format!("peak RSS growth from {before} items"),
                mib(&samples) / before_rss,
                "×",
            ));
        }
        previous = Some((items, per_item, mib(&samples)));
    }
    Ok(rows)
}
