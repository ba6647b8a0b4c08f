//! ETags, `304 Not Modified`, and the result cache: hits, and precise
//! invalidation by writes, through the real router.

use crate::support::{TestApp, T0};
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use serde_json::{json, Value};

/// An hour of 1 Hz points, 0.0 .. 3599.0.
async fn hour(app: &TestApp) {
    let points: Vec<Value> = (0..3_600)
        .map(|i| json!({"series": "tank", "t": T0 + i * 1_000, "v": i as f64}))
        .collect();
    app.write(Value::Array(points)).await;
}

async fn get(app: &TestApp, uri: &str, etag: Option<&str>) -> (StatusCode, HeaderMap, String) {
    let mut req = Request::get(uri);
    if let Some(tag) = etag {
        req = req.header("if-none-match", tag);
    }
    app.send(req.body(Body::empty()).unwrap()).await
}

fn window(from: i64, to: i64) -> String {
    format!("/api/v1/query?series=tank&from={from}&to={to}&points=100")
}

#[tokio::test]
async fn an_unchanged_window_answers_304_from_the_cache() {
    let app = TestApp::new().await;
    hour(&app).await;
    let uri = window(T0, T0 + 3_599_000);
    let (status, headers, body) = get(&app, &uri, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers["x-sensorboard-cache"], "miss");
    assert_eq!(headers["cache-control"], "no-cache");
    let etag = headers["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with("\"q-"), "{etag}");

    let (status, headers, again) = get(&app, &uri, None).await;
    assert_eq!(
        (status, &headers["x-sensorboard-cache"]),
        (StatusCode::OK, &"hit".parse().unwrap())
    );
    assert_eq!(again, body, "the cached answer is the same answer");
    assert_eq!(headers["etag"], etag.as_str());

    let (status, headers, empty) = get(&app, &uri, Some(&etag)).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(empty.is_empty(), "no body: {empty}");
    assert_eq!(headers["etag"], etag.as_str());
    let (status, _, _) = get(&app, &uri, Some("\"q-0000000000000000\"")).await;
    assert_eq!(status, StatusCode::OK, "another tag gets the answer");

    let (status, headers, metrics) = get(&app, "/metrics", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/openmetrics-text"));
    for line in [
        "sensorboard_query_cache_hits_total 3",
        "sensorboard_query_cache_misses_total 1",
        "sensorboard_query_cache_entries 1",
        "sensorboard_query_cache_evictions_total 0",
    ] {
        assert!(metrics.lines().any(|l| l == line), "{line} in\n{metrics}");
    }
    assert!(metrics.contains("sensorboard_database_file_bytes "), "{metrics}");
}

#[tokio::test]
async fn a_write_in_the_window_changes_the_answer_and_one_outside_does_not() {
    let app = TestApp::new().await;
    hour(&app).await;
    let early = window(T0, T0 + 1_799_000);
    let late = window(T0 + 1_800_000, T0 + 3_599_000);
    let (_, early_headers, _) = get(&app, &early, None).await;
    let (_, late_headers, _) = get(&app, &late, None).await;
    let (early_tag, late_tag) = (early_headers["etag"].clone(), late_headers["etag"].clone());

    // Out of order, into the first half: replaces a stored point.
    app.write(json!([{"series": "tank", "t": T0 + 600_000, "v": 99_999.0}]))
        .await;
    let (status, headers, body) = get(&app, &early, Some(early_tag.to_str().unwrap())).await;
    assert_eq!(status, StatusCode::OK, "the window changed");
    assert_eq!(headers["x-sensorboard-cache"], "miss", "invalidated by the write");
    assert_ne!(headers["etag"], early_tag);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["stats"]["max"], 99_999.0);
    assert_eq!(body["stats"]["count"], 1_800, "a replacement, not a new point");

    let (status, headers, _) = get(&app, &late, Some(late_tag.to_str().unwrap())).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED, "nothing changed in the second half");
    assert_eq!(headers["x-sensorboard-cache"], "hit");
}

