-- The data vintage a report of a given date saw: the newest snapshot of a
-- table fetched at or before that date.
CREATE INDEX snapshots_table_fetched ON snapshots (table_id, fetched_at);

-- The knowledge pack, stored as one unit: one row describing the load, and
-- its entries. A new pack replaces both in one transaction.
CREATE TABLE catalog_load (
    id        integer PRIMARY KEY CHECK (id = 1), -- at most one load
    digest    text        NOT NULL, -- hex SHA-256 over the pack's files
    packs     text[]      NOT NULL, -- the pack names, in load order
    loaded_at timestamptz NOT NULL
);

-- words is store.SearchWords(text): the text's words, lowercased by the
-- program and one space apart, so that splitting and case folding are the
-- same as in SQLite whatever the database's locale. vec holds those words
-- with their positions, built by the program (no text search parser or
-- dictionary touches them): whole-word and prefix matching ('word':*),
-- ranked with ts_rank. Matching inside words is LIKE on words, served by a
-- trigram index where pg_trgm is available.
CREATE TABLE catalog_entries (
    pos     integer PRIMARY KEY, -- load order from 1
    kind    text     NOT NULL,
    id      text     NOT NULL,
    summary text     NOT NULL,
    text    text     NOT NULL,
    pack    text     NOT NULL,
    file    text     NOT NULL,
    line    integer  NOT NULL,
    data    json,               -- the entry as JSON, verbatim; NULL when empty
    words   text     NOT NULL,
    vec     tsvector NOT NULL,
    UNIQUE (kind, id)
);

CREATE INDEX catalog_entries_vec ON catalog_entries USING gin (vec);

-- pg_trgm ships with PostgreSQL but may be missing or not allowed; then
-- substring search scans the table, which is small.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX catalog_entries_words_trgm ON catalog_entries USING gin (words gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm not available (%); substring search scans catalog_entries', SQLERRM;
END
$$;
