use super::*;
use crate::alerts::reading::Reading;
use crate::alerts::test_rule::hot_boiler;
use app::domain::Severity;
use app::model::AlertRuleDraft;

fn rule(pending: Option<&str>) -> CheckedRule {
    AlertRuleDraft {
        recovery: Some(70.0),
        pending: pending.map(str::to_owned),
        no_data_after: Some("10s".into()),
        ..hot_boiler()
    }
    .checked()
    .unwrap()
}

fn labels(site: &str) -> Labels {
    [("site".to_owned(), site.to_owned())].into()
}

fn value(site: &str, v: f64, at: i64) -> Reading {
    Reading {
        labels: labels(site),
        evaluation: Evaluation::Value(v),
        newest: Some(at),
    }
}

#[test]
fn a_step_reports_only_instances_whose_state_changed() {
    let r = rule(None);
    let mut table = InstanceTable::default();
    let changed = table.step(1, &r, 1_000, Ok(vec![value("n", 50.0, 1_000), value("s", 95.0, 1_000)]));
    // "n" is new and Normal (no change); "s" fires at once.
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].labels, labels("s"));
    assert_eq!(changed[0].before.name(), "normal");
    assert_eq!(
        changed[0].instance.state,
        AlertState::Firing {
            since: 1_000,
            severity: Severity::Critical
        }
    );
    assert_eq!(changed[0].event, Some(Event::Firing));
    assert_eq!(changed[0].instance.notified.as_deref(), Some("firing:critical"));
    // Same values: nothing changes; down to warning: a change of severity,
    // kept in the history and the mark, without a message.
    assert!(table
        .step(1, &r, 2_000, Ok(vec![value("n", 50.0, 2_000), value("s", 95.0, 2_000)]))
        .is_empty());
    let changed = table.step(1, &r, 3_000, Ok(vec![value("n", 50.0, 3_000), value("s", 85.0, 3_000)]));
    assert_eq!(changed[0].instance.state.own_severity(), Some(Severity::Warning));
    assert_eq!(changed[0].event, None);
    assert_eq!(changed[0].instance.notified.as_deref(), Some("firing:warning"));
    // Between recovery (70) and warning (80): still firing (hysteresis).
    assert!(table
        .step(1, &r, 4_000, Ok(vec![value("s", 75.0, 4_000), value("n", 50.0, 4_000)]))
        .is_empty());
    let changed = table.step(1, &r, 5_000, Ok(vec![value("s", 60.0, 5_000), value("n", 50.0, 5_000)]));
    assert_eq!(changed[0].instance.state, AlertState::Normal { since: 5_000 });
    assert_eq!(changed[0].event, Some(Event::Resolved));
}

#[test]
fn a_restored_instance_firing_but_never_notified_is_notified_without_a_transition() {
    let mut table = InstanceTable::restore(vec![StoredInstance {
        rule: 1,
        labels: labels("s"),
        state: AlertState::Firing {
            since: 1_000,
            severity: Severity::Warning,
        },
        value: Some(85.0),
        value_at: Some(1_000),
        notified: None,
    }]);
    let changed = table.step(1, &rule(None), 2_000, Ok(vec![value("s", 85.0, 2_000)]));
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].event, Some(Event::Firing));
    assert!(!changed[0].is_transition());
    let stored = to_store(1, &changed);
    assert_eq!((stored.instances.len(), stored.transitions.len()), (1, 0));
    assert_eq!(stored.instances[0].notified.as_deref(), Some("firing:warning"));
}

#[test]
fn an_instance_the_answer_lacks_goes_no_data_after_the_rules_time() {
    let r = rule(None);
    let mut table = InstanceTable::default();
    table.step(1, &r, 1_000, Ok(vec![value("n", 50.0, 1_000)]));
    assert!(table.step(1, &r, 5_000, Ok(Vec::new())).is_empty());
    let changed = table.step(1, &r, 11_000, Ok(Vec::new()));
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].instance.state.name(), "no_data");
    // NoData counts as alerting by default: the listing says critical.
    let listed = table.list(|_| Some(("hot".into(), r.no_data_as)), |_| None);
    assert_eq!(listed[0].severity, Some(Severity::Critical));
}

