//! Annotations: rows of the `annotations` table, read by the window they
//! overlap. A dashboard's annotations go with it.

use super::{Store, StoreError};
use app::model::{Annotation, CheckedAnnotation, MAX_ANNOTATIONS};
use rusqlite::{params, Connection, OptionalExtension, Row};

impl Store {
    /// The annotations overlapping `[from, to]` that belong to `dashboard`
    /// or to every dashboard (all of them when `dashboard` is none), by
    /// time, at most [`MAX_ANNOTATIONS`].
    pub async fn annotations(&self, dashboard: Option<i64>, from: i64, to: i64) -> Result<Vec<Annotation>, StoreError> {
        self.on_reader(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM annotations
                 WHERE time_ms <= ?2 AND end_ms >= ?1
                   AND (?3 IS NULL OR dashboard_id IS NULL OR dashboard_id = ?3)
                 ORDER BY time_ms, id LIMIT ?4"
            ))?;
            let rows = stmt.query_map(params![from, to, dashboard, MAX_ANNOTATIONS as i64], row)?;
            rows.map(|r| decode(r?)).collect()
        })
        .await
    }

    /// Stores a new annotation.
    pub async fn create_annotation(&self, a: CheckedAnnotation) -> Result<Annotation, StoreError> {
        let now = crate::clock::now_ms();
        self.on_writer(move |conn| {
            let tags = serde_json::to_string(&a.tags)?;
            conn.prepare_cached(
                "INSERT INTO annotations (dashboard_id, time_ms, end_ms, text, tags, updated_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![a.dashboard, a.time, a.end, a.text, tags, now])?;
            one(conn, conn.last_insert_rowid())?.ok_or_else(|| StoreError::Failed("a new annotation vanished".into()))
        })
        .await
    }

    /// Replaces annotation `id`; `None` when there is none.
    pub async fn replace_annotation(&self, id: i64, a: CheckedAnnotation) -> Result<Option<Annotation>, StoreError> {
        let now = crate::clock::now_ms();
        self.on_writer(move |conn| {
            let tags = serde_json::to_string(&a.tags)?;
            let changed = conn
                .prepare_cached(
                    "UPDATE annotations SET dashboard_id = ?2, time_ms = ?3, end_ms = ?4, text = ?5, tags = ?6,
                     updated_ms = ?7 WHERE id = ?1",
                )?
                .execute(params![id, a.dashboard, a.time, a.end, a.text, tags, now])?;
            if changed == 0 {
                return Ok(None);
            }
            one(conn, id)
        })
        .await
    }

    /// Deletes annotation `id`; false when there was none.
    pub async fn delete_annotation(&self, id: i64) -> Result<bool, StoreError> {
        self.on_writer(move |conn| {
            Ok(conn
                .prepare_cached("DELETE FROM annotations WHERE id = ?1")?
                .execute([id])?
                > 0)
        })
        .await
    }
}

/// Deletes the annotations of dashboard `id`, as it goes.
pub(super) fn delete_of_dashboard(conn: &Connection, id: i64) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM annotations WHERE dashboard_id = ?1")?
        .execute([id])?;
    Ok(())
}

const COLUMNS: &str = "id, dashboard_id, time_ms, end_ms, text, tags, updated_ms";

fn one(conn: &Connection, id: i64) -> Result<Option<Annotation>, StoreError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM annotations WHERE id = ?1"))?
        .query_row([id], row)
        .optional()?
        .map(decode)
        .transpose()
}

type RawRow = (i64, Option<i64>, i64, i64, String, String, i64);

fn row(r: &Row) -> rusqlite::Result<RawRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

fn decode((id, dashboard, time, end, text, tags, updated): RawRow) -> Result<Annotation, StoreError> {
    Ok(Annotation {
        series: Vec::new(),
        alert: None,
        id,
        dashboard,
        time,
        end,
        text,
        tags: serde_json::from_str(&tags)?,
        updated,
    })
}
