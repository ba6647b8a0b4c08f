//! `GET /api/v1/labels` and `GET /api/v1/labels/{name}/values`: the label
//! names and values of the stored series, from the catalogue's index, for
//! building selectors (the editor's and the explorer's pickers suggest
//! them as one types).

use super::extract::QueryString;
use super::series::list_limit;
use crate::access::ReadAccess;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{CompiledSelector, StoreError};
use app::model::{ErrorBody, LabelValue};
use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub struct Params {
    prefix: Option<String>,
    select: Option<String>,
    limit: Option<String>,
}

/// Label names in byte order; `__name__` stands for the series names.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LabelNames {
    names: Vec<String>,
}

/// A label's values in byte order, with how many series carry each.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LabelValues {
    label: String,
    values: Vec<LabelValue>,
}

#[utoipa::path(get, path = "/api/v1/labels", tag = "series",
    params(
        ("prefix" = Option<String>, Query, description = "Only names starting with this"),
        ("limit" = Option<usize>, Query, description = "At most this many, 1 to 10000 (default 100)"),
    ),
    responses(
        (status = 200, description = "Label names", body = LabelNames),
        (status = 400, description = "A parameter is invalid", body = ErrorBody),
    ))]
pub async fn names(
    _: ReadAccess,
    State(state): State<AppState>,
    QueryString(p): QueryString<Params>,
) -> Result<Json<LabelNames>, ApiError> {
    let limit = list_limit(p.limit)?;
    let names = state.store.label_names(p.prefix.unwrap_or_default(), limit).await?;
    Ok(Json(LabelNames { names }))
}

#[utoipa::path(get, path = "/api/v1/labels/{name}/values", tag = "series",
    params(
        ("name" = String, Path, description = "The label; `__name__` for series names"),
        ("prefix" = Option<String>, Query, description = "Only values starting with this"),
        ("select" = Option<String>, Query, description = "Only among the series this selector matches (counts too)"),
        ("limit" = Option<usize>, Query, description = "At most this many, 1 to 10000 (default 100)"),
    ),
    responses(
        (status = 200, description = "The values, with their series counts", body = LabelValues),
        (status = 400, description = "A parameter or the selector is invalid", body = ErrorBody),
    ))]
pub async fn values(
    _: ReadAccess,
    State(state): State<AppState>,
    Path(label): Path<String>,
    QueryString(p): QueryString<Params>,
) -> Result<Json<LabelValues>, ApiError> {
    let limit = list_limit(p.limit)?;
    let within = p.select.as_deref().map(compile).transpose()?;
    let found = state
        .store
        .label_values(label.clone(), p.prefix.unwrap_or_default(), within, limit)
        .await?;
    let values = found
        .into_iter()
        .map(|(value, series)| LabelValue { value, series })
        .collect();
    Ok(Json(LabelValues { label, values }))
}

/// `text` as a selector ready to run; a 400 naming what is wrong.
pub fn compile(text: &str) -> Result<CompiledSelector, ApiError> {
    Ok(CompiledSelector::from_text(text).map_err(StoreError::from)?)
}
