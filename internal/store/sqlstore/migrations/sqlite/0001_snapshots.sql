-- Snapshots of statistics tables. A snapshot is written once, in one
-- transaction, and never changed; the newest snapshot of a table is the one
-- with the highest id (AUTOINCREMENT, so an id is never reused).
--
-- Times are TEXT in UTC, RFC 3339 with nine fraction digits
-- ("2025-10-29T07:00:00.000000000Z"): readable, exact, and ordered as text.
-- Notes, roles, children and units are JSON; extension and link are the
-- source's JSON, verbatim. Empty lists and absent objects are NULL.
CREATE TABLE snapshots (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    table_id       TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    lang           TEXT    NOT NULL,
    updated        TEXT    NOT NULL, -- the source's own "updated", verbatim
    fetched_at     TEXT    NOT NULL,
    source         TEXT    NOT NULL, -- URL of the request(s) or the imported file
    sha256         TEXT    NOT NULL, -- hex SHA-256 of the raw bodies in order
    cells          INTEGER NOT NULL, -- product of the dimension sizes
    has_values     INTEGER NOT NULL, -- 0 for a metadata-only dataset ("value": [])
    data_label     TEXT    NOT NULL, -- the dataset's own label, source, updated, href
    data_source    TEXT    NOT NULL,
    data_updated   TEXT    NOT NULL,
    data_href      TEXT    NOT NULL,
    data_note      TEXT,
    data_role      TEXT,
    data_extension TEXT,
    data_link      TEXT
) STRICT;

-- Newest snapshot of a table, versions of a table, and the per-table summary.
CREATE INDEX snapshots_table_id ON snapshots (table_id, id);

-- The bodies as received, gzip-compressed, in request order.
CREATE TABLE snapshot_raw (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    size        INTEGER NOT NULL, -- uncompressed length in bytes
    body        BLOB    NOT NULL,
    PRIMARY KEY (snapshot_id, seq)
) STRICT;

CREATE TABLE dimensions (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    pos         INTEGER NOT NULL, -- position in the dataset's "id"
    dim_id      TEXT    NOT NULL,
    label       TEXT    NOT NULL,
    note        TEXT,
    child       TEXT,
    extension   TEXT,
    link        TEXT,
    href        TEXT    NOT NULL,
    PRIMARY KEY (snapshot_id, pos)
) STRICT, WITHOUT ROWID;

CREATE TABLE categories (
    snapshot_id INTEGER NOT NULL,
    dim_pos     INTEGER NOT NULL,
    pos         INTEGER NOT NULL, -- the category's index in its dimension
    code        TEXT    NOT NULL,
    label       TEXT    NOT NULL,
    note        TEXT,
    unit        TEXT,
    PRIMARY KEY (snapshot_id, dim_pos, pos),
    FOREIGN KEY (snapshot_id, dim_pos) REFERENCES dimensions (snapshot_id, pos) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- One row per cell that has a value, a text or a status; a cell without a
-- row is missing. idx is the flat row-major index. NaN is never stored: a
-- missing value is NULL. No foreign key: checking it for every cell slows a
-- large save by a sixth, and cells are only written in the transaction
-- that writes their snapshot (deleting a snapshot must delete its cells).
CREATE TABLE cells (
    snapshot_id INTEGER NOT NULL,
    idx         INTEGER NOT NULL,
    value       REAL,
    text        TEXT,
    status      TEXT,
    PRIMARY KEY (snapshot_id, idx)
) STRICT, WITHOUT ROWID;
