//! `transform=`: rates, derivatives, differences and moving averages,
//! computed from stored points or rollup buckets before reduction.

use crate::support::{points_of as values, TestApp, T0};
use axum::http::StatusCode;
use serde_json::{json, Value};

/// A counter of requests, one reading every 10 s for an hour, rising by
/// 10 a reading; the process restarts before reading 200 and counts
/// from 0 (10 at reading 200).
async fn counter(app: &TestApp) {
    let points: Vec<Value> = (0..360)
        .map(|i| {
            let v = if i < 200 { 1_000 + 10 * i } else { 10 * (i - 199) };
            json!({"series": "http.requests", "unit": "req", "t": T0 + i * 10_000, "v": v})
        })
        .collect();
    app.write(Value::Array(points)).await;
}

#[tokio::test]
async fn a_counter_rate_from_stored_points_counts_restarts_from_zero() {
    let app = TestApp::new().await;
    counter(&app).await;
    let from = T0 + 100_000;
    let to = T0 + 3_590_000;
    let (status, body) = app
        .get(&format!(
            "/api/v1/query?series=http.requests&from={from}&to={to}&points=1000&transform=rate&resolution=raw"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let rates = values(&body);
    assert_eq!(
        rates.len(),
        350,
        "one rate per reading in the window, the first from the one before"
    );
    assert_eq!(rates[0], (from, 1.0));
    assert!(
        rates.iter().all(|&(_, r)| r == 1.0),
        "a restart is no negative rate: {rates:?}"
    );
    assert_eq!(body["unit"], "req/s");
    assert_eq!(body["stats"]["count"], 350);
    assert_eq!(body["stats"]["max"], 1.0);

    let (_, body) = app
        .get(&format!(
            "/api/v1/query?series=http.requests&from={from}&to={to}&transform=derivative&resolution=raw"
        ))
        .await;
    let d = values(&body);
    assert_eq!(d[190], (T0 + 2_000_000, -298.0), "2,990 down to 10 in 10 s");
    let (_, body) = app
        .get(&format!(
            "/api/v1/query?series=http.requests&from={from}&to={to}&transform=difference&agg=raw"
        ))
        .await;
    assert_eq!(values(&body)[190], (T0 + 2_000_000, -2_980.0));
    assert_eq!(body["unit"], "req", "a difference keeps the unit");
}

#[tokio::test]
async fn a_rate_from_minute_buckets_stays_a_rate_and_inside_the_window() {
    let app = TestApp::new().await;
    counter(&app).await;
    let (from, to) = (T0, T0 + 3_599_999);
    let (status, body) = app
        .get(&format!(
            "/api/v1/query?series=http.requests&from={from}&to={to}&transform=rate&resolution=1m"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["resolution"], "1m");
    let rates = values(&body);
    assert_eq!(rates.len(), 59, "one per minute after the first");
    assert!(rates.iter().all(|&(t, _)| (from..=to).contains(&t)));
    let restart = T0 + 33 * 60_000 + 30_000;
    for &(t, r) in &rates {
        // The restart's minute: 2,990 → 40 reads as 40 counted from zero.
        let want = if t == restart { 40.0 / 60.0 } else { 1.0 };
        assert!((r - want).abs() < 1e-9, "{t}: {r} (want {want})");
    }
}

#[tokio::test]
async fn a_moving_average_reads_before_the_window_and_smooths_a_sawtooth() {
    let app = TestApp::new().await;
    let points: Vec<Value> = (0..600)
        .map(|i| json!({"series": "saw", "t": T0 + i * 1_000, "v": (i % 4) as f64}))
        .collect();
    app.write(Value::Array(points)).await;
    let (from, to) = (T0 + 60_000, T0 + 599_000);
    let (status, body) = app
        .get(&format!(
            "/api/v1/query?series=saw&from={from}&to={to}&transform=moving_avg:4s&agg=raw"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let avg = values(&body);
    assert_eq!(avg.len(), 540);
    assert!(
        avg.iter().all(|&(_, v)| v == 1.5),
        "every 4-second window holds 0, 1, 2, 3"
    );
    assert_eq!(avg[0].0, from);
}

#[tokio::test]
async fn transforms_apply_to_aggregated_lines_and_in_batches() {
    let app = TestApp::new().await;
    let points: Vec<Value> = (0..120)
        .flat_map(|i| {
            ["a", "b"]
                .map(|host| json!({"series": "net.bytes", "labels": {"host": host}, "t": T0 + i * 1_000, "v": 100 * i}))
        })
        .collect();
    app.write(Value::Array(points)).await;
    let query = |transform: &str| {
        json!({"select": "net.bytes", "aggregate": "sum", "transform": transform,
               "from": T0, "to": T0 + 119_999, "points": 121})
    };
    let (status, body) = app
        .post(
            "/api/v1/query/batch",
            json!({"queries": [query("rate"), query("integral"), {"series": "net.bytes{host=\"a\"}", "transform": "difference", "from": T0, "to": T0 + 119_999, "points": 2000}]}).to_string(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let line = &body["results"][0]["lines"][0];
    // 121 points: a grid of whole seconds, one point of each series a bucket.
    let rates: Vec<f64> = line["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[1].as_f64().unwrap())
        .collect();
    assert_eq!(rates.len(), 119);
    assert!(
        rates.iter().all(|&r| r == 200.0),
        "the rate of the sum of two 100/s counters"
    );
    assert_eq!(body["results"][1]["error"], "invalid_query", "{}", body["results"][1]);
    assert!(body["results"][1]["message"].as_str().unwrap().contains("integral"));
    let diffs = body["results"][2]["points"].as_array().unwrap();
    assert_eq!(diffs.len(), 119);
    assert_eq!(diffs[0], json!([T0 + 1_000, 100.0]));
}

#[tokio::test]
async fn transform_mistakes_are_named() {
    let app = TestApp::new().await;
    counter(&app).await;
    for (transform, said) in [
        ("integral", "not one of rate"),
        ("rate:5m", "takes no window"),
        ("moving_avg:5", "not a span"),
        ("moving_avg:40d", "longer than 30 days"),
    ] {
        let (status, body) = app
            .get(&format!("/api/v1/query?series=http.requests&transform={transform}"))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{transform}");
        assert_eq!(body["error"], "invalid_transform");
        assert!(body["message"].as_str().unwrap().contains(said), "{body}");
    }
}

#[tokio::test]
async fn a_panel_keeps_its_transform() {
    let app = TestApp::new().await;
    let panel = json!({"title": "Requests", "series": ["http.requests"], "transform": "moving_avg:15m"});
    let (status, body) = app
        .post(
            "/api/v1/dashboards",
            json!({"title": "Web", "panels": [panel]}).to_string(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["panels"][0]["transform"], "moving_avg:15m");
    let bad = json!({"title": "Web", "panels": [{"title": "R", "series": ["x"], "transform": "sqrt"}]});
    let (status, body) = app.post("/api/v1/dashboards", bad.to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["message"].as_str().unwrap().contains("sqrt"), "{body}");
}
