//! The committed schemas under `schemas/` must equal what the code generates.
//! Rewrite them with: `cargo run -p weft-runtime --bin weft -- schema --write schemas`.

use std::path::Path;

#[test]
fn committed_schemas_match_the_code() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let drift = weft_runtime::schemas::drift(&dir).unwrap();
    assert!(
        drift.is_empty(),
        "schemas/ drifted from the code: {drift:?}\nrun: cargo run -p weft-runtime --bin weft -- schema --write schemas"
    );
    assert_eq!(weft_runtime::schemas::generated().unwrap().len(), 145);
}

#[test]
fn drift_is_detected_and_write_repairs_it() {
    let dir = tempfile::tempdir().unwrap();
    let generated = weft_runtime::schemas::generated().unwrap();
    assert_eq!(
        weft_runtime::schemas::drift(dir.path()).unwrap().len(),
        generated.len(),
        "an empty folder misses every schema"
    );
    weft_runtime::schemas::write_all(dir.path()).unwrap();
    assert!(weft_runtime::schemas::drift(dir.path()).unwrap().is_empty());

    let first = dir.path().join(&generated[0].path);
    std::fs::write(&first, "{}\n").unwrap();
    std::fs::write(dir.path().join("credentials/gone.schema.json"), "{}").unwrap();
    let drift = weft_runtime::schemas::drift(dir.path()).unwrap();
    assert_eq!(drift.len(), 2, "{drift:?}");
    weft_runtime::schemas::write_all(dir.path()).unwrap();
    assert!(weft_runtime::schemas::drift(dir.path()).unwrap().is_empty());
    assert!(!dir.path().join("credentials/gone.schema.json").exists());
}
