//! The `app` backend port, implemented for the server functions: queries
//! go to the query engine, the rest to the store, and every failure
//! becomes the `ErrorBody` the UI shows, through the same `ApiError` the
//! REST handlers use.

use super::alert_calls;
use crate::alerts::Alerts;
use crate::error::ApiError;
use crate::query::QueryService;
use crate::routes::annotations;
use crate::store::{CompiledSelector, SeriesSearch, Store, StoreError};
use app::backend::{Backend, BackendFuture};
use app::domain::first_dashboard;
use app::model::{
    AlertOverview, AlertRuleDraft, Annotation, AnnotationDraft, ContactPointDraft, Dashboard, DashboardDraft,
    ErrorBody, LabelValue, QueryOutcome, QueryRequest, SeriesInfo, SeriesQuery, SilenceDraft, SlowQuery,
};

/// What the server functions reach: cheap to clone (both parts are handles).
#[derive(Clone)]
pub struct SiteBackend {
    pub queries: QueryService,
    pub store: Store,
    pub alerts: Alerts,
}

pub(super) fn body(e: impl Into<ApiError>) -> ErrorBody {
    e.into().into()
}

/// The selector `text`, if given, ready to run; the error the UI shows.
fn compiled(text: Option<&str>) -> Result<Option<CompiledSelector>, ErrorBody> {
    text.map(CompiledSelector::from_text)
        .transpose()
        .map_err(|e| body(StoreError::from(e)))
}

