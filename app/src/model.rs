//! Wire types: what the browser and the server exchange, in the JSON shape
//! of the public HTTP API (PRODUCT.md §3). Times are epoch milliseconds.

mod alert_instance;
mod alert_rule;
mod alert_rule_form;
mod annotation;
mod contact_point;
mod dashboard;
mod selection;
mod silence;
mod system;
mod transform;
mod variables;

pub use alert_instance::{AlertInstance, AlertOverview, AlertTransition, MAX_TRANSITIONS};
pub use alert_rule::{AlertRule, AlertRuleDraft, CheckedRule, Reducer, MAX_RULE_SPAN_MS, MIN_RULE_EVERY_MS};
pub use alert_rule_form::RULE_FORM_FIELDS;
pub use annotation::{
    Annotation, AnnotationDraft, CheckedAnnotation, ALERT_FIRING_TAG, MAX_ANNOTATIONS, MAX_ANNOTATION_CHARS,
    MAX_ANNOTATION_TAGS,
};
pub use contact_point::{
    AlertDelivery, ContactPoint, ContactPointDraft, ContactTarget, PushKeys, PushSubscription, SmtpTls, WebhookFormat,
    DEFAULT_REPEAT_MS, MAX_DELIVERIES,
};
pub use dashboard::{
    Dashboard, DashboardDraft, PanelKind, PanelLevel, PanelSelection, PanelSpec, Thresholds, ValueAxis, ValueMapping,
    GRID_COLUMNS, MAX_MAPPINGS, MAX_PANELS, MAX_PANEL_COLORS, MAX_PANEL_SERIES, MAX_SERIES_KEY_BYTES, MAX_TITLE_CHARS,
    PANEL_HEIGHTS_PX,
};
pub use selection::{spread_lines, AggregateOp, LabelValue, Line, RankStat, SeriesQuery, DEFAULT_LINES, MAX_LINES};
pub use silence::{CheckedSilence, DailyWindow, Silence, SilenceDraft, MAX_SILENCE_MS};
pub use system::{system_dashboard, SlowQuery, SYSTEM_PREFIX};
pub use transform::{Transform, DEFAULT_MOVING_WINDOW_MS, MAX_MOVING_WINDOW_MS};
pub use variables::{check_variables, DashboardVariable, MAX_VARIABLES, MAX_VARIABLE_NAME};

use crate::domain::TimeSpec;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Label name to value; ordered so keys and JSON are canonical.
pub type Labels = BTreeMap<String, String>;

/// One series as the catalogue lists it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesInfo {
    /// Canonical key, `name{label="value",...}`; what queries name.
    pub key: String,
    pub name: String,
    pub labels: Labels,
    pub unit: Option<String>,
    /// Time of the oldest stored point.
    pub first: Option<i64>,
    /// Time of the newest stored point.
    pub last: Option<i64>,
    /// Value of the newest stored point.
    pub last_value: Option<f64>,
    pub count: u64,
}

/// How a window's points are reduced to the requested number.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Agg {
    /// The dashboard's choice: min-max buckets, which never hide a spike
    /// or a dip, and leave gaps empty.
    #[default]
    Auto,
    /// Every stored point (or rollup bucket), unreduced.
    Raw,
    /// Largest-Triangle-Three-Buckets to at most `points` points.
    Lttb,
    /// The lowest and highest point of each bucket of a fixed time grid.
    Minmax,
    /// The mean of each bucket of a fixed time grid (smooth; hides spikes).
    Avg,
}

impl Agg {
    /// The name used in URLs and answers.
    pub fn as_str(self) -> &'static str {
        match self {
            Agg::Auto => "auto",
            Agg::Raw => "raw",
            Agg::Lttb => "lttb",
            Agg::Minmax => "minmax",
            Agg::Avg => "avg",
        }
    }

    pub fn parse(text: &str) -> Option<Agg> {
        [Agg::Auto, Agg::Raw, Agg::Lttb, Agg::Minmax, Agg::Avg]
            .into_iter()
            .find(|a| a.as_str() == text)
    }
}

