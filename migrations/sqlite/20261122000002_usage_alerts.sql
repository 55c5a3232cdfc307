-- Usage alerts (issue 7): a customer's threshold per SIM line, in megabytes of data used in
-- the calendar month (JST). Keyed by user and line: whether the line is still the user's is
-- checked against the billing system every time it is used, never stored here.
CREATE TABLE usage_alerts (
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    msisdn        TEXT NOT NULL,
    threshold_mb  INTEGER NOT NULL CHECK (threshold_mb > 0),
    updated_at_ms INTEGER NOT NULL,
    PRIMARY KEY (user_id, msisdn)
);

-- One row per threshold crossed per line per month: the primary key is the "once per
-- threshold per month" rule, so two instances or two refreshes cannot both alert. The mail is
-- sent from here (an outbox): a sender claims the row until `mail_claimed_until_ms`, marks it
-- `mailed_at_ms` once the mail was accepted, and a failed send is claimed again later.
CREATE TABLE usage_alert_events (
    user_id               TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    msisdn                TEXT NOT NULL,
    month                 TEXT NOT NULL,
    threshold_mb          INTEGER NOT NULL,
    used_bytes            INTEGER NOT NULL,
    created_at_ms         INTEGER NOT NULL,
    mail_claimed_until_ms INTEGER,
    mailed_at_ms          INTEGER,
    PRIMARY KEY (user_id, msisdn, month, threshold_mb)
);

-- In-app notices shown on the dashboard (and the page they are about) until dismissed. `kind`
-- names the payload's shape (JSON written and read by the portal, e.g. `usage_alert`).
CREATE TABLE notifications (
    id              TEXT PRIMARY KEY NOT NULL,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    subject         TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at_ms   INTEGER NOT NULL,
    dismissed_at_ms INTEGER
);

CREATE INDEX notifications_open ON notifications (user_id, created_at_ms) WHERE dismissed_at_ms IS NULL;
