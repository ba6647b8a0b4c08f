use super::*;
use proptest::prelude::*;

fn logic(pending_ms: i64, keep_firing_ms: i64) -> AlertLogic {
    AlertLogic {
        direction: Direction::Above,
        strict: false,
        warning: Some(70.0),
        critical: Some(90.0),
        warning_low: None,
        critical_low: None,
        recovery: Some(65.0),
        pending_ms,
        keep_firing_ms,
        no_data_ms: 60_000,
    }
}

/// Steps through `values` (one per 15 s from 0) and returns the states.
fn run(logic: &AlertLogic, values: &[Option<f64>]) -> Vec<AlertState> {
    let mut state = AlertState::Normal { since: 0 };
    let mut last_value_at = Some(0);
    let mut out = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let at = (i as i64 + 1) * 15_000;
        let e = match v {
            Some(v) => Evaluation::Value(*v),
            None => Evaluation::NoValue,
        };
        state = state.next(logic, at, &e, last_value_at);
        if v.is_some() {
            last_value_at = Some(at);
        }
        out.push(state.clone());
    }
    out
}

fn names(states: &[AlertState]) -> Vec<&'static str> {
    states
        .iter()
        .map(|s| match s {
            AlertState::Normal { .. } => "normal",
            AlertState::Pending { .. } => "pending",
            AlertState::Firing {
                severity: Severity::Warning,
                ..
            } => "warning",
            AlertState::Firing {
                severity: Severity::Critical,
                ..
            } => "critical",
            AlertState::Recovering { .. } => "recovering",
            AlertState::NoData { .. } => "nodata",
            AlertState::Error { .. } => "error",
        })
        .collect()
}

#[test]
fn pending_then_firing_escalating_then_recovering_through_the_band() {
    let l = logic(30_000, 30_000);
    let values = [50.0, 75.0, 76.0, 77.0, 95.0, 80.0, 68.0, 60.0, 60.0, 60.0, 60.0];
    let states = run(&l, &values.map(Some));
    assert_eq!(
        names(&states),
        [
            "normal",
            "pending",
            "pending",
            "warning",
            "critical",
            "warning",
            // 68 is below warning but above recovery (65): still firing.
            "warning",
            "recovering",
            "recovering",
            "normal",
            "normal"
        ]
    );
}

#[test]
fn no_pending_fires_at_once_and_no_keep_firing_resolves_at_once() {
    let l = logic(0, 0);
    let states = run(&l, &[Some(71.0), Some(64.0)]);
    assert_eq!(names(&states), ["warning", "normal"]);
}

#[test]
fn a_silent_instance_becomes_no_data_and_counts_as_the_rule_says() {
    let l = logic(0, 0);
    let states = run(&l, &[Some(80.0), None, None, None, None, Some(50.0)]);
    assert_eq!(
        names(&states),
        ["warning", "warning", "warning", "warning", "nodata", "normal"]
    );
    let silent = &states[4];
    assert_eq!(silent.counts_as(NoDataAs::Alerting), Some(Severity::Critical));
    assert_eq!(silent.counts_as(NoDataAs::Ok), None);
    assert_eq!(silent.counts_as(NoDataAs::KeepLast), Some(Severity::Warning));
}

#[test]
fn a_failed_query_is_an_error_until_one_succeeds() {
    let l = logic(0, 0);
    let firing = AlertState::Normal { since: 0 }.next(&l, 1, &Evaluation::Value(95.0), Some(1));
    let failed = firing.next(&l, 2, &Evaluation::Failed("database busy".into()), Some(1));
    assert!(matches!(&failed, AlertState::Error { message, .. } if message == "database busy"));
    assert_eq!(
        failed.counts_as(NoDataAs::Ok),
        Some(Severity::Critical),
        "keeps what it had"
    );
    let again = failed.next(&l, 3, &Evaluation::Failed("still".into()), Some(1));
    assert_eq!(again.since(), 2, "one error state, not one per failure");
    let back = again.next(&l, 4, &Evaluation::Value(50.0), Some(4));
    assert!(matches!(back, AlertState::Normal { .. }));
}

#[test]
fn below_rules_alert_on_low_values() {
    let l = AlertLogic {
        direction: Direction::Below,
        strict: false,
        warning: Some(1.5),
        critical: Some(1.0),
        warning_low: None,
        critical_low: None,
        recovery: None,
        pending_ms: 0,
        keep_firing_ms: 0,
        no_data_ms: 60_000,
    };
    assert_eq!(l.severity(0.9), Some(Severity::Critical));
    assert_eq!(l.severity(1.2), Some(Severity::Warning));
    assert_eq!(l.severity(2.0), None);
    assert!(l.recovered(1.6) && !l.recovered(1.5));
}

#[test]
fn strict_rules_leave_the_threshold_itself_alone() {
    let mut l = logic(0, 0);
    assert_eq!(l.severity(70.0), Some(Severity::Warning));
    l.strict = true;
    assert_eq!(l.severity(70.0), None);
    assert_eq!(l.severity(70.1), Some(Severity::Warning));
    assert_eq!(l.severity(90.0), Some(Severity::Warning));
}

