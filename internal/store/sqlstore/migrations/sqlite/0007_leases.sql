-- Leases let one of several servers on one database do a job at a time
-- (the scheduled sync): a server holds a lease until it expires or the
-- server gives it back; a crashed server's lease simply expires.
CREATE TABLE leases (
    name        TEXT    PRIMARY KEY,
    holder      TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

-- A counter every write that changes what pages show raises, so that the
-- servers sharing a database drop what they keep in memory.
CREATE TABLE changes (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    serial  INTEGER NOT NULL
) STRICT;
INSERT INTO changes (id, serial) VALUES (1, 0);
