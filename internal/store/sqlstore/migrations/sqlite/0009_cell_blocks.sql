-- Values in blocks (see blocks.go): a row a block of 65 536 cells, the
-- values as little-endian doubles, NaN for missing. cell_format says how a
-- snapshot keeps its cells: 0, a row each (snapshots stored before this);
-- 1, values in blocks and rows only for cells with a text or a status.
CREATE TABLE cell_values (
    snapshot_id INTEGER NOT NULL,
    block       INTEGER NOT NULL,
    data        BLOB    NOT NULL,
    PRIMARY KEY (snapshot_id, block)
) STRICT, WITHOUT ROWID;
ALTER TABLE snapshots ADD COLUMN cell_format INTEGER NOT NULL DEFAULT 0;
