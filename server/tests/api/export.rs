//! `GET /api/v1/series/{key}/export`: streamed CSV and JSON through the
//! real router, across several pages of chunks.

use crate::support::{TestApp, T0};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{json, Value};

const KEY: &str = "boiler.temp{site=\"north\"}";
const KEY_IN_PATH: &str = "boiler.temp%7Bsite=%22north%22%7D";

/// 20 hours, a point every 2 s: 36,000 points in 20 chunks (two pages).
async fn twenty_hours(app: &TestApp) {
    for hour in 0..20 {
        let points: Vec<Value> = (0..1_800)
            .map(|i| {
                let t = T0 + hour * 3_600_000 + i * 2_000;
                json!({"series": "boiler.temp", "labels": {"site": "north"}, "t": t, "v": (t - T0) as f64 / 1e3})
            })
            .collect();
        app.write(Value::Array(points)).await;
    }
}

async fn export(app: &TestApp, query: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let uri = format!("/api/v1/series/{KEY_IN_PATH}/export?{query}");
    app.send(Request::get(uri).body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn csv_holds_every_point_of_the_window_in_order() {
    let app = TestApp::new().await;
    twenty_hours(&app).await;
    let (status, headers, body) = export(&app, &format!("from={T0}&to={}", T0 + 72_000_000)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"boiler.temp_site__north__.csv\""
    );
    let mut lines = body.lines();
    assert_eq!(lines.next(), Some("time,t_ms,value"));
    let rows: Vec<(i64, f64)> = lines
        .map(|l| {
            let cols: Vec<&str> = l.split(',').collect();
            (cols[1].parse().unwrap(), cols[2].parse().unwrap())
        })
        .collect();
    assert_eq!(rows.len(), 36_000, "both pages, nothing twice");
    assert!(rows.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(rows[0], (T0, 0.0));
    assert_eq!(rows[35_999], (T0 + 19 * 3_600_000 + 1_799 * 2_000, 71_998.0));
    assert!(body.contains("\n2026-11-23T10:00:00Z,"), "RFC 3339 times");
}

#[tokio::test]
async fn json_cuts_the_window_exactly() {
    let app = TestApp::new().await;
    twenty_hours(&app).await;
    let (from, to) = (T0 + 3_599_000, T0 + 36_001_000);
    let (status, headers, body) = export(&app, &format!("from={from}&to={to}&format=json")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers["content-type"], "application/json");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["series"], KEY);
    let points = body["points"].as_array().unwrap();
    assert_eq!(points.len(), (36_001_000 - 3_600_000) / 2_000 + 1);
    assert_eq!(points[0], json!([T0 + 3_600_000, 3_600.0]));
    assert_eq!(points.last().unwrap(), &json!([to - 1_000, 36_000.0]));
}

#[tokio::test]
async fn unknown_series_and_bad_parameters_are_json_errors() {
    let app = TestApp::new().await;
    twenty_hours(&app).await;
    let (status, body) = app.get("/api/v1/series/nothing.here/export").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("series_not_found"))
    );
    for (query, code) in [
        ("format=xml", "invalid_format"),
        ("from=yesterday", "invalid_time"),
        ("from=now&to=now-1h", "invalid_range"),
    ] {
        let (status, _, body) = export(&app, query).await;
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::BAD_REQUEST, Some(code)),
            "{query}"
        );
    }
    let (status, _, body) = export(&app, &format!("from={}&to={}", T0 - 10_000, T0 - 1)).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "time,t_ms,value\n"),
        "an empty window"
    );
}
