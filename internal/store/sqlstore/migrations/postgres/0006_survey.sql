-- As SQLite's 0006; times are timestamptz, dates text YYYY-MM-DD.
-- The self-assessment (kartlegging): rounds against NSM's principles, each
-- organisation's answers with every change kept, submissions, measure
-- plans, and the register of service providers.

-- A round fixes what is asked: its measures are copied from the knowledge
-- pack when it is created (round_measures), so a round never changes when
-- the pack does. settings is JSON: the answer scale, whether maturity is
-- asked and its levels' wording, the score's weights, the principles an IT
-- provider answers for its members, and the size classes of the peers.
CREATE TABLE rounds (
    id          text    PRIMARY KEY,
    name        text    NOT NULL,
    year        bigint NOT NULL,
    framework   text    NOT NULL, -- the pack and the NSM version the measures come from
    settings    text    NOT NULL,
    opens_on    text    NOT NULL, -- YYYY-MM-DD
    closes_on   text    NOT NULL, -- YYYY-MM-DD, the last day answers are taken
    status      text    NOT NULL, -- draft, open, closed
    created_by  bigint REFERENCES users (id),
    created_at  timestamptz    NOT NULL,
    opened_at   timestamptz,
    closed_at   timestamptz
);

CREATE TABLE round_measures (
    round_id    text    NOT NULL REFERENCES rounds (id),
    pos         bigint NOT NULL,
    measure     text    NOT NULL, -- NSM's number, "1.1.3"
    principle   text    NOT NULL,
    category    text    NOT NULL,
    title       text    NOT NULL, -- NSM's own text, when the pack has it
    summary     text    NOT NULL, -- the pack's summary in the editors' words, when it has one
    source      text    NOT NULL, -- where the text is from (a pack reference)
    priority    text    NOT NULL, -- NSM's priority, when the pack has it
    provider    bigint NOT NULL, -- 1: an IT provider answers it for its members
    PRIMARY KEY (round_id, measure)
);

-- One organisation's later closing day.
CREATE TABLE round_extensions (
    round_id    text    NOT NULL REFERENCES rounds (id),
    org_id      bigint NOT NULL REFERENCES organisations (id),
    closes_on   text    NOT NULL,
    granted_by  bigint REFERENCES users (id),
    granted_at  timestamptz    NOT NULL,
    PRIMARY KEY (round_id, org_id)
);

-- The current answer of an organisation to a measure. inherited_from is
-- set when the answer was taken over from the organisation's IT provider
-- when the organisation submitted (with that answer's change number).
CREATE TABLE answers (
    round_id       text    NOT NULL REFERENCES rounds (id),
    org_id         bigint NOT NULL REFERENCES organisations (id),
    measure        text    NOT NULL,
    answer         text    NOT NULL, -- ja, delvis, nei, vet_ikke, ikke_relevant
    reason         text    NOT NULL, -- why a measure is not relevant
    maturity       bigint,          -- 0..5 when the round asks
    comment        text    NOT NULL,
    evidence       text    NOT NULL, -- a link or a note
    inherited_from bigint REFERENCES organisations (id),
    change         bigint NOT NULL, -- the answer_history id of the last change
    updated_by     bigint REFERENCES users (id),
    updated_at     timestamptz    NOT NULL,
    PRIMARY KEY (round_id, org_id, measure)
);

-- Per principle and organisation, a version that every save checks and
-- raises: two people saving the same principle are told, never silently
-- overwritten.
CREATE TABLE answer_versions (
    round_id   text    NOT NULL,
    org_id     bigint NOT NULL,
    principle  text    NOT NULL,
    version    bigint NOT NULL,
    PRIMARY KEY (round_id, org_id, principle)
);

-- Every change of an answer: who, when, the old and the new value (JSON).
CREATE TABLE answer_history (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id    text    NOT NULL,
    org_id      bigint NOT NULL,
    measure     text    NOT NULL,
    old         text    NOT NULL, -- "" when there was none
    new         text    NOT NULL,
    changed_by  bigint REFERENCES users (id),
    changed_at  timestamptz    NOT NULL
);
CREATE INDEX answer_history_org ON answer_history (round_id, org_id, id);

CREATE TABLE submissions (
    round_id      text    NOT NULL REFERENCES rounds (id),
    org_id        bigint NOT NULL REFERENCES organisations (id),
    submitted_by  bigint REFERENCES users (id),
    submitted_at  timestamptz    NOT NULL,
    PRIMARY KEY (round_id, org_id)
);

-- An organisation's measure plan: what to do next, with an owner, a due
-- date and a status.
CREATE TABLE plan_items (
    round_id    text    NOT NULL REFERENCES rounds (id),
    org_id      bigint NOT NULL REFERENCES organisations (id),
    measure     text    NOT NULL,
    owner       text    NOT NULL,
    due_on      text    NOT NULL, -- YYYY-MM-DD or ""
    status      text    NOT NULL, -- planlagt, i_gang, ferdig, droppet
    note        text    NOT NULL,
    updated_by  bigint REFERENCES users (id),
    updated_at  timestamptz    NOT NULL,
    PRIMARY KEY (round_id, org_id, measure)
);

-- Providers of security services (SOC and monitoring, incident response,
-- penetration testing, risk-assessment support, training), curated by
-- analysts; every entry has a source.
CREATE TABLE service_providers (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text    NOT NULL,
    url         text    NOT NULL,
    services    text    NOT NULL, -- JSON list of service types
    source      text    NOT NULL, -- where the entry is from
    notes       text    NOT NULL,
    added_by    bigint REFERENCES users (id),
    added_at    timestamptz    NOT NULL,
    retired_at  timestamptz
);
