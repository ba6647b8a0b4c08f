//! The stored tokens, held in memory for checking requests.

use super::secret;
use super::{Scope, Scopes};
use crate::store::{Store, StoreError};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long the tokens read from the database are trusted: a token
/// revoked by the command line (another process) stops working within it.
const FRESH_FOR: Duration = Duration::from_secs(2);
/// An unknown token re-reads the tokens when they are older than this, so
/// a token just created by the command line works at once, while a flood
/// of bad tokens costs at most a few reads a second.
const RECHECK_UNKNOWN_AFTER: Duration = Duration::from_millis(250);

/// Why a request may not go on.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("this needs a token with the `{}` scope: send `Authorization: Bearer <token>` (create one with `sensorboard token create --name <name> --scope {}`)", need.name(), need.name())]
    Missing { need: Scope },
    #[error("{0}")]
    Malformed(&'static str),
    #[error("the token is not valid: unknown or revoked")]
    Unknown,
    #[error("the token's scopes ({has}) do not include `{}`", need.name())]
    Insufficient { need: Scope, has: Scopes },
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug)]
struct Entry {
    id: i64,
    hash: [u8; 32],
    scopes: Scopes,
}

#[derive(Default)]
struct Held {
    tokens: Arc<[Entry]>,
    loaded: Option<Instant>,
}

/// A cheap `Clone` handle to the tokens in memory. The lock is held only
/// to swap or copy the `Arc` of the list, never across an `.await`.
#[derive(Clone)]
pub struct TokenSet {
    store: Store,
    held: Arc<RwLock<Held>>,
}

impl TokenSet {
    pub fn new(store: Store) -> Self {
        TokenSet {
            store,
            held: Arc::default(),
        }
    }

    /// The id of the token `presented` if it grants `need`.
    pub async fn check(&self, presented: &str, need: Scope) -> Result<i64, AuthError> {
        let digest = secret::digest(presented);
        let mut found = find(&self.current(FRESH_FOR).await?, &digest);
        if found.is_none() {
            found = find(&self.current(RECHECK_UNKNOWN_AFTER).await?, &digest);
        }
        let (id, scopes) = found.ok_or(AuthError::Unknown)?;
        if scopes.allows(need) {
            Ok(id)
        } else {
            Err(AuthError::Insufficient { need, has: scopes })
        }
    }

    /// Whether any token exists (read again when older than the usual
    /// freshness).
    pub async fn any(&self) -> Result<bool, AuthError> {
        Ok(!self.current(FRESH_FOR).await?.is_empty())
    }

    /// Makes the next check read the tokens again (after a change made
    /// through this process).
    pub fn forget(&self) {
        if let Ok(mut held) = self.held.write() {
            held.loaded = None;
        }
    }

    /// The tokens, read again when older than `max_age`.
    async fn current(&self, max_age: Duration) -> Result<Arc<[Entry]>, StoreError> {
        if let Ok(held) = self.held.read() {
            if held.loaded.is_some_and(|at| at.elapsed() < max_age) {
                return Ok(held.tokens.clone());
            }
        }
        let tokens: Arc<[Entry]> = self
            .store
            .tokens()
            .await?
            .into_iter()
            .map(|t| Entry {
                id: t.id,
                hash: t.hash,
                scopes: t.scopes,
            })
            .collect();
        if let Ok(mut held) = self.held.write() {
            *held = Held {
                tokens: tokens.clone(),
                loaded: Some(Instant::now()),
            };
        }
        Ok(tokens)
    }
}

/// Compares `digest` with every stored one, without stopping at a match,
/// so the time taken does not tell which token (if any) matched.
fn find(tokens: &[Entry], digest: &[u8; 32]) -> Option<(i64, Scopes)> {
    tokens.iter().fold(None, |found, t| {
        let here = secret::same(&t.hash, digest);
        found.or(here.then_some((t.id, t.scopes)))
    })
}
