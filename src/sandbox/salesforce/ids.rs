//! Record ids as the simulated org issues them: 15 case-sensitive characters (key prefix, a
//! pod-like `J5`, a counter) plus the 3-character case checksum of reference §0. Kept apart
//! from the adapter's own id code on purpose, so a checksum bug cannot hide on both sides.

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/// The checksum suffix of a 15-character id.
pub fn suffix(fifteen: &str) -> String {
    fifteen
        .as_bytes()
        .chunks(5)
        .map(|chunk| {
            let mut mask = 0usize;
            for (i, b) in chunk.iter().enumerate() {
                if b.is_ascii_uppercase() {
                    mask |= 1 << i;
                }
            }
            char::from(ALPHABET[mask & 31])
        })
        .collect()
}

/// A 15- or 18-character id in its 18-character form; `None` if it is not one (bad length,
/// characters, or checksum — the suffix's case does not matter).
pub fn normalize(id: &str) -> Option<String> {
    if !(id.len() == 15 || id.len() == 18) || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let base = &id[..15];
    let sum = suffix(base);
    if id.len() == 18 && !id[15..].eq_ignore_ascii_case(&sum) {
        return None;
    }
    Some(format!("{base}{sum}"))
}

/// The `n`th id of an object with this key prefix.
pub fn generate(prefix: &str, n: u64) -> String {
    const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut counter = [b'0'; 10];
    let mut rest = n;
    for slot in counter.iter_mut().rev() {
        *slot = DIGITS[(rest % 62) as usize];
        rest /= 62;
    }
    let base = format!("{prefix}J5{}", String::from_utf8_lossy(&counter));
    let sum = suffix(&base);
    format!("{base}{sum}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_vectors() {
        for (fifteen, eighteen) in [
            ("a0RE000000IJmcN", "a0RE000000IJmcNMAT"),
            ("a01M00000062mPg", "a01M00000062mPgIAI"),
            ("001M000000qfPyS", "001M000000qfPySIAU"),
            ("AbCdEfGhIjKlMnO", "AbCdEfGhIjKlMnOVKV"),
            ("aBcDEfgHIJKLMNO", "aBcDEfgHIJKLMNO025"),
            ("a0D30000001n7Pi", "a0D30000001n7PiEAI"),
        ] {
            assert_eq!(normalize(fifteen).as_deref(), Some(eighteen));
            assert_eq!(normalize(eighteen).as_deref(), Some(eighteen));
        }
        assert_eq!(normalize("a0RE000000IJmcNMAX"), None);
        assert_eq!(normalize("x"), None);
    }

    #[test]
    fn generated_ids_are_valid_and_distinct() {
        let a = generate("001", 1);
        let b = generate("001", 62);
        assert_eq!(a.len(), 18);
        assert!(a.starts_with("001"));
        assert_ne!(a, b);
        assert_eq!(normalize(&a), Some(a.clone()));
        assert_eq!(normalize(&b), Some(b));
    }
}
