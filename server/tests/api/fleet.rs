//! Queries over many series: selectors on the series list, label names
//! and values, lines per series ranked, aggregation by label against the
//! points written, limits, and the cache.

use crate::support::{TestApp, T0};
use axum::http::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const SITES: usize = 3;
const DEVICES: usize = 4;
const MINUTES: i64 = 5;

/// The value of field `f` of device `d` at minute `m`, second `s`.
fn value(f: usize, d: usize, m: i64, s: i64) -> f64 {
    (f * 100 + d * 10) as f64 + ((m * 7 + s * 3 + d as i64) % 11) as f64 / 4.0
}

/// 3 sites × 4 devices × 2 fields, a point every 10 s for five minutes.
async fn fleet(app: &TestApp) -> Vec<(BTreeMap<String, String>, i64, f64)> {
    let mut points = Vec::new();
    let mut written = Vec::new();
    for f in 1..=2 {
        for d in 0..SITES * DEVICES {
            let labels = BTreeMap::from([
                ("site".to_owned(), format!("s{}", d % SITES)),
                ("device".to_owned(), format!("d{d:02}")),
            ]);
            for m in 0..MINUTES {
                for s in (0..60).step_by(10) {
                    let (t, v) = (T0 + m * 60_000 + s * 1_000, value(f, d, m, s));
                    points.push(json!({"series": format!("fleet.f{f}"), "labels": labels, "t": t, "v": v}));
                    let mut with_name = labels.clone();
                    with_name.insert("__name__".into(), format!("fleet.f{f}"));
                    written.push((with_name, t, v));
                }
            }
        }
    }
    app.write(json!(points)).await;
    written
}

async fn query(app: &TestApp, q: Value) -> Value {
    let (status, body) = app
        .post("/api/v1/query/batch", json!({"queries": [q]}).to_string())
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["results"][0].clone()
}

fn window(extra: Value) -> Value {
    let mut q = json!({"from": T0, "to": T0 + MINUTES * 60_000 - 1, "points": 1000});
    q.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    q
}

