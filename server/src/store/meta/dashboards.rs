//! Dashboards: rows of the `dashboards` table, panels kept as one JSON
//! array since they are always read and written whole. Writes go through
//! the writer connection like every other write.

use super::{Store, StoreError};
use app::model::{Dashboard, DashboardDraft};
use rusqlite::{params, Connection, OptionalExtension, Row};

/// Makes the first dashboard from the `(key, name)` of every series, in
/// key order, or none (e.g. `app::domain::first_dashboard`).
pub type FirstDashboard = fn(&[(String, String)]) -> Option<DashboardDraft>;

impl Store {
    /// Every dashboard, oldest first. When there is none, `first` may make
    /// one from the series stored: made and listed in one transaction, so
    /// two first visits do not make two.
    pub async fn dashboards(&self, first: FirstDashboard) -> Result<Vec<Dashboard>, StoreError> {
        let list = self.on_reader(all).await?;
        if !list.is_empty() {
            return Ok(list);
        }
        // The first is made from the series, which exist once their first
        // batch is logged.
        let now = crate::clock::now_ms();
        self.on_writer(move |conn| {
            let tx = conn.transaction()?;
            // Checked again in the write transaction: two first visits
            // must not make two.
            if all(&tx)?.is_empty() {
                if let Some(draft) = first(&series_names(&tx)?) {
                    insert(&tx, &draft, now)?;
                }
            }
            let list = all(&tx)?;
            tx.commit()?;
            Ok(list)
        })
        .await
    }

    /// The dashboard `id`, if it exists.
    pub async fn dashboard(&self, id: i64) -> Result<Option<Dashboard>, StoreError> {
        self.on_reader(move |conn| one(conn, id)).await
    }

    /// Stores a new dashboard made from `draft` (already validated).
    pub async fn create_dashboard(&self, draft: DashboardDraft) -> Result<Dashboard, StoreError> {
        let now = crate::clock::now_ms();
        self.on_writer(move |conn| {
            let id = insert(conn, &draft, now)?;
            one(conn, id)?.ok_or_else(|| StoreError::Failed("a new dashboard vanished".into()))
        })
        .await
    }

    /// Replaces dashboard `id` with `draft`; `None` when there is no such
    /// dashboard.
    pub async fn replace_dashboard(&self, id: i64, draft: DashboardDraft) -> Result<Option<Dashboard>, StoreError> {
        let now = crate::clock::now_ms();
        self.on_writer(move |conn| {
            let panels = serde_json::to_string(&draft.panels)?;
            let variables = serde_json::to_string(&draft.variables)?;
            let changed = conn
                .prepare_cached(
                    "UPDATE dashboards SET title = ?2, panels = ?3, variables = ?4, updated_ms = ?5 WHERE id = ?1",
                )?
                .execute(params![id, draft.title, panels, variables, now])?;
            if changed == 0 {
                return Ok(None);
            }
            one(conn, id)
        })
        .await
    }

    /// Deletes dashboard `id` and its annotations; false when there was
    /// no such dashboard.
    pub async fn delete_dashboard(&self, id: i64) -> Result<bool, StoreError> {
        self.on_writer(move |conn| {
            let tx = conn.transaction()?;
            let gone = tx
                .prepare_cached("DELETE FROM dashboards WHERE id = ?1")?
                .execute([id])?
                > 0;
            super::annotations::delete_of_dashboard(&tx, id)?;
            tx.commit()?;
            Ok(gone)
        })
        .await
    }
}

/// `(key, name)` of every series, in key order.
fn series_names(conn: &Connection) -> Result<Vec<(String, String)>, StoreError> {
    let mut stmt = conn.prepare("SELECT key, name FROM series ORDER BY key")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn insert(conn: &Connection, draft: &DashboardDraft, now: i64) -> Result<i64, StoreError> {
    let panels = serde_json::to_string(&draft.panels)?;
    let variables = serde_json::to_string(&draft.variables)?;
    conn.prepare_cached("INSERT INTO dashboards (title, panels, variables, updated_ms) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![draft.title, panels, variables, now])?;
    Ok(conn.last_insert_rowid())
}

const COLUMNS: &str = "id, title, panels, variables, updated_ms";

fn all(conn: &Connection) -> Result<Vec<Dashboard>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM dashboards ORDER BY id"))?;
    let rows = stmt.query_map([], row)?;
    rows.map(|r| decode(r?)).collect()
}

fn one(conn: &Connection, id: i64) -> Result<Option<Dashboard>, StoreError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM dashboards WHERE id = ?1"))?
        .query_row([id], row)
        .optional()?
        .map(decode)
        .transpose()
}

type RawRow = (i64, String, String, String, i64);

fn row(r: &Row) -> rusqlite::Result<RawRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn decode((id, title, panels, variables, updated): RawRow) -> Result<Dashboard, StoreError> {
    Ok(Dashboard {
        id,
        title,
        panels: serde_json::from_str(&panels)?,
        variables: serde_json::from_str(&variables)?,
        updated,
    })
}
