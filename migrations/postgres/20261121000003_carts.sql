-- Shopping carts (issue 5). One row per user who ever had a cart; `revision` changes with
-- every edit, so a confirmation page can prove the cart it showed is the one being ordered,
-- and it keys the CRM order (a double submit finds the same order).
CREATE TABLE carts (
    user_id       TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    revision      TEXT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);

-- The chosen products (plans and options; activation fees are derived, never stored).
CREATE TABLE cart_lines (
    user_id    TEXT NOT NULL REFERENCES carts (user_id) ON DELETE CASCADE,
    product_id TEXT NOT NULL,
    quantity   BIGINT NOT NULL CHECK (quantity BETWEEN 1 AND 10),
    position   BIGINT NOT NULL,
    PRIMARY KEY (user_id, product_id)
);
