//! The alert instances in memory: per rule, per label set, the state and
//! the latest reading. Stepping a rule applies one evaluation's readings
//! through the state machine and returns what changed, for the store
//! (the transitions and marks) and for the notifier (the events).

use super::notice::{self, Event, NoticeAlert, Told};
use super::reading::Reading;
use crate::store::{AlertChanges, NewTransition, StoredInstance};
use app::domain::{AlertState, Evaluation, NoDataAs};
use app::model::{AlertInstance, CheckedRule, Labels};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// One instance between evaluations.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub state: AlertState,
    /// The latest reduced value and when it was read.
    pub value: Option<f64>,
    pub value_at: Option<i64>,
    /// When the instance last had data (its newest point).
    pub newest: Option<i64>,
    pub evaluated: i64,
    /// What was last notified for it (see `notify::Notice::mark`).
    pub notified: Option<String>,
}

/// An instance whose state or notification mark changed in a step.
#[derive(Debug, Clone, PartialEq)]
pub struct Changed {
    pub labels: Labels,
    pub before: AlertState,
    pub instance: Instance,
    /// What to notify, if anything.
    pub event: Option<Event>,
    /// What had been notified before this step.
    pub previous_mark: Option<String>,
}

impl Changed {
    /// Whether the state itself changed (a transition for the history).
    pub fn is_transition(&self) -> bool {
        self.before.changes_to(&self.instance.state)
    }
}

/// How long an instance its rule's answers no longer name (its series
/// went away from the selector) is kept before it is forgotten, unless a
/// firing notification about it is still standing.
pub const FORGET_AFTER_MS: i64 = 86_400_000;

/// Every rule's instances.
#[derive(Debug, Default)]
pub struct InstanceTable {
    rules: FxHashMap<i64, BTreeMap<Labels, Instance>>,
    /// Instances forgotten by steps, for the store to delete.
    gone: Vec<(i64, Labels)>,
}

impl InstanceTable {
    /// The table as the store kept it.
    pub fn restore(stored: Vec<StoredInstance>) -> Self {
        let mut table = InstanceTable::default();
        for s in stored {
            table.rules.entry(s.rule).or_default().insert(
                s.labels,
                Instance {
                    evaluated: s.state.since(),
                    state: s.state,
                    value: s.value,
                    value_at: s.value_at,
                    newest: s.value_at,
                    notified: s.notified,
                },
            );
        }
        table
    }

    /// [`InstanceTable::step_muted`] with no silence.
    #[cfg(test)]
    pub fn step(
        &mut self,
        id: i64,
        rule: &CheckedRule,
        at: i64,
        readings: Result<Vec<Reading>, String>,
    ) -> Vec<Changed> {
        self.step_muted(id, rule, at, readings, &|_| false)
    }

    /// Applies the readings of rule `id` at `at` (or the failure of its
    /// query); instances it has but the readings lack read no value. A
    /// `silenced` instance changes state but notifies nothing, and keeps
    /// its mark, so that it is told once the silence ends.
    pub fn step_muted(
        &mut self,
        id: i64,
        rule: &CheckedRule,
        at: i64,
        readings: Result<Vec<Reading>, String>,
        silenced: &dyn Fn(&Labels) -> bool,
    ) -> Vec<Changed> {
        let instances = self.rules.entry(id).or_default();
        let mut seen: Vec<(Labels, Evaluation, Option<i64>)> = match readings {
            Ok(readings) => readings
                .into_iter()
                .map(|r| (r.labels, r.evaluation, r.newest))
                .collect(),
            Err(message) if instances.is_empty() => {
                vec![(failure_labels(rule), Evaluation::Failed(message), None)]
            }
            Err(message) => instances
                .keys()
                .map(|labels| (labels.clone(), Evaluation::Failed(message.clone()), None))
                .collect(),
        };
        let read: std::collections::BTreeSet<&Labels> = seen.iter().map(|(l, _, _)| l).collect();
        let missing: Vec<Labels> = instances.keys().filter(|l| !read.contains(l)).cloned().collect();
        for labels in missing {
            let i = &instances[&labels];
            let silent_since = i.newest.unwrap_or(i.state.since());
            let told_firing = i.notified.as_deref().is_some_and(|m| m.starts_with("firing"));
            if at - silent_since > FORGET_AFTER_MS && !told_firing {
                instances.remove(&labels);
                self.gone.push((id, labels));
            } else {
                seen.push((labels, Evaluation::NoValue, None));
            }
        }
        let mut changed = Vec::new();
        for (labels, evaluation, newest) in seen {
            let instance = instances.entry(labels.clone()).or_insert_with(|| Instance {
                state: AlertState::Normal { since: at },
                value: None,
                value_at: None,
                newest: None,
                evaluated: at,
                notified: None,
            });
            let before = instance.state.clone();
            if newest.is_some() {
                instance.newest = newest.max(instance.newest);
            }
            // A new instance without data has been silent since it was first seen.
            let silent_since = instance.newest.or(Some(before.since()));
            instance.state = before.next(&rule.logic, at, &evaluation, silent_since);
            instance.evaluated = at;
            if let Evaluation::Value(v) = evaluation {
                instance.value = Some(v);
                instance.value_at = Some(at);
            }
            let mut event = None;
            let previous_mark = instance.notified.clone();
            let wanted = if silenced(&labels) {
                None
            } else {
                notice::wanted(&instance.state, rule.no_data_as, instance.notified.as_deref())
            };
            if let Some((tell, mark)) = &wanted {
                instance.notified = Some(mark.clone());
                event = *tell;
            }
            if wanted.is_some() || before.changes_to(&instance.state) {
                changed.push(Changed {
                    labels,
                    before,
                    instance: instance.clone(),
                    event,
                    previous_mark,
                });
            }
        }
        changed
    }

