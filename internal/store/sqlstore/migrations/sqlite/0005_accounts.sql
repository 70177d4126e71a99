-- Accounts: organisations, people and their roles, sessions, API tokens,
-- one-time links, sign-in state, rate limits, grants and the audit log.
-- Times are TEXT in UTC with nine fraction digits, as in 0001; dates
-- (valid_from, valid_to) are TEXT YYYY-MM-DD.

-- Organisations are data: the municipalities and county municipalities of
-- the pack's registers, and the IT providers and regional networks an
-- administrator adds. code is the municipality or county number ("0301",
-- "46") or the id an administrator gave a provider or network.
CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    code        TEXT    NOT NULL UNIQUE,
    kind        TEXT    NOT NULL, -- municipality, county, provider, network
    name        TEXT    NOT NULL,
    org_number  TEXT    NOT NULL DEFAULT '', -- only where a source gives it
    county      TEXT    NOT NULL DEFAULT '', -- a municipality's county number
    population  INTEGER,                     -- from the register; NULL when it has none
    source      TEXT    NOT NULL,            -- the register, or who added it
    created_at  TEXT    NOT NULL,
    retired_at  TEXT                         -- no longer in the registers
) STRICT;

-- The member municipalities of an IT provider or regional network, with
-- dates: from valid_from up to and including valid_to (NULL: still).
CREATE TABLE org_members (
    parent_id   INTEGER NOT NULL REFERENCES organisations (id),
    member_id   INTEGER NOT NULL REFERENCES organisations (id),
    valid_from  TEXT    NOT NULL,
    valid_to    TEXT,
    PRIMARY KEY (parent_id, member_id, valid_from)
) STRICT;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT    NOT NULL UNIQUE, -- lowercased
    name          TEXT    NOT NULL DEFAULT '',
    password_hash TEXT    NOT NULL DEFAULT '', -- argon2id; empty: no local password
    totp_secret   TEXT    NOT NULL DEFAULT '', -- base32; empty: no second factor yet
    created_at    TEXT    NOT NULL,
    disabled_at   TEXT
) STRICT;

-- A person's sign-in at an OIDC provider: the provider's subject.
CREATE TABLE user_identities (
    provider    TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (provider, subject)
) STRICT;

-- Roles: admin and analyst hold for everything (org_id NULL); lead,
-- respondent and provider for one organisation.
CREATE TABLE roles (
    user_id     INTEGER NOT NULL REFERENCES users (id),
    role        TEXT    NOT NULL,
    org_id      INTEGER REFERENCES organisations (id),
    granted_by  INTEGER REFERENCES users (id),
    granted_at  TEXT    NOT NULL
) STRICT;
CREATE UNIQUE INDEX roles_global ON roles (user_id, role) WHERE org_id IS NULL;
CREATE UNIQUE INDEX roles_org ON roles (user_id, role, org_id) WHERE org_id IS NOT NULL;
CREATE INDEX roles_org_id ON roles (org_id);

-- Sessions live here, so that several servers share them. The cookie holds
-- a random value; only its SHA-256 is kept.
CREATE TABLE sessions (
    id_hash     TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_id      INTEGER REFERENCES organisations (id), -- the active organisation
    csrf        TEXT    NOT NULL,
    level       TEXT    NOT NULL, -- "factor": second factor pending; "full"
    method      TEXT    NOT NULL, -- "password", or "oidc:" and the provider
    created_at  TEXT    NOT NULL,
    seen_at     TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL, -- the absolute end
    ip          TEXT    NOT NULL,
    user_agent  TEXT    NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT    NOT NULL,
    hash         TEXT    NOT NULL UNIQUE, -- SHA-256 of the token
    prefix       TEXT    NOT NULL,        -- its first characters, to tell tokens apart
    created_at   TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL,
    revoked_at   TEXT,
    last_used_at TEXT
) STRICT;

-- One-time links: account set-up, invitation, password reset.
CREATE TABLE links (
    hash        TEXT    PRIMARY KEY, -- SHA-256 of the secret in the link
    user_id     INTEGER NOT NULL REFERENCES users (id),
    purpose     TEXT    NOT NULL,
    created_by  INTEGER REFERENCES users (id),
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    used_at     TEXT
) STRICT, WITHOUT ROWID;

-- The state of an OIDC sign-in between the redirect and the callback:
-- single-use, short-lived, shared by the servers.
CREATE TABLE oidc_states (
    state_hash  TEXT    PRIMARY KEY,
    provider    TEXT    NOT NULL,
    nonce       TEXT    NOT NULL,
    verifier    TEXT    NOT NULL,
    return_to   TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

-- Fixed-window counters for rate limits, shared by the servers.
CREATE TABLE rate_limits (
    key          TEXT    PRIMARY KEY,
    window_start TEXT    NOT NULL,
    count        INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Grants let an analyst read one organisation's raw answers for a while,
-- for a stated reason.
CREATE TABLE grants (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    org_id      INTEGER NOT NULL REFERENCES organisations (id),
    reason      TEXT    NOT NULL,
    granted_by  INTEGER NOT NULL REFERENCES users (id),
    granted_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    revoked_at  TEXT
) STRICT;

-- The audit log is append-only: seq runs 1, 2, 3, ... and each entry
-- carries the hash of the one before, so a removed or altered entry breaks
-- the chain (grunnlag audit verify).
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT    NOT NULL,
    actor_id   INTEGER,          -- the user; NULL for the system or the command line
    actor      TEXT    NOT NULL, -- the user's e-mail, "system" or "cli"
    ip         TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    object     TEXT    NOT NULL,
    org_code   TEXT    NOT NULL,
    detail     TEXT    NOT NULL,
    prev_hash  TEXT    NOT NULL,
    hash       TEXT    NOT NULL
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
