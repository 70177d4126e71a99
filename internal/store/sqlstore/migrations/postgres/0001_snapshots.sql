-- Snapshots of statistics tables, as in the SQLite store (same numbers,
-- same meaning). A snapshot is written once, in one transaction, and never
-- changed; the newest snapshot of a table is the one with the highest id.
-- Writers of one table take an advisory lock on it, so ids of a table
-- grow in the order its snapshots are committed.
--
-- Times are timestamptz (microseconds). Notes, roles, children and units are
-- jsonb; extension and link are the source's JSON, verbatim, as text. Empty
-- lists and absent objects are NULL.
CREATE TABLE snapshots (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_id       text        NOT NULL,
    title          text        NOT NULL,
    lang           text        NOT NULL,
    updated        text        NOT NULL, -- the source's own "updated", verbatim
    fetched_at     timestamptz NOT NULL,
    source         text        NOT NULL, -- URL of the request(s) or the imported file
    sha256         text        NOT NULL, -- hex SHA-256 of the raw bodies in order
    cells          bigint      NOT NULL, -- product of the dimension sizes
    has_values     boolean     NOT NULL, -- false for a metadata-only dataset ("value": [])
    data_label     text        NOT NULL,
    data_source    text        NOT NULL,
    data_updated   text        NOT NULL,
    data_href      text        NOT NULL,
    data_note      jsonb,
    data_role      jsonb,
    data_extension text,
    data_link      text
);

CREATE INDEX snapshots_table_id ON snapshots (table_id, id);

-- The bodies as received, gzip-compressed, in request order.
CREATE TABLE snapshot_raw (
    snapshot_id bigint  NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    seq         integer NOT NULL,
    size        bigint  NOT NULL, -- uncompressed length in bytes
    body        bytea   NOT NULL,
    PRIMARY KEY (snapshot_id, seq)
);

CREATE TABLE dimensions (
    snapshot_id bigint  NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    pos         integer NOT NULL, -- position in the dataset's "id"
    dim_id      text    NOT NULL,
    label       text    NOT NULL,
    note        jsonb,
    child       jsonb,
    extension   text,
    link        text,
    href        text    NOT NULL,
    PRIMARY KEY (snapshot_id, pos)
);

CREATE TABLE categories (
    snapshot_id bigint  NOT NULL,
    dim_pos     integer NOT NULL,
    pos         integer NOT NULL, -- the category's index in its dimension
    code        text    NOT NULL,
    label       text    NOT NULL,
    note        jsonb,
    unit        jsonb,
    PRIMARY KEY (snapshot_id, dim_pos, pos),
    FOREIGN KEY (snapshot_id, dim_pos) REFERENCES dimensions (snapshot_id, pos) ON DELETE CASCADE
);

-- One row per cell that has a value, a text or a status, loaded with COPY;
-- a cell without a row is missing. idx is the flat row-major index. NaN is
-- never stored: a missing value is NULL. No foreign key, for the speed of
-- large loads (cells are only written in the transaction that writes their
-- snapshot; deleting a snapshot must delete its cells).
--
-- The primary key's B-tree costs about half the speed of a large load (a
-- BRIN index on snapshot_id instead loads twice as fast), but it keeps the
-- read of a small snapshot an index lookup whatever autovacuum has done:
-- a BRIN index finds nothing until its block ranges are summarized, and
-- until then every read scans the whole table.
CREATE TABLE cells (
    snapshot_id bigint  NOT NULL,
    idx         integer NOT NULL,
    value       double precision,
    text        text,
    status      text,
    PRIMARY KEY (snapshot_id, idx)
);