    /// The instances forgotten since the last call, for the store.
    pub fn take_gone(&mut self) -> Vec<(i64, Labels)> {
        std::mem::take(&mut self.gone)
    }

    /// Forgets the instances of rules not in `ids`.
    pub fn retain_rules(&mut self, keep: impl Fn(i64) -> bool) {
        self.rules.retain(|id, _| keep(*id));
    }

    /// Forgets the instances of rule `id` (it changed or went away).
    pub fn forget(&mut self, id: i64) {
        self.rules.remove(&id);
    }

    /// Every instance, as the API shows it, with the silence muting it.
    pub fn list(
        &self,
        rule_name: impl Fn(i64) -> Option<(String, NoDataAs)>,
        silenced_by: impl Fn(&Labels) -> Option<i64>,
    ) -> Vec<AlertInstance> {
        let mut ids: Vec<&i64> = self.rules.keys().collect();
        ids.sort();
        let mut out = Vec::new();
        for id in ids {
            let Some((name, no_data)) = rule_name(*id) else {
                continue;
            };
            for (labels, i) in &self.rules[id] {
                out.push(AlertInstance {
                    rule: *id,
                    rule_name: name.clone(),
                    labels: labels.clone(),
                    severity: i.state.counts_as(no_data),
                    state: i.state.clone(),
                    value: i.value,
                    value_at: i.value_at,
                    evaluated: i.evaluated,
                    silenced_by: silenced_by(labels),
                });
            }
        }
        out
    }

    /// The instances of rule `id` alerting now, as a repeat notice tells them.
    pub fn firing_alerts(
        &self,
        id: i64,
        rule: &CheckedRule,
        at: i64,
        public_url: &str,
        silenced: &dyn Fn(&Labels) -> bool,
    ) -> Vec<NoticeAlert> {
        let Some(instances) = self.rules.get(&id) else {
            return Vec::new();
        };
        instances
            .iter()
            .filter(|(labels, i)| i.state.counts_as(rule.no_data_as).is_some() && !silenced(labels))
            .map(|(labels, i)| {
                let told = Told {
                    firing: true,
                    severity: i.state.counts_as(rule.no_data_as),
                    starts: i.state.since(),
                };
                NoticeAlert::of(rule, labels, i, told, at, public_url)
            })
            .collect()
    }

    /// How many instances there are in each state.
    pub fn census(&self) -> BTreeMap<&'static str, u64> {
        let mut counts = BTreeMap::new();
        for i in self.rules.values().flat_map(|r| r.values()) {
            *counts.entry(i.state.name()).or_insert(0) += 1;
        }
        counts
    }

    /// An instance of rule `id`, if it has one with `labels`.
    #[cfg(test)]
    pub fn get(&self, id: i64, labels: &Labels) -> Option<&Instance> {
        self.rules.get(&id).and_then(|r| r.get(labels))
    }
}

/// The changes of a step as the store writes them.
pub fn to_store(id: i64, changed: &[Changed]) -> AlertChanges {
    let mut changes = AlertChanges::default();
    for c in changed {
        changes.instances.push(StoredInstance {
            rule: id,
            labels: c.labels.clone(),
            state: c.instance.state.clone(),
            value: c.instance.value,
            value_at: c.instance.value_at,
            notified: c.instance.notified.clone(),
        });
        if !c.is_transition() {
            continue;
        }
        changes.transitions.push(NewTransition {
            rule: id,
            labels: c.labels.clone(),
            state: c.instance.state.clone(),
            previous: c.before.name(),
            value: c
                .instance
                .value
                .filter(|_| c.instance.value_at == Some(c.instance.evaluated)),
        });
    }
    changes
}

/// The labels of the one instance a rule gets when its query fails
/// before it ever had an instance.
fn failure_labels(rule: &CheckedRule) -> Labels {
    let mut labels = rule.draft.labels.clone();
    labels.insert(super::reading::ALERT_NAME.into(), rule.draft.name.clone());
    if !rule.draft.series.is_empty() {
        labels.insert(super::reading::SERIES_LABEL.into(), rule.draft.series.clone());
    }
    labels
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
