//! Server functions: the browser's calls into the server. Each is a thin
//! wrapper that takes the [`Backend`](crate::backend::Backend) from context.

mod alert_forms;

use crate::model::{
    AlertOverview, Annotation, AnnotationDraft, Dashboard, DashboardDraft, ErrorBody, LabelValue, QueryOutcome,
    QueryRequest, SeriesInfo, SeriesQuery, SlowQuery,
};
use leptos::prelude::*;
use leptos::server_fn::codec::{Json, JsonEncoding};
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Why a server function failed, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The server answered with an error of its own.
    #[error("{0}")]
    Server(ErrorBody),
    /// The call did not get through (network, decoding, missing context).
    #[error("cannot reach the server: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

impl From<ErrorBody> for AppError {
    fn from(body: ErrorBody) -> Self {
        AppError::Server(body)
    }
}

/// A page of the series whose key contains `query.filter`
/// (case-insensitive) and that match `query.select`, in key order.
#[server(prefix = "/rpc", endpoint = "series", input = Json)]
pub async fn list_series(query: SeriesQuery) -> Result<Vec<SeriesInfo>, AppError> {
    let limit = query.limit.clamp(1, 1_000);
    Ok(backend()?.list_series(SeriesQuery { limit, ..query }).await?)
}

/// Label names starting with `prefix` (`__name__` for series names).
#[server(prefix = "/rpc", endpoint = "labels")]
pub async fn label_names(prefix: String) -> Result<Vec<String>, AppError> {
    Ok(backend()?.label_names(prefix, LABEL_SUGGESTIONS).await?)
}

/// Values of `label` starting with `prefix`, among the series `select`
/// matches when given, with their series counts.
#[server(prefix = "/rpc", endpoint = "label_values")]
pub async fn label_values(label: String, prefix: String, select: Option<String>) -> Result<Vec<LabelValue>, AppError> {
    Ok(backend()?
        .label_values(label, prefix, select, LABEL_SUGGESTIONS)
        .await?)
}

/// How many names or values a picker suggests at once.
pub const LABEL_SUGGESTIONS: usize = 50;

/// Every dashboard, oldest first (a default one is made when none exists).
#[server(prefix = "/rpc", endpoint = "dashboards")]
pub async fn list_dashboards() -> Result<Vec<Dashboard>, AppError> {
    Ok(backend()?.dashboards().await?)
}

/// Creates (`id` none) or replaces a dashboard; the stored one comes back.
#[server(prefix = "/rpc", endpoint = "save_dashboard", input = Json)]
pub async fn save_dashboard(id: Option<i64>, draft: DashboardDraft) -> Result<Dashboard, AppError> {
    let draft = draft.validated()?;
    Ok(backend()?.save_dashboard(id, draft).await?)
}

/// Deletes a dashboard.
#[server(prefix = "/rpc", endpoint = "delete_dashboard")]
pub async fn delete_dashboard(id: i64) -> Result<(), AppError> {
    Ok(backend()?.delete_dashboard(id).await?)
}

/// The annotations of a dashboard (and of every dashboard) overlapping
/// `[from, to]`, by time.
#[server(prefix = "/rpc", endpoint = "annotations")]
pub async fn list_annotations(dashboard: i64, from: i64, to: i64) -> Result<Vec<Annotation>, AppError> {
    Ok(backend()?.annotations(dashboard, from, to).await?)
}

/// Adds (`id` none) or changes an annotation; the stored one comes back.
#[server(prefix = "/rpc", endpoint = "save_annotation", input = Json)]
pub async fn save_annotation(id: Option<i64>, draft: AnnotationDraft) -> Result<Annotation, AppError> {
    Ok(backend()?.save_annotation(id, draft).await?)
}

/// Deletes an annotation.
#[server(prefix = "/rpc", endpoint = "delete_annotation")]
pub async fn delete_annotation(id: i64) -> Result<(), AppError> {
    Ok(backend()?.delete_annotation(id).await?)
}

/// Every panel of a dashboard in one request, one slot per query.
#[server(prefix = "/rpc", endpoint = "query_batch", input = Json)]
pub async fn query_batch(queries: Vec<QueryRequest>) -> Result<Vec<QueryOutcome>, AppError> {
    crate::model::check_batch_size(queries.len())?;
    Ok(backend()?.query_batch(queries).await)
}

/// The slowest queries the server computed in the last minutes, slowest
/// first, for the System page.
#[server(prefix = "/rpc", endpoint = "slow_queries")]
pub async fn slow_queries() -> Result<Vec<SlowQuery>, AppError> {
    Ok(backend()?.slow_queries())
}

/// The alerts page's lists and forms for its query string `query`.
#[server(prefix = "/rpc", endpoint = "alerts")]
pub async fn load_alerts(query: String) -> Result<AlertOverview, AppError> {
    Ok(backend()?.alerts(query).await?)
}

pub use alert_forms::*;

#[cfg(feature = "ssr")]
pub(crate) fn backend() -> Result<std::sync::Arc<dyn crate::backend::Backend>, AppError> {
    use_context::<crate::backend::BackendHandle>()
        .map(|handle| handle.0)
        .ok_or_else(|| AppError::Transport("no backend in context".into()))
}
