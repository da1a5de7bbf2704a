-- Version 2: the state of polling triggers and the record of the runs they started.
-- Trigger state holds record ids and timestamps, no secret, so it is stored as plain JSON text.

-- One row per (workflow, trigger node). `generation` grows with every commit: a commit names the
-- generation it polled from, so of two processes polling the same trigger only one advances it.
CREATE TABLE trigger_state (
    workflow   TEXT NOT NULL,
    node       TEXT NOT NULL,
    generation INTEGER NOT NULL,
    state      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (workflow, node)
) WITHOUT ROWID;

-- One row per run a trigger started, written in the same transaction as the trigger's new state.
CREATE TABLE executions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    workflow    TEXT NOT NULL,
    node        TEXT NOT NULL,
    mode        TEXT NOT NULL,
    status      TEXT NOT NULL,
    items       INTEGER NOT NULL,
    error       TEXT,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL
);

CREATE INDEX executions_by_workflow ON executions (workflow, id);
