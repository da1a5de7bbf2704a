//! The runtime is the mechanism; credential types and nodes bring the policy. No file under
//! `runtime/src` may name a provider (Salesforce) except those on the short list below, each
//! with the reason it may. A new mention fails this test: move the knowledge behind a hook of
//! the credential type (`weft_credentials::ApiPolicy`, `AuthScheme`) or the node
//! (`PollingTrigger::failure_hint`) instead.

use std::path::{Path, PathBuf};

/// Words that name the provider (case-insensitive). `instance_url` is not one of them: the
/// session's API host (`Session::instance_url`, optional) and whether a type's sessions have one
/// (`AuthScheme::instance_url`) are the credential type's to say, and the runtime only reads them.
const PROVIDER_WORDS: &[&str] = &["salesforce", "sforce"];

/// Files that may name the provider, relative to `runtime/src`, and why.
const ALLOWED: &[(&str, &str)] = &[
    (
        "workflow/n8n_node_types.tsv",
        "n8n's list of every node type it ships, Salesforce's included: the check names types weft lacks",
    ),
    (
        "workflow/n8n_credential_types.tsv",
        "n8n's list of every credential type it ships, for the same check",
    ),
    (
        "store/migrations/0003_credential_checks.sql",
        "an applied migration: its text (a comment included) stays as it was shipped",
    ),
];

fn files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, found);
        } else {
            found.push(path);
        }
    }
}

#[test]
fn no_file_of_the_runtime_names_a_provider_outside_the_allow_list() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    files_under(&source, &mut files);
    files.sort();
    assert!(files.len() > 50, "the walk found the sources: {files:?}");
    let mut offenders = Vec::new();
    let mut mentioning = Vec::new();
    for file in &files {
        let relative = file
            .strip_prefix(&source)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let lower = text.to_lowercase();
        let lines: Vec<String> = lower
            .lines()
            .enumerate()
            .filter(|(_, line)| PROVIDER_WORDS.iter().any(|word| line.contains(word)))
            .map(|(number, _)| format!("{relative}:{}", number + 1))
            .collect();
        if lines.is_empty() {
            continue;
        }
        mentioning.push(relative.clone());
        if !ALLOWED.iter().any(|(allowed, _)| *allowed == relative) {
            offenders.extend(lines);
        }
    }
    assert!(
        offenders.is_empty(),
        "runtime/src names a provider at {offenders:#?} (hint: move the knowledge behind a hook of the credential type or the node, see docs/credentials.md)"
    );
    let stale: Vec<&str> = ALLOWED
        .iter()
        .map(|(allowed, _)| *allowed)
        .filter(|allowed| !mentioning.iter().any(|file| file == allowed))
        .collect();
    assert!(
        stale.is_empty(),
        "these allowed files no longer name the provider: drop them from the list: {stale:?}"
    );
}
