//! Alerting on the server: rules evaluated on a schedule through the
//! query engine, one state machine per alert instance, transitions kept
//! as the state history.
//!
//! - `reading`: a rule's query, and its answer as one reading per instance.
//! - `table`: the instances in memory, stepped by readings.
//! - `rounds`: which rules are due, evaluated together, changes stored.
//!
//! [`Alerts`] is the handle the routes and the scheduler share.

mod reading;
mod rounds;
mod table;

pub use reading::{reduce, ALERT_NAME, SERIES_LABEL};
pub use rounds::{spawn, RoundReport};

use crate::query::QueryService;
use crate::store::Store;
use app::model::AlertInstance;
use rounds::Schedule;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use table::InstanceTable;

/// A cheap `Clone` handle. The schedule (rules and when each is due) is
/// used by one round at a time, behind an async mutex held across the
/// round's queries; the instance table is behind a plain mutex held only
/// for pure steps and copies, so listing instances never waits for a
/// round's queries.
#[derive(Clone)]
pub struct Alerts {
    shared: Arc<Shared>,
}

struct Shared {
    store: Store,
    queries: QueryService,
    /// Bumped whenever rules change; a round reloads them when it moved.
    rules_version: AtomicU64,
    schedule: tokio::sync::Mutex<Schedule>,
    table: Mutex<Option<InstanceTable>>,
    figures: rounds::Figures,
}

impl Alerts {
    pub fn new(store: Store, queries: QueryService) -> Self {
        Alerts {
            shared: Arc::new(Shared {
                store,
                queries,
                rules_version: AtomicU64::new(1),
                schedule: tokio::sync::Mutex::new(Schedule::default()),
                table: Mutex::new(None),
                figures: rounds::Figures::default(),
            }),
        }
    }

    /// Tells the scheduler that rules were created, changed or deleted.
    pub fn rules_changed(&self) {
        self.shared.rules_version.fetch_add(1, Ordering::Release);
    }

    /// Every instance with its state now, by rule then labels.
    pub fn instances(&self) -> Vec<AlertInstance> {
        let names = self.shared.figures.rule_names();
        self.with_table(|t| t.list(|id| names.get(&id).cloned()))
            .unwrap_or_default()
    }

    /// How many instances are in each state.
    pub fn census(&self) -> std::collections::BTreeMap<&'static str, u64> {
        self.with_table(|t| t.census()).unwrap_or_default()
    }

    /// The figures `/metrics` reports.
    pub fn figures(&self) -> &rounds::Figures {
        &self.shared.figures
    }

    fn with_table<T>(&self, f: impl FnOnce(&mut InstanceTable) -> T) -> Option<T> {
        let mut guard = self.shared.table.lock().unwrap_or_else(PoisonError::into_inner);
        guard.as_mut().map(f)
    }
}
