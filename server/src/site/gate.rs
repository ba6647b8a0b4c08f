//! When reads need a token: pages send a browser without one to the
//! sign-in page, and server functions answer a JSON 401/403. Server
//! functions that change a dashboard need what `EditAccess` needs, in
//! either read mode; those that change alerting need `admin` once edits
//! need a token. With public reads everything else passes.

use crate::access::{require, require_alert_edit, require_edit};
use crate::auth::{AuthError, ReadPolicy, Scope};
use crate::body_limit::read_within;
use crate::error::ApiError;
use crate::read_slots::Client;
use crate::state::AppState;
use app::api::AppError;
use app::domain::encode_query_value;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Server functions that change dashboards and their notes.
const EDITS: [&str; 4] = [
    "/rpc/save_dashboard",
    "/rpc/delete_dashboard",
    "/rpc/save_annotation",
    "/rpc/delete_annotation",
];

/// Server functions that change alerting: the `admin` scope once edits
/// need a token (the signed-in browser's cookie counts), as over REST.
const ALERT_EDITS: [&str; 7] = [
    "/rpc/add_alert_rule",
    "/rpc/remove_alert_rule",
    "/rpc/add_silence",
    "/rpc/end_silence",
    "/rpc/add_contact_point",
    "/rpc/remove_contact_point",
    "/rpc/test_contact_point",
];

pub async fn gate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let server_fn = req.uri().path().starts_with("/rpc/");
    let refuse = |e: ApiError| refusal(e, server_fn);
    let req = if server_fn {
        match read_whole(req, state.max_request_body_bytes).await {
            Ok(req) => req,
            Err(e) => return refuse(e),
        }
    } else {
        req
    };
    if ALERT_EDITS.contains(&req.uri().path()) {
        let (parts, body) = req.into_parts();
        return match require_alert_edit(&parts, &state).await {
            Ok(()) => next.run(Request::from_parts(parts, body)).await,
            Err(e) => refuse(e.into()),
        };
    }
    if EDITS.contains(&req.uri().path()) {
        let (parts, body) = req.into_parts();
        return match require_edit(&parts, &state).await {
            Ok(()) => next.run(Request::from_parts(parts, body)).await,
            Err(e) => refuse(e.into()),
        };
    }
    if state.read_policy == ReadPolicy::Public || req.uri().path() == "/sign-in" {
        let (parts, body) = req.into_parts();
        let _slot = match state.read_slots.take(Client::of(&parts, None)).await {
            Ok(slot) => slot,
            Err(e) => return refuse(e),
        };
        return next.run(Request::from_parts(parts, body)).await;
    }
    let (parts, body) = req.into_parts();
    match require(&parts, &state, Scope::Read, true).await {
        Ok(token) => {
            let _slot = match state.read_slots.take(Client::of(&parts, Some(token))).await {
                Ok(slot) => slot,
                Err(e) => return refuse(e),
            };
            let mut response = next.run(Request::from_parts(parts, body)).await;
            // What a signed-in browser is shown stays out of shared caches
            // and the back-forward cache once it signs out.
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(e @ AuthError::Store(_)) => refuse(e.into()),
        Err(e) if server_fn => refuse(e.into()),
        Err(_) => {
            let here = parts.uri.path_and_query().map_or("/", |p| p.as_str());
            let to = format!("/sign-in?next={}", encode_query_value(here));
            (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
        }
    }
}

/// The answer to a refused request: for a server function, its error body
/// as the UI's server-function client decodes errors
/// (`AppError::Server`), with the same status and headers.
fn refusal(e: ApiError, server_fn: bool) -> Response {
    if !server_fn {
        return e.into_response();
    }
    let encoded = serde_json::to_vec(&AppError::Server(e.body())).unwrap_or_default();
    let mut response = e.into_response();
    *response.body_mut() = Body::from(encoded);
    response
}

/// A server function's request with its body read here within `limit`
/// (413 beyond): server functions read their own bodies, without the
/// limits of the REST extractors.
async fn read_whole(req: Request, limit: usize) -> Result<Request, ApiError> {
    let (parts, body) = req.into_parts();
    let bytes = read_within(body, limit).await?;
    Ok(Request::from_parts(parts, Body::from(bytes)))
}