#[tokio::test]
async fn an_etag_survives_a_cache_miss_when_the_data_is_the_same() {
    let app = TestApp::new().await;
    hour(&app).await;
    let uri = window(T0, T0 + 3_599_000);
    let (_, headers, _) = get(&app, &uri, None).await;
    let etag = headers["etag"].to_str().unwrap().to_owned();
    // Rewriting a point with its own value invalidates the entry but not the answer.
    app.write(json!([{"series": "tank", "t": T0 + 5_000, "v": 5.0}])).await;
    let (status, headers, _) = get(&app, &uri, Some(&etag)).await;
    assert_eq!(headers["x-sensorboard-cache"], "miss");
    assert_eq!(
        status,
        StatusCode::NOT_MODIFIED,
        "the tag names the answer, not the moment"
    );
}

#[tokio::test]
async fn the_batch_has_one_tag_and_answers_304_when_no_slot_changed() {
    let app = TestApp::new().await;
    hour(&app).await;
    let batch = json!({"queries": [
        {"series": "tank", "from": T0, "to": T0 + 3_599_000, "points": 50},
        {"series": "tank", "from": "now-1h", "to": "now", "points": 50, "agg": "avg"},
        {"series": "missing", "from": T0, "to": T0 + 1, "points": 50},
    ]})
    .to_string();
    let post = |tag: Option<String>| {
        let mut req = Request::post("/api/v1/query/batch").header("content-type", "application/json");
        if let Some(tag) = tag {
            req = req.header("if-none-match", tag);
        }
        app.send(req.body(Body::from(batch.clone())).unwrap())
    };
    let (status, headers, body) = post(None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let etag = headers["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with("\"b-"));
    let (status, headers, body) = post(Some(etag.clone())).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED, "{body}");
    assert_eq!(
        headers["x-sensorboard-cache"], "miss",
        "the failed slot is never cached"
    );
    app.write(json!([{"series": "tank", "t": T0 + 1_000, "v": -1.0}])).await;
    let (status, headers, _) = post(Some(etag.clone())).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(headers["etag"], etag.as_str());
}

#[tokio::test]
async fn avg_gives_bucket_means_and_rollup_stats_are_exact_at_the_edges() {
    let app = TestApp::new().await;
    hour(&app).await;
    let (status, body) = app
        .get(&format!(
            "/api/v1/query?series=tank&from={T0}&to={}&points=10&agg=avg",
            T0 + 3_599_000
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["agg"], "avg");
    let points = body["points"].as_array().unwrap();
    assert!(points.len() <= 10 && points.len() >= 9, "{}", points.len());
    let mean_of_first: f64 = points[0][1].as_f64().unwrap();
    let width = points[1][0].as_i64().unwrap() - points[0][0].as_i64().unwrap();
    let n = ((points[1][0].as_i64().unwrap() - T0) / 1_000) as f64;
    assert_eq!(mean_of_first, (n - 1.0) / 2.0, "the first bucket's mean, width {width}");

    // A window off the minute grid read from the 1-minute rollup: the
    // stats count exactly the points inside it.
    let (from, to) = (T0 + 90_500, T0 + 3_000_250);
    let (status, body) = app
        .get(&format!(
            "/api/v1/query?series=tank&from={from}&to={to}&points=10&resolution=1m"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["resolution"], "1m");
    let stats = &body["stats"];
    assert_eq!(stats["count"], 2_910, "{stats}");
    assert_eq!(
        (stats["min"].as_f64(), stats["max"].as_f64()),
        (Some(91.0), Some(3_000.0))
    );
    assert_eq!(stats["last"], 3_000.0);
    assert_eq!(stats["avg"], (91.0 + 3_000.0) / 2.0);
}

#[tokio::test]
async fn the_series_list_has_an_etag_that_changes_with_the_series() {
    let app = TestApp::new().await;
    hour(&app).await;
    let (status, headers, body) = get(&app, "/api/v1/series?q=tank", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let etag = headers["etag"].to_str().unwrap().to_owned();
    let (status, _, body) = get(&app, "/api/v1/series?q=tank", Some(&etag)).await;
    assert_eq!((status, body.as_str()), (StatusCode::NOT_MODIFIED, ""));
    app.write(json!([{"series": "tank", "t": T0 + 3_600_000, "v": 1.0}]))
        .await;
    let (status, headers, _) = get(&app, "/api/v1/series?q=tank", Some(&etag)).await;
    assert_eq!(status, StatusCode::OK, "a new point changes the last value and count");
    assert_ne!(headers["etag"], etag.as_str());
}
