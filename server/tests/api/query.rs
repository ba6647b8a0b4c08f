//! `GET /api/v1/query`, `GET /api/v1/series`, the batch server function
//! and the error paths, through the real router.

use crate::support::{TestApp, T0};
use axum::http::StatusCode;
use serde_json::{json, Value};

/// 10,000 one-second points of a gentle ramp with one spike and one dip.
async fn ramp_with_extremes(app: &TestApp) {
    let points: Vec<Value> = (0..10_000)
        .map(|i| {
            let v = match i {
                3_217 => 1_000.0,
                8_001 => -1_000.0,
                _ => (i % 100) as f64 / 10.0,
            };
            json!({"series": "ramp", "t": T0 + i * 1000, "v": v})
        })
        .collect();
    app.write(Value::Array(points)).await;
}

#[tokio::test]
async fn lttb_returns_the_requested_size_and_keeps_extremes() {
    let app = TestApp::new().await;
    ramp_with_extremes(&app).await;
    let (status, body) = app
        .get(&format!(
            "/api/v1/query?series=ramp&from={T0}&to={}&points=200&agg=lttb&resolution=raw",
            T0 + 10_000_000
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let points = body["points"].as_array().unwrap();
    assert_eq!(points.len(), 200);
    assert_eq!(body["agg"], "lttb");
    assert_eq!(body["resolution"], "raw");
    let values: Vec<f64> = points.iter().map(|p| p[1].as_f64().unwrap()).collect();
    assert!(
        values.contains(&1_000.0) && values.contains(&-1_000.0),
        "spike and dip survive"
    );
    assert_eq!(points[0][0], T0);
    assert_eq!(points[199][0], T0 + 9_999_000);
    assert_eq!(body["stats"]["count"], 10_000);
    assert_eq!(body["stats"]["max"], 1_000.0);
}

#[tokio::test]
async fn windows_accept_rfc3339_and_relative_times() {
    let app = TestApp::new().await;
    ramp_with_extremes(&app).await;
    let (status, body) = app
        .get("/api/v1/query?series=ramp&from=2026-11-23T10:00:00Z&to=2026-11-23T10:00:09Z&agg=raw")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["points"].as_array().unwrap().len(), 10);
    let (status, body) = app.get("/api/v1/query?series=ramp&from=now-1h").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["stats"]["count"], 0, "the ramp is in the past");
    assert_eq!(body["to"].as_i64().unwrap() - body["from"].as_i64().unwrap(), 3_600_000);
}

#[tokio::test]
async fn query_mistakes_are_clear_json_errors() {
    let app = TestApp::new().await;
    ramp_with_extremes(&app).await;
    let cases = [
        ("/api/v1/query", 400, "missing_series"),
        ("/api/v1/query?series=nope", 404, "series_not_found"),
        ("/api/v1/query?series=ramp&points=1", 400, "invalid_points"),
        ("/api/v1/query?series=ramp&points=0", 400, "invalid_points"),
        ("/api/v1/query?series=ramp&points=lots", 400, "invalid_points"),
        ("/api/v1/query?series=ramp&from=now&to=now-1h", 400, "invalid_range"),
        ("/api/v1/query?series=ramp&from=yesterday", 400, "invalid_time"),
        (
            "/api/v1/query?series=ramp&from=now-9223372036854775807ms",
            400,
            "invalid_time",
        ),
        ("/api/v1/query?series=ramp&from=now-100000w", 400, "invalid_time"),
        ("/api/v1/series/ramp/export?from=now-100000w", 400, "invalid_time"),
        ("/api/v1/query?series=ramp&agg=median", 400, "invalid_agg"),
        ("/api/v1/series?limit=0", 400, "invalid_limit"),
        ("/api/v2/nothing", 404, "no_such_endpoint"),
    ];
    for (uri, status, code) in cases {
        let (got, body) = app.get(uri).await;
        assert_eq!(got.as_u16(), status, "{uri}: {body}");
        assert_eq!(body["error"], code, "{uri}");
        assert!(!body["message"].as_str().unwrap().is_empty());
    }
    let (status, body) = app.get("/api/v1/write").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["error"], "method_not_allowed");
}

#[tokio::test]
async fn series_list_has_last_values_and_filters() {
    let app = TestApp::new().await;
    app.write(json!([
        {"series": "boiler.temp", "unit": "°C", "t": T0, "v": 60.5},
        {"series": "boiler.temp", "t": T0 + 1000, "v": 61.0},
        {"series": "room.temp", "labels": {"room": "b2"}, "t": T0, "v": 21.0},
    ]))
    .await;
    let (status, body) = app.get("/api/v1/series").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["series"][0],
        json!({"key": "boiler.temp", "name": "boiler.temp", "labels": {}, "unit": "°C",
               "first": T0, "last": T0 + 1000, "last_value": 61.0, "count": 2})
    );
    let (_, body) = app.get("/api/v1/series?q=ROOM").await;
    let keys: Vec<&str> = body["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, [r#"room.temp{room="b2"}"#]);
    let (_, body) = app.get("/api/v1/series?q=%25").await;
    assert_eq!(body["series"], json!([]), "% is matched literally");
}

