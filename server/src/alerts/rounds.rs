//! The scheduler: every tick, the rules that are due are evaluated
//! together (their queries in batches through the query engine and its
//! cache), their instances stepped, and the transitions stored in one
//! transaction per batch. A rule is due every `every` from when it was
//! loaded; a slow round delays the next one, never runs two at once.

use super::reading::{self, Outcome};
use super::silencing::Silences;
use super::table::{self, InstanceTable};
use super::{notice, Alerts, RuleMap};
use crate::query::QueryError;
use crate::store::{AlertChanges, StoreError};
use app::model::CheckedRule;
use rustc_hash::FxHashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// How often the scheduler looks for due rules: a rule every second is
/// evaluated within this much of its time.
const TICK: Duration = Duration::from_millis(250);
/// Rules whose queries go to the engine as one batch.
const RULES_PER_BATCH: usize = 256;

/// The rules as loaded, and when each is due next.
#[derive(Default)]
pub struct Schedule {
    version: u64,
    rules: Vec<Active>,
}

struct Active {
    id: i64,
    updated: i64,
    rule: Arc<CheckedRule>,
    next_due: i64,
}

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RoundReport {
    /// Rules evaluated.
    pub rules: usize,
    /// Instances that changed state.
    pub transitions: usize,
}

/// Running totals for `/metrics`, and the rules for listings and repeats.
#[derive(Default)]
pub struct Figures {
    pub evaluations: AtomicU64,
    pub failed_evaluations: AtomicU64,
    /// Time spent in rounds, in microseconds.
    pub round_micros: AtomicU64,
    pub rounds: AtomicU64,
    pub notifications_sent: AtomicU64,
    pub notification_failures: AtomicU64,
    pub(super) rules: Mutex<RuleMap>,
}

impl Figures {
    pub(super) fn rules(&self) -> RuleMap {
        self.rules.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

/// Runs rounds until `stop` turns true.
pub(super) fn spawn(alerts: Alerts, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.changed() => return,
            }
            if let Err(e) = alerts.run_round(crate::clock::now_ms()).await {
                tracing::warn!(error = %e, "alert evaluation failed");
            }
        }
    })
}

impl Alerts {
    /// Evaluates the rules due at `now` and stores what changed.
    pub async fn run_round(&self, now: i64) -> Result<RoundReport, StoreError> {
        let started = Instant::now();
        let mut schedule = self.shared.schedule.lock().await;
        self.load_table().await?;
        self.reload_rules(&mut schedule, now).await?;
        self.reload_silences(now).await?;
        let due: Vec<usize> = (0..schedule.rules.len())
            .filter(|&i| schedule.rules[i].next_due <= now)
            .collect();
        let mut report = RoundReport::default();
        for batch in due.chunks(RULES_PER_BATCH) {
            let rules: Vec<&Active> = batch.iter().map(|&i| &schedule.rules[i]).collect();
            report.transitions += self.evaluate(&rules, now).await?;
            report.rules += rules.len();
        }
        for i in due {
            let active = &mut schedule.rules[i];
            let every = active.rule.every_ms;
            active.next_due = if active.next_due + every > now {
                active.next_due + every
            } else {
                now + every
            };
        }
        if report.rules > 0 {
            let f = &self.shared.figures;
            f.rounds.fetch_add(1, Ordering::Relaxed);
            f.round_micros
                .fetch_add(started.elapsed().as_micros() as u64, Ordering::Relaxed);
        }
        Ok(report)
    }

