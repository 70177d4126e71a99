-- As SQLite's 0009: values in blocks of 65 536 cells.
CREATE TABLE cell_values (
    snapshot_id bigint  NOT NULL,
    block       integer NOT NULL,
    data        bytea   NOT NULL,
    PRIMARY KEY (snapshot_id, block)
);
ALTER TABLE snapshots ADD COLUMN cell_format integer NOT NULL DEFAULT 0;
