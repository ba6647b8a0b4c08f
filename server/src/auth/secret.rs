//! Token secrets: 256 random bits, shown once; only their SHA-256 is
//! stored. A plain hash is enough because the secret is random and long
//! (no dictionary to try), unlike a password.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Every secret starts with this, so a leaked one is easy to recognise
/// (and to search for in code and logs).
pub const PREFIX: &str = "sbt_";
/// Characters of the secret kept as its hint: the prefix and 8 more.
const HINT_CHARS: usize = PREFIX.len() + 8;

/// A new secret: the prefix and 43 URL-safe characters.
pub fn generate() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// What is stored in place of `secret`.
pub fn digest(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// The beginning of `secret`, safe to show in lists.
pub fn hint(secret: &str) -> String {
    secret.chars().take(HINT_CHARS).collect()
}

/// Compares two digests in time independent of where they differ.
pub fn same(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_prefixed_long_and_distinct() {
        let a = generate().unwrap();
        let b = generate().unwrap();
        assert!(a.starts_with(PREFIX) && a.len() == PREFIX.len() + 43, "{a}");
        assert_ne!(a, b);
        assert!(a[PREFIX.len()..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }

    #[test]
    fn digests_match_only_their_secret() {
        let s = generate().unwrap();
        assert!(same(&digest(&s), &digest(&s)));
        assert!(!same(&digest(&s), &digest(&format!("{s}x"))));
        assert_eq!(hint(&s).len(), 12);
        assert!(s.starts_with(&hint(&s)));
    }
}