#[tokio::test]
async fn the_series_list_and_labels_follow_a_selector() {
    let app = TestApp::new().await;
    fleet(&app).await;
    let (status, body) = app
        .get("/api/v1/series?select=fleet.f1%7Bsite%3D%22s1%22%7D&limit=100")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let keys: Vec<&str> = body["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys.len(), DEVICES);
    assert!(
        keys.iter()
            .all(|k| k.starts_with("fleet.f1{") && k.contains(r#"site="s1""#)),
        "{keys:?}"
    );
    let (_, body) = app.get("/api/v1/labels").await;
    assert_eq!(body["names"], json!(["__name__", "device", "site"]));
    let (_, body) = app.get("/api/v1/labels/site/values?select=fleet.f2").await;
    assert_eq!(
        body["values"],
        json!([{"value": "s0", "series": 4}, {"value": "s1", "series": 4}, {"value": "s2", "series": 4}])
    );
    let (_, body) = app.get("/api/v1/labels/device/values?prefix=d1").await;
    assert_eq!(body["values"].as_array().unwrap().len(), 2);
    let (status, body) = app.get("/api/v1/series?select=%7Bsite%3D~%22(%22%7D").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_selector"))
    );
}

#[tokio::test]
async fn lines_per_series_are_the_single_series_answers_ranked() {
    let app = TestApp::new().await;
    fleet(&app).await;
    let answer = query(&app, window(json!({"select": r#"fleet.f1{site="s2"}"#, "lines": 2}))).await;
    assert_eq!(answer["matched"], 4);
    assert_eq!(answer["more"], 2);
    let lines = answer["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    let maxima: Vec<f64> = lines.iter().map(|l| l["stats"]["max"].as_f64().unwrap()).collect();
    assert!(maxima[0] >= maxima[1], "highest first: {maxima:?}");
    for line in lines {
        let key = line["series"].as_str().unwrap();
        let alone = query(&app, window(json!({"series": key}))).await;
        assert_eq!(line["points"], alone["points"], "{key}");
        assert_eq!(line["stats"], alone["stats"]);
        assert_eq!(line["labels"]["__name__"], "fleet.f1");
    }
    let bottom = query(
        &app,
        window(json!({"select": "fleet.f1", "lines": 1, "rank": "min", "bottom": true})),
    )
    .await;
    assert_eq!(
        bottom["lines"][0]["labels"]["device"], "d00",
        "the lowest values belong to d00"
    );
    assert_eq!(bottom["more"], 11);
}

#[tokio::test]
async fn aggregates_by_label_equal_the_points_written() {
    let app = TestApp::new().await;
    let written = fleet(&app).await;
    for op in ["avg", "sum", "min", "max", "count"] {
        let answer = query(
            &app,
            window(json!({"select": "fleet.f2", "aggregate": op, "by": ["site"], "points": 20})),
        )
        .await;
        let lines = answer["lines"].as_array().unwrap();
        assert_eq!(lines.len(), SITES, "{op}: one line per site");
        for line in lines {
            let site = line["labels"]["site"].as_str().unwrap();
            assert_eq!(line["series_count"], DEVICES);
            let points = line["points"].as_array().unwrap();
            assert!(!points.is_empty() && points.len() <= 20);
            // Each point stands for its grid bucket (the first one's cut by
            // the window's start, where the point sits).
            let width = line["bucket"].as_i64().unwrap();
            for p in points {
                let t = p[0].as_i64().unwrap();
                assert!(t >= T0, "{op}: inside the window");
                let start = t.div_euclid(width) * width;
                let mut per_series: BTreeMap<String, Vec<f64>> = BTreeMap::new();
                for (labels, t, v) in &written {
                    if labels["__name__"] == "fleet.f2" && labels["site"] == site && (start..start + width).contains(t)
                    {
                        per_series.entry(labels["device"].clone()).or_default().push(*v);
                    }
                }
                let all: Vec<f64> = per_series.values().flatten().copied().collect();
                let expected = match op {
                    "avg" => all.iter().sum::<f64>() / all.len() as f64,
                    "sum" => per_series
                        .values()
                        .map(|v| v.iter().sum::<f64>() / v.len() as f64)
                        .sum(),
                    "min" => all.iter().copied().fold(f64::INFINITY, f64::min),
                    "max" => all.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                    _ => per_series.len() as f64,
                };
                let got = p[1].as_f64().unwrap();
                assert!(
                    (got - expected).abs() < 1e-9,
                    "{op} {site} at {start}: {got} vs {expected}"
                );
            }
        }
    }
}

#[tokio::test]
async fn selections_are_cached_until_a_member_is_written_or_a_series_joins() {
    let app = TestApp::new().await;
    fleet(&app).await;
    let uri = format!(
        "/api/v1/query?select=fleet.f1&aggregate=count&from={T0}&to={}&points=10",
        T0 + 3_600_000
    );
    let (first, answer) = cached_get(&app, &uri).await;
    assert_eq!(first, "miss");
    assert_eq!(answer["matched"], 12);
    assert_eq!(cached_get(&app, &uri).await.0, "hit");
    app.write(json!([{"series": "fleet.f1", "labels": {"site": "s0", "device": "d00"}, "t": T0 + 1, "v": 1.0}]))
        .await;
    assert_eq!(
        cached_get(&app, &uri).await.0,
        "miss",
        "a member was written in the window"
    );
    app.write(json!([{"series": "fleet.f1", "labels": {"site": "s9", "device": "d99"}, "t": T0 + 1, "v": 1.0}]))
        .await;
    let (cache, answer) = cached_get(&app, &uri).await;
    assert_eq!(
        (cache.as_str(), answer["matched"].as_u64()),
        ("miss", Some(13)),
        "a new series joined"
    );
}

/// The `X-Sensorboard-Cache` header and the body of `GET uri`.
async fn cached_get(app: &TestApp, uri: &str) -> (String, Value) {
    let req = axum::http::Request::get(uri).body(axum::body::Body::empty()).unwrap();
    let (status, headers, body) = app.send(req).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cache = headers["x-sensorboard-cache"].to_str().unwrap().to_owned();
    (cache, serde_json::from_str::<Value>(&body).unwrap())
}

#[tokio::test]
async fn selections_that_ask_too_much_or_wrongly_are_refused() {
    let app = TestApp::with_flags(&["--max-series-per-query", "5"]).await;
    fleet(&app).await;
    let (status, body) = app
        .post(
            "/api/v1/query/batch",
            json!({"queries": [window(json!({"select": "fleet.f1"}))]}).to_string(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["results"][0]["error"], "too_many_series", "{body}");
    let (status, body) = app.get("/api/v1/query?select=fleet.f1").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("too_many_series"))
    );
    for (q, code) in [
        (json!({"select": "fleet.f1{"}), "invalid_selector"),
        (json!({"select": r#"{site!="s1"}"#}), "invalid_selector"),
        (json!({"select": "fleet.f1", "series": "fleet.f1"}), "invalid_query"),
        (
            json!({"select": r#"fleet.f1{device="d00"}"#, "by": ["site"]}),
            "invalid_query",
        ),
        (json!({"series": "fleet.f1", "aggregate": "avg"}), "invalid_query"),
        (
            json!({"select": r#"fleet.f1{device="d00"}"#, "lines": 0}),
            "invalid_lines",
        ),
    ] {
        let (_, body) = app
            .post(
                "/api/v1/query/batch",
                json!({"queries": [window(q.clone())]}).to_string(),
            )
            .await;
        assert_eq!(body["results"][0]["error"], code, "{q}: {body}");
    }
    let (status, body) = app.get("/api/v1/query?select=fleet.f1&aggregate=median").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_aggregate"))
    );
}
