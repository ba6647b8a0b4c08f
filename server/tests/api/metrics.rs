//! `GET /metrics`: per-route requests, latencies and error codes.

use crate::support::{TestApp, T0};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

#[tokio::test]
async fn requests_latencies_and_rejections_are_counted_by_route() {
    let app = TestApp::new().await;
    app.write(json!([{"series": "a", "t": T0, "v": 1.0}])).await;
    for _ in 0..3 {
        let req = Request::get("/api/v1/series/a/export?format=csv")
            .body(Body::empty())
            .unwrap();
        let (status, _) = app.request(req).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _) = app.post("/api/v1/write", r#"{"points":[{"series":"","v":1}]}"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = app.get("/api/v1/query?series=a&points=1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, _, text) = app.send(Request::get("/metrics").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    for line in [
        r#"sensorboard_http_requests_total{method="GET",route="/api/v1/series/{key}/export",status="200"} 3"#,
        r#"sensorboard_http_requests_total{method="POST",route="/api/v1/write",status="200"} 1"#,
        r#"sensorboard_http_requests_total{method="POST",route="/api/v1/write",status="400"} 1"#,
        r#"sensorboard_http_errors_total{route="/api/v1/query",code="invalid_points"} 1"#,
        r#"sensorboard_http_request_duration_seconds_count{method="GET",route="/api/v1/series/{key}/export"} 3"#,
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
    }
    assert!(
        text.lines()
            .any(|l| l.starts_with(r#"sensorboard_http_errors_total{route="/api/v1/write",code="#)),
        "the rejected write names its reason:\n{text}"
    );
}

#[tokio::test]
async fn ingest_pools_and_rollup_lag_are_reported() {
    let app = TestApp::new().await;
    app.write(json!([{"series": "a", "t": T0, "v": 1.0}, {"series": "b", "t": T0, "v": 2.0}]))
        .await;
    app.write(json!([{"series": "a", "t": T0 + 1, "v": 1.5}])).await;
    let (_, _) = app.get("/api/v1/query?series=a&from=0&to=now").await;
    let (_, _, text) = app.send(Request::get("/metrics").body(Body::empty()).unwrap()).await;
    let value = |name: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("{name} in\n{text}"))
    };
    assert_eq!(value("sensorboard_ingest_points_total"), 3.0);
    assert_eq!(value("sensorboard_ingest_batches_total"), 2.0);
    assert_eq!(value("sensorboard_ingest_unapplied_batches"), 0.0, "no late points");
    assert_eq!(value("sensorboard_ingest_head_points"), 3.0, "all in memory still");
    assert_eq!(value("sensorboard_ingest_head_series"), 2.0);
    assert!(value("sensorboard_pool_readers_checkouts_total") >= 1.0);
    assert!(value("sensorboard_pool_writer_open") == 1.0);
    let readers_open = value("sensorboard_pool_readers_open");
    assert_eq!(
        value("sensorboard_pool_readers_in_use") + value("sensorboard_pool_readers_idle"),
        readers_open
    );
    value("sensorboard_pool_readers_wait_microseconds_total");
    assert_eq!(
        value("sensorboard_retention_last_run_timestamp_seconds"),
        0.0,
        "no pass yet"
    );
}

#[tokio::test]
async fn made_up_methods_and_paths_add_no_label_values() {
    let app = TestApp::new().await;
    let metrics = || async {
        let (status, _, text) = app.send(Request::get("/metrics").body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK);
        text
    };
    let odd = |i: usize| {
        Request::builder()
            .method(format!("M{i}X").as_str())
            .uri(format!("/api/v1/made-up-{i}"))
            .body(Body::empty())
            .unwrap()
    };
    let page = |i: usize| Request::get(format!("/no/such/page/{i}")).body(Body::empty()).unwrap();
    app.send_anonymous(odd(0)).await;
    app.send_anonymous(page(0)).await;
    metrics().await; // so that the scrape's own series exist in `before`
    let before = metrics().await;
    for i in 1..200 {
        app.send_anonymous(odd(i)).await;
        app.send_anonymous(page(i)).await;
    }
    let after = metrics().await;
    assert!(!after.contains("M1X") && !after.contains("made-up"), "{after}");
    assert!(after.contains(r#"method="other",route="/api/{*rest}""#), "{after}");
    assert_eq!(before.lines().count(), after.lines().count(), "no new series:\n{after}");
}
