//! Alert rules as a client writes them: what to watch (one series, or a
//! selector, with an aggregation `by` labels: one alert instance per
//! series or group), how its trailing window is reduced to one value, the
//! condition with warning and critical thresholds, the timing (every, for,
//! keep firing, no data after), and what a silence counts as. Checking a
//! draft gives the [`AlertLogic`] the state machine runs on.

use super::{AggregateOp, ErrorBody, Labels, MAX_TITLE_CHARS};
use crate::domain::{parse_span, AlertLogic, Direction, NoDataAs, Selector};
use serde::{Deserialize, Serialize};

/// Longest window a rule may reduce, and longest of its durations.
pub const MAX_RULE_SPAN_MS: i64 = 30 * 86_400_000;
/// Shortest evaluation interval.
pub const MIN_RULE_EVERY_MS: i64 = 1_000;

/// How a rule's window becomes the one value its condition reads.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Reducer {
    /// The newest value.
    #[default]
    Last,
    Avg,
    Min,
    Max,
    /// How many values the window holds.
    Count,
    /// Change per second from the window's first value to its last.
    Rate,
}

/// A rule as a client sends it; durations are spans like `15s`, `2m`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertRuleDraft {
    pub name: String,
    /// One series' key; empty when `select` names the series.
    #[serde(default)]
    pub series: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate: Option<AggregateOp>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by: Vec<String>,
    #[serde(default)]
    pub reducer: Reducer,
    /// The trailing window reduced at each evaluation (`5m` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<String>,
    /// `above` (alerts at or above a threshold), `below`, `outside` a
    /// band (from `*_low` to the threshold) or `inside` it.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub direction: Direction,
    /// Compare with `>` / `<` rather than `>=` / `<=`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub strict: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical: Option<f64>,
    /// For a band (`outside`, `inside`): the low edge of each level's band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning_low: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical_low: Option<f64>,
    /// Where a firing instance recovers (hysteresis); the warning
    /// threshold (else the critical one) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<f64>,
    /// How often it is evaluated (`15s` when absent, at least `1s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<String>,
    /// How long the condition must hold before it fires (at once when absent).
    #[serde(default, rename = "for", skip_serializing_if = "Option::is_none")]
    pub pending: Option<String>,
    /// How long it keeps firing once recovered (resolves at once when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_firing: Option<String>,
    /// How long without data makes an instance NoData (`5m` when absent,
    /// at least one interval).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_data_after: Option<String>,
    /// What NoData counts as: alerting (a silent sensor pages), ok, or the
    /// state before (`alerting` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub no_data_as: Option<NoDataAs>,
    /// Added to every instance's labels (routing, silences).
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub labels: Labels,
    /// `summary`, `description`, ...: texts sent with notifications;
    /// `{{value}}`, `{{severity}}` and `{{labels.<name>}}` are filled in.
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub annotations: Labels,
    /// The contact points its notifications go to (ids); every contact
    /// point when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact_points: Vec<i64>,
}

/// A stored rule: its id, the draft as it was checked, and when it was
/// last changed.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertRule {
    pub id: i64,
    #[serde(flatten)]
    pub rule: AlertRuleDraft,
    pub updated: i64,
}

/// A draft checked, its durations in milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedRule {
    pub draft: AlertRuleDraft,
    pub window_ms: i64,
    pub every_ms: i64,
    pub logic: AlertLogic,
    pub no_data_as: NoDataAs,
}

impl AlertRuleDraft {
    /// The rule ready to run, or the first thing wrong with it.
    pub fn checked(mut self) -> Result<CheckedRule, ErrorBody> {
        self.name = self.name.trim().to_owned();
        if self.name.is_empty() || self.name.chars().count() > MAX_TITLE_CHARS {
            return Err(invalid(format!("the name must be 1 to {MAX_TITLE_CHARS} characters")));
        }
        match (&self.select, self.series.trim().is_empty()) {
            (Some(_), false) => return Err(invalid("a rule watches either `series` or `select`, not both".into())),
            (None, true) => return Err(invalid("a rule needs a `series` or a `select`".into())),
            (Some(s), true) => {
                Selector::parse(s).map_err(|e| invalid(format!("select: {e}")))?;
            }
            (None, false) => {}
        }
        if !self.by.is_empty() && self.aggregate.is_none() {
            return Err(invalid("`by` groups an aggregation: give `aggregate` too".into()));
        }
        if self.aggregate.is_some() && self.select.is_none() {
            return Err(invalid("`aggregate` applies to a rule over `select`".into()));
        }
        self.check_thresholds()?;
        let window_ms = span("window", self.window.as_deref(), 300_000, false)?;
        let every_ms = span("every", self.every.as_deref(), 15_000, false)?;
        if every_ms < MIN_RULE_EVERY_MS {
            return Err(invalid("every: rules are evaluated at most once a second".into()));
        }
        let pending_ms = span("for", self.pending.as_deref(), 0, true)?;
        let keep_firing_ms = span("keep_firing", self.keep_firing.as_deref(), 0, true)?;
        let no_data_ms = span("no_data_after", self.no_data_after.as_deref(), 300_000, false)?;
        if no_data_ms < every_ms {
            return Err(invalid("no_data_after must be at least one evaluation interval".into()));
        }
        let logic = AlertLogic {
            direction: self.direction,
            strict: self.strict,
            warning: self.warning,
            critical: self.critical,
            warning_low: self.warning_low,
            critical_low: self.critical_low,
            recovery: self.recovery,
            pending_ms,
            keep_firing_ms,
            no_data_ms,
        };
        Ok(CheckedRule {
            no_data_as: self.no_data_as.unwrap_or(NoDataAs::Alerting),
            draft: self,
            window_ms,
            every_ms,
            logic,
        })
    }