#[test]
fn a_failed_query_puts_every_known_instance_in_error_and_then_back() {
    let r = rule(None);
    let mut table = InstanceTable::default();
    table.step(1, &r, 1_000, Ok(vec![value("n", 50.0, 1_000), value("s", 50.0, 1_000)]));
    let changed = table.step(1, &r, 2_000, Err("database is locked".into()));
    assert_eq!(changed.len(), 2);
    assert!(changed.iter().all(|c| c.instance.state.name() == "error"));
    let stored = to_store(1, &changed);
    assert_eq!(stored.transitions.len(), 2);
    assert_eq!(stored.transitions[0].previous, "normal");
    let changed = table.step(1, &r, 3_000, Ok(vec![value("n", 50.0, 3_000), value("s", 50.0, 3_000)]));
    assert!(changed.iter().all(|c| c.instance.state.name() == "normal"));
    // A rule that never had an instance still shows its failure.
    let changed = table.step(2, &r, 3_000, Err("bad".into()));
    assert_eq!(changed[0].labels["alertname"], "hot");
}

#[test]
fn the_table_carries_on_from_what_the_store_kept() {
    let firing = AlertState::Firing {
        since: 1_000,
        severity: Severity::Critical,
    };
    let mut table = InstanceTable::restore(vec![StoredInstance {
        rule: 1,
        labels: labels("s"),
        state: firing.clone(),
        value: Some(95.0),
        value_at: Some(1_000),
        notified: Some("firing:critical".into()),
    }]);
    // Still above: no transition, so nothing is stored or sent again.
    assert!(table
        .step(1, &rule(None), 9_000, Ok(vec![value("s", 96.0, 9_000)]))
        .is_empty());
    let i = table.get(1, &labels("s")).unwrap();
    assert_eq!(
        (i.state.clone(), i.notified.as_deref()),
        (firing, Some("firing:critical"))
    );
}

#[test]
fn a_silenced_instance_changes_state_but_is_told_only_once_the_silence_ends() {
    let r = rule(None);
    let mut table = InstanceTable::default();
    let muted = |l: &Labels| l.get("site").is_some_and(|s| s == "s");
    let changed = table.step_muted(1, &r, 1_000, Ok(vec![value("s", 95.0, 1_000)]), &muted);
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].instance.state.name(), "firing");
    assert_eq!(
        (changed[0].event, changed[0].instance.notified.as_deref()),
        (None, None)
    );
    // The silence is over, the alert still fires: now it is told.
    let changed = table.step(1, &r, 2_000, Ok(vec![value("s", 95.0, 2_000)]));
    assert_eq!(changed[0].event, Some(Event::Firing));
    assert!(!changed[0].is_transition());
}

#[test]
fn an_instance_no_longer_answered_for_a_day_is_forgotten_unless_told_firing() {
    let r = rule(None);
    let mut table = InstanceTable::default();
    table.step(1, &r, 1_000, Ok(vec![value("n", 50.0, 1_000), value("s", 95.0, 1_000)]));
    // Both series leave the selector: NoData (alerting) for "n" is told
    // firing; "s" was told firing already.
    let changed = table.step(1, &r, 20_000, Ok(Vec::new()));
    assert!(changed
        .iter()
        .all(|c| c.instance.notified.as_deref() == Some("firing:critical")));
    let later = 1_000 + FORGET_AFTER_MS + 1;
    table.step(1, &r, later, Ok(Vec::new()));
    assert!(table.take_gone().is_empty(), "both are still told firing");

    let quiet = AlertRuleDraft {
        no_data_as: Some(NoDataAs::Ok),
        ..r.draft.clone()
    }
    .checked()
    .unwrap();
    let mut table = InstanceTable::default();
    table.step(1, &quiet, 1_000, Ok(vec![value("n", 50.0, 1_000)]));
    table.step(1, &quiet, 20_000, Ok(Vec::new()));
    assert!(table.take_gone().is_empty(), "kept for a day");
    table.step(1, &quiet, 1_000 + FORGET_AFTER_MS + 1, Ok(Vec::new()));
    assert_eq!(table.take_gone(), [(1, labels("n"))]);
    assert!(table.get(1, &labels("n")).is_none());
}
