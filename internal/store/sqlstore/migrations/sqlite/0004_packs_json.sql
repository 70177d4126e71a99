-- PostgreSQL's migration 4 turns catalog_load.packs into a JSON array in
-- text; SQLite has kept it so from the start. The number is taken here too,
-- so that a schema version means the same change on both databases.
SELECT 1;