#[tokio::test]
async fn the_series_list_pages_through_every_series_once() {
    let app = TestApp::new().await;
    let points: Vec<_> = (0..25)
        .map(|i| json!({"series": format!("page.s{i:02}"), "t": T0, "v": i}))
        .collect();
    app.write(json!(points)).await;
    let (mut seen, mut after, mut pages) = (Vec::new(), String::new(), 0);
    loop {
        let (status, body) = app.get(&format!("/api/v1/series?q=page.&limit=10{after}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        pages += 1;
        seen.extend(
            body["series"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["key"].as_str().unwrap().to_owned()),
        );
        match body["next"].as_str() {
            Some(next) => after = format!("&after={next}"),
            None => break,
        }
    }
    let expected: Vec<String> = (0..25).map(|i| format!("page.s{i:02}")).collect();
    assert_eq!(seen, expected);
    assert_eq!(pages, 3, "10 + 10 + 5, the last page says no next");
}

#[tokio::test]
async fn the_batch_server_function_answers_every_slot() {
    let app = TestApp::new().await;
    ramp_with_extremes(&app).await;
    let queries = json!({"queries": [
        {"series": "ramp", "from": T0, "to": T0 + 60_000, "points": 10},
        {"series": "missing", "from": "now-1h", "to": "now", "points": 10},
        {"series": "ramp", "from": T0, "to": T0 + 60_000, "points": 1},
    ]});
    let (status, body) = app.post("/rpc/query_batch", queries.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let slots = body.as_array().unwrap();
    assert_eq!(slots.len(), 3);
    assert_eq!(slots[0]["points"].as_array().unwrap().len(), 10);
    assert_eq!(slots[1]["error"], "series_not_found");
    assert_eq!(slots[2]["error"], "invalid_points");
}

#[tokio::test]
async fn health_checks_the_database() {
    let app = TestApp::new().await;
    let (status, body) = app.get("/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"status": "ok", "database": "ok"}));
    let (status, body) = app.get("/ready").await;
    assert_eq!((status, body), (StatusCode::OK, json!({"status": "ready"})));
}

#[tokio::test]
async fn configured_origins_may_call_the_api_cross_origin() {
    let (mut state, _dir) = TestApp::state(1024).await;
    state.allow_origins = vec!["http://ui.example".into()];
    let app = server::router(state);
    let request = |origin: &str| {
        axum::http::Request::get("/api/v1/series")
            .header("origin", origin)
            .body(axum::body::Body::empty())
            .unwrap()
    };
    use tower::ServiceExt;
    let allowed = app.clone().oneshot(request("http://ui.example")).await.unwrap();
    assert_eq!(allowed.headers()["access-control-allow-origin"], "http://ui.example");
    let other = app.oneshot(request("http://elsewhere.example")).await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn the_rest_batch_answers_in_order_with_errors_in_their_slots() {
    let app = TestApp::new().await;
    ramp_with_extremes(&app).await;
    let to = T0 + 10_000_000;
    let queries = json!({"queries": [
        {"series": "ramp", "from": T0, "to": to, "points": 100},
        {"series": "missing", "from": "now-1h", "to": "now", "points": 10},
        {"series": "ramp", "from": T0, "to": to, "points": "many"},
        {"series": "ramp", "from": T0, "to": T0 + 9_000, "points": 100, "agg": "raw", "resolution": "raw"},
    ]});
    let (status, body) = app.post("/api/v1/query/batch", queries.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    let first = results[0]["points"].as_array().unwrap();
    assert!(first.len() <= 100 && first.len() > 50, "{}", first.len());
    let values: Vec<f64> = first.iter().map(|p| p[1].as_f64().unwrap()).collect();
    assert!(values.contains(&1_000.0) && values.contains(&-1_000.0), "spike and dip");
    assert_eq!(results[1]["error"], "series_not_found");
    assert_eq!(results[2]["error"], "invalid_query");
    assert!(results[2]["message"].as_str().unwrap().starts_with("queries[2]"));
    assert_eq!(results[3]["points"].as_array().unwrap().len(), 10);

    let (status, body) = app.post("/api/v1/query/batch", r#"{"query": []}"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_body");
    let many = json!({"queries": vec![json!({"series": "ramp", "from": T0, "to": to, "points": 10}); 257]});
    let (status, body) = app.post("/api/v1/query/batch", many.to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "too_many_queries");
    let (status, body) = app.get("/api/v1/query/batch").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
}
