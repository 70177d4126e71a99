-- Every attempt to sync or import a table, successful or not. Outcome is
-- checked by the program, not here, so a new outcome needs no table rebuild.
CREATE TABLE sync_attempts (
    id          INTEGER PRIMARY KEY,
    table_id    TEXT    NOT NULL,
    started_at  TEXT    NOT NULL,
    finished_at TEXT    NOT NULL,
    outcome     TEXT    NOT NULL,
    snapshot_id INTEGER REFERENCES snapshots (id) ON DELETE SET NULL,
    error       TEXT    NOT NULL
) STRICT;

-- The newest attempts of a table.
CREATE INDEX sync_attempts_table_started ON sync_attempts (table_id, started_at, id);
