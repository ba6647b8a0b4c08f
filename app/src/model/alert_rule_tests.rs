use super::*;
use crate::domain::Severity;

fn draft(extra: serde_json::Value) -> AlertRuleDraft {
    let mut rule = serde_json::json!({"name": " Boiler too hot ", "series": "boiler.temp", "direction": "above",
        "warning": 70, "critical": 90});
    rule.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    serde_json::from_value(rule).unwrap()
}

#[test]
fn a_plain_rule_gets_the_defaults() {
    let c = draft(serde_json::json!({})).checked().unwrap();
    assert_eq!(c.draft.name, "Boiler too hot");
    assert_eq!((c.window_ms, c.every_ms), (300_000, 15_000));
    assert_eq!(
        (c.logic.pending_ms, c.logic.keep_firing_ms, c.logic.no_data_ms),
        (0, 0, 300_000)
    );
    assert_eq!(c.no_data_as, NoDataAs::Alerting);
    assert_eq!(c.draft.reducer, Reducer::Last);
    assert_eq!(c.logic.severity(95.0), Some(Severity::Critical));
}

#[test]
fn durations_thresholds_and_selectors_are_read() {
    let c = draft(
        serde_json::json!({"series": "", "select": "fleet.temp{site=\"s2\"}", "aggregate": "max",
        "by": ["line"], "reducer": "avg", "window": "10m", "every": "1s", "for": "2m", "keep_firing": "0s",
        "no_data_after": "1m", "no_data_as": "keep_last", "recovery": 65,
        "labels": {"team": "plant"}, "annotations": {"summary": "{{labels.line}} at {{value}}"}}),
    )
    .checked()
    .unwrap();
    assert_eq!(
        (c.window_ms, c.every_ms, c.logic.pending_ms, c.logic.keep_firing_ms),
        (600_000, 1_000, 120_000, 0)
    );
    assert_eq!(c.logic.recovery, Some(65.0));
    assert_eq!(c.no_data_as, NoDataAs::KeepLast);
    let back: AlertRuleDraft = serde_json::from_str(&serde_json::to_string(&c.draft).unwrap()).unwrap();
    assert_eq!(back, c.draft, "a stored rule reads back the same");
}

#[test]
fn mistakes_are_named() {
    let cases = [
        (serde_json::json!({"name": "  "}), "name"),
        (serde_json::json!({"series": ""}), "needs a `series`"),
        (serde_json::json!({"select": "x"}), "not both"),
        (serde_json::json!({"series": "", "select": "{"}), "select:"),
        (
            serde_json::json!({"aggregate": "avg"}),
            "applies to a rule over `select`",
        ),
        (
            serde_json::json!({"series": "", "select": "x", "by": ["a"]}),
            "`by` groups",
        ),
        (
            serde_json::json!({"warning": null, "critical": null}),
            "needs a warning or a critical",
        ),
        (serde_json::json!({"warning": 95}), "past the critical"),
        (serde_json::json!({"recovery": 75}), "safe side"),
        (serde_json::json!({"window": "5"}), "window:"),
        (serde_json::json!({"for": "abc"}), "for:"),
        (serde_json::json!({"every": "500ms"}), "once a second"),
        (
            serde_json::json!({"every": "1m", "no_data_after": "30s"}),
            "at least one evaluation",
        ),
        (serde_json::json!({"window": "31d"}), "longer than 30 days"),
    ];
    for (extra, said) in cases {
        let e = draft(extra.clone()).checked().unwrap_err();
        assert_eq!(e.error, "invalid_rule");
        assert!(e.message.contains(said), "{extra}: {}", e.message);
    }
    let below = draft(serde_json::json!({"direction": "below", "warning": 1.5, "critical": 1.0, "recovery": 1.8}));
    assert!(below.checked().is_ok(), "below: lower is worse");
}