    fn check_thresholds(&self) -> Result<(), ErrorBody> {
        let given = [
            self.warning,
            self.critical,
            self.recovery,
            self.warning_low,
            self.critical_low,
        ];
        if given.iter().flatten().any(|v| !v.is_finite()) {
            return Err(invalid("thresholds must be finite numbers".into()));
        }
        if self.warning.is_none() && self.critical.is_none() {
            return Err(invalid("a rule needs a warning or a critical threshold".into()));
        }
        match self.direction {
            Direction::Above | Direction::Below => self.check_line(),
            Direction::Outside | Direction::Inside => self.check_bands(),
        }
    }

    /// One threshold per level, on one side.
    fn check_line(&self) -> Result<(), ErrorBody> {
        if self.warning_low.is_some() || self.critical_low.is_some() {
            return Err(invalid(
                "warning_low and critical_low are the low edges of a band: direction outside or inside".into(),
            ));
        }
        // Worse means further in the rule's direction.
        let worse = |a: f64, b: f64| match self.direction {
            Direction::Below => a < b,
            _ => a > b,
        };
        if let (Some(w), Some(c)) = (self.warning, self.critical) {
            if worse(w, c) {
                return Err(invalid(format!(
                    "the warning threshold {w} is past the critical one {c}"
                )));
            }
        }
        let first = self.warning.or(self.critical);
        if let (Some(r), Some(f)) = (self.recovery, first) {
            if worse(r, f) {
                return Err(invalid(format!(
                    "the recovery threshold {r} must lie on the safe side of {f}"
                )));
            }
        }
        Ok(())
    }

    /// A low and a high edge for each level given.
    fn check_bands(&self) -> Result<(), ErrorBody> {
        if self.recovery.is_some() {
            return Err(invalid("a band recovers at its edges: leave recovery out".into()));
        }
        for (name, low, high) in [
            ("warning", self.warning_low, self.warning),
            ("critical", self.critical_low, self.critical),
        ] {
            match (low, high) {
                (Some(l), Some(h)) if l > h => {
                    return Err(invalid(format!(
                        "the {name} band's low edge {l} is above its high edge {h}"
                    )))
                }
                (Some(_), None) | (None, Some(_)) => {
                    return Err(invalid(format!(
                        "a band needs both edges: {name}_low and {name}, or neither"
                    )))
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// A duration field in milliseconds: `default` when absent; `0s` only
/// where `zero_ok`; at most [`MAX_RULE_SPAN_MS`].
fn span(name: &str, text: Option<&str>, default: i64, zero_ok: bool) -> Result<i64, ErrorBody> {
    let Some(text) = text else { return Ok(default) };
    let ms = match parse_span(text) {
        Some(ms) => ms,
        None if zero_ok && is_zero(text) => 0,
        None => return Err(invalid(format!("{name}: `{text}` is not a span like 15s, 5m or 1h"))),
    };
    if ms > MAX_RULE_SPAN_MS {
        return Err(invalid(format!("{name}: `{text}` is longer than 30 days")));
    }
    Ok(ms)
}

/// `0`, `0s`, `0m`...: no time at all.
fn is_zero(text: &str) -> bool {
    let t = text.trim();
    t.starts_with('0') && ["", "ms", "s", "m", "h", "d", "w"].contains(&t.trim_start_matches('0'))
}

fn invalid(message: String) -> ErrorBody {
    ErrorBody::new("invalid_rule", message)
}

#[cfg(test)]
#[path = "alert_rule_tests.rs"]
mod tests;
