-- The self-assessment (kartlegging): rounds against NSM's principles, each
-- organisation's answers with every change kept, submissions, measure
-- plans, and the register of service providers.

-- A round fixes what is asked: its measures are copied from the knowledge
-- pack when it is created (round_measures), so a round never changes when
-- the pack does. settings is JSON: the answer scale, whether maturity is
-- asked and its levels' wording, the score's weights, the principles an IT
-- provider answers for its members, and the size classes of the peers.
CREATE TABLE rounds (
    id          TEXT    PRIMARY KEY,
    name        TEXT    NOT NULL,
    year        INTEGER NOT NULL,
    framework   TEXT    NOT NULL, -- the pack and the NSM version the measures come from
    settings    TEXT    NOT NULL,
    opens_on    TEXT    NOT NULL, -- YYYY-MM-DD
    closes_on   TEXT    NOT NULL, -- YYYY-MM-DD, the last day answers are taken
    status      TEXT    NOT NULL, -- draft, open, closed
    created_by  INTEGER REFERENCES users (id),
    created_at  TEXT    NOT NULL,
    opened_at   TEXT,
    closed_at   TEXT
) STRICT, WITHOUT ROWID;

CREATE TABLE round_measures (
    round_id    TEXT    NOT NULL REFERENCES rounds (id),
    pos         INTEGER NOT NULL,
    measure     TEXT    NOT NULL, -- NSM's number, "1.1.3"
    principle   TEXT    NOT NULL,
    category    TEXT    NOT NULL,
    title       TEXT    NOT NULL, -- NSM's own text, when the pack has it
    summary     TEXT    NOT NULL, -- the pack's summary in the editors' words, when it has one
    source      TEXT    NOT NULL, -- where the text is from (a pack reference)
    priority    TEXT    NOT NULL, -- NSM's priority, when the pack has it
    provider    INTEGER NOT NULL, -- 1: an IT provider answers it for its members
    PRIMARY KEY (round_id, measure)
) STRICT, WITHOUT ROWID;

-- One organisation's later closing day.
CREATE TABLE round_extensions (
    round_id    TEXT    NOT NULL REFERENCES rounds (id),
    org_id      INTEGER NOT NULL REFERENCES organisations (id),
    closes_on   TEXT    NOT NULL,
    granted_by  INTEGER REFERENCES users (id),
    granted_at  TEXT    NOT NULL,
    PRIMARY KEY (round_id, org_id)
) STRICT, WITHOUT ROWID;

-- The current answer of an organisation to a measure. inherited_from is
-- set when the answer was taken over from the organisation's IT provider
-- when the organisation submitted (with that answer's change number).
CREATE TABLE answers (
    round_id       TEXT    NOT NULL REFERENCES rounds (id),
    org_id         INTEGER NOT NULL REFERENCES organisations (id),
    measure        TEXT    NOT NULL,
    answer         TEXT    NOT NULL, -- ja, delvis, nei, vet_ikke, ikke_relevant
    reason         TEXT    NOT NULL, -- why a measure is not relevant
    maturity       INTEGER,          -- 0..5 when the round asks
    comment        TEXT    NOT NULL,
    evidence       TEXT    NOT NULL, -- a link or a note
    inherited_from INTEGER REFERENCES organisations (id),
    change         INTEGER NOT NULL, -- the answer_history id of the last change
    updated_by     INTEGER REFERENCES users (id),
    updated_at     TEXT    NOT NULL,
    PRIMARY KEY (round_id, org_id, measure)
) STRICT, WITHOUT ROWID;

-- Per principle and organisation, a version that every save checks and
-- raises: two people saving the same principle are told, never silently
-- overwritten.
CREATE TABLE answer_versions (
    round_id   TEXT    NOT NULL,
    org_id     INTEGER NOT NULL,
    principle  TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    PRIMARY KEY (round_id, org_id, principle)
) STRICT, WITHOUT ROWID;

-- Every change of an answer: who, when, the old and the new value (JSON).
CREATE TABLE answer_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id    TEXT    NOT NULL,
    org_id      INTEGER NOT NULL,
    measure     TEXT    NOT NULL,
    old         TEXT    NOT NULL, -- "" when there was none
    new         TEXT    NOT NULL,
    changed_by  INTEGER REFERENCES users (id),
    changed_at  TEXT    NOT NULL
) STRICT;
CREATE INDEX answer_history_org ON answer_history (round_id, org_id, id);

CREATE TABLE submissions (
    round_id      TEXT    NOT NULL REFERENCES rounds (id),
    org_id        INTEGER NOT NULL REFERENCES organisations (id),
    submitted_by  INTEGER REFERENCES users (id),
    submitted_at  TEXT    NOT NULL,
    PRIMARY KEY (round_id, org_id)
) STRICT, WITHOUT ROWID;

-- An organisation's measure plan: what to do next, with an owner, a due
-- date and a status.
CREATE TABLE plan_items (
    round_id    TEXT    NOT NULL REFERENCES rounds (id),
    org_id      INTEGER NOT NULL REFERENCES organisations (id),
    measure     TEXT    NOT NULL,
    owner       TEXT    NOT NULL,
    due_on      TEXT    NOT NULL, -- YYYY-MM-DD or ""
    status      TEXT    NOT NULL, -- planlagt, i_gang, ferdig, droppet
    note        TEXT    NOT NULL,
    updated_by  INTEGER REFERENCES users (id),
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (round_id, org_id, measure)
) STRICT, WITHOUT ROWID;

-- Providers of security services (SOC and monitoring, incident response,
-- penetration testing, risk-assessment support, training), curated by
-- analysts; every entry has a source.
CREATE TABLE service_providers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    url         TEXT    NOT NULL,
    services    TEXT    NOT NULL, -- JSON list of service types
    source      TEXT    NOT NULL, -- where the entry is from
    notes       TEXT    NOT NULL,
    added_by    INTEGER REFERENCES users (id),
    added_at    TEXT    NOT NULL,
    retired_at  TEXT
) STRICT;
