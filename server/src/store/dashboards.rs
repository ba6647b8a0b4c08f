//! Dashboards: rows of the `dashboards` table, panels kept as one JSON
//! array since they are always read and written whole. Writes go through
//! the writer connection like every other write.

use super::{Store, StoreError};
use app::model::{Dashboard, DashboardDraft, PanelSpec, Thresholds, MAX_PANEL_SERIES, SYSTEM_PREFIX};
use rusqlite::{params, Connection, OptionalExtension, Row};

/// Panels of the dashboard made when none exists.
const DEFAULT_PANELS: usize = 12;
/// Title of that dashboard.
pub const DEFAULT_TITLE: &str = "Overview";

impl Store {
    /// Every dashboard, oldest first. When there is none but some series
    /// exist, a default one is made first (see [`default_panels`]).
    pub async fn dashboards(&self) -> Result<Vec<Dashboard>, StoreError> {
        let list = self.read_now(all).await?;
        if !list.is_empty() {
            return Ok(list);
        }
        // The default is made from the series, which applied batches create.
        self.flush().await?;
        let now = crate::clock::now_ms();
        self.write(move |conn| {
            let tx = conn.transaction()?;
            // Checked again in the write transaction: two first visits
            // must not make two defaults.
            if all(&tx)?.is_empty() {
                let panels = default_panels(&series_names(&tx)?);
                if !panels.is_empty() {
                    insert(&tx, DEFAULT_TITLE, &panels, now)?;
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
        self.read_now(move |conn| one(conn, id)).await
    }

    /// Stores a new dashboard made from `draft` (already validated).
    pub async fn create_dashboard(&self, draft: DashboardDraft) -> Result<Dashboard, StoreError> {
        let now = crate::clock::now_ms();
        self.write(move |conn| {
            let id = insert(conn, &draft.title, &draft.panels, now)?;
            one(conn, id)?.ok_or_else(|| StoreError::Failed("a new dashboard vanished".into()))
        })
        .await
    }

    /// Replaces dashboard `id` with `draft`; `None` when there is no such
    /// dashboard.
    pub async fn replace_dashboard(&self, id: i64, draft: DashboardDraft) -> Result<Option<Dashboard>, StoreError> {
        let now = crate::clock::now_ms();
        self.write(move |conn| {
            let panels = serde_json::to_string(&draft.panels)?;
            let changed = conn
                .prepare_cached("UPDATE dashboards SET title = ?2, panels = ?3, updated_ms = ?4 WHERE id = ?1")?
                .execute(params![id, draft.title, panels, now])?;
            if changed == 0 {
                return Ok(None);
            }
            one(conn, id)
        })
        .await
    }

    /// Deletes dashboard `id`; false when there was none.
    pub async fn delete_dashboard(&self, id: i64) -> Result<bool, StoreError> {
        self.write(move |conn| {
            Ok(conn
                .prepare_cached("DELETE FROM dashboards WHERE id = ?1")?
                .execute([id])?
                > 0)
        })
        .await
    }
}

/// One panel per series name (in key order), each charting up to
/// [`MAX_PANEL_SERIES`] of that name's series, so `cpu.idle{cpu="0"}` and
/// `cpu.idle{cpu="1"}` share a chart; at most [`DEFAULT_PANELS`] panels.
pub fn default_panels(series: &[(String, String)]) -> Vec<PanelSpec> {
    let mut panels: Vec<PanelSpec> = Vec::new();
    // The server's own figures have the System page.
    let series = series.iter().filter(|(_, name)| !name.starts_with(SYSTEM_PREFIX));
    for (key, name) in series {
        if let Some(p) = panels.last_mut().filter(|p| p.title == *name) {
            if p.series.len() < MAX_PANEL_SERIES {
                p.series.push(key.clone());
            }
            continue;
        }
        if panels.len() == DEFAULT_PANELS {
            break;
        }
        panels.push(PanelSpec {
            title: name.clone(),
            series: vec![key.clone()],
            unit: None,
            thresholds: Thresholds::default(),
        });
    }
    panels
}

/// `(key, name)` of every series, in key order.
fn series_names(conn: &Connection) -> Result<Vec<(String, String)>, StoreError> {
    let mut stmt = conn.prepare("SELECT key, name FROM series ORDER BY key")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn insert(conn: &Connection, title: &str, panels: &[PanelSpec], now: i64) -> Result<i64, StoreError> {
    let panels = serde_json::to_string(panels)?;
    conn.prepare_cached("INSERT INTO dashboards (title, panels, updated_ms) VALUES (?1, ?2, ?3)")?
        .execute(params![title, panels, now])?;
    Ok(conn.last_insert_rowid())
}

const COLUMNS: &str = "id, title, panels, updated_ms";

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

type RawRow = (i64, String, String, i64);

fn row(r: &Row) -> rusqlite::Result<RawRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn decode((id, title, panels, updated): RawRow) -> Result<Dashboard, StoreError> {
    Ok(Dashboard {
        id,
        title,
        panels: serde_json::from_str(&panels)?,
        updated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, n)| (k.to_string(), n.to_string())).collect()
    }

    #[test]
    fn default_panels_group_series_by_name() {
        let panels = default_panels(&names(&[
            ("a", "a"),
            ("sensorboard.http.requests_per_s", "sensorboard.http.requests_per_s"),
            ("cpu{cpu=\"0\"}", "cpu"),
            ("cpu{cpu=\"1\"}", "cpu"),
            ("z", "z"),
        ]));
        let got: Vec<(&str, usize)> = panels.iter().map(|p| (p.title.as_str(), p.series.len())).collect();
        assert_eq!(got, [("a", 1), ("cpu", 2), ("z", 1)]);
        assert_eq!(panels[1].series[1], "cpu{cpu=\"1\"}");
    }

    #[test]
    fn default_panels_are_bounded() {
        let many: Vec<(String, String)> = (0..100).map(|i| (format!("s{i:03}"), format!("s{i:03}"))).collect();
        assert_eq!(default_panels(&many).len(), DEFAULT_PANELS);
        let wide: Vec<(String, String)> = (0..20).map(|i| (format!("m{{i=\"{i:02}\"}}"), "m".into())).collect();
        let panels = default_panels(&wide);
        assert_eq!((panels.len(), panels[0].series.len()), (1, MAX_PANEL_SERIES));
        assert!(default_panels(&[]).is_empty());
    }
}
