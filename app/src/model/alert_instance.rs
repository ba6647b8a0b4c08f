//! What the alerting side answers: the instances of the rules (one per
//! series or group a rule watches) with their state now, and the state
//! history, one row per transition.

use super::Labels;
use crate::domain::{AlertState, Severity};
use serde::{Deserialize, Serialize};

/// Most transitions one history answer lists.
pub const MAX_TRANSITIONS: usize = 1_000;

/// One alert instance as the scheduler sees it now.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertInstance {
    pub rule: i64,
    pub rule_name: String,
    /// The rule's labels, the series' or group's labels, and `alertname`.
    pub labels: Labels,
    /// `{"state": "firing", "since": <ms>, "severity": "critical"}` and so
    /// on: normal, pending, firing, recovering, no_data, error.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub state: AlertState,
    /// The severity it alerts with now (NoData as the rule says), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub severity: Option<Severity>,
    /// The reduced value of the latest evaluation that had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// When that value was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_at: Option<i64>,
    /// When the instance was last evaluated.
    pub evaluated: i64,
    /// The silence muting its notifications now, if one does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silenced_by: Option<i64>,
}

/// One change of an instance's state, kept in the state history.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertTransition {
    pub id: i64,
    pub rule: i64,
    pub labels: Labels,
    /// When the instance entered `state`.
    pub time: i64,
    /// normal, pending, firing, recovering, no_data or error.
    pub state: String,
    /// The state it left.
    pub previous: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub severity: Option<Severity>,
    /// The value that caused it, when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Why the query failed, for `error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The alerts page's content, as HTML made by the server (see the
/// server's `site::alert_html`): what the last change did, the filters
/// and the instances table, the rules and the rule form, the silences and
/// their form, the contact points with the deliveries and their form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AlertOverview {
    pub html: String,
}