    /// Evaluates `rules` as one batch of queries; how many instances
    /// changed state.
    async fn evaluate(&self, rules: &[&Active], now: i64) -> Result<usize, StoreError> {
        let queries: Vec<_> = rules.iter().map(|a| reading::query_for(&a.rule, now)).collect();
        let answers = self.shared.queries.run_batch(&queries).await;
        let mut changes = AlertChanges::default();
        let f = &self.shared.figures;
        let silences = self.silences();
        for (i, active) in rules.iter().enumerate() {
            let outcome = match &answers {
                Err(e) => Outcome::Failed(e.to_string()),
                Ok(slots) => match &slots[i] {
                    Ok(served) => Outcome::Answer(&served.answer.result),
                    Err(QueryError::SeriesNotFound(_)) => Outcome::NoSeries,
                    Err(e) => Outcome::Failed(e.to_string()),
                },
            };
            if matches!(outcome, Outcome::Failed(_)) {
                f.failed_evaluations.fetch_add(1, Ordering::Relaxed);
            }
            f.evaluations.fetch_add(1, Ordering::Relaxed);
            let readings = reading::readings(&active.rule, outcome, now);
            let muted = |labels: &app::model::Labels| silences.muting(labels, now).is_some();
            let (changed, gone) = self
                .with_table(|t| {
                    let changed = t.step_muted(active.id, &active.rule, now, readings, &muted);
                    (changed, t.take_gone())
                })
                .unwrap_or_default();
            changes.gone.extend(gone);
            if let Some(notice) = notice::compose(active.id, &active.rule, &changed, now, &self.shared.public_url) {
                self.queue(notice);
            }
            let step = table::to_store(active.id, &changed);
            changes.instances.extend(step.instances);
            changes.transitions.extend(step.transitions);
        }
        let transitions = changes.transitions.len();
        self.shared.store.record_alert_changes(changes).await?;
        Ok(transitions)
    }

    /// Reads the instances' states from the store, once.
    async fn load_table(&self) -> Result<(), StoreError> {
        if self.with_table(|_| ()).is_some() {
            return Ok(());
        }
        let stored = self.shared.store.alert_instances().await?;
        let mut guard = self.shared.table.lock().unwrap_or_else(PoisonError::into_inner);
        guard.get_or_insert_with(|| InstanceTable::restore(stored));
        Ok(())
    }

    /// Reloads the silences when they changed.
    async fn reload_silences(&self, now: i64) -> Result<(), StoreError> {
        let version = self.shared.silences_version.load(Ordering::Acquire);
        if self.silences().version == version {
            return Ok(());
        }
        let loaded = Silences::new(version, self.shared.store.silences(now).await?);
        *self.shared.silences.lock().unwrap_or_else(PoisonError::into_inner) = loaded;
        Ok(())
    }

    /// Reloads the rules when they changed: a new or changed rule is due
    /// at once; the instances of changed and deleted ones are forgotten.
    async fn reload_rules(&self, schedule: &mut Schedule, now: i64) -> Result<(), StoreError> {
        let version = self.shared.rules_version.load(Ordering::Acquire);
        if version == schedule.version {
            return Ok(());
        }
        let stored = self.shared.store.alert_rules().await?;
        let mut before: FxHashMap<i64, Active> = schedule.rules.drain(..).map(|a| (a.id, a)).collect();
        let mut rules = RuleMap::default();
        for r in stored {
            let rule = match r.rule.clone().checked() {
                Ok(rule) => Arc::new(rule),
                Err(e) => {
                    tracing::warn!(rule = r.id, error = %e, "a stored alert rule no longer checks; skipped");
                    continue;
                }
            };
            rules.insert(r.id, rule.clone());
            let next_due = match before.remove(&r.id) {
                Some(old) if old.updated == r.updated => old.next_due,
                Some(_) => {
                    self.with_table(|t| t.forget(r.id));
                    now
                }
                None => now,
            };
            schedule.rules.push(Active {
                id: r.id,
                updated: r.updated,
                rule,
                next_due,
            });
        }
        self.with_table(|t| t.retain_rules(|id| rules.contains_key(&id)));
        *self.shared.figures.rules.lock().unwrap_or_else(PoisonError::into_inner) = rules;
        schedule.version = version;
        Ok(())
    }
}
