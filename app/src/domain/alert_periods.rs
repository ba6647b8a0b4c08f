//! When alert instances were firing, from their state history: what the
//! charts shade. An instance's period opens when it starts firing and
//! closes when it is no longer firing or recovering; it carries the
//! highest severity it reached. A period still open has no end.

use super::Severity;
use crate::model::{AlertTransition, Labels};

/// One stretch of firing of one instance.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertPeriod {
    pub rule: i64,
    pub labels: Labels,
    pub severity: Severity,
    pub start: i64,
    /// None while it still fires.
    pub end: Option<i64>,
}

/// The periods overlapping `[from, to]` in `transitions` (oldest first),
/// by start.
pub fn alert_periods(transitions: &[AlertTransition], from: i64, to: i64) -> Vec<AlertPeriod> {
    let mut open: Vec<AlertPeriod> = Vec::new();
    let mut done: Vec<AlertPeriod> = Vec::new();
    for t in transitions {
        let firing = matches!(t.state.as_str(), "firing" | "recovering");
        let at = open.iter().position(|p| p.rule == t.rule && p.labels == t.labels);
        match (at, firing) {
            (Some(i), true) => {
                if let Some(s) = t.severity {
                    open[i].severity = open[i].severity.max(s);
                }
            }
            (Some(i), false) => {
                let mut period = open.swap_remove(i);
                period.end = Some(t.time);
                done.push(period);
            }
            (None, true) => open.push(AlertPeriod {
                rule: t.rule,
                labels: t.labels.clone(),
                severity: t.severity.unwrap_or(Severity::Warning),
                start: t.time,
                end: None,
            }),
            (None, false) => {}
        }
    }
    done.extend(open);
    done.retain(|p| p.start <= to && p.end.is_none_or(|e| e >= from));
    done.sort_by_key(|p| p.start);
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(time: i64, site: &str, state: &str, severity: Option<Severity>) -> AlertTransition {
        AlertTransition {
            id: time,
            rule: 1,
            labels: [("site".to_owned(), site.to_owned())].into(),
            time,
            state: state.into(),
            previous: String::new(),
            severity,
            value: None,
            message: None,
        }
    }

    #[test]
    fn a_period_runs_from_firing_to_normal_with_its_worst_severity() {
        let history = [
            t(10, "n", "pending", Some(Severity::Warning)),
            t(20, "n", "firing", Some(Severity::Warning)),
            t(25, "s", "firing", Some(Severity::Critical)),
            t(30, "n", "firing", Some(Severity::Critical)),
            t(40, "n", "recovering", Some(Severity::Critical)),
            t(50, "n", "normal", None),
            t(60, "n", "firing", Some(Severity::Warning)),
        ];
        let periods = alert_periods(&history, 0, 100);
        let got: Vec<(&str, Severity, i64, Option<i64>)> = periods
            .iter()
            .map(|p| (p.labels["site"].as_str(), p.severity, p.start, p.end))
            .collect();
        assert_eq!(
            got,
            [
                ("n", Severity::Critical, 20, Some(50)),
                ("s", Severity::Critical, 25, None),
                ("n", Severity::Warning, 60, None),
            ]
        );
    }

    #[test]
    fn only_periods_touching_the_window_are_kept() {
        let history = [
            t(10, "n", "firing", Some(Severity::Warning)),
            t(20, "n", "normal", None),
            t(30, "n", "firing", Some(Severity::Warning)),
        ];
        assert_eq!(alert_periods(&history, 21, 29), Vec::new());
        assert_eq!(alert_periods(&history, 15, 29).len(), 1);
        assert_eq!(alert_periods(&history, 0, 5), Vec::new());
    }
}
