-- Version 1: the key check, credentials and their sessions.
-- Encrypted columns hold `version || nonce || ciphertext` blobs (see cipher.rs); timestamps are
-- RFC 3339 text in UTC.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE credentials (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    type       TEXT NOT NULL,
    data       BLOB NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX credentials_by_name ON credentials (name);

-- One row per credential that ever had a session. Deleting a session clears `data` and keeps the
-- row, so `generation` never goes back and a compare-and-swap made against a deleted session can
-- never match a newer one.
CREATE TABLE sessions (
    credential_id TEXT PRIMARY KEY NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    generation    INTEGER NOT NULL,
    data          BLOB,
    updated_at    TEXT NOT NULL
);
