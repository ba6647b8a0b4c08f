//! Making a token, for the command line and the admin API alike.

use super::{secret, Scopes};
use crate::batch::is_deceptive;
use crate::store::{Store, StoreError, StoredToken};

/// Longest token name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("name: {0}")]
    InvalidName(&'static str),
    #[error("scopes: name at least one of read, write, admin")]
    NoScope,
    #[error("cannot draw random bytes for the secret: {0}")]
    Random(getrandom::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A new token named `name` with `scopes`: its secret, to be shown once
/// and never again, and the stored row (which holds only its hash).
pub async fn issue(store: &Store, name: &str, scopes: Scopes) -> Result<(String, StoredToken), IssueError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(IssueError::InvalidName("must not be empty"));
    }
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(|c| c.is_control() || is_deceptive(c)) {
        return Err(IssueError::InvalidName(
            "at most 100 characters, none of them control characters, bidirectional overrides or invisible ones",
        ));
    }
    if scopes.is_empty() {
        return Err(IssueError::NoScope);
    }
    let secret = secret::generate().map_err(IssueError::Random)?;
    let stored = store
        .create_token(name.to_owned(), scopes, secret::digest(&secret), secret::hint(&secret))
        .await?;
    Ok((secret, stored))
}