/// Which data answers a query.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Resolution {
    /// The finest data whose size in the window stays within a few times
    /// the points asked for.
    #[default]
    #[serde(rename = "auto")]
    Auto,
    /// The stored points.
    #[serde(rename = "raw")]
    Raw,
    /// 1-minute rollup buckets.
    #[serde(rename = "1m")]
    Minute,
    /// 1-hour rollup buckets.
    #[serde(rename = "1h")]
    Hour,
}

impl Resolution {
    /// The name used in URLs and answers.
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Auto => "auto",
            Resolution::Raw => "raw",
            Resolution::Minute => "1m",
            Resolution::Hour => "1h",
        }
    }

    pub fn parse(text: &str) -> Option<Resolution> {
        [Resolution::Auto, Resolution::Raw, Resolution::Minute, Resolution::Hour]
            .into_iter()
            .find(|r| r.as_str() == text)
    }
}

/// One panel's question: this series (or these, by selector), this
/// window, this many points.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryRequest {
    /// One series' key; empty when `select` names the series.
    #[serde(default)]
    pub series: String,
    /// A selector, `name{label="value", other=~"re.*"}`, naming many
    /// series in place of `series`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<String>,
    /// With `select`: combine the series in each time bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate: Option<AggregateOp>,
    /// With `aggregate`: one line per distinct value of these labels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by: Vec<String>,
    /// With `select`: the most lines returned (20 unless given), the
    /// highest by `rank` (the lowest with `bottom`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<RankStat>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bottom: bool,
    /// Computed from each line's stored values before they are reduced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transform: Option<Transform>,
    /// Epoch milliseconds, RFC 3339, or relative to now (`now-1h`, `-7d`).
    pub from: TimeSpec,
    pub to: TimeSpec,
    /// The most points wanted back; for a chart, its width in device pixels.
    pub points: usize,
    #[serde(default)]
    pub agg: Agg,
    #[serde(default)]
    pub resolution: Resolution,
}

impl Default for QueryRequest {
    /// The last hour of no series yet, at the default width.
    fn default() -> Self {
        QueryRequest {
            series: String::new(),
            select: None,
            aggregate: None,
            by: Vec::new(),
            lines: None,
            rank: None,
            bottom: false,
            transform: None,
            from: DEFAULT_QUERY_FROM,
            to: DEFAULT_QUERY_TO,
            points: crate::domain::DEFAULT_POINTS,
            agg: Agg::default(),
            resolution: Resolution::default(),
        }
    }
}

/// Most queries one batch (one dashboard poll) may hold.
pub const MAX_QUERY_BATCH: usize = 256;

/// Where a query that names no window starts: an hour ago.
pub const DEFAULT_QUERY_FROM: TimeSpec = TimeSpec::FromNow(-3_600_000);
/// Where a query that names no window ends: now.
pub const DEFAULT_QUERY_TO: TimeSpec = TimeSpec::FromNow(0);

/// Refuses a batch of more than [`MAX_QUERY_BATCH`] queries, with the one
/// error both the REST batch and the server function give.
pub fn check_batch_size(queries: usize) -> Result<(), ErrorBody> {
    if queries > MAX_QUERY_BATCH {
        return Err(too_many_queries(&queries.to_string()));
    }
    Ok(())
}

/// The refusal of a batch of more than [`MAX_QUERY_BATCH`] queries; `got`
/// says how many (or "more", for a reader that stopped counting).
pub fn too_many_queries(got: &str) -> ErrorBody {
    ErrorBody::new(
        "too_many_queries",
        format!("a batch holds at most {MAX_QUERY_BATCH} queries, got {got}"),
    )
}

/// Summary of every point in the window, not only of those returned.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub count: u64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub avg: Option<f64>,
    pub last: Option<f64>,
}

