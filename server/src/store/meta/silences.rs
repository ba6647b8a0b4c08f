//! Silences: rows of `silences`, read whole (a server has a handful).

use super::{Store, StoreError};
use app::model::{CheckedSilence, Silence};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

impl Store {
    /// Every silence not yet ended at `now`, by start.
    pub async fn silences(&self, now: i64) -> Result<Vec<Silence>, StoreError> {
        self.on_reader(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM silences WHERE ends_ms > ?1 ORDER BY starts_ms, id"
            ))?;
            let rows = stmt.query_map([now], row)?;
            rows.map(|r| decode(r?)).collect()
        })
        .await
    }

    /// Stores a new silence.
    pub async fn create_silence(&self, s: CheckedSilence) -> Result<Silence, StoreError> {
        let now = crate::clock::now_ms();
        self.on_writer(move |conn| {
            let daily = s.daily.as_ref().map(serde_json::to_string).transpose()?;
            conn.prepare_cached(
                "INSERT INTO silences (matchers, starts_ms, ends_ms, created_by, comment, daily, updated_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                s.matchers,
                s.starts,
                s.ends,
                s.created_by,
                s.comment,
                daily,
                now
            ])?;
            one(conn, conn.last_insert_rowid())?.ok_or_else(|| StoreError::Failed("a new silence vanished".into()))
        })
        .await
    }

    /// Replaces silence `id`; `None` when there is none.
    pub async fn replace_silence(&self, id: i64, s: CheckedSilence) -> Result<Option<Silence>, StoreError> {
        let now = crate::clock::now_ms();
        self.on_writer(move |conn| {
            let daily = s.daily.as_ref().map(serde_json::to_string).transpose()?;
            let changed = conn
                .prepare_cached(
                    "UPDATE silences SET matchers = ?2, starts_ms = ?3, ends_ms = ?4, created_by = ?5, comment = ?6,
                     daily = ?7, updated_ms = ?8 WHERE id = ?1",
                )?
                .execute(params![
                    id,
                    s.matchers,
                    s.starts,
                    s.ends,
                    s.created_by,
                    s.comment,
                    daily,
                    now
                ])?;
            if changed == 0 {
                return Ok(None);
            }
            one(conn, id)
        })
        .await
    }

    /// Deletes silence `id`; false when there was none.
    pub async fn delete_silence(&self, id: i64) -> Result<bool, StoreError> {
        self.on_writer(move |conn| {
            Ok(conn
                .prepare_cached("DELETE FROM silences WHERE id = ?1")?
                .execute([id])?
                > 0)
        })
        .await
    }
}

/// Deletes the silences that ended before `cut`.
pub(crate) fn expire_silences(tx: &Transaction, cut: i64) -> Result<usize, StoreError> {
    Ok(tx
        .prepare_cached("DELETE FROM silences WHERE ends_ms < ?1")?
        .execute([cut])?)
}

const COLUMNS: &str = "id, matchers, starts_ms, ends_ms, created_by, comment, daily, updated_ms";

fn one(conn: &Connection, id: i64) -> Result<Option<Silence>, StoreError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM silences WHERE id = ?1"))?
        .query_row([id], row)
        .optional()?
        .map(decode)
        .transpose()
}

type RawRow = (i64, String, i64, i64, String, String, Option<String>, i64);

fn row(r: &Row) -> rusqlite::Result<RawRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
    ))
}

fn decode((id, matchers, starts, ends, created_by, comment, daily, updated): RawRow) -> Result<Silence, StoreError> {
    Ok(Silence {
        id,
        matchers,
        starts,
        ends,
        created_by,
        comment,
        daily: daily.as_deref().map(serde_json::from_str).transpose()?,
        updated,
    })
}
