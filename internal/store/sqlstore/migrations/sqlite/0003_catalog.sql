-- The data vintage a report of a given date saw: the newest snapshot of a
-- table fetched at or before that date.
CREATE INDEX snapshots_table_fetched ON snapshots (table_id, fetched_at);

-- The knowledge pack, stored as one unit: one row describing the load, and
-- its entries. A new pack replaces both, and the search indexes, in one
-- transaction.
CREATE TABLE catalog_load (
    id        INTEGER PRIMARY KEY CHECK (id = 1), -- at most one load
    digest    TEXT    NOT NULL, -- hex SHA-256 over the pack's files
    packs     TEXT    NOT NULL, -- JSON array of the pack names, in load order
    loaded_at TEXT    NOT NULL
) STRICT;

CREATE TABLE catalog_entries (
    pos     INTEGER PRIMARY KEY, -- load order from 1; the rowid in both search indexes
    kind    TEXT    NOT NULL,
    id      TEXT    NOT NULL,
    summary TEXT    NOT NULL,
    text    TEXT    NOT NULL,
    pack    TEXT    NOT NULL,
    file    TEXT    NOT NULL,
    line    INTEGER NOT NULL,
    data    TEXT,             -- the entry as JSON, verbatim; NULL when empty
    words   TEXT    NOT NULL, -- store.SearchWords(text): what the indexes hold
    UNIQUE (kind, id)
) STRICT;

-- Two contentless full-text indexes over catalog_entries.words, which holds
-- the text's words lowercased and one space apart (the program splits and
-- folds them, the same way for SQLite and PostgreSQL). catalog_words matches
-- whole words and prefixes, ranked with bm25; diacritics are kept, so "ø" is
-- never "o", and marks count as letters. catalog_trigram matches inside
-- words (three letters or more).
CREATE VIRTUAL TABLE catalog_words USING fts5 (
    words, content = '', tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
);
CREATE VIRTUAL TABLE catalog_trigram USING fts5 (
    words, content = '', tokenize = 'trigram'
);
