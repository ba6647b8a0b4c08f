//! Versioned migrations, applied in order at start-up. The version lives in
//! `PRAGMA user_version`; each step runs in its own transaction.

use super::StoreError;
use rusqlite::Connection;

/// Index `i` migrates version `i` to `i + 1`. Append only; never edit.
const MIGRATIONS: &[&str] = &[
    // 1: series catalogue and one row per point.
    "CREATE TABLE series (
        id          INTEGER PRIMARY KEY,
        key         TEXT NOT NULL UNIQUE,
        name        TEXT NOT NULL,
        labels      TEXT NOT NULL,
        unit        TEXT,
        created_ms  INTEGER NOT NULL,
        first_t     INTEGER,
        last_t      INTEGER,
        last_v      REAL,
        count       INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE points (
        series_id   INTEGER NOT NULL REFERENCES series(id),
        t           INTEGER NOT NULL,
        v           REAL NOT NULL,
        PRIMARY KEY (series_id, t)
    ) WITHOUT ROWID;",
];

/// The version a fully migrated database has.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > LATEST {
        return Err(StoreError::SchemaTooNew { found, known: LATEST });
    }
    for (version, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version as i64 + 1)?;
        tx.commit()?;
        tracing::info!(version = version + 1, "database migrated");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_once_and_is_idempotent() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, LATEST);
    }

    #[test]
    fn refuses_a_newer_schema() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", LATEST + 1).unwrap();
        assert!(matches!(migrate(&mut conn), Err(StoreError::SchemaTooNew { .. })));
    }
}
