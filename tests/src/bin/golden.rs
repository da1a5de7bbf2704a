//! `golden`: the differential runner over recorded n8n runs (see `weft_tests::golden`).
//!
//! `golden --cases <dir> --fake <fake_sf.py> [--weft <weft>] [--case NAME]... [--expected-failures FILE]`
//! prints `ok <case>` or `FAIL <case>: <first difference>` per case and `N passed, M failed`.
//! Exit 0 when every case passed, or with `--expected-failures` when every failing case is
//! listed there (it then also names listed cases that pass, so the list can be pruned).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Parser;
use weft_tests::golden::{Runner, Verdict, parse_expected_failures, report_line};

/// Runs recorded n8n cases against weft and the golden fake Salesforce.
#[derive(Parser)]
struct Args {
    /// The folder of case folders (`../shared/golden/cases`).
    #[arg(long)]
    cases: PathBuf,
    /// The golden `fake_sf.py` (with `cred-jwt.template.json` and `files/` beside it).
    #[arg(long)]
    fake: PathBuf,
    /// The `weft` binary [default: `weft` beside this binary].
    #[arg(long)]
    weft: Option<PathBuf>,
    /// Run only this case (repeatable).
    #[arg(long = "case", value_name = "NAME")]
    only: Vec<String>,
    /// Cases that may still fail (one name per line, `#` comments): exit 0 unless another fails.
    #[arg(long, value_name = "FILE")]
    expected_failures: Option<PathBuf>,
}

fn main() -> anyhow::Result<ExitCode> {
    let args = Args::parse();
    let weft = match args.weft {
        Some(weft) => weft,
        None => std::env::current_exe()?.with_file_name("weft"),
    };
    if !weft.is_file() {
        bail!(
            "no weft binary at {} (hint: cargo build -p weft-runtime --bin weft, or --weft)",
            weft.display()
        );
    }
    let allowed = match &args.expected_failures {
        Some(file) => Some(parse_expected_failures(
            &std::fs::read_to_string(file)
                .with_context(|| format!("cannot read {}", file.display()))?,
        )),
        None => None,
    };
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(&args.cases)
        .with_context(|| format!("cannot read {}", args.cases.display()))?
        .filter_map(Result::ok)
        .filter(|entry| entry.path().join("case.json").is_file())
        .map(|entry| {
            (
                entry.file_name().to_string_lossy().into_owned(),
                entry.path(),
            )
        })
        .filter(|(name, _)| args.only.is_empty() || args.only.contains(name))
        .collect();
    cases.sort();
    if let Some(missing) = args
        .only
        .iter()
        .find(|name| !cases.iter().any(|(n, _)| n == *name))
    {
        bail!("no case {missing} in {}", args.cases.display());
    }
    // Absolute paths: weft runs in a scratch folder, and the workflow's file paths are rewritten
    // to the golden `files/` beside the fake.
    let absolute = |path: &PathBuf| {
        std::fs::canonicalize(path).with_context(|| format!("cannot find {}", path.display()))
    };
    let runner = Runner {
        fake: absolute(&args.fake)?,
        weft: absolute(&weft)?,
    };
    let started = Instant::now();
    let mut failed = Vec::new();
    let mut passed = Vec::new();
    for (name, dir) in &cases {
        let verdict = runner.run(dir);
        println!("{}", report_line(name, &verdict));
        match verdict {
            Verdict::Passed(_) => passed.push(name.as_str()),
            Verdict::Failed(_) => failed.push(name.as_str()),
        }
    }
    eprintln!(
        "golden: {} cases in {:.0} s",
        cases.len(),
        started.elapsed().as_secs_f64()
    );
    let summary = format!("{} passed, {} failed", passed.len(), failed.len());
    let Some(allowed) = allowed else {
        println!("{summary}");
        return Ok(if failed.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    };
    let listed = |name: &&str| allowed.iter().any(|a| a == name);
    let prunable: Vec<&str> = passed.iter().copied().filter(listed).collect();
    if !prunable.is_empty() {
        println!(
            "passing but still listed as expected failures (prune them): {}",
            prunable.join(" ")
        );
    }
    let regressions: Vec<&str> = failed.iter().copied().filter(|n| !listed(n)).collect();
    if !regressions.is_empty() {
        println!(
            "failing and not listed as expected failures: {}",
            regressions.join(" ")
        );
    }
    println!("{summary}");
    Ok(if regressions.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