/// A query's answer. `from`/`to` are the resolved window.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryResult {
    pub series: String,
    /// The series' unit, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub from: i64,
    pub to: i64,
    /// Which data answered: `raw`, `1m` or `1h` (never `auto`).
    pub resolution: String,
    /// How many stored rows (points or rollup buckets) the answer read.
    #[serde(default)]
    pub rows_read: u64,
    pub agg: Agg,
    /// `[t, v]` pairs in time order, inside `[from, to]` (empty for a
    /// selector: see `lines`).
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Vec<f64>>))]
    pub points: Vec<(i64, f64)>,
    /// Width in milliseconds of the time grid (buckets from the epoch) the
    /// points were reduced on, when they were: a bucket without a point
    /// held no data, so a chart breaks its line there. Absent when the
    /// points are stored points or LTTB's choice among them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<i64>,
    pub stats: Stats,
    /// For a selector: how many series it matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched: Option<u64>,
    /// For a selector: the lines, one per series or per group, ranked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<Line>,
    /// For a selector: how many more lines there were than returned.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub more: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The JSON error body of every failed request and failed batch slot.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `series_not_found`.
    pub error: String,
    /// What went wrong and where, for a human.
    pub message: String,
}

impl ErrorBody {
    pub fn new(error: impl Into<String>, message: impl Into<String>) -> Self {
        ErrorBody {
            error: error.into(),
            message: message.into(),
        }
    }
}

/// One slot of a batch answer: a result, or the error of that query alone.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum QueryOutcome {
    /// Boxed: an answer is far larger than an error.
    Ok(Box<QueryResult>),
    Err(ErrorBody),
}

impl QueryOutcome {
    /// The answer, when the query had one.
    pub fn result(&self) -> Option<&QueryResult> {
        match self {
            QueryOutcome::Ok(r) => Some(r),
            QueryOutcome::Err(_) => None,
        }
    }
}

impl From<Result<QueryResult, ErrorBody>> for QueryOutcome {
    fn from(result: Result<QueryResult, ErrorBody>) -> Self {
        match result {
            Ok(r) => QueryOutcome::Ok(Box::new(r)),
            Err(e) => QueryOutcome::Err(e),
        }
    }
}

/// The OpenAPI schema of a time: epoch milliseconds or a string.
#[cfg(feature = "ssr")]
impl utoipa::PartialSchema for TimeSpec {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
        OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                    .description(Some("milliseconds since the Unix epoch")),
            )
            .item(ObjectBuilder::new().schema_type(Type::String).description(Some(
                "RFC 3339 (2026-11-23T10:00:00Z), or relative to now: now, now-1h, -7d",
            )))
            .into()
    }
}

#[cfg(feature = "ssr")]
impl utoipa::ToSchema for TimeSpec {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_result_points_travel_as_pairs() {
        let r = QueryResult {
            series: "t".into(),
            unit: None,
            from: 0,
            to: 10,
            resolution: "raw".into(),
            rows_read: 1,
            agg: Agg::Lttb,
            points: vec![(1, 2.5)],
            bucket: None,
            stats: Stats::default(),
            matched: None,
            lines: Vec::new(),
            more: 0,
        };
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["points"], serde_json::json!([[1, 2.5]]));
        assert_eq!(json["agg"], "lttb");
        let q: QueryRequest = serde_json::from_str(r#"{"series":"s","from":0,"to":1,"points":5}"#).unwrap();
        assert_eq!((q.agg, q.resolution), (Agg::Auto, Resolution::Auto));
        let q: QueryRequest =
            serde_json::from_str(r#"{"series":"s","from":0,"to":1,"points":5,"agg":"minmax","resolution":"1m"}"#)
                .unwrap();
        assert_eq!((q.agg, q.resolution), (Agg::Minmax, Resolution::Minute));
        assert_eq!(Resolution::parse("1h"), Some(Resolution::Hour));
        assert_eq!(Resolution::parse("5m"), None);
    }

    #[test]
    fn batch_slots_are_results_or_error_objects() {
        let err = QueryOutcome::Err(ErrorBody::new("series_not_found", "no series `x`"));
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": "series_not_found", "message": "no series `x`"})
        );
        let back: QueryOutcome = serde_json::from_value(json).unwrap();
        assert_eq!(back, err);
    }

    #[test]
    fn query_request_accepts_relative_and_absolute_times() {
        let q: QueryRequest =
            serde_json::from_str(r#"{"series":"a","from":"now-1h","to":1732356000000,"points":800}"#).unwrap();
        assert_eq!(q.from, TimeSpec::FromNow(-3_600_000));
        assert_eq!(q.to, TimeSpec::At(1_732_356_000_000));
        assert_eq!(q.agg, Agg::Auto, "the default never hides an extreme");
    }
}
