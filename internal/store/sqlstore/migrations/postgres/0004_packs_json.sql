-- The pack names of catalog_load become a JSON array in text, as SQLite
-- keeps them, so that one query reads and writes them on both databases.
ALTER TABLE catalog_load ALTER COLUMN packs TYPE text USING array_to_json(packs)::text;

-- The search index column is written by the program after each entry's
-- row (see the dialect's indexEntry), so the row goes in empty first.
ALTER TABLE catalog_entries ALTER COLUMN vec SET DEFAULT ''::tsvector;
