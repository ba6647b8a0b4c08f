//! The state of alert instances (`alert_instances`, one row per rule and
//! label set, written when the state changes, so a restart carries on
//! where it stopped) and the state history (`alert_history`, one row per
//! transition, read by window).

use super::{Store, StoreError};
use app::domain::AlertState;
use app::model::{AlertTransition, Labels, MAX_TRANSITIONS};
use rusqlite::{params, Row, Transaction};

/// An instance's state as stored: enough to carry on after a restart.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredInstance {
    pub rule: i64,
    pub labels: Labels,
    pub state: AlertState,
    pub value: Option<f64>,
    pub value_at: Option<i64>,
    /// What was last notified for it (see `alerts::notify`), so that a
    /// restart does not send it again.
    pub notified: Option<String>,
}

/// A transition to add to the history: `state` was entered at its `since`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTransition {
    pub rule: i64,
    pub labels: Labels,
    pub state: AlertState,
    pub previous: &'static str,
    pub value: Option<f64>,
}

/// What one evaluation round changed, written in one transaction.
#[derive(Debug, Default)]
pub struct AlertChanges {
    pub instances: Vec<StoredInstance>,
    /// Instances no longer watched (their series went away).
    pub gone: Vec<(i64, Labels)>,
    pub transitions: Vec<NewTransition>,
}

impl AlertChanges {
    pub fn is_empty(&self) -> bool {
        self.instances.is_empty() && self.gone.is_empty() && self.transitions.is_empty()
    }
}

impl Store {
    /// Every stored instance, by rule.
    pub async fn alert_instances(&self) -> Result<Vec<StoredInstance>, StoreError> {
        self.on_reader(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT rule_id, labels, state, value, value_at, notified FROM alert_instances ORDER BY rule_id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?;
            rows.map(|r| {
                let (rule, labels, state, value, value_at, notified) = r?;
                Ok(StoredInstance {
                    rule,
                    labels: serde_json::from_str(&labels)?,
                    state: serde_json::from_str(&state)?,
                    value,
                    value_at,
                    notified,
                })
            })
            .collect()
        })
        .await
    }

    /// Writes what an evaluation round changed, all or nothing.
    pub async fn record_alert_changes(&self, changes: AlertChanges) -> Result<(), StoreError> {
        if changes.is_empty() {
            return Ok(());
        }
        self.on_writer(move |conn| {
            let tx = conn.transaction()?;
            write_changes(&tx, &changes)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// The transitions in `[from, to]`, of rule `rule` or of all, oldest
    /// first, at most [`MAX_TRANSITIONS`] (the newest of them).
    pub async fn alert_history(
        &self,
        rule: Option<i64>,
        from: i64,
        to: i64,
    ) -> Result<Vec<AlertTransition>, StoreError> {
        self.on_reader(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, rule_id, labels, time_ms, state, previous, severity, value, message FROM (
                    SELECT * FROM alert_history
                    WHERE time_ms BETWEEN ?1 AND ?2 AND (?3 IS NULL OR rule_id = ?3)
                    ORDER BY time_ms DESC, id DESC LIMIT ?4
                 ) ORDER BY time_ms, id",
            )?;
            let rows = stmt.query_map(params![from, to, rule, MAX_TRANSITIONS as i64], history_row)?;
            rows.map(|r| r?).collect()
        })
        .await
    }
}

/// Deletes the history before `cut`; how many transitions went.
pub(crate) fn expire_history(tx: &Transaction, cut: i64) -> Result<usize, StoreError> {
    Ok(tx
        .prepare_cached("DELETE FROM alert_history WHERE time_ms < ?1")?
        .execute([cut])?)
}

fn write_changes(tx: &Transaction, changes: &AlertChanges) -> Result<(), StoreError> {
    let mut upsert = tx.prepare_cached(
        "INSERT INTO alert_instances (rule_id, labels, state, value, value_at, notified)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (rule_id, labels) DO UPDATE SET state = excluded.state, value = excluded.value,
            value_at = excluded.value_at, notified = excluded.notified",
    )?;
    for i in &changes.instances {
        let labels = serde_json::to_string(&i.labels)?;
        let state = serde_json::to_string(&i.state)?;
        upsert.execute(params![i.rule, labels, state, i.value, i.value_at, i.notified])?;
    }
    let mut delete = tx.prepare_cached("DELETE FROM alert_instances WHERE rule_id = ?1 AND labels = ?2")?;
    for (rule, labels) in &changes.gone {
        delete.execute(params![rule, serde_json::to_string(labels)?])?;
    }
    let mut insert = tx.prepare_cached(
        "INSERT INTO alert_history (rule_id, labels, time_ms, state, previous, severity, value, message)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for t in &changes.transitions {
        let severity = t.state.own_severity().map(|s| s.as_str().to_owned());
        let message = match &t.state {
            AlertState::Error { message, .. } => Some(message.clone()),
            _ => None,
        };
        insert.execute(params![
            t.rule,
            serde_json::to_string(&t.labels)?,
            t.state.since(),
            t.state.name(),
            t.previous,
            severity,
            t.value,
            message
        ])?;
    }
    Ok(())
}

fn history_row(r: &Row) -> rusqlite::Result<Result<AlertTransition, StoreError>> {
    let labels: String = r.get(2)?;
    let severity: Option<String> = r.get(6)?;
    let decoded = (|| {
        Ok(AlertTransition {
            id: r.get(0)?,
            rule: r.get(1)?,
            labels: serde_json::from_str(&labels)?,
            time: r.get(3)?,
            state: r.get(4)?,
            previous: r.get(5)?,
            severity: severity
                .map(|s| serde_json::from_value(serde_json::Value::String(s)))
                .transpose()?,
            value: r.get(7)?,
            message: r.get(8)?,
        })
    })();
    Ok(decoded)
}
