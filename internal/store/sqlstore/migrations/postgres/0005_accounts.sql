-- Accounts: organisations, people and their roles, sessions, API tokens,
-- one-time links, sign-in state, rate limits, grants and the audit log.
-- The same tables as SQLite's 0005: times are timestamptz; dates stay
-- text YYYY-MM-DD.

-- Organisations are data: the municipalities and county municipalities of
-- the pack's registers, and the IT providers and regional networks an
-- administrator adds. code is the municipality or county number ("0301",
-- "46") or the id an administrator gave a provider or network.
CREATE TABLE organisations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text    NOT NULL UNIQUE,
    kind        text    NOT NULL, -- municipality, county, provider, network
    name        text    NOT NULL,
    org_number  text    NOT NULL DEFAULT '', -- only where a source gives it
    county      text    NOT NULL DEFAULT '', -- a municipality's county number
    population  bigint,                     -- from the register; NULL when it has none
    source      text    NOT NULL,            -- the register, or who added it
    created_at  timestamptz NOT NULL,
    retired_at  timestamptz                      -- no longer in the registers
);

-- The member municipalities of an IT provider or regional network, with
-- dates: from valid_from up to and including valid_to (NULL: still).
CREATE TABLE org_members (
    parent_id   bigint NOT NULL REFERENCES organisations (id),
    member_id   bigint NOT NULL REFERENCES organisations (id),
    valid_from  text    NOT NULL,
    valid_to    text,
    PRIMARY KEY (parent_id, member_id, valid_from)
);

CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text    NOT NULL UNIQUE, -- lowercased
    name          text    NOT NULL DEFAULT '',
    password_hash text    NOT NULL DEFAULT '', -- argon2id; empty: no local password
    totp_secret   text    NOT NULL DEFAULT '', -- base32; empty: no second factor yet
    created_at    timestamptz NOT NULL,
    disabled_at   timestamptz
);

-- A person's sign-in at an OIDC provider: the provider's subject.
CREATE TABLE user_identities (
    provider    text    NOT NULL,
    subject     text    NOT NULL,
    user_id     bigint NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (provider, subject)
);

-- Roles: admin and analyst hold for everything (org_id NULL); lead,
-- respondent and provider for one organisation.
CREATE TABLE roles (
    user_id     bigint NOT NULL REFERENCES users (id),
    role        text    NOT NULL,
    org_id      bigint REFERENCES organisations (id),
    granted_by  bigint REFERENCES users (id),
    granted_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX roles_global ON roles (user_id, role) WHERE org_id IS NULL;
CREATE UNIQUE INDEX roles_org ON roles (user_id, role, org_id) WHERE org_id IS NOT NULL;
CREATE INDEX roles_org_id ON roles (org_id);

-- Sessions live here, so that several servers share them. The cookie holds
-- a random value; only its SHA-256 is kept.
CREATE TABLE sessions (
    id_hash     text    PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_id      bigint REFERENCES organisations (id), -- the active organisation
    csrf        text    NOT NULL,
    level       text    NOT NULL, -- "factor": second factor pending; "full"
    method      text    NOT NULL, -- "password", or "oidc:" and the provider
    created_at  timestamptz NOT NULL,
    seen_at     timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL, -- the absolute end
    ip          text    NOT NULL,
    user_agent  text    NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id),
    name         text    NOT NULL,
    hash         text    NOT NULL UNIQUE, -- SHA-256 of the token
    prefix       text    NOT NULL,        -- its first characters, to tell tokens apart
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    last_used_at timestamptz
);

-- One-time links: account set-up, invitation, password reset.
CREATE TABLE links (
    hash        text    PRIMARY KEY, -- SHA-256 of the secret in the link
    user_id     bigint NOT NULL REFERENCES users (id),
    purpose     text    NOT NULL,
    created_by  bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

-- The state of an OIDC sign-in between the redirect and the callback:
-- single-use, short-lived, shared by the servers.
CREATE TABLE oidc_states (
    state_hash  text    PRIMARY KEY,
    provider    text    NOT NULL,
    nonce       text    NOT NULL,
    verifier    text    NOT NULL,
    return_to   text    NOT NULL,
    expires_at  timestamptz NOT NULL
);

-- Fixed-window counters for rate limits, shared by the servers.
CREATE TABLE rate_limits (
    key          text    PRIMARY KEY,
    window_start timestamptz NOT NULL,
    count        bigint NOT NULL
);

-- Grants let an analyst read one organisation's raw answers for a while,
-- for a stated reason.
CREATE TABLE grants (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    org_id      bigint NOT NULL REFERENCES organisations (id),
    reason      text    NOT NULL,
    granted_by  bigint NOT NULL REFERENCES users (id),
    granted_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);

-- The audit log is append-only: seq runs 1, 2, 3, ... and each entry
-- carries the hash of the one before, so a removed or altered entry breaks
-- the chain (grunnlag audit verify). A deployment can make it append-only
-- in the database too, for the role the servers log in as (see README):
--   REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM grunnlag_app;
CREATE TABLE audit_log (
    seq        bigint PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor_id   bigint,          -- the user; NULL for the system or the command line
    actor      text    NOT NULL, -- the user's e-mail, "system" or "cli"
    ip         text    NOT NULL,
    action     text    NOT NULL,
    object     text    NOT NULL,
    org_code   text    NOT NULL,
    detail     text    NOT NULL,
    prev_hash  text    NOT NULL,
    hash       text    NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
