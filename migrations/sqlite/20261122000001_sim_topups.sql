-- Paid SIM data top-ups (issue 7). One row per top-up, keyed by the idempotency key the form
-- carried (the portal's payment id), so a repeated submit finds the same row and never makes a
-- second invoice. `invoice_id` is recorded the moment WHMCS answers CreateInvoice and is the
-- Freebit quotaCode, so the quota step can be retried without adding twice. No foreign key to
-- users: a payment record outlives the account it was made from.
CREATE TABLE sim_topups (
    id            TEXT PRIMARY KEY NOT NULL,
    user_id       TEXT NOT NULL,
    client_id     INTEGER NOT NULL,
    service_id    INTEGER NOT NULL,
    msisdn        TEXT NOT NULL,
    gb            INTEGER NOT NULL CHECK (gb BETWEEN 1 AND 50),
    amount_jpy    INTEGER NOT NULL,
    invoice_id    INTEGER,
    state         TEXT NOT NULL
        CHECK (state IN ('requested', 'invoiced', 'paid', 'applied', 'failed')),
    failure       TEXT,
    remaining_mb  INTEGER,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
);

-- A line's history, newest first.
CREATE INDEX sim_topups_by_line ON sim_topups (user_id, msisdn, created_at_ms);
