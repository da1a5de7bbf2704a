//! The key check: telling the right key from a wrong one when the store opens.
//!
//! When a store is first opened, a known plaintext sealed with its key is written to the `meta`
//! table. Every later open must decrypt it, so a wrong key is reported at once, as
//! [`StoreError::WrongKey`], instead of surfacing later as undecryptable rows, and nothing is ever
//! written under a second key. A store that holds encrypted rows but no key check was changed
//! outside weft ([`StoreError::KeyCheckMissing`]): it is refused rather than given a new check
//! that any key would pass.

use rusqlite::{Connection, OptionalExtension, params};

use super::cipher::{Binding, Cipher};
use super::error::StoreError;
use super::home::WeftHome;
use super::key::{KEY_ENV, KeyOrigin, KeySource};

const META_KEY: &str = "key_check";
const PLAINTEXT: &[u8] = b"weft key check v1";

/// The cipher for `source`, checked against the store's key check value (which it writes when the
/// store has none yet).
pub(crate) fn unlock(
    conn: &Connection,
    home: &WeftHome,
    source: &KeySource,
) -> Result<Cipher, StoreError> {
    let stored = read(conn).optional()?;
    if stored.is_none() && holds_sealed_rows(conn)? {
        return Err(StoreError::KeyCheckMissing {
            database: home.database(),
        });
    }
    let (cipher, origin) = source.load(home, stored.is_none())?;
    let check = match stored {
        Some(check) => check,
        None => {
            conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES (?1, ?2)",
                params![META_KEY, cipher.seal(PLAINTEXT, Binding::KeyCheck)],
            )?;
            // A concurrent first open may have written its own value first: check against that.
            read(conn)?
        }
    };
    match cipher.open(&check, Binding::KeyCheck) {
        Ok(plaintext) if plaintext.as_slice() == PLAINTEXT => Ok(cipher),
        _ => Err(wrong_key(origin, home)),
    }
}

/// True when credentials or sessions are stored: their key was known once, so a missing key check
/// means the store was changed outside weft, and writing a new one would accept any key.
fn holds_sealed_rows(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM credentials) OR EXISTS (SELECT 1 FROM sessions WHERE data IS NOT NULL)",
        [],
        |row| row.get(0),
    )
}

fn read(conn: &Connection) -> rusqlite::Result<Vec<u8>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [META_KEY], |row| {
        row.get(0)
    })
}

fn wrong_key(origin: KeyOrigin, home: &WeftHome) -> StoreError {
    let database = home.database();
    let change = match &origin {
        KeyOrigin::Env => format!(
            "set {KEY_ENV} to the value the store was created with, or unset it if the store was created with the key file {}",
            home.key_file().display()
        ),
        KeyOrigin::File(path) => format!(
            "restore the key file {} the store was created with, or set {KEY_ENV} if the store was created with that",
            path.display()
        ),
    };
    let hint = format!(
        "{change}; if the key is lost, move {} aside to start a new store and add the credentials again",
        database.display()
    );
    StoreError::WrongKey {
        origin,
        database,
        hint,
    }
}
