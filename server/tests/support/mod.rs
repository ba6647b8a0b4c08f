//! What the test binaries share: a real router over a temporary database,
//! driven without a socket ([`TestApp`]), the tests' clock origin [`T0`],
//! and batches built from plain points.
//!
//! Each binary includes this module and uses part of it.
#![allow(dead_code)]

pub mod daemons;
pub mod receiver;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Request, StatusCode};
use axum::Router;
use clap::Parser;
use http_body_util::BodyExt;
use serde_json::Value;
use server::auth::secret::{digest, hint};
use server::auth::{Scope, Scopes};
use server::batch::{validate_point, SeriesPoints, ValidBatch};
use server::config::Config;
use server::store::Store;
use server::{router, AppState};
use tempfile::TempDir;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    _dir: TempDir,
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_body_limit(server::config::DEFAULT_MAX_BODY_BYTES).await
    }

    pub async fn with_body_limit(limit: usize) -> Self {
        let (state, dir) = Self::state(limit).await;
        TestApp {
            router: router(state),
            _dir: dir,
        }
    }

    /// The router over `state`, keeping its folder alive.
    pub fn from_state(state: AppState, dir: TempDir) -> Self {
        TestApp {
            router: router(state),
            _dir: dir,
        }
    }

    /// Application state over a fresh database in a temporary folder,
    /// which lives as long as the returned `TempDir`.
    pub async fn state(body_limit: usize) -> (AppState, TempDir) {
        let (mut state, dir) = Self::configured(&[]).await;
        state.max_body_bytes = body_limit;
        (state, dir)
    }

    /// The router with the settings `flags` (as on the command line) give.
    pub async fn with_flags(flags: &[&str]) -> Self {
        let (state, dir) = Self::configured(flags).await;
        Self::from_state(state, dir)
    }

    /// State with the settings `flags` give and the tests' admin token.
    pub async fn configured(flags: &[&str]) -> (AppState, TempDir) {
        let (state, dir) = Self::tokenless(flags).await;
        state
            .store
            .create_token("tests".into(), Scopes::of(&[Scope::Admin]), digest(TOKEN), hint(TOKEN))
            .await
            .unwrap();
        (state, dir)
    }

    /// State with the settings `flags` give over a database holding no
    /// token at all, as a fresh install has.
    pub async fn tokenless(flags: &[&str]) -> (AppState, TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let site = ["sensorboard", "--site-root", dir.path().to_str().unwrap()];
        let config = Config::try_parse_from(site.iter().chain(flags)).unwrap();
        let store = Store::open(&dir.path().join("test.db"), 2).await.unwrap();
        (AppState::new(store, &config), dir)
    }

    pub async fn request(&self, req: Request<Body>) -> (StatusCode, String) {
        let (status, _, body) = self.send(req).await;
        (status, body)
    }

    /// The status, headers and body text of the answer to `req`, sent
    /// with the tests' admin token unless it has an `Authorization` of
    /// its own.
    pub async fn send(&self, req: Request<Body>) -> (StatusCode, HeaderMap, String) {
        self.send_anonymous(authorized(req)).await
    }

    /// Like [`TestApp::send`], with no token added. A request that has no
    /// answer within [`ANSWER_WITHIN`] fails the test, naming the request,
    /// rather than hanging the whole run.
    pub async fn send_anonymous(&self, req: Request<Body>) -> (StatusCode, HeaderMap, String) {
        let asked = format!("{} {}", req.method(), req.uri());
        let answer = async {
            let res = self.router.clone().oneshot(req).await.unwrap();
            let (status, headers) = (res.status(), res.headers().clone());
            let bytes = res.into_body().collect().await.unwrap().to_bytes();
            (status, headers, bytes)
        };
        let (status, headers, bytes) = tokio::time::timeout(ANSWER_WITHIN, answer)
            .await
            .unwrap_or_else(|_| panic!("{asked} got no answer within {ANSWER_WITHIN:?}"));
        (status, headers, String::from_utf8_lossy(&bytes).into_owned())
    }

    /// `body` sent as JSON with `method` to `uri`; the answer as JSON
    /// (`null` when it has no body).
    pub async fn send_json(&self, method: &str, uri: &str, body: &Value) -> (StatusCode, Value) {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let (status, text) = self.request(req).await;
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn get(&self, uri: &str) -> (StatusCode, Value) {
        let (status, text) = self.request(Request::get(uri).body(Body::empty()).unwrap()).await;
        (status, json(&text))
    }

    pub async fn post(&self, uri: &str, body: impl Into<Body>) -> (StatusCode, Value) {
        let req = Request::post(uri)
            .header("content-type", "application/json")
            .body(body.into())
            .unwrap();
        let (status, text) = self.request(req).await;
        (status, json(&text))
    }

    /// Writes `points` (a JSON array) and asserts the batch was accepted.
    pub async fn write(&self, points: Value) {
        let (status, body) = self
            .post("/api/v1/write", serde_json::json!({ "points": points }).to_string())
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
}

/// `req` with the tests' admin token, unless it names a token already.
pub fn authorized(mut req: Request<Body>) -> Request<Body> {
    if !req.headers().contains_key(header::AUTHORIZATION) {
        let value = HeaderValue::from_str(&format!("Bearer {TOKEN}")).unwrap();
        req.headers_mut().insert(header::AUTHORIZATION, value);
    }
    req
}

pub fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| panic!("not JSON: {text}"))
}

/// The admin token every test database holds.
pub const TOKEN: &str = "sbt_tests-admin-token-not-secret";

/// 2026-11-23T10:00:00Z
pub const T0: i64 = 1_795_428_000_000;

/// The `[t, v]` pairs of a query answer's `points`.
pub fn points_of(body: &Value) -> Vec<(i64, f64)> {
    body["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_i64().unwrap(), p[1].as_f64().unwrap()))
        .collect()
}

/// Longest wait for one answer in a test (every limit of the server is
/// shorter: a pool checkout gives up after 10 s).
pub const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_secs(60);

/// A day in milliseconds.
pub const DAY: i64 = 86_400_000;

/// A batch of `points` of the unlabelled series `name`, each validated.
pub fn batch(name: &str, points: impl IntoIterator<Item = (i64, f64)>) -> ValidBatch {
    let valid = points
        .into_iter()
        .map(|(t, v)| validate_point(name.into(), Default::default(), None, t, v).unwrap())
        .collect();
    ValidBatch::new(valid).unwrap()
}

/// A batch of many `points` of the unlabelled series `name`, built
/// without validating each point (for days of data).
pub fn long_batch(name: &str, points: Vec<(i64, f64)>) -> ValidBatch {
    let series = vec![SeriesPoints {
        key: name.into(),
        unit: None,
        points,
    }];
    ValidBatch::from_validated(series).unwrap()
}
