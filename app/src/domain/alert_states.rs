//! The life of one alert instance, as a pure function of its previous
//! state and one evaluation: Normal → Pending → Firing (with a severity)
//! → Recovering → Normal, with NoData and Error beside them. The server's
//! scheduler steps every instance at each evaluation and stores the
//! transitions (the state history); a rule editor can replay a window
//! through the same function to show where a rule would have fired.
//!
//! - A value crossing a threshold makes the instance Pending; it fires
//!   once the condition has held for the pending duration (at once when
//!   that is zero), with the severity of the latest value (Critical
//!   outranks Warning, and a firing instance moves between them).
//! - Hysteresis: a firing instance recovers only when the value is back
//!   past the recovery threshold (the warning threshold when none is
//!   set), and resolves after the keep-firing duration in that state.
//! - No data for the no-data duration makes the instance NoData; what
//!   that counts as (alerting, OK, or the state before) is the rule's
//!   choice, applied by [`AlertState::counts_as`]. A failed query makes it
//!   Error until an evaluation succeeds.

use serde::{Deserialize, Serialize};

/// How bad a firing instance is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Critical,
}

impl Severity {
    /// The word the API, messages and pages use.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }
}

/// Which side of its thresholds a value alerts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// At or above a threshold (a temperature too high).
    Above,
    /// At or below a threshold (a pressure too low).
    Below,
    /// Outside a band: at or above its high edge (the threshold) or at or
    /// below its low edge (a humidity too high or too low).
    Outside,
    /// Inside a band, from its low edge to its high edge (a motor speed
    /// in its resonance band).
    Inside,
}

/// The condition and timing of a rule, as the state machine needs them.
/// Times are milliseconds. For a band (outside, inside) a threshold is
/// its high edge and `*_low` its low edge.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AlertLogic {
    pub direction: Direction,
    /// Comparisons exclude the thresholds (`>`, `<`) rather than include
    /// them (`>=`, `<=`).
    #[serde(default)]
    pub strict: bool,
    pub warning: Option<f64>,
    pub critical: Option<f64>,
    #[serde(default)]
    pub warning_low: Option<f64>,
    #[serde(default)]
    pub critical_low: Option<f64>,
    /// Where a firing instance counts as recovered; the warning threshold
    /// (else the critical one) when absent.
    pub recovery: Option<f64>,
    /// How long the condition must hold before the instance fires.
    pub pending_ms: i64,
    /// How long a recovered instance keeps firing before it resolves.
    pub keep_firing_ms: i64,
    /// How long without a value makes the instance NoData.
    pub no_data_ms: i64,
}

/// What NoData counts as for notifications and the panel's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoDataAs {
    /// A silent sensor is an alert (critical).
    Alerting,
    /// A missing series pages nobody.
    Ok,
    /// As the instance was before its data stopped.
    KeepLast,
}

/// The state of one instance; `since` is when it entered it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AlertState {
    Normal {
        since: i64,
    },
    Pending {
        since: i64,
        severity: Severity,
    },
    Firing {
        since: i64,
        severity: Severity,
    },
    Recovering {
        since: i64,
        severity: Severity,
    },
    /// `before` is the state the data stopped in.
    NoData {
        since: i64,
        before: Box<AlertState>,
    },
    Error {
        since: i64,
        message: String,
        before: Box<AlertState>,
    },
}

/// One evaluation of an instance at `at`: the reduced value of its
/// window, none when the window held no data, or the query's failure.
#[derive(Debug, Clone, PartialEq)]
pub enum Evaluation {
    Value(f64),
    NoValue,
    Failed(String),
}

impl AlertLogic {
    /// The severity `value` alerts with, if any (Critical first).
    pub fn severity(&self, value: f64) -> Option<Severity> {
        if self.meets(value, self.critical, self.critical_low) {
            Some(Severity::Critical)
        } else if self.meets(value, self.warning, self.warning_low) {
            Some(Severity::Warning)
        } else {
            None
        }
    }

    /// Whether `value` meets the condition of one level, `high` being its
    /// threshold (a band's high edge) and `low` a band's low edge.
    fn meets(&self, value: f64, high: Option<f64>, low: Option<f64>) -> bool {
        let at_or_above = |t: f64| if self.strict { value > t } else { value >= t };
        let at_or_below = |t: f64| if self.strict { value < t } else { value <= t };
        match self.direction {
            Direction::Above => high.is_some_and(at_or_above),
            Direction::Below => high.is_some_and(at_or_below),
            Direction::Outside => high.is_some_and(at_or_above) || low.is_some_and(at_or_below),
            Direction::Inside => match (low, high) {
                (Some(l), Some(h)) => at_or_above(l) && at_or_below(h),
                _ => false,
            },
        }
    }

    /// Whether `value` is back past the recovery threshold. A band has no
    /// recovery line of its own: back out of every band is recovered.
    pub fn recovered(&self, value: f64) -> bool {
        let line = self.recovery.or(self.warning).or(self.critical);
        match (self.direction, line) {
            (_, None) => true,
            (Direction::Above, Some(r)) => value < r,
            (Direction::Below, Some(r)) => value > r,
            (Direction::Outside | Direction::Inside, Some(_)) => self.severity(value).is_none(),
        }
    }
}

