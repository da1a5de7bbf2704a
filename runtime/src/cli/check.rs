//! `weft check <workflow.json>...`: everything `weft run` checks before it runs, plus what n8n
//! finds only at run time (expression syntax, references to nodes that do not exist), without
//! running anything and without the credential store (no `WEFT_HOME` or key needed). Prints per
//! file `<file>: OK`, or every problem with its JSON path and a hint; warnings are marked and do
//! not fail. A node that needs a credential and names none is a warning: n8n exports templates
//! without their credentials. So is a typeVersion of an unversioned type that weft runs as another. Exit 0 when no file has a problem, 1 otherwise, 2 when a file cannot be read.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::anyhow;
use weft_credentials::{FieldError, Registry};
use weft_nodes::NodeRegistry;

use super::credential_check::{problem_text, read_json};
use crate::expressions::SyntaxCheck;
use crate::workflow::{execution_order_warning, review, run_time_problems};

/// Checks every file in `files` and prints the findings.
pub fn check_files(files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let syntax = SyntaxCheck::new().map_err(|error| anyhow!("cannot start QuickJS: {error}"))?;
    let mut failed = false;
    for file in files {
        failed |= !check_file(file, &syntax)?;
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints one file's findings; true when it has no problem.
fn check_file(file: &Path, syntax: &SyntaxCheck) -> anyhow::Result<bool> {
    let Some(document) = read_json(file)? else {
        return Ok(false); // not JSON: reported on stderr
    };
    let findings = review(&document, NodeRegistry::global()?, Registry::global()?);
    let mut problems: Vec<FieldError> = findings.problems;
    problems.extend(run_time_problems(&document, syntax));
    let warnings = execution_order_warning(&document)
        .into_iter()
        .chain(findings.warnings)
        .chain(findings.unset_credentials);
    for warning in warnings {
        println!("{}", problem_text(file, "warning: ", &warning));
    }
    for problem in &problems {
        println!("{}", problem_text(file, "", problem));
    }
    if problems.is_empty() {
        println!("{}: OK", file.display());
    }
    Ok(problems.is_empty())
}
