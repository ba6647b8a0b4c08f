//! Alert rules: rows of `alert_rules`, each the checked draft as JSON.
//! Deleting a rule deletes its instances; its history stays until
//! retention takes it.

use super::{Store, StoreError};
use app::model::{AlertRule, AlertRuleDraft};
use rusqlite::{params, Connection, OptionalExtension, Row};

impl Store {
    /// Every rule, by id.
    pub async fn alert_rules(&self) -> Result<Vec<AlertRule>, StoreError> {
        self.on_reader(|conn| {
            let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM alert_rules ORDER BY id"))?;
            let rows = stmt.query_map([], row)?;
            rows.map(|r| decode(r?)).collect()
        })
        .await
    }

    /// Rule `id`, if there is one.
    pub async fn alert_rule(&self, id: i64) -> Result<Option<AlertRule>, StoreError> {
        self.on_reader(move |conn| one(conn, id)).await
    }

    /// Stores a new rule (checked by the caller).
    pub async fn create_alert_rule(&self, rule: AlertRuleDraft) -> Result<AlertRule, StoreError> {
        let now = crate::clock::now_ms();
        self.on_writer(move |conn| {
            let spec = serde_json::to_string(&rule)?;
            conn.prepare_cached("INSERT INTO alert_rules (name, spec, updated_ms) VALUES (?1, ?2, ?3)")?
                .execute(params![rule.name, spec, now])?;
            one(conn, conn.last_insert_rowid())?.ok_or_else(|| StoreError::Failed("a new rule vanished".into()))
        })
        .await
    }

    /// Replaces rule `id`, forgetting its instances (the rule may watch
    /// other series now); `None` when there is no such rule.
    pub async fn replace_alert_rule(&self, id: i64, rule: AlertRuleDraft) -> Result<Option<AlertRule>, StoreError> {
        let now = crate::clock::now_ms();
        self.on_writer(move |conn| {
            let spec = serde_json::to_string(&rule)?;
            let tx = conn.transaction()?;
            let changed = tx
                .prepare_cached("UPDATE alert_rules SET name = ?2, spec = ?3, updated_ms = ?4 WHERE id = ?1")?
                .execute(params![id, rule.name, spec, now])?;
            if changed == 0 {
                return Ok(None);
            }
            tx.prepare_cached("DELETE FROM alert_instances WHERE rule_id = ?1")?
                .execute([id])?;
            let stored = one(&tx, id)?;
            tx.commit()?;
            Ok(stored)
        })
        .await
    }

    /// Deletes rule `id` and its instances; false when there was none.
    pub async fn delete_alert_rule(&self, id: i64) -> Result<bool, StoreError> {
        self.on_writer(move |conn| {
            let tx = conn.transaction()?;
            let gone = tx
                .prepare_cached("DELETE FROM alert_rules WHERE id = ?1")?
                .execute([id])?
                > 0;
            tx.prepare_cached("DELETE FROM alert_instances WHERE rule_id = ?1")?
                .execute([id])?;
            tx.commit()?;
            Ok(gone)
        })
        .await
    }
}

const COLUMNS: &str = "id, spec, updated_ms";

fn one(conn: &Connection, id: i64) -> Result<Option<AlertRule>, StoreError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM alert_rules WHERE id = ?1"))?
        .query_row([id], row)
        .optional()?
        .map(decode)
        .transpose()
}

fn row(r: &Row) -> rusqlite::Result<(i64, String, i64)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

fn decode((id, spec, updated): (i64, String, i64)) -> Result<AlertRule, StoreError> {
    Ok(AlertRule {
        id,
        rule: serde_json::from_str(&spec)?,
        updated,
    })
}
