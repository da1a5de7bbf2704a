//! The differential runner over recorded n8n runs (`../shared/golden`, see its README): each case
//! runs the real `weft` binary against a fresh `fake_sf.py` and compares what the fake logged and
//! what weft printed with what n8n 2.41.1 sent and printed.
//!
//! Per case: load it ([`case`]: the workflow's file paths pointed at the golden `files/`), rewrite
//! the recorded requests where n8n is wrong ([`deviations`]), start the fake on a free port
//! ([`process`]), import the golden credential with a throwaway key and `myDomainUrl` on that port
//! into a fresh `WEFT_HOME`, run `weft run workflow.json --raw-output` (its URLs of the recorded
//! fake pointed at that port) with the case's `env`, stop
//! the fake, then compare the requests ([`call`] normalizes each log line, [`composite`] expands
//! sObject Collections calls, [`requests`] compares) and the run document ([`output`]). The
//! first difference is reported in plain words ([`diff`]).

pub mod call;
pub mod case;
pub mod composite;
pub mod deviations;
pub mod diff;
pub mod output;
pub mod process;
pub mod requests;

use std::path::{Path, PathBuf};

use anyhow::Context;

use self::call::Call;
use self::case::Case;
use self::deviations::Deviation;
use self::process::{Fake, Weft};

/// Where the runner finds things.
#[derive(Debug)]
pub struct Runner {
    /// `fake_sf.py`; `cred-jwt.template.json` and `files/` are beside it.
    pub fake: PathBuf,
    /// The `weft` binary.
    pub weft: PathBuf,
}

/// The result of one case.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Everything matched; the n8n bugs whose fixes were checked.
    Passed(Vec<Deviation>),
    /// The first difference.
    Failed(String),
}

impl Runner {
    /// Runs the case in `dir`; a case that cannot be set up fails too.
    pub fn run(&self, dir: &Path) -> Verdict {
        self.check(dir)
            .unwrap_or_else(|error| Verdict::Failed(format!("{error:#}")))
    }

    fn check(&self, dir: &Path) -> anyhow::Result<Verdict> {
        let golden = self.fake.parent().unwrap_or(Path::new("."));
        let case = Case::load(dir, &golden.join("files"))?;
        let mut expected = case.requests.clone();
        let found = deviations::apply(&mut expected, &case.facts)?;
        let scratch = tempfile::tempdir()?;
        let fake = Fake::start(&self.fake, &case.fake_args, scratch.path())?;
        let weft = Weft {
            binary: &self.weft,
            home: scratch.path(),
        };
        weft.import_credential(&golden.join("cred-jwt.template.json"), fake.port)?;
        let run = weft.run(&case::on_port(&case.workflow, fake.port), &case.env)?;
        let port = fake.port;
        let actual: Vec<Call> = fake
            .stop()?
            .iter()
            .map(|line| Call::from_log_line(line, port))
            .collect::<anyhow::Result<Vec<_>>>()
            .context("the fake's log")?
            .into_iter()
            .flat_map(composite::expand)
            .collect();
        if run.timed_out {
            return Ok(Verdict::Failed(format!(
                "weft did not finish within {} s",
                process::RUN_LIMIT.as_secs()
            )));
        }
        let recorded_document = !case.output.get("status").is_some_and(|s| s.is_null());
        if run.document.is_none() && recorded_document {
            let said = run
                .stderr
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            return Ok(Verdict::Failed(format!(
                "weft printed no run document (exit {}): {said}",
                run.exit_code
            )));
        }
        if let Some(difference) = requests::compare(&expected, &actual) {
            return Ok(Verdict::Failed(difference));
        }
        let document = run
            .document
            .as_deref()
            .map(|text| output::parse_actual(text, port))
            .transpose()
            .context("weft's run document is not JSON")?;
        Ok(
            match output::compare(
                &case.output,
                document.as_ref(),
                run.exit_code,
                &found.output_fixes,
            ) {
                Some(difference) => Verdict::Failed(format!("output: {difference}")),
                None => Verdict::Passed(found.kinds),
            },
        )
    }
}

/// The line printed for a case.
pub fn report_line(name: &str, verdict: &Verdict) -> String {
    match verdict {
        Verdict::Passed(kinds) if kinds.is_empty() => format!("ok {name}"),
        Verdict::Passed(kinds) => {
            let kinds: Vec<String> = kinds.iter().map(ToString::to_string).collect();
            format!(
                "ok {name} (n8n bug, weft's fix checked: {})",
                kinds.join(", ")
            )
        }
        Verdict::Failed(difference) => format!("FAIL {name}: {difference}"),
    }
}

/// Case names from an expected-failures file: one per line, `#` starts a comment.
pub fn parse_expected_failures(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_lines() {
        assert_eq!(report_line("a", &Verdict::Passed(vec![])), "ok a");
        assert_eq!(
            report_line("b", &Verdict::Passed(vec![Deviation::UnencodedPath])),
            "ok b (n8n bug, weft's fix checked: unencoded path segments)"
        );
        assert_eq!(
            report_line("c", &Verdict::Failed("request 2: x".into())),
            "FAIL c: request 2: x"
        );
    }

    #[test]
    fn expected_failures_file() {
        assert_eq!(
            parse_expected_failures("# header\naccount-get\n\n  lead-create  # still open\n"),
            ["account-get", "lead-create"]
        );
    }
}
