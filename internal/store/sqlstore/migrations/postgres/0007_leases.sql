-- As SQLite's 0007. PostgreSQL also tells the servers at once, with
-- NOTIFY grunnlag_changes, when the counter is raised.
CREATE TABLE leases (
    name        text        PRIMARY KEY,
    holder      text        NOT NULL,
    expires_at  timestamptz NOT NULL
);

CREATE TABLE changes (
    id      integer PRIMARY KEY CHECK (id = 1),
    serial  bigint  NOT NULL
);
INSERT INTO changes (id, serial) VALUES (1, 0);
