//! Alerting on the server: rules evaluated on a schedule through the
//! query engine, one state machine per alert instance, transitions kept
//! as the state history, notifications sent to contact points.
//!
//! - `reading`: a rule's query, and its answer as one reading per instance.
//! - `table`: the instances in memory, stepped by readings.
//! - `notice`: what a notification says, and when one is due.
//! - `payload`: the body each kind of contact point receives.
//! - [`preview`]: a rule replayed over the past and drawn.
//! - `rounds`: which rules are due, evaluated together, changes stored.
//! - `silencing`: which silence, if any, mutes an instance.
//! - `deliver`: notices sent, retried, logged; firing alerts refreshed.
//! - [`web_push`]: messages encrypted for browsers, and their VAPID token.
//!
//! [`Alerts`] is the handle the routes and both tasks share.

mod deliver;
mod notice;
mod payload;
pub mod preview;
mod reading;
mod rounds;
mod silencing;
mod table;
#[cfg(test)]
mod test_rule;
pub mod web_push;

pub use deliver::Retries;
pub use reading::{reduce, ALERT_NAME, SERIES_LABEL};
pub use rounds::RoundReport;

use crate::query::QueryService;
use crate::store::Store;
use app::model::{AlertInstance, CheckedRule, ContactPoint};
use deliver::Sender;
use notice::Notice;
use rounds::Schedule;
use rustc_hash::FxHashMap;
use silencing::Silences;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use table::InstanceTable;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

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
    /// Where the links in notifications point: the server as people reach it.
    public_url: String,
    sender: Sender,
    /// Bumped whenever rules change; a round reloads them when it moved.
    rules_version: AtomicU64,
    /// The same for silences.
    silences_version: AtomicU64,
    silences: Mutex<Silences>,
    schedule: tokio::sync::Mutex<Schedule>,
    table: Mutex<Option<InstanceTable>>,
    /// Where rounds put notices; none until delivery starts.
    notices: Mutex<Option<mpsc::Sender<Notice>>>,
    /// When each contact point last heard of each rule (for repeats).
    heard: Mutex<deliver::Heard>,
    figures: Arc<rounds::Figures>,
}

impl Alerts {
    /// The handle; nothing runs until [`spawn`] (or a test's rounds).
    pub fn new(store: Store, queries: QueryService, public_url: &str, retries: Retries) -> Self {
        let figures = Arc::new(rounds::Figures::default());
        Alerts {
            shared: Arc::new(Shared {
                sender: Sender::new(store.clone(), public_url, retries, figures.clone()),
                store,
                queries,
                public_url: public_url.trim_end_matches('/').to_owned(),
                rules_version: AtomicU64::new(1),
                silences_version: AtomicU64::new(1),
                silences: Mutex::new(Silences::default()),
                schedule: tokio::sync::Mutex::new(Schedule::default()),
                table: Mutex::new(None),
                notices: Mutex::new(None),
                heard: Mutex::default(),
                figures,
            }),
        }
    }

    /// Tells the scheduler that rules were created, changed or deleted.
    pub fn rules_changed(&self) {
        self.shared.rules_version.fetch_add(1, Ordering::Release);
    }

    /// Tells the scheduler that silences were created, changed or deleted.
    pub fn silences_changed(&self) {
        self.shared.silences_version.fetch_add(1, Ordering::Release);
    }

    /// Starts sending notices; rounds run by hand (tests) from then on
    /// notify too.
    pub fn start_delivery(&self, stop: watch::Receiver<bool>) -> JoinHandle<()> {
        let (tx, rx) = mpsc::channel(deliver::QUEUE);
        *self.shared.notices.lock().unwrap_or_else(PoisonError::into_inner) = Some(tx);
        deliver::spawn(self.clone(), rx, stop)
    }

    /// Sends a test notice to `point` now; whether it was taken (every
    /// attempt is in the delivery log).
    pub async fn send_test(&self, point: &ContactPoint) -> bool {
        let notice = notice::test_notice(&self.shared.public_url, crate::clock::now_ms());
        self.shared.sender.deliver(&notice, point).await
    }

    /// The VAPID public key browsers subscribe with (made and stored the
    /// first time it is asked for).
    pub async fn vapid_public_key(&self) -> Result<String, String> {
        self.shared.sender.vapid_public_key().await
    }

    /// Every instance with its state now, by rule then labels.
    pub fn instances(&self) -> Vec<AlertInstance> {
        let rules = self.shared.figures.rules();
        let (silences, now) = (self.silences(), crate::clock::now_ms());
        self.with_table(|t| {
            t.list(
                |id| rules.get(&id).map(|r| (r.draft.name.clone(), r.no_data_as)),
                |labels| silences.muting(labels, now),
            )
        })
        .unwrap_or_default()
    }

    /// How many instances are in each state.
    pub fn census(&self) -> std::collections::BTreeMap<&'static str, u64> {
        self.with_table(|t| t.census()).unwrap_or_default()
    }

    /// How many rules the scheduler runs.
    pub fn rule_count(&self) -> usize {
        self.shared
            .figures
            .rules
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// The figures `/metrics` reports.
    pub fn figures(&self) -> &rounds::Figures {
        &self.shared.figures
    }

    /// The silences as last loaded.
    fn silences(&self) -> Silences {
        self.shared
            .silences
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn sender(&self) -> &Sender {
        &self.shared.sender
    }

    fn with_table<T>(&self, f: impl FnOnce(&mut InstanceTable) -> T) -> Option<T> {
        let mut guard = self.shared.table.lock().unwrap_or_else(PoisonError::into_inner);
        guard.as_mut().map(f)
    }

    fn queue(&self, notice: Notice) {
        let guard = self.shared.notices.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(tx) = guard.as_ref() {
            if tx.try_send(notice).is_err() {
                tracing::warn!("too many notifications waiting; one was dropped");
            }
        }
    }
}

/// Runs the scheduler and the delivery of notices until `stop` turns
/// true; makes the VAPID key first if there is none yet.
pub fn spawn(alerts: Alerts, stop: watch::Receiver<bool>) -> JoinHandle<()> {
    let keyed = alerts.clone();
    tokio::spawn(async move {
        if let Err(e) = keyed.vapid_public_key().await {
            tracing::warn!(error = %e, "no VAPID key for Web Push");
        }
    });
    let delivery = alerts.start_delivery(stop.clone());
    let rounds = rounds::spawn(alerts, stop);
    tokio::spawn(async move {
        let _ = rounds.await;
        let _ = delivery.await;
    })
}

/// The rules as the last round loaded them, by id.
type RuleMap = FxHashMap<i64, Arc<CheckedRule>>;
