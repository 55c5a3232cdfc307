//! Persistence of shopping carts: per user, the chosen products with their quantities and a
//! revision that changes with every edit (see [`crate::domain::cart::Cart::revision`]). Kept in
//! the SQL store so a cart survives reloads, sign-outs and instance restarts, and every
//! instance sees the same cart.

use super::StoreError;
use crate::domain::cart::CartChoice;
use async_trait::async_trait;

/// A stored cart.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CartRecord {
    /// Empty for a user who never had a cart.
    pub revision: String,
    /// Choices in the order they were first added.
    pub choices: Vec<CartChoice>,
}

/// What happened to a conditional cart write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CartWrite {
    /// Written; the cart now has the new revision.
    Written,
    /// The cart was changed meanwhile (its revision is not the one expected); nothing written.
    Stale,
}

/// Cart operations.
#[async_trait]
pub trait CartStore {
    /// The user's cart (empty with an empty revision if they never had one).
    async fn cart(&self, user_id: &str) -> Result<CartRecord, StoreError>;

    /// Replaces the user's choices with `choices` and sets `new_revision`, in one transaction,
    /// only if the cart's revision is still `expected` (empty for a user without a cart):
    /// concurrent edits from two tabs cannot silently overwrite each other.
    async fn replace_cart(
        &self,
        user_id: &str,
        expected: &str,
        choices: &[CartChoice],
        new_revision: &str,
        now_ms: i64,
    ) -> Result<CartWrite, StoreError>;
}
