//! Password hashing with argon2id (the crate's defaults: 19 MiB, 2 passes, as OWASP
//! recommends), on the blocking pool so a login never stalls the async workers.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::sync::OnceLock;

/// Hashes a password into a PHC string.
pub async fn hash(password: &str) -> anyhow::Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))
    })
    .await?
}

/// Whether `password` matches `phc`. A malformed hash never matches.
pub async fn verify(password: &str, phc: &str) -> bool {
    let (password, phc) = (password.to_owned(), phc.to_owned());
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&phc)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// Spends the same time as a real verification, for unknown emails, so response times do
/// not reveal which emails have accounts.
pub async fn verify_against_nothing(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = match DUMMY.get() {
        Some(hash) => hash.clone(),
        None => {
            // The hash of a random password nobody knows, made once per process.
            let made = hash(&super::secrets::random_token())
                .await
                .unwrap_or_default();
            DUMMY.get_or_init(|| made).clone()
        }
    };
    let _ = verify(password, &dummy).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_are_argon2id() {
        let h = hash("correct horse battery").await.expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h).await);
        assert!(!verify("wrong horse battery", &h).await);
        assert!(!verify("x", "not a hash").await);
        verify_against_nothing("x").await;
    }
}
