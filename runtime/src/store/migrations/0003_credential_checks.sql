-- Version 3: the outcome of the last test or connect of each credential, so that `weft serve`
-- lists it in later launches too. Messages are what the CLI prints (user, org, Salesforce's
-- answer and a hint), no secret, so they are stored as plain text.

CREATE TABLE credential_checks (
    credential_id TEXT PRIMARY KEY NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    action        TEXT NOT NULL,
    ok            INTEGER NOT NULL,
    message       TEXT NOT NULL,
    hint          TEXT,
    checked_at    INTEGER NOT NULL
);
