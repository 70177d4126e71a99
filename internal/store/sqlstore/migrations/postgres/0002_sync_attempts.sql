-- Every attempt to sync or import a table, successful or not. Outcome is
-- checked by the program, not here, so a new outcome needs no migration.
CREATE TABLE sync_attempts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_id    text        NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    outcome     text        NOT NULL,
    snapshot_id bigint REFERENCES snapshots (id) ON DELETE SET NULL,
    error       text        NOT NULL
);

-- The newest attempts of a table.
CREATE INDEX sync_attempts_table_started ON sync_attempts (table_id, started_at, id);
