//! Contact points (`contact_points`, each the checked draft as JSON) and
//! the delivery log (`alert_deliveries`).

use super::{Store, StoreError};
use app::model::{AlertDelivery, ContactPoint, ContactPointDraft, MAX_DELIVERIES};
use rusqlite::{params, Connection, OptionalExtension, Row};

/// One attempt to record in the delivery log.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDelivery {
    pub time: i64,
    pub contact_point: i64,
    pub rule: Option<i64>,
    pub event: &'static str,
    pub attempt: u32,
    pub ok: bool,
    pub answer: String,
}

impl Store {
    /// Every contact point, by id.
    pub async fn contact_points(&self) -> Result<Vec<ContactPoint>, StoreError> {
        self.on_reader(|conn| {
            let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM contact_points ORDER BY id"))?;
            let rows = stmt.query_map([], row)?;
            rows.map(|r| decode(r?)).collect()
        })
        .await
    }

    /// Contact point `id`, if there is one.
    pub async fn contact_point(&self, id: i64) -> Result<Option<ContactPoint>, StoreError> {
        self.on_reader(move |conn| one(conn, id)).await
    }

    /// Stores a new contact point (checked by the caller).
    pub async fn create_contact_point(&self, point: ContactPointDraft) -> Result<ContactPoint, StoreError> {
        let now = crate::clock::now_ms();
        self.on_writer(move |conn| {
            let spec = serde_json::to_string(&point)?;
            conn.prepare_cached("INSERT INTO contact_points (name, spec, updated_ms) VALUES (?1, ?2, ?3)")?
                .execute(params![point.name, spec, now])?;
            one(conn, conn.last_insert_rowid())?
                .ok_or_else(|| StoreError::Failed("a new contact point vanished".into()))
        })
        .await
    }

    /// Replaces contact point `id`; `None` when there is none.
    pub async fn replace_contact_point(
        &self,
        id: i64,
        point: ContactPointDraft,
    ) -> Result<Option<ContactPoint>, StoreError> {
        let now = crate::clock::now_ms();
        self.on_writer(move |conn| {
            let spec = serde_json::to_string(&point)?;
            let changed = conn
                .prepare_cached("UPDATE contact_points SET name = ?2, spec = ?3, updated_ms = ?4 WHERE id = ?1")?
                .execute(params![id, point.name, spec, now])?;
            if changed == 0 {
                return Ok(None);
            }
            one(conn, id)
        })
        .await
    }

    /// Deletes contact point `id`; false when there was none.
    pub async fn delete_contact_point(&self, id: i64) -> Result<bool, StoreError> {
        self.on_writer(move |conn| {
            Ok(conn
                .prepare_cached("DELETE FROM contact_points WHERE id = ?1")?
                .execute([id])?
                > 0)
        })
        .await
    }

    /// Adds attempts to the delivery log.
    pub async fn record_deliveries(&self, attempts: Vec<NewDelivery>) -> Result<(), StoreError> {
        self.on_writer(move |conn| {
            let tx = conn.transaction()?;
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO alert_deliveries (time_ms, contact_point_id, rule_id, event, attempt, ok, answer)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?;
                for a in &attempts {
                    insert.execute(params![
                        a.time,
                        a.contact_point,
                        a.rule,
                        a.event,
                        a.attempt,
                        a.ok,
                        a.answer
                    ])?;
                }
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// The newest deliveries in `[from, to]`, of one contact point or of
    /// all, newest first, at most [`MAX_DELIVERIES`].
    pub async fn deliveries(
        &self,
        contact_point: Option<i64>,
        from: i64,
        to: i64,
    ) -> Result<Vec<AlertDelivery>, StoreError> {
        self.on_reader(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, time_ms, contact_point_id, rule_id, event, attempt, ok, answer FROM alert_deliveries
                 WHERE time_ms BETWEEN ?1 AND ?2 AND (?3 IS NULL OR contact_point_id = ?3)
                 ORDER BY time_ms DESC, id DESC LIMIT ?4",
            )?;
            let rows = stmt.query_map(params![from, to, contact_point, MAX_DELIVERIES as i64], |r| {
                Ok(AlertDelivery {
                    id: r.get(0)?,
                    time: r.get(1)?,
                    contact_point: r.get(2)?,
                    rule: r.get(3)?,
                    event: r.get(4)?,
                    attempt: r.get(5)?,
                    ok: r.get(6)?,
                    answer: r.get(7)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }
}

/// Deletes the delivery log before `cut`.
pub(crate) fn expire_deliveries(conn: &Connection, cut: i64) -> Result<usize, StoreError> {
    Ok(conn
        .prepare_cached("DELETE FROM alert_deliveries WHERE time_ms < ?1")?
        .execute([cut])?)
}

const COLUMNS: &str = "id, spec, updated_ms";

fn one(conn: &Connection, id: i64) -> Result<Option<ContactPoint>, StoreError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM contact_points WHERE id = ?1"))?
        .query_row([id], row)
        .optional()?
        .map(decode)
        .transpose()
}

fn row(r: &Row) -> rusqlite::Result<(i64, String, i64)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

fn decode((id, spec, updated): (i64, String, i64)) -> Result<ContactPoint, StoreError> {
    Ok(ContactPoint {
        id,
        point: serde_json::from_str(&spec)?,
        updated,
    })
}
