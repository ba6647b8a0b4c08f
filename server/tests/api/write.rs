//! `POST /api/v1/write` through the real router.

use crate::common::{TestApp, T0};
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_written_batch_reads_back_in_time_order() {
    let app = TestApp::new().await;
    app.write(json!([
        {"series": "boiler.temp", "labels": {"site": "north"}, "unit": "°C", "t": T0 + 2000, "v": 22.0},
        {"series": "boiler.temp", "labels": {"site": "north"}, "t": T0, "v": 20.0},
        {"series": "boiler.temp", "labels": {"site": "north"}, "t": T0 + 1000, "v": 21.0},
    ]))
    .await;
    let key = r#"boiler.temp{site="north"}"#;
    let uri = format!(
        "/api/v1/query?series={}&from={}&to={}&agg=raw",
        urlencode(key),
        T0,
        T0 + 10_000
    );
    let (status, body) = app.get(&uri).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["points"],
        json!([[T0, 20.0], [T0 + 1000, 21.0], [T0 + 2000, 22.0]])
    );
    assert_eq!(
        body["stats"],
        json!({"count": 3, "min": 20.0, "max": 22.0, "avg": 21.0, "last": 22.0})
    );
    assert_eq!(body["series"], key);
}

#[tokio::test]
async fn same_series_and_time_twice_last_write_wins() {
    let app = TestApp::new().await;
    app.write(json!([{"series": "a", "t": T0, "v": 1.0}, {"series": "a", "t": T0 + 1000, "v": 2.0}]))
        .await;
    app.write(json!([{"series": "a", "t": T0, "v": 10.0}, {"series": "a", "t": T0, "v": 11.0}]))
        .await;
    let (_, body) = app
        .get(&format!("/api/v1/query?series=a&from={T0}&to={}&agg=raw", T0 + 5000))
        .await;
    assert_eq!(body["points"], json!([[T0, 11.0], [T0 + 1000, 2.0]]));
    let (_, list) = app.get("/api/v1/series").await;
    assert_eq!(list["series"][0]["count"], 2);
    assert_eq!(list["series"][0]["last_value"], 2.0);
    assert_eq!(list["series"][0]["first"], T0);
}

#[tokio::test]
async fn a_late_point_does_not_replace_the_last_value() {
    let app = TestApp::new().await;
    app.write(json!([{"series": "a", "t": T0 + 5000, "v": 5.0}])).await;
    app.write(json!([{"series": "a", "t": T0, "v": 1.0}])).await;
    let (_, list) = app.get("/api/v1/series").await;
    let s = &list["series"][0];
    assert_eq!(
        (s["first"].as_i64(), s["last"].as_i64(), s["last_value"].as_f64()),
        (Some(T0), Some(T0 + 5000), Some(5.0))
    );
}

#[tokio::test]
async fn one_bad_point_rejects_the_whole_batch_and_names_it() {
    let app = TestApp::new().await;
    let batch = json!({"points": [
        {"series": "a", "t": T0, "v": 1.0},
        {"series": "b", "t": T0, "v": 2.0},
        {"series": "c", "t": T0, "v": "warm"},
    ]});
    let (status, body) = app.post("/api/v1/write", batch.to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_point");
    assert!(body["message"].as_str().unwrap().starts_with("points[2]:"), "{body}");
    let (_, list) = app.get("/api/v1/series").await;
    assert_eq!(list["series"], json!([]), "nothing of the batch is stored");
}

#[tokio::test]
async fn invalid_values_times_and_names_are_400() {
    let app = TestApp::new().await;
    let cases = [
        (json!([{"series": "a", "t": -1, "v": 1}]), "1970"),
        (json!([{"series": "a", "t": "2300-01-01T00:00:00Z", "v": 1}]), "2200"),
        (json!([{"series": "", "v": 1}]), "empty"),
        (json!([{"series": "a", "v": null}]), "f64"),
        (json!([{"series": "a", "labels": {"k": 1}, "v": 1}]), "string"),
    ];
    for (points, expect) in cases {
        let (status, body) = app.post("/api/v1/write", json!({"points": points}).to_string()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{points}");
        assert!(body["message"].as_str().unwrap().contains(expect), "{points}: {body}");
    }
    for raw in [
        "{",
        "[]",
        r#"{"points":[]}"#,
        r#"{"points":[{"series":"a","v":1e999}]}"#,
    ] {
        let (status, body) = app.post("/api/v1/write", raw).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{raw}");
        assert!(body["error"].is_string() && body["message"].is_string(), "{body}");
    }
    let (_, list) = app.get("/api/v1/series").await;
    assert_eq!(list["series"], json!([]));
}

#[tokio::test]
async fn oversized_bodies_get_a_json_413() {
    let app = TestApp::with_body_limit(1024).await;
    let points: Vec<_> = (0..200)
        .map(|i| json!({"series": "a", "t": T0 + i, "v": 1.0}))
        .collect();
    let (status, body) = app.post("/api/v1/write", json!({"points": points}).to_string()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"], "payload_too_large");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
