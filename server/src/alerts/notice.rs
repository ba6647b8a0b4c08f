//! What a notification says. Each instance remembers what was last
//! notified for it (its mark: `firing:warning`, `firing:critical` or
//! `resolved`); an evaluation that makes the wanted mark differ gives a
//! notice: firing, a severity going up, or resolved. A severity going
//! down changes the mark without a message. The instances of one rule
//! that need a notice in one round go out together, as one message.

use super::reading::SERIES_LABEL;
use super::table::{Changed, Instance};
use app::domain::{AlertState, NoDataAs, Severity};
use app::model::{CheckedRule, Labels};

/// Why a notice is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Firing,
    Resolved,
    /// Still firing, sent again after the contact point's repeat interval.
    Repeat,
    /// Asked for by "send test".
    Test,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Firing => "firing",
            Event::Resolved => "resolved",
            Event::Repeat => "repeat",
            Event::Test => "test",
        }
    }
}

/// What changes for an instance's notifications after an evaluation: the
/// new mark, and the event to send (none when only the mark moves).
pub fn wanted(state: &AlertState, no_data: NoDataAs, notified: Option<&str>) -> Option<(Option<Event>, String)> {
    match state.counts_as(no_data) {
        Some(s) => {
            let mark = format!("firing:{}", s.as_str());
            match notified {
                Some(m) if m == mark => None,
                Some("firing:critical") => Some((None, mark)),
                _ => Some((Some(Event::Firing), mark)),
            }
        }
        None if notified.is_some_and(|m| m.starts_with("firing")) => Some((Some(Event::Resolved), "resolved".into())),
        None => None,
    }
}

/// One instance in a notice.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeAlert {
    pub labels: Labels,
    /// The rule's annotations with this instance's values filled in.
    pub annotations: Labels,
    pub firing: bool,
    pub state: &'static str,
    pub severity: Option<Severity>,
    pub value: Option<f64>,
    /// When it started firing (or entered its state).
    pub starts: i64,
    /// When it resolved.
    pub ends: Option<i64>,
    /// The page showing the series around that time.
    pub url: String,
}

/// A rule's instances that need telling, at `at`.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub rule: i64,
    pub rule_name: String,
    pub event: Event,
    /// The contact points it goes to; all when empty.
    pub contact_points: Vec<i64>,
    pub alerts: Vec<NoticeAlert>,
    pub at: i64,
}

impl Notice {
    /// The highest severity among its firing alerts.
    pub fn severity(&self) -> Option<Severity> {
        self.alerts.iter().filter(|a| a.firing).filter_map(|a| a.severity).max()
    }

    /// `[FIRING:2 critical] boiler hot` or `[RESOLVED] boiler hot`.
    pub fn title(&self) -> String {
        let firing = self.alerts.iter().filter(|a| a.firing).count();
        match (firing, self.severity()) {
            (0, _) => format!("[RESOLVED] {}", self.rule_name),
            (n, Some(s)) => format!("[FIRING:{n} {}] {}", s.as_str(), self.rule_name),
            (n, None) => format!("[FIRING:{n}] {}", self.rule_name),
        }
    }
}

/// The notice of rule `id` for the instances of a step that need one;
/// none when no instance does.
pub fn compose(id: i64, rule: &CheckedRule, changed: &[Changed], at: i64, public_url: &str) -> Option<Notice> {
    let mut alerts: Vec<NoticeAlert> = changed
        .iter()
        .filter_map(|c| {
            let event = c.event?;
            let firing = event != Event::Resolved;
            // A resolution names the severity that was notified, so that a
            // receiver keyed by labels (Alertmanager) resolves that alert.
            let (starts, severity) = if firing {
                (c.instance.state.since(), c.instance.state.counts_as(rule.no_data_as))
            } else {
                (c.before.since(), mark_severity(c.previous_mark.as_deref()))
            };
            let told = Told {
                firing,
                severity,
                starts,
            };
            Some(NoticeAlert::of(rule, &c.labels, &c.instance, told, at, public_url))
        })
        .collect();
    if alerts.is_empty() {
        return None;
    }
    alerts.sort_by(|a, b| a.labels.cmp(&b.labels));
    let event = if alerts.iter().any(|a| a.firing) {
        Event::Firing
    } else {
        Event::Resolved
    };
    Some(Notice {
        rule: id,
        rule_name: rule.draft.name.clone(),
        event,
        contact_points: rule.draft.contact_points.clone(),
        alerts,
        at,
    })
}

