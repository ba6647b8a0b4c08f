//! Access tokens: one row per token, holding the SHA-256 of its secret
//! (never the secret), its scopes as text (`read,write`), and a short hint
//! of its beginning so a person can tell tokens apart in a list.

use super::scope::Scopes;
use super::{Store, StoreError};
use rusqlite::{params, Connection, Row};

/// A token as stored; the secret itself is not recoverable from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredToken {
    pub id: i64,
    pub name: String,
    /// Stored as their comma-separated names; a name this binary does not
    /// know grants nothing.
    pub scopes: Scopes,
    /// SHA-256 of the secret.
    pub hash: [u8; 32],
    /// The secret's first characters, e.g. `sbt_Ab12Cd34`.
    pub hint: String,
    pub created_ms: i64,
}

impl Store {
    /// Stores a new token; the id comes back with the rest.
    pub async fn create_token(
        &self,
        name: String,
        scopes: Scopes,
        hash: [u8; 32],
        hint: String,
    ) -> Result<StoredToken, StoreError> {
        let created_ms = crate::clock::now_ms();
        self.on_writer(move |conn| {
            conn.prepare_cached(
                "INSERT INTO tokens (name, scopes, hash, hint, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![name, scopes.to_string(), hash.as_slice(), hint, created_ms])?;
            Ok(StoredToken {
                id: conn.last_insert_rowid(),
                name,
                scopes,
                hash,
                hint,
                created_ms,
            })
        })
        .await
    }

    /// Every token, oldest first.
    pub async fn tokens(&self) -> Result<Vec<StoredToken>, StoreError> {
        self.on_reader(all_tokens).await
    }

    /// Deletes token `id`, which stops working at once; false when there
    /// was none.
    pub async fn revoke_token(&self, id: i64) -> Result<bool, StoreError> {
        self.on_writer(move |conn| Ok(conn.prepare_cached("DELETE FROM tokens WHERE id = ?1")?.execute([id])? > 0))
            .await
    }
}

fn all_tokens(conn: &Connection) -> Result<Vec<StoredToken>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT id, name, scopes, hash, hint, created_ms FROM tokens ORDER BY id")?;
    let rows = stmt.query_map([], row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn row(r: &Row) -> rusqlite::Result<StoredToken> {
    let hash: Vec<u8> = r.get(3)?;
    let scopes: String = r.get(2)?;
    Ok(StoredToken {
        id: r.get(0)?,
        name: r.get(1)?,
        scopes: Scopes::parse(&scopes).unwrap_or_default(),
        // A hash of another length matches no presented token.
        hash: hash.try_into().unwrap_or([0; 32]),
        hint: r.get(4)?,
        created_ms: r.get(5)?,
    })
}
