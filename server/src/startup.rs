//! Serving while the server starts: the listener is bound first, so that
//! while the store opens (migrations, replay of the ingest log) `/health`
//! already says the process is alive and starting, `/ready` says it is not
//! ready yet, and every other request gets a JSON 503 with `Retry-After`
//! instead of a refused connection. Once the store is open, the [`Gate`]
//! opens and every request goes to the full router.

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde_json::json;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

/// The router to serve once started; a cheap `Clone` handle shared by the
/// serving task and the start-up code that opens it.
#[derive(Clone, Default)]
pub struct Gate(Arc<OnceLock<Router>>);

impl Gate {
    /// Sends every request from now on to `router`. Opening twice keeps
    /// the first router.
    pub fn open(&self, router: Router) {
        let _ = self.0.set(router);
    }

    /// The service to serve from the start.
    pub fn service(&self) -> Router {
        let gate = self.clone();
        Router::new().fallback(move |request: Request| {
            let gate = gate.clone();
            async move {
                match gate.0.get() {
                    Some(router) => match router.clone().oneshot(request).await {
                        Ok(response) => response,
                        Err(never) => match never {},
                    },
                    None => starting(request.uri().path()),
                }
            }
        })
    }
}

fn starting(path: &str) -> Response {
    match path {
        "/health" => Json(json!({"status": "starting", "database": "opening"})).into_response(),
        "/ready" => (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"status": "starting"}))).into_response(),
        _ => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "1")],
            Json(json!({
                "error": "starting",
                "message": "the server is starting (opening and migrating the database); retry shortly",
            })),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::get;
    use http_body_util::BodyExt;

    async fn call(app: &Router, path: &str) -> (StatusCode, String, Option<String>) {
        let res = app
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let retry = res
            .headers()
            .get(header::RETRY_AFTER)
            .map(|v| v.to_str().unwrap().to_owned());
        let body = res.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned(), retry)
    }

    #[tokio::test]
    async fn starting_then_open() {
        let gate = Gate::default();
        let app = gate.service();
        let (status, body, _) = call(&app, "/health").await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::OK, r#"{"database":"opening","status":"starting"}"#)
        );
        let (status, body, _) = call(&app, "/ready").await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::SERVICE_UNAVAILABLE, r#"{"status":"starting"}"#)
        );
        let (status, body, retry) = call(&app, "/api/v1/series").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body.contains(r#""error":"starting""#), "{body}");
        assert_eq!(retry.as_deref(), Some("1"));

        gate.open(Router::new().route("/ready", get(|| async { "ready" })));
        let (status, body, _) = call(&app, "/ready").await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "ready"));
        let (status, _, _) = call(&app, "/elsewhere").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "the opened router answers everything");
    }
}
