//! Encryption keys: passphrase and key file, reuse, wrong keys and key file permissions.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Barrier;
use std::thread;

use serde_json::json;
use tempfile::TempDir;
use weft_runtime::store::{KeyOrigin, KeySource, Store, StoreError};

use crate::{KEY, open, plain, try_open};

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn open_with_file(home: &Path) -> Result<Store, StoreError> {
    Store::open_with_key(home, &KeySource::KeyFile)
}

#[test]
fn reopening_with_the_same_passphrase_reads_back() {
    let home = TempDir::new().unwrap();
    open(home.path()).insert_credential(plain("k1")).unwrap();
    let data = open(home.path())
        .get_credential("k1")
        .unwrap()
        .unwrap()
        .data;
    assert_eq!(data, json!({ "user": "k1" }));
    assert!(!home.path().join("encryption.key").exists());
}

#[test]
fn the_key_file_is_created_private_once_and_reused() {
    let parent = TempDir::new().unwrap();
    let home = parent.path().join("nested").join("weft");
    open_with_file(&home)
        .unwrap()
        .insert_credential(plain("k1"))
        .unwrap();

    assert_eq!(mode(&home), 0o700);
    let key_file = home.join("encryption.key");
    assert_eq!(mode(&key_file), 0o600);
    let text = fs::read_to_string(&key_file).unwrap();
    assert_eq!(text.trim_end().len(), 44, "base64 of 32 bytes");

    let reopened = open_with_file(&home).unwrap();
    assert_eq!(fs::read_to_string(&key_file).unwrap(), text);
    assert!(reopened.get_credential("k1").unwrap().is_some());

    // The file's text is the same key when given as WEFT_ENCRYPTION_KEY.
    let as_env = Store::open_with_key(&home, &KeySource::passphrase(text.trim_end())).unwrap();
    assert!(as_env.get_credential("k1").unwrap().is_some());
}

#[test]
fn a_key_file_readable_by_others_is_refused() {
    let home = TempDir::new().unwrap();
    open_with_file(home.path()).unwrap();
    let key_file = home.path().join("encryption.key");
    fs::set_permissions(&key_file, fs::Permissions::from_mode(0o640)).unwrap();

    let err = open_with_file(home.path()).unwrap_err();
    assert!(
        matches!(err, StoreError::KeyFileTooOpen { mode: 0o640, .. }),
        "{err}"
    );
    let message = err.to_string();
    assert!(
        message.contains(&format!("chmod 600 {}", key_file.display())),
        "{message}"
    );
}

#[test]
fn a_different_passphrase_is_a_wrong_key_with_a_hint() {
    let home = TempDir::new().unwrap();
    open(home.path()).insert_credential(plain("k1")).unwrap();

    let err = Store::open_with_key(home.path(), &KeySource::passphrase("another key")).unwrap_err();
    assert!(
        matches!(
            &err,
            StoreError::WrongKey {
                origin: KeyOrigin::Env,
                ..
            }
        ),
        "{err}"
    );
    let message = err.to_string();
    assert!(
        message.starts_with("WEFT_ENCRYPTION_KEY does not match the key the store"),
        "{message}"
    );
    assert!(
        message.contains("hint: set WEFT_ENCRYPTION_KEY to the value"),
        "{message}"
    );
    for text in [message, format!("{err:?}")] {
        assert!(
            !text.contains("another key") && !text.contains(KEY),
            "{text}"
        );
    }
}

#[test]
fn a_store_made_with_the_key_file_refuses_a_passphrase_and_another_key_file() {
    let home = TempDir::new().unwrap();
    open_with_file(home.path()).unwrap();

    let err = try_open(home.path()).unwrap_err();
    assert!(matches!(err, StoreError::WrongKey { .. }), "{err}");
    assert!(err.to_string().contains("encryption.key"), "{err}");

    let key_file = home.path().join("encryption.key");
    fs::write(&key_file, "some other key\n").unwrap();
    let err = open_with_file(home.path()).unwrap_err();
    assert!(
        matches!(&err, StoreError::WrongKey { origin: KeyOrigin::File(path), .. } if *path == key_file),
        "{err}"
    );
    assert!(err.to_string().starts_with("the key in "), "{err}");
}

#[test]
fn a_lost_key_file_is_reported_not_regenerated() {
    let home = TempDir::new().unwrap();
    open_with_file(home.path()).unwrap();
    let key_file = home.path().join("encryption.key");
    fs::remove_file(&key_file).unwrap();

    let err = open_with_file(home.path()).unwrap_err();
    assert!(matches!(err, StoreError::KeyFileMissing { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("WEFT_ENCRYPTION_KEY is not set and the key file"),
        "{err}"
    );
    assert!(!key_file.exists());
}

#[test]
fn an_empty_passphrase_is_refused() {
    let home = TempDir::new().unwrap();
    let err = Store::open_with_key(home.path(), &KeySource::passphrase("")).unwrap_err();
    assert!(matches!(err, StoreError::InvalidKeyEnv), "{err}");
}

#[test]
fn debug_never_shows_the_passphrase() {
    let shown = format!("{:?}", KeySource::passphrase(KEY));
    assert!(!shown.contains(KEY), "{shown}");
}

#[test]
fn concurrent_first_opens_agree_on_one_key_file() {
    const OPENERS: usize = 4;
    for _ in 0..10 {
        let home = TempDir::new().unwrap();
        let barrier = Barrier::new(OPENERS);
        let stores: Vec<Store> = thread::scope(|scope| {
            let handles: Vec<_> = (0..OPENERS)
                .map(|_| {
                    scope.spawn(|| {
                        barrier.wait();
                        open_with_file(home.path()).unwrap()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (i, store) in stores.iter().enumerate() {
            store.insert_credential(plain(&format!("k{i}"))).unwrap();
        }
        for store in &stores {
            for i in 0..OPENERS {
                assert!(store.get_credential(&format!("k{i}")).unwrap().is_some());
            }
        }
    }
}
