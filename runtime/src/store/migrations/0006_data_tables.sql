-- Version 6: n8n's data tables (the Data table node, Evaluation Trigger and Evaluation). A table
-- has an id, a unique name and typed columns in order; each row has an id counted per table
-- (never reused, as n8n's autoincrement), its timestamps and its cells as a JSON object whose
-- values the store has checked against the column types. Rows are user data, not secrets, so
-- they are stored as plain text; removing a table removes its columns and rows.

CREATE TABLE data_tables (
    id          TEXT NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    next_row_id INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE data_table_columns (
    table_id TEXT NOT NULL REFERENCES data_tables (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name     TEXT NOT NULL,
    type     TEXT NOT NULL CHECK (type IN ('string', 'number', 'boolean', 'date')),
    PRIMARY KEY (table_id, name)
);

CREATE TABLE data_table_rows (
    table_id   TEXT NOT NULL REFERENCES data_tables (id) ON DELETE CASCADE,
    id         INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    cells      TEXT NOT NULL,
    PRIMARY KEY (table_id, id)
);
