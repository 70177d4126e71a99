-- As SQLite's 0008: a status given once for every cell is kept once.
ALTER TABLE snapshots ADD COLUMN status_all text NOT NULL DEFAULT '';
