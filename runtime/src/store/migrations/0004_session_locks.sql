-- Version 4: renewal locks, so that one process at a time asks a credential's token endpoint for
-- a session. A process takes the credential's row before the token request and deletes it after
-- saving the session; while its request runs it keeps moving `expires_at` (Unix time in ms)
-- ahead, so the row of a process that died is taken over once it has expired.

CREATE TABLE session_locks (
    credential_id TEXT PRIMARY KEY NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    holder        TEXT NOT NULL,
    expires_at    INTEGER NOT NULL
) WITHOUT ROWID;
