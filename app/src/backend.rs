//! The port through which server functions reach storage and the query
//! engine. `app` declares it; the server binary implements it and provides
//! a [`BackendHandle`] via context, which keeps SQLite out of the wasm build
//! and lets UI code be tested against a fake.

use crate::model::{
    AlertOverview, AlertRuleDraft, Annotation, AnnotationDraft, ContactPointDraft, Dashboard, DashboardDraft,
    ErrorBody, LabelValue, QueryOutcome, QueryRequest, SeriesInfo, SeriesQuery, SilenceDraft, SlowQuery,
};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub type BackendFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What the UI needs from the server. Implementations must be cheap to
/// call concurrently: every dashboard poll goes through here.
pub trait Backend: Send + Sync + 'static {
    /// A page of the series whose key contains `query.filter`
    /// (case-insensitive) and that match `query.select`, ordered by key.
    fn list_series(&self, query: SeriesQuery) -> BackendFuture<'_, Result<Vec<SeriesInfo>, ErrorBody>>;

    /// Label names starting with `prefix`, in byte order, at most `limit`.
    fn label_names(&self, prefix: String, limit: usize) -> BackendFuture<'_, Result<Vec<String>, ErrorBody>>;

    /// Values of `label` starting with `prefix` and their series counts,
    /// among the series `select` matches when given, in byte order.
    fn label_values(
        &self,
        label: String,
        prefix: String,
        select: Option<String>,
        limit: usize,
    ) -> BackendFuture<'_, Result<Vec<LabelValue>, ErrorBody>>;

    /// Answers every query, in order; one failure fills its own slot only.
    fn query_batch(&self, queries: Vec<QueryRequest>) -> BackendFuture<'_, Vec<QueryOutcome>>;

    /// Every dashboard, oldest first; a default one is made from the
    /// series when none exists.
    fn dashboards(&self) -> BackendFuture<'_, Result<Vec<Dashboard>, ErrorBody>>;

    /// Creates (`id` none) or replaces dashboard `id` with a validated draft.
    fn save_dashboard(&self, id: Option<i64>, draft: DashboardDraft)
        -> BackendFuture<'_, Result<Dashboard, ErrorBody>>;

    /// Deletes dashboard `id`; an error when there is none.
    fn delete_dashboard(&self, id: i64) -> BackendFuture<'_, Result<(), ErrorBody>>;

    /// The annotations overlapping `[from, to]` of `dashboard` and of
    /// every dashboard, by time.
    fn annotations(&self, dashboard: i64, from: i64, to: i64) -> BackendFuture<'_, Result<Vec<Annotation>, ErrorBody>>;

    /// Creates (`id` none) or replaces annotation `id`.
    fn save_annotation(
        &self,
        id: Option<i64>,
        draft: AnnotationDraft,
    ) -> BackendFuture<'_, Result<Annotation, ErrorBody>>;

    /// Deletes annotation `id`; an error when there is none.
    fn delete_annotation(&self, id: i64) -> BackendFuture<'_, Result<(), ErrorBody>>;

    /// The slowest queries of the last minutes, slowest first.
    fn slow_queries(&self) -> Vec<SlowQuery>;

    /// The alerts page's lists and forms for the page's query string
    /// (filters by `state` and `severity`; the rule form's fields).
    fn alerts(&self, query: String) -> BackendFuture<'_, Result<AlertOverview, ErrorBody>>;

    /// Creates (`id` none) or replaces an alert rule.
    fn save_alert_rule(&self, id: Option<i64>, draft: AlertRuleDraft) -> BackendFuture<'_, Result<(), ErrorBody>>;

    /// Deletes an alert rule with its instances.
    fn delete_alert_rule(&self, id: i64) -> BackendFuture<'_, Result<(), ErrorBody>>;

    /// Creates a silence.
    fn save_silence(&self, draft: SilenceDraft) -> BackendFuture<'_, Result<(), ErrorBody>>;

    /// Deletes a silence (what it muted notifies again).
    fn delete_silence(&self, id: i64) -> BackendFuture<'_, Result<(), ErrorBody>>;

    /// Creates a contact point (shown back redacted).
    fn save_contact_point(&self, draft: ContactPointDraft) -> BackendFuture<'_, Result<(), ErrorBody>>;

    /// Deletes a contact point.
    fn delete_contact_point(&self, id: i64) -> BackendFuture<'_, Result<(), ErrorBody>>;

    /// Sends a test notification to a contact point; whether it was taken.
    fn test_contact_point(&self, id: i64) -> BackendFuture<'_, Result<bool, ErrorBody>>;

    /// Ends a plain form post by sending the browser to `to` (a path).
    fn redirect(&self, to: &str);
}

/// The shared handle placed in the Leptos context.
#[derive(Clone)]
pub struct BackendHandle(pub Arc<dyn Backend>);
