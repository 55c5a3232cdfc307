//! [`CartStore`](super::CartStore) for both SQL backends from one body (the queries use only
//! what SQLite and PostgreSQL share), like [`accounts_sql`](super::accounts_sql).

/// Implements `CartStore` for a store type with a `pool` field.
macro_rules! impl_cart_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::server::store::CartStore for $store {
            async fn cart(
                &self,
                user_id: &str,
            ) -> Result<$crate::server::store::CartRecord, $crate::server::store::StoreError> {
                // One statement, so the revision and the lines come from one snapshot (a
                // concurrent checkout's clear is seen whole or not at all).
                let rows: Vec<(String, Option<String>, Option<i64>)> = sqlx::query_as(
                    "SELECT c.revision, l.product_id, l.quantity FROM carts c \
                     LEFT JOIN cart_lines l ON l.user_id = c.user_id \
                     WHERE c.user_id = $1 ORDER BY l.position",
                )
                .bind(user_id)
                .fetch_all(&self.pool)
                .await?;
                let revision = rows.first().map(|r| r.0.clone()).unwrap_or_default();
                Ok($crate::server::store::CartRecord {
                    revision,
                    choices: rows
                        .into_iter()
                        .filter_map(|(_, product_id, quantity)| {
                            Some($crate::domain::cart::CartChoice {
                                product_id: product_id?,
                                quantity: u32::try_from(quantity?).unwrap_or(0),
                            })
                        })
                        .collect(),
                })
            }

            async fn replace_cart(
                &self,
                user_id: &str,
                expected: &str,
                choices: &[$crate::domain::cart::CartChoice],
                new_revision: &str,
                now_ms: i64,
            ) -> Result<$crate::server::store::CartWrite, $crate::server::store::StoreError> {
                use $crate::server::store::CartWrite;
                let mut tx = self.pool.begin().await?;
                // The revision check and the write are one statement each way, so two
                // concurrent edits cannot both pass the check.
                let claimed = if expected.is_empty() {
                    sqlx::query(
                        "INSERT INTO carts (user_id, revision, updated_at_ms) VALUES ($1, $2, $3) \
                         ON CONFLICT (user_id) DO NOTHING",
                    )
                    .bind(user_id)
                    .bind(new_revision)
                    .bind(now_ms)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                } else {
                    sqlx::query(
                        "UPDATE carts SET revision = $1, updated_at_ms = $2 \
                         WHERE user_id = $3 AND revision = $4",
                    )
                    .bind(new_revision)
                    .bind(now_ms)
                    .bind(user_id)
                    .bind(expected)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                };
                if claimed != 1 {
                    tx.rollback().await?;
                    return Ok(CartWrite::Stale);
                }
                sqlx::query("DELETE FROM cart_lines WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                for (position, choice) in choices.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO cart_lines (user_id, product_id, quantity, position) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(user_id)
                    .bind(&choice.product_id)
                    .bind(i64::from(choice.quantity))
                    .bind(i64::try_from(position).unwrap_or(i64::MAX))
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(CartWrite::Written)
            }
        }
    };
}

pub(super) use impl_cart_store;
