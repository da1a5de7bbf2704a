//! `weft check` with the real binary: no store (`WEFT_HOME` unset), many files at once, every
//! problem with its path and hint, exit 0 only when no file has a problem.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `weft check` on `files` from `dir` (paths printed relative to it); exit code and stdout.
fn weft_check(dir: &Path, files: &[PathBuf]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_weft"))
        .arg("check")
        .args(files)
        .current_dir(dir)
        .env_remove("WEFT_HOME")
        .env_remove("WEFT_ENCRYPTION_KEY")
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check")
}

#[test]
fn a_good_workflow_is_ok() {
    let (code, stdout) = weft_check(&fixtures(), &["ok.json".into()]);
    assert_eq!((code, stdout.as_str()), (0, "ok.json: OK\n"));
}

/// n8n exports templates without credentials; older workflows name a credential by a string.
#[test]
fn a_node_without_its_credential_is_a_warning_for_check() {
    let (code, stdout) = weft_check(&fixtures(), &["template-without-credentials.json".into()]);
    assert_eq!(
        (code, stdout.as_str()),
        (
            0,
            "template-without-credentials.json: warning: nodes[1].credentials: node \"Accounts\" \
             needs a credential of type salesforceOAuth2Api\n  \
             hint: select a credential in n8n, or add `\"credentials\": { \"<type>\": { \"id\": \"…\", \"name\": \"…\" } }`\n\
             template-without-credentials.json: OK\n"
        )
    );
}

/// n8n runs the one class of a type that is not a `VersionedNodeType` at any typeVersion
/// (`getVersionedNodeType`): weft warns and runs the nearest version it has; a versioned type
/// (HTTP Request) at a typeVersion it lacks stays refused.
#[test]
fn unversioned_types_run_at_any_type_version_with_a_warning() {
    let file = "unlisted-type-versions.json";
    let (code, stdout) = weft_check(&fixtures(), &[file.into()]);
    assert_eq!(
        (code, stdout.as_str()),
        (
            1,
            "unlisted-type-versions.json: warning: nodes[1].typeVersion: n8n-nodes-base.salesforce \
             has no typeVersion 2; n8n runs its one implementation at any typeVersion, and weft \
             runs this node as typeVersion 1.1\n  \
             hint: set typeVersion to one weft implements (1, 1.1) to silence this\n\
             unlisted-type-versions.json: warning: nodes[2].typeVersion: n8n-nodes-base.noOp has \
             no typeVersion 0.5; n8n runs its one implementation at any typeVersion, and weft runs \
             this node as typeVersion 1\n  \
             hint: set typeVersion to one weft implements (1) to silence this\n\
             unlisted-type-versions.json: nodes[3].typeVersion: n8n-nodes-base.httpRequest has no \
             typeVersion 5\n  \
             hint: weft implements typeVersion 1, 2, 3, 4, 4.1, 4.2, 4.3\n"
        )
    );
}

#[test]
fn every_problem_at_once_with_what_n8n_finds_only_at_run_time() {
    let files = ["run-time-problems.json".into(), "ok.json".into()];
    let (code, stdout) = weft_check(&fixtures(), &files);
    assert_eq!(code, 1);
    insta::assert_snapshot!(stdout);
}

/// Problems the real-world workflows really have, as n8n's own check before a run finds them
/// ("Parameter … is required", a reference to a missing node): the templates were published
/// with these nodes' parameters cleared or with a node renamed. (file, JSON path) pairs.
const DEFECTS_IN_THE_FILES: &[(&str, &str)] = &[
    ("zengfr__10560_", "nodes[0].parameters.url"),
    ("zengfr__10560_", "nodes[2].parameters.url"),
    ("zengfr__13474_", "nodes[10].parameters.jsonBody"),
    ("zengfr__13474_", "nodes[11].parameters.jsonBody"),
    ("zengfr__13738_", "nodes[31].parameters.status"),
    ("zengfr__4592_", "nodes[0].parameters.triggerOn"),
    ("zengfr__4592_", "nodes[4].parameters.url"),
    ("zengfr__6305_", "nodes[3].parameters.url"),
    ("zengfr__6305_", "nodes[5].parameters.company"),
    ("zengfr__6305_", "nodes[5].parameters.lastname"),
    ("zengfr__6305_", "nodes[7].parameters.company"),
    ("zengfr__6305_", "nodes[7].parameters.lastname"),
    ("zengfr__6305_", "nodes[9].parameters.url"),
    ("zengfr__6305_", "nodes[22].parameters.company"),
    ("zengfr__6305_", "nodes[22].parameters.lastname"),
    ("zengfr__6586_", "nodes[0].parameters.url"),
    ("zengfr__6586_", "nodes[2].parameters.triggerOn"),
    ("zengfr__6586_", "nodes[3].parameters.company"),
    ("zengfr__6586_", "nodes[3].parameters.lastname"),
    ("zengfr__6586_", "nodes[8].parameters.url"),
    ("zengfr__6586_", "nodes[12].parameters.url"),
    ("zengfr__6586_", "nodes[28].parameters.company"),
    ("zengfr__6586_", "nodes[28].parameters.lastname"),
    // Written for a Salesforce node n8n does not have (`fields.additionalFields`, a
    // `salesforceApi` credential): n8n runs its typeVersion 2 and finds the same.
    ("zengfr__6687_", "nodes[3].parameters.company"),
    ("zengfr__6687_", "nodes[3].parameters.lastname"),
    ("zengfr__6687_", "nodes[3].credentials.salesforceApi"),
];

/// What weft lacks yet, as `weft check` words it: an n8n node type, a community node type, a
/// typeVersion, an n8n credential type.
const LACKS: &[&str] = &[
    "weft does not have n8n's",
    "not a node type of n8n 2.41.1",
    "has no typeVersion",
];

/// Real-world workflows (`../shared/wild-workflows`): every problem is something weft lacks yet
/// or a defect the file really has (`DEFECTS_IN_THE_FILES`); a node without its credential (n8n
/// exports templates without them) is a warning. What each prints is snapshotted too. Every
/// finding is a path with a hint, and no file is left out.
#[test]
fn wild_workflows() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/wild-workflows");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("wild workflows: skipped (no {})", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| PathBuf::from(entry.file_name()))
        .filter(|name| name.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    let (_, stdout) = weft_check(&dir, &files);
    let mut lines = stdout.lines();
    while let Some(line) = lines.next() {
        if line.ends_with(": OK") {
            continue;
        }
        let hint = lines.next().unwrap_or_default();
        assert!(hint.starts_with("  hint: "), "{line} has no hint");
        let (file, finding) = line.split_once(".json: ").unwrap();
        let expected = finding.starts_with("warning: ")
            || LACKS.iter().any(|lack| finding.contains(lack))
            || DEFECTS_IN_THE_FILES.iter().any(|(name, path)| {
                file.starts_with(name) && finding.starts_with(&format!("{path}: "))
            });
        assert!(
            expected,
            "neither something weft lacks nor a known defect: {line}"
        );
    }
    for file in &files {
        assert!(
            stdout.contains(&format!("{}: ", file.display())),
            "{} printed nothing",
            file.display()
        );
    }
    insta::assert_snapshot!(stdout);
}