/// What "send test" sends: one made-up firing alert, rule id 0.
pub fn test_notice(public_url: &str, at: i64) -> Notice {
    let labels: Labels = [
        (super::ALERT_NAME.to_owned(), "sensorboard test".to_owned()),
        (SERIES_LABEL.to_owned(), "test.series".to_owned()),
    ]
    .into();
    Notice {
        rule: 0,
        rule_name: "sensorboard test".into(),
        event: Event::Test,
        contact_points: Vec::new(),
        alerts: vec![NoticeAlert {
            url: link(public_url, &labels, None, at, None),
            labels,
            annotations: [(
                "summary".to_owned(),
                "A test notification: this contact point works.".to_owned(),
            )]
            .into(),
            firing: true,
            state: "firing",
            severity: Some(Severity::Warning),
            value: Some(42.0),
            starts: at,
            ends: None,
        }],
        at,
    }
}

/// What a notice says of one instance besides its rule and labels.
#[derive(Debug, Clone, Copy)]
pub struct Told {
    pub firing: bool,
    pub severity: Option<Severity>,
    pub starts: i64,
}

/// The severity a mark names (`firing:critical`).
fn mark_severity(mark: Option<&str>) -> Option<Severity> {
    match mark? {
        "firing:critical" => Some(Severity::Critical),
        "firing:warning" => Some(Severity::Warning),
        _ => None,
    }
}

impl NoticeAlert {
    /// Instance `labels` of `rule` as a notice tells it at `at`.
    pub fn of(
        rule: &CheckedRule,
        labels: &Labels,
        instance: &Instance,
        told: Told,
        at: i64,
        public_url: &str,
    ) -> NoticeAlert {
        let Told {
            firing,
            severity,
            starts,
        } = told;
        let state = instance.state.name();
        let ends = (!firing).then_some(at);
        NoticeAlert {
            annotations: rule
                .draft
                .annotations
                .iter()
                .map(|(k, v)| (k.clone(), fill_in(v, labels, instance.value, severity, state)))
                .collect(),
            url: link(public_url, labels, rule.draft.select.as_deref(), starts, ends),
            labels: labels.clone(),
            firing,
            state,
            severity,
            value: instance.value,
            starts,
            ends,
        }
    }
}

/// `{{value}}`, `{{severity}}`, `{{state}}` and `{{labels.<name>}}` in
/// `text` replaced by the instance's (spaces inside the braces allowed);
/// anything else is left as written.
pub fn fill_in(text: &str, labels: &Labels, value: Option<f64>, severity: Option<Severity>, state: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find("}}") else {
            rest = &rest[open..];
            break;
        };
        let name = rest[open + 2..open + close].trim();
        let filled = match name {
            "value" => Some(value.map_or_else(|| "no value".to_owned(), format_value)),
            "severity" => Some(severity.map_or("none", Severity::as_str).to_owned()),
            "state" => Some(state.to_owned()),
            _ => name
                .strip_prefix("labels.")
                .map(|l| labels.get(l).cloned().unwrap_or_default()),
        };
        match filled {
            Some(f) => out.push_str(&f),
            None => out.push_str(&rest[open..open + close + 2]),
        }
        rest = &rest[open + close + 2..];
    }
    out.push_str(rest);
    out
}

/// A value as people read it: up to four decimals, no trailing zeros.
pub fn format_value(v: f64) -> String {
    let text = format!("{v:.4}");
    let trimmed = text.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" {
        "0".into()
    } else {
        trimmed.to_owned()
    }
}

/// The explorer showing the instance's series (or the rule's selector)
/// from an hour before `starts` to an hour after `ends` (or now).
pub fn link(public_url: &str, labels: &Labels, select: Option<&str>, starts: i64, ends: Option<i64>) -> String {
    use app::domain::encode_query_value;
    let window = format!(
        "from={}&to={}",
        starts - 3_600_000,
        ends.map_or(starts + 3_600_000, |e| e + 3_600_000)
    );
    let base = public_url.trim_end_matches('/');
    match (labels.get(SERIES_LABEL), select) {
        (Some(series), _) => format!("{base}/explore?series={}&{window}", encode_query_value(series)),
        (None, Some(select)) => format!("{base}/explore?select={}&{window}", encode_query_value(select)),
        (None, None) => format!("{base}/explore?{window}"),
    }
}

#[cfg(test)]
#[path = "notice_tests.rs"]
mod tests;
