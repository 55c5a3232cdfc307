-- Portal users: the portal owns their credentials; WHMCS and Salesforce hold their records.
-- `status` is 'provisioning' while sign-up is creating the provider records (each link is
-- written as soon as it exists, so a retried sign-up resumes instead of duplicating) and
-- 'active' once every link is recorded.
CREATE TABLE users (
    id                   TEXT PRIMARY KEY NOT NULL,
    email                TEXT NOT NULL UNIQUE,
    password_hash        TEXT NOT NULL,
    status               TEXT NOT NULL,
    locale               TEXT NOT NULL,
    email_verified_at_ms INTEGER,
    totp_secret          TEXT,
    totp_enabled_at_ms   INTEGER,
    totp_last_step       INTEGER,
    whmcs_client_id      INTEGER UNIQUE,
    sf_account_id        TEXT,
    sf_contact_id        TEXT,
    created_at_ms        INTEGER NOT NULL,
    updated_at_ms        INTEGER NOT NULL
);

-- A session is one sign-in on one device: the family of its rotating refresh tokens.
CREATE TABLE sessions (
    id              TEXT PRIMARY KEY NOT NULL,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_agent      TEXT NOT NULL,
    ip              TEXT NOT NULL,
    created_at_ms   INTEGER NOT NULL,
    last_seen_at_ms INTEGER NOT NULL,
    expires_at_ms   INTEGER NOT NULL,
    revoked_at_ms   INTEGER,
    revoked_reason  TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Refresh tokens, stored as SHA-256 hashes. `used_at_ms` is set when the token is rotated;
-- presenting a used token again (outside a short grace window) revokes its session.
CREATE TABLE refresh_tokens (
    token_hash    TEXT PRIMARY KEY NOT NULL,
    session_id    TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    expires_at_ms INTEGER NOT NULL,
    used_at_ms    INTEGER
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- One-time emailed links (verify email, reset password, confirm a new email), hashed.
CREATE TABLE email_tokens (
    token_hash    TEXT PRIMARY KEY NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose       TEXT NOT NULL,
    new_email     TEXT,
    expires_at_ms INTEGER NOT NULL,
    used_at_ms    INTEGER
);
CREATE INDEX email_tokens_user ON email_tokens (user_id);

-- 2FA recovery codes, hashed; each works once.
CREATE TABLE recovery_codes (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at_ms INTEGER,
    PRIMARY KEY (user_id, code_hash)
);

-- Security events the customer can read on their account page.
CREATE TABLE audit_events (
    id         TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    ip         TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    at_ms      INTEGER NOT NULL
);
CREATE INDEX audit_events_user ON audit_events (user_id, at_ms);
