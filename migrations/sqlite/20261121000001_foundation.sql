-- Leases: exactly one holder of a named role (e.g. the Pub/Sub subscriber) across instances.
CREATE TABLE leases (
    name          TEXT PRIMARY KEY NOT NULL,
    holder        TEXT NOT NULL,
    expires_at_ms INTEGER NOT NULL
);

-- Inbound deliveries (webhooks, events) already seen, so at-least-once delivery acts once.
CREATE TABLE inbound_deliveries (
    source         TEXT NOT NULL,
    event_id       TEXT NOT NULL,
    received_at_ms INTEGER NOT NULL,
    PRIMARY KEY (source, event_id)
);
CREATE INDEX inbound_deliveries_received ON inbound_deliveries (received_at_ms);
