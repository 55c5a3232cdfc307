-- Order provisioning (issue 6).

-- The idempotency ledger: how far each CRM order's provisioning got. `stage` is the domain's
-- Stage as JSON; every change is a compare-and-set on the previous value, so two workers can
-- never both record a step.
CREATE TABLE provisioning_ledger (
    order_id      TEXT PRIMARY KEY NOT NULL,
    stage         TEXT NOT NULL,
    stage_name    TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);

-- The job queue of the SQL backend (the Redis backend keeps its own). At most one open
-- (ready or running) job per dedupe key; a running job whose lease expired is claimable again.
CREATE TABLE jobs (
    id             TEXT PRIMARY KEY NOT NULL,
    kind           TEXT NOT NULL,
    dedupe_key     TEXT NOT NULL,
    payload        TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('ready', 'running', 'done', 'dead')),
    attempts       BIGINT NOT NULL DEFAULT 0,
    max_attempts   BIGINT NOT NULL,
    run_at_ms      BIGINT NOT NULL,
    lease_holder   TEXT,
    lease_until_ms BIGINT,
    last_error     TEXT,
    enqueued_at_ms BIGINT NOT NULL,
    finished_at_ms BIGINT
);
CREATE UNIQUE INDEX jobs_open_key ON jobs (dedupe_key) WHERE state IN ('ready', 'running');
CREATE INDEX jobs_due ON jobs (state, run_at_ms);

-- Event stream checkpoints (the Pub/Sub replay id, hex), written in the same transaction as
-- the job an event enqueued.
CREATE TABLE event_checkpoints (
    subscription  TEXT PRIMARY KEY NOT NULL,
    replay_id     TEXT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);
