//! Wall time and peak RSS of one child process. The harness runs each measured command through
//! its own `measure` subcommand: that wrapper has exactly one child, so after waiting for it,
//! `getrusage(RUSAGE_CHILDREN)`'s `ru_maxrss` is that child's peak resident set as the kernel
//! counted it, and the harness's own memory (or earlier children's) never mixes in.

use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use nix::sys::resource::{UsageWho, getrusage};
use serde::{Deserialize, Serialize};

/// One measured run.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Sample {
    /// From spawn to exit.
    pub wall: Duration,
    /// Peak resident set size in KiB.
    pub max_rss_kib: u64,
}

/// Runs `command` (program and arguments) with `envs` through `bench measure` (the executable
/// `bench`) and returns its sample; a failing command is an error with its stderr.
pub fn measured(
    bench: &Path,
    command: &[OsString],
    envs: &[(&str, OsString)],
) -> anyhow::Result<Sample> {
    let output = Command::new(bench)
        .arg("measure")
        .arg("--")
        .args(command)
        .envs(envs.iter().map(|(key, value)| (key, value)))
        .stdin(Stdio::null())
        .output()
        .context("the measuring wrapper runs")?;
    if !output.status.success() {
        bail!(
            "{:?} failed: {}",
            command,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    serde_json::from_slice(&output.stdout).context("the wrapper prints a sample")
}

/// The `measure` subcommand: runs `command` with stdout discarded and stderr passed on, and
/// returns its sample; a failing command is an error.
pub fn measure_child(command: &[OsString]) -> anyhow::Result<Sample> {
    let (program, args) = command.split_first().context("measure needs a command")?;
    let started = Instant::now();
    let status = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .with_context(|| format!("cannot start {}", program.to_string_lossy()))?;
    let wall = started.elapsed();
    if !status.success() {
        bail!("{} exited with {status}", program.to_string_lossy());
    }
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).context("getrusage")?;
    Ok(Sample {
        wall,
        max_rss_kib: u64::try_from(usage.max_rss()).unwrap_or(0),
    })
}

/// The median of `values` (the upper one of an even count); zero when empty.
pub fn median<T: Copy + Ord + Default>(values: &[T]) -> T {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}