impl AlertState {
    pub fn since(&self) -> i64 {
        match self {
            AlertState::Normal { since }
            | AlertState::Pending { since, .. }
            | AlertState::Firing { since, .. }
            | AlertState::Recovering { since, .. }
            | AlertState::NoData { since, .. }
            | AlertState::Error { since, .. } => *since,
        }
    }

    /// The state's name as the API writes it.
    pub fn name(&self) -> &'static str {
        match self {
            AlertState::Normal { .. } => "normal",
            AlertState::Pending { .. } => "pending",
            AlertState::Firing { .. } => "firing",
            AlertState::Recovering { .. } => "recovering",
            AlertState::NoData { .. } => "no_data",
            AlertState::Error { .. } => "error",
        }
    }

    /// The severity the state itself carries (pending, firing, recovering).
    pub fn own_severity(&self) -> Option<Severity> {
        match self {
            AlertState::Pending { severity, .. }
            | AlertState::Firing { severity, .. }
            | AlertState::Recovering { severity, .. } => Some(*severity),
            _ => None,
        }
    }

    /// Whether going from `self` to `next` is a transition worth keeping:
    /// another state, or another severity in the same state.
    pub fn changes_to(&self, next: &AlertState) -> bool {
        self.name() != next.name() || self.own_severity() != next.own_severity()
    }

    /// The severity it fires with, taking NoData as `no_data` says (an
    /// Error fires with nothing new: it keeps what it had).
    pub fn counts_as(&self, no_data: NoDataAs) -> Option<Severity> {
        match self {
            AlertState::Firing { severity, .. } | AlertState::Recovering { severity, .. } => Some(*severity),
            AlertState::Normal { .. } | AlertState::Pending { .. } => None,
            AlertState::NoData { before, .. } => match no_data {
                NoDataAs::Alerting => Some(Severity::Critical),
                NoDataAs::Ok => None,
                NoDataAs::KeepLast => before.counts_as(no_data),
            },
            AlertState::Error { before, .. } => before.counts_as(no_data),
        }
    }

    /// The state after evaluation `e` at `at`; `last_value_at` is when
    /// the instance last had a value (for NoData).
    pub fn next(&self, logic: &AlertLogic, at: i64, e: &Evaluation, last_value_at: Option<i64>) -> AlertState {
        let settled = match self {
            AlertState::NoData { before, .. } | AlertState::Error { before, .. } => before.as_ref(),
            other => other,
        };
        match e {
            Evaluation::Failed(message) => match self {
                AlertState::Error { .. } => self.clone(),
                _ => AlertState::Error {
                    since: at,
                    message: message.clone(),
                    before: Box::new(settled.clone()),
                },
            },
            Evaluation::NoValue => {
                let silent_since = last_value_at.unwrap_or(i64::MIN);
                if matches!(self, AlertState::NoData { .. }) {
                    self.clone()
                } else if at.saturating_sub(silent_since) >= logic.no_data_ms {
                    AlertState::NoData {
                        since: at,
                        before: Box::new(settled.clone()),
                    }
                } else {
                    settled.clone()
                }
            }
            Evaluation::Value(v) => settled.with_value(logic, at, *v),
        }
    }

    fn with_value(&self, logic: &AlertLogic, at: i64, v: f64) -> AlertState {
        let severity = logic.severity(v);
        match (self, severity) {
            (AlertState::Normal { .. }, None) => self.clone(),
            (AlertState::Normal { .. }, Some(s)) if logic.pending_ms <= 0 => {
                AlertState::Firing { since: at, severity: s }
            }
            (AlertState::Normal { .. }, Some(s)) => AlertState::Pending { since: at, severity: s },
            (AlertState::Pending { .. }, None) => AlertState::Normal { since: at },
            (AlertState::Pending { since, .. }, Some(s)) if at - since >= logic.pending_ms => {
                AlertState::Firing { since: at, severity: s }
            }
            (AlertState::Pending { since, .. }, Some(s)) => AlertState::Pending {
                since: *since,
                severity: s,
            },
            (AlertState::Firing { since, .. }, Some(s)) => AlertState::Firing {
                since: *since,
                severity: s,
            },
            (AlertState::Firing { severity, .. }, None) if logic.recovered(v) => {
                if logic.keep_firing_ms <= 0 {
                    AlertState::Normal { since: at }
                } else {
                    AlertState::Recovering {
                        since: at,
                        severity: *severity,
                    }
                }
            }
            // Between the thresholds and the recovery line: still firing.
            (AlertState::Firing { .. }, None) => self.clone(),
            (AlertState::Recovering { .. }, Some(s)) => AlertState::Firing { since: at, severity: s },
            (AlertState::Recovering { since, .. }, None)
                if logic.recovered(v) && at - since >= logic.keep_firing_ms =>
            {
                AlertState::Normal { since: at }
            }
            (AlertState::Recovering { since, severity }, None) if logic.recovered(v) => AlertState::Recovering {
                since: *since,
                severity: *severity,
            },
            (AlertState::Recovering { severity, .. }, None) => AlertState::Firing {
                since: at,
                severity: *severity,
            },
            (AlertState::NoData { .. } | AlertState::Error { .. }, _) => {
                AlertState::Normal { since: at }.with_value(logic, at, v)
            }
        }
    }
}

#[cfg(test)]
#[path = "alert_states_tests.rs"]
mod tests;
