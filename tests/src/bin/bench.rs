//! `bench`: weft's benchmark harness (issue #8). Runs the scenarios against an in-process fake
//! Salesforce and the real `weft` binary, and prints medians, ratios to the floor programs and
//! targets as a table (and JSON with `--json`). Build with `--release` for real figures:
//!
//! ```sh
//! cargo build --release -p weft-runtime --bin weft -p weft-tests --bin bench --bin hello
//! target/release/bench --runs 5 --records 100000 --records 1000000
//! ```
//!
//! Its other subcommands are its own tools: `measure` (runs a command and prints its wall time
//! and peak RSS), and the floor programs `floor-fetch` and `floor-create`.

use std::ffi::OsString;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use url::Url;
use weft_tests::bench::measure::measure_child;
use weft_tests::bench::report::{Row, table};
use weft_tests::bench::{floor, per_item, scenarios};

#[derive(Parser)]
#[command(version, about = "weft's benchmark harness")]
struct Args {
    #[command(subcommand)]
    tool: Option<Tool>,
    /// Scenarios to run (repeatable; default all).
    #[arg(long = "scenario", value_enum)]
    scenarios: Vec<Scenario>,
    /// Measured runs per command; figures are medians.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Seeded Accounts for getall and getall-if (repeatable: one run per count).
    #[arg(long = "records", default_value = "100000")]
    records: Vec<u64>,
    /// Contacts to create.
    #[arg(long, default_value_t = 1000)]
    contacts: usize,
    /// Concurrent authenticated GETs.
    #[arg(long, default_value_t = 1000)]
    requests: usize,
    /// Items for the expressions scenario.
    #[arg(long, default_value_t = 100_000)]
    items: usize,
    /// Items for code-all, code-each, set-ext, summarize and remove-duplicates (repeatable: one
    /// run per count, ascending).
    #[arg(long = "node-items", default_values_t = [10_000, 100_000])]
    node_items: Vec<usize>,
    /// Items per Merge input (repeatable: one Merge per size).
    #[arg(long = "merge-items", default_values_t = [10_000, 100_000])]
    merge_items: Vec<usize>,
    /// The weft binary (default: beside this one).
    #[arg(long)]
    weft: Option<PathBuf>,
    /// Also write the rows as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Scenario {
    Getall,
    Create,
    Startup,
    Auth,
    Expressions,
    GetallIf,
    Merge,
    ItemsOnly,
    CodeAll,
    CodeEach,
    SetExt,
    Summarize,
    RemoveDuplicates,
}

#[derive(Subcommand)]
enum Tool {
    /// Runs a command; prints `{"wall": ..., "max_rss_kib": ...}`.
    Measure {
        #[arg(trailing_var_arg = true, required = true)]
        command: Vec<OsString>,
    },
    /// Floor: fetches every page of a query with reqwest (parsing with serde_json if `--parse`).
    FloorFetch {
        #[arg(long)]
        url: Url,
        #[arg(long)]
        token: String,
        #[arg(long)]
        parse: bool,
    },
    /// Floor: creates contacts through composite/sobjects, 200 per call.
    FloorCreate {
        #[arg(long)]
        url: Url,
        #[arg(long)]
        token: String,
        #[arg(long)]
        records: usize,
    },
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    match args.tool {
        Some(Tool::Measure { command }) => {
            println!("{}", serde_json::to_string(&measure_child(&command)?)?);
            Ok(())
        }
        Some(Tool::FloorFetch { url, token, parse }) => {
            current_thread()?.block_on(floor::fetch(url, &token, parse))?;
            Ok(())
        }
        Some(Tool::FloorCreate {
            url,
            token,
            records,
        }) => current_thread()?.block_on(floor::create(url, &token, records)),
        None => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()?;
            let rows = runtime.block_on(benchmark(&args))?;
            print!("{}", table(&rows));
            if let Some(path) = &args.json {
                std::fs::write(path, serde_json::to_string_pretty(&rows)?)
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            Ok(())
        }
    }
}

fn current_thread() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

async fn benchmark(args: &Args) -> anyhow::Result<Vec<Row>> {
    let bench = std::env::current_exe().context("the harness has a path")?;
    let folder = bench.parent().context("the harness is in a folder")?;
    let programs = scenarios::Programs {
        weft: args.weft.clone().unwrap_or_else(|| folder.join("weft")),
        hello: folder.join("hello"),
        bench: bench.clone(),
        runs: args.runs,
    };
    let wanted = |scenario| args.scenarios.is_empty() || args.scenarios.contains(&scenario);
    let mut rows = Vec::new();
    if wanted(Scenario::Getall) {
        for &records in &args.records {
            rows.extend(scenarios::get_all(&programs, records).await?);
        }
    }
    if wanted(Scenario::GetallIf) {
        for &records in &args.records {
            rows.extend(scenarios::get_all_if(&programs, records).await?);
        }
    }
    if wanted(Scenario::Merge) {
        rows.extend(scenarios::merge(&programs, &args.merge_items).await?);
    }
    if wanted(Scenario::Create) {
        rows.extend(scenarios::create(&programs, args.contacts).await?);
    }
    if wanted(Scenario::Startup) {
        rows.extend(scenarios::startup(&programs).await?);
    }
    if wanted(Scenario::Auth) {
        rows.extend(scenarios::auth(&programs, args.requests).await?);
    }
    if wanted(Scenario::Expressions) {
        rows.extend(scenarios::expressions(&programs, args.items).await?);
    }
    for (scenario, per_item) in [
        (Scenario::ItemsOnly, per_item::ITEMS_ONLY),
        (Scenario::CodeAll, per_item::CODE_ALL),
        (Scenario::CodeEach, per_item::CODE_EACH),
        (Scenario::SetExt, per_item::SET_EXT),
        (Scenario::Summarize, per_item::SUMMARIZE),
        (Scenario::RemoveDuplicates, per_item::REMOVE_DUPLICATES),
    ] {
        if wanted(scenario) {
            rows.extend(per_item::run(&programs, &per_item, &args.node_items).await?);
        }
    }
    Ok(rows)
}