#[test]
fn bands_alert_outside_or_inside_their_edges() {
    let outside = AlertLogic {
        direction: Direction::Outside,
        strict: false,
        warning: Some(70.0),
        critical: Some(80.0),
        warning_low: Some(30.0),
        critical_low: Some(20.0),
        recovery: None,
        pending_ms: 0,
        keep_firing_ms: 0,
        no_data_ms: 60_000,
    };
    let got: Vec<Option<Severity>> = [10.0, 25.0, 30.0, 50.0, 70.0, 85.0]
        .map(|v| outside.severity(v))
        .to_vec();
    use Severity::{Critical, Warning};
    assert_eq!(
        got,
        [
            Some(Critical),
            Some(Warning),
            Some(Warning),
            None,
            Some(Warning),
            Some(Critical)
        ]
    );
    assert!(outside.recovered(50.0) && !outside.recovered(75.0));
    let inside = AlertLogic {
        direction: Direction::Inside,
        warning: Some(60.0),
        warning_low: Some(40.0),
        critical: Some(55.0),
        critical_low: Some(45.0),
        ..outside
    };
    let got: Vec<Option<Severity>> = [30.0, 40.0, 50.0, 58.0, 61.0].map(|v| inside.severity(v)).to_vec();
    assert_eq!(got, [None, Some(Warning), Some(Critical), Some(Warning), None]);
    // A band's state machine: fires in it, recovers out of it.
    let states = run(&inside, &[Some(50.0), Some(58.0), Some(70.0)]);
    assert_eq!(states[0].own_severity(), Some(Critical));
    assert_eq!(states[1].own_severity(), Some(Warning));
    assert_eq!(states[2].name(), "normal");
}

#[test]
fn states_travel_as_tagged_json() {
    let s = AlertState::NoData {
        since: 5,
        before: Box::new(AlertState::Firing {
            since: 1,
            severity: Severity::Critical,
        }),
    };
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["state"], "no_data");
    assert_eq!(json["before"]["severity"], "critical");
    assert_eq!(serde_json::from_value::<AlertState>(json).unwrap(), s);
}

proptest! {
    /// An instance fires from Normal or Pending only once the condition
    /// has held, evaluation after evaluation, for the pending duration;
    /// a value inside the hysteresis band never resolves a firing one;
    /// and every state survives a restart (JSON and back).
    #[test]
    fn pending_and_hysteresis_hold_on_any_trace(
        values in prop::collection::vec(prop::option::weighted(0.9, 40.0f64..100.0), 1..80),
        pending_steps in 0i64..6,
        keep_steps in 0i64..4,
    ) {
        let l = logic(pending_steps * 15_000, keep_steps * 15_000);
        let states = run(&l, &values);
        let mut crossing_since: Option<i64> = None;
        let mut before = AlertState::Normal { since: 0 };
        for (i, (v, s)) in values.iter().zip(&states).enumerate() {
            let at = (i as i64 + 1) * 15_000;
            match v {
                Some(v) if l.severity(*v).is_some() => { crossing_since.get_or_insert(at); }
                Some(_) => crossing_since = None,
                None => {}
            }
            let entered_firing = matches!(s, AlertState::Firing { since, .. } if *since == at)
                && matches!(before, AlertState::Normal { .. } | AlertState::Pending { .. });
            if entered_firing {
                let held = crossing_since.map(|c| at - c);
                prop_assert!(held.is_some_and(|h| h >= l.pending_ms), "fired at {} after {:?}", at, held);
            }
            if let (AlertState::Firing { .. }, Some(v)) = (&before, v) {
                if l.severity(*v).is_none() && !l.recovered(*v) {
                    prop_assert!(matches!(s, AlertState::Firing { .. }), "{:?} resolved in the band at {}", v, at);
                }
            }
            let text = serde_json::to_string(s).unwrap();
            prop_assert_eq!(&serde_json::from_str::<AlertState>(&text).unwrap(), s);
            before = s.clone();
        }
    }
}

proptest! {
    /// An instance turns NoData only after the rule's time without a
    /// value, leaves it with the first value, and counts as the rule maps
    /// it: alerting (critical), OK, or as the state its data stopped in.
    #[test]
    fn no_data_comes_after_its_time_and_counts_as_mapped(
        values in prop::collection::vec(prop::option::weighted(0.5, 40.0f64..100.0), 1..80),
        mapping in prop::sample::select(vec![NoDataAs::Alerting, NoDataAs::Ok, NoDataAs::KeepLast]),
    ) {
        let l = logic(0, 0);
        let states = run(&l, &values);
        let mut last_value_at = 0i64;
        for (i, (v, s)) in values.iter().zip(&states).enumerate() {
            let at = (i as i64 + 1) * 15_000;
            if v.is_some() {
                last_value_at = at;
                prop_assert!(!matches!(s, AlertState::NoData { .. }), "NoData with a value at {}", at);
            }
            if let AlertState::NoData { since, before } = s {
                prop_assert!(since - last_value_at >= l.no_data_ms, "NoData at {} after a value at {}", since, last_value_at);
                let expected = match mapping {
                    NoDataAs::Alerting => Some(Severity::Critical),
                    NoDataAs::Ok => None,
                    NoDataAs::KeepLast => before.counts_as(mapping),
                };
                prop_assert_eq!(s.counts_as(mapping), expected);
            }
        }
    }
}
