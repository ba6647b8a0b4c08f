//! The server-rendered dashboard page.

use crate::common::{TestApp, T0};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

#[tokio::test]
async fn the_dashboard_renders_the_default_dashboards_panels() {
    let app = TestApp::new().await;
    app.write(json!([
        {"series": "demo.temperature", "unit": "°C", "t": T0, "v": 21.5},
        {"series": "demo.power", "unit": "W", "t": T0, "v": 800.0},
    ]))
    .await;
    let (status, html) = app.request(Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<title>sensorboard</title>"), "{html}");
    assert!(
        html.contains("/pkg/sensorboard.js") && html.contains("/pkg/sensorboard.wasm"),
        "hydration scripts"
    );
    assert!(
        html.contains("demo.temperature") && html.contains("demo.power"),
        "{html}"
    );
    assert!(
        html.contains(">Overview</option>"),
        "the default dashboard is picked: {html}"
    );
    assert_eq!(html.matches("<canvas").count(), 2, "a panel per series name");
}

#[tokio::test]
async fn an_empty_database_shows_how_to_send_data() {
    let app = TestApp::new().await;
    let (status, html) = app
        .request(Request::get("/?range=7d").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("No data yet") && html.contains("/api/v1/write"), "{html}");
}

#[tokio::test]
async fn unknown_pages_are_404() {
    let app = TestApp::new().await;
    let (status, html) = app
        .request(Request::get("/no/such/page").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found"));
}

#[tokio::test]
async fn every_answer_forbids_sniffing_framing_and_leaky_referrers() {
    let app = crate::common::TestApp::new().await;
    for uri in ["/", "/api/v1/series", "/api/v1/nothing", "/health", "/no/such/page"] {
        let req = axum::http::Request::get(uri).body(axum::body::Body::empty()).unwrap();
        let (_, headers, _) = app.send(req).await;
        assert_eq!(headers["x-content-type-options"], "nosniff", "{uri}");
        assert_eq!(headers["content-security-policy"], "frame-ancestors 'none'", "{uri}");
        assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin", "{uri}");
    }
}
