-- A status given once for every cell (JSON-stat's "status" as one string)
-- is kept once, here, instead of in a row per cell: a cell without a row
-- of its own is missing, with this status.
ALTER TABLE snapshots ADD COLUMN status_all TEXT NOT NULL DEFAULT '';