impl Backend for SiteBackend {
    fn list_series(&self, query: SeriesQuery) -> BackendFuture<'_, Result<Vec<SeriesInfo>, ErrorBody>> {
        Box::pin(async move {
            let search = SeriesSearch {
                text: query.filter,
                selector: compiled(query.select.as_deref())?,
                after: query.after,
                limit: query.limit,
            };
            self.store.list_series(search).await.map_err(body)
        })
    }

    fn label_names(&self, prefix: String, limit: usize) -> BackendFuture<'_, Result<Vec<String>, ErrorBody>> {
        Box::pin(async move { self.store.label_names(prefix, limit).await.map_err(body) })
    }

    fn label_values(
        &self,
        label: String,
        prefix: String,
        select: Option<String>,
        limit: usize,
    ) -> BackendFuture<'_, Result<Vec<LabelValue>, ErrorBody>> {
        Box::pin(async move {
            let within = compiled(select.as_deref())?;
            let found = self
                .store
                .label_values(label, prefix, within, limit)
                .await
                .map_err(body)?;
            Ok(found
                .into_iter()
                .map(|(value, series)| LabelValue { value, series })
                .collect())
        })
    }

    fn query_batch(&self, queries: Vec<QueryRequest>) -> BackendFuture<'_, Vec<QueryOutcome>> {
        Box::pin(async move {
            let n = queries.len();
            match self.queries.run_batch(&queries).await {
                Ok(results) => results
                    .into_iter()
                    .map(|r| match r {
                        Ok(served) => QueryOutcome::Ok(Box::new(served.answer.result.clone())),
                        Err(e) => QueryOutcome::Err(body(e)),
                    })
                    .collect(),
                Err(e) => vec![QueryOutcome::Err(body(e)); n],
            }
        })
    }

    fn dashboards(&self) -> BackendFuture<'_, Result<Vec<Dashboard>, ErrorBody>> {
        Box::pin(async move { self.store.dashboards(first_dashboard).await.map_err(body) })
    }

    fn save_dashboard(
        &self,
        id: Option<i64>,
        draft: DashboardDraft,
    ) -> BackendFuture<'_, Result<Dashboard, ErrorBody>> {
        Box::pin(async move {
            let saved = match id {
                None => self.store.create_dashboard(draft).await.map(Some),
                Some(id) => self.store.replace_dashboard(id, draft).await,
            };
            match saved {
                Ok(Some(dashboard)) => Ok(dashboard),
                Ok(None) => Err(body(ApiError::dashboard_not_found(id.unwrap_or_default()))),
                Err(e) => Err(body(e)),
            }
        })
    }

    fn slow_queries(&self) -> Vec<SlowQuery> {
        self.queries.slow_queries()
    }

    fn delete_dashboard(&self, id: i64) -> BackendFuture<'_, Result<(), ErrorBody>> {
        Box::pin(async move {
            match self.store.delete_dashboard(id).await {
                Ok(true) => Ok(()),
                Ok(false) => Err(body(ApiError::dashboard_not_found(id))),
                Err(e) => Err(body(e)),
            }
        })
    }

    fn annotations(&self, dashboard: i64, from: i64, to: i64) -> BackendFuture<'_, Result<Vec<Annotation>, ErrorBody>> {
        Box::pin(async move {
            let mut list = self.store.annotations(Some(dashboard), from, to).await.map_err(body)?;
            list.extend(alert_calls::firing_notes(&self.store, &self.alerts, dashboard, from, to).await?);
            list.sort_by_key(|a| (a.time, a.id));
            Ok(list)
        })
    }

    fn save_annotation(
        &self,
        id: Option<i64>,
        draft: AnnotationDraft,
    ) -> BackendFuture<'_, Result<Annotation, ErrorBody>> {
        Box::pin(async move {
            let checked = annotations::check(&self.store, draft).await.map_err(body)?;
            let saved = match id {
                None => self.store.create_annotation(checked).await.map(Some),
                Some(id) => self.store.replace_annotation(id, checked).await,
            };
            match saved {
                Ok(Some(a)) => Ok(a),
                Ok(None) => Err(body(annotations::not_found(id.unwrap_or_default()))),
                Err(e) => Err(body(e)),
            }
        })
    }

    fn delete_annotation(&self, id: i64) -> BackendFuture<'_, Result<(), ErrorBody>> {
        Box::pin(async move {
            match self.store.delete_annotation(id).await {
                Ok(true) => Ok(()),
                Ok(false) => Err(body(annotations::not_found(id))),
                Err(e) => Err(body(e)),
            }
        })
    }

    fn alerts(&self, query: String) -> BackendFuture<'_, Result<AlertOverview, ErrorBody>> {
        Box::pin(async move { alert_calls::overview(&self.store, &self.alerts, &self.queries, &query).await })
    }

    fn save_alert_rule(&self, id: Option<i64>, draft: AlertRuleDraft) -> BackendFuture<'_, Result<(), ErrorBody>> {
        Box::pin(alert_calls::save_rule(&self.store, &self.alerts, id, draft))
    }

    fn delete_alert_rule(&self, id: i64) -> BackendFuture<'_, Result<(), ErrorBody>> {
        Box::pin(alert_calls::delete_rule(&self.store, &self.alerts, id))
    }

    fn save_silence(&self, draft: SilenceDraft) -> BackendFuture<'_, Result<(), ErrorBody>> {
        Box::pin(alert_calls::save_silence(&self.store, &self.alerts, draft))
    }

    fn delete_silence(&self, id: i64) -> BackendFuture<'_, Result<(), ErrorBody>> {
        Box::pin(alert_calls::delete_silence(&self.store, &self.alerts, id))
    }

    fn save_contact_point(&self, draft: ContactPointDraft) -> BackendFuture<'_, Result<(), ErrorBody>> {
        Box::pin(alert_calls::save_contact_point(&self.store, draft))
    }

    fn delete_contact_point(&self, id: i64) -> BackendFuture<'_, Result<(), ErrorBody>> {
        Box::pin(alert_calls::delete_contact_point(&self.store, id))
    }

    fn test_contact_point(&self, id: i64) -> BackendFuture<'_, Result<bool, ErrorBody>> {
        Box::pin(alert_calls::test_contact_point(&self.store, &self.alerts, id))
    }

    fn redirect(&self, to: &str) {
        leptos_axum::redirect(to);
    }
}
