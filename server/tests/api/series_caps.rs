//! Series creation is capped per batch, per token and minute, and in
//! total; a refused batch names its cap and stores nothing.

use crate::support::{TestApp, T0};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};

/// Line protocol for one point of each of `fields` fields of `measurement`.
fn lines(measurement: &str, fields: std::ops::Range<usize>) -> String {
    let fields: Vec<String> = fields.map(|f| format!("f{f}=1")).collect();
    format!("{measurement} {} {}\n", fields.join(","), T0 * 1_000_000)
}

fn write(body: String) -> Request<Body> {
    Request::post("/api/v2/write?bucket=b&precision=ns")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(body))
        .unwrap()
}

async fn series_count(app: &TestApp) -> usize {
    let (status, list) = app.get("/api/v1/series?limit=1000").await;
    assert_eq!(status, StatusCode::OK);
    list["series"].as_array().expect("a list").len()
}

#[tokio::test]
async fn a_batch_creating_too_many_series_is_refused_whole() {
    let app = TestApp::with_flags(&["--max-new-series-per-batch", "3"]).await;
    let (status, headers, text) = app.send(write(lines("m", 0..4))).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    assert!(text.contains(r#""error":"too_many_new_series""#), "{text}");
    assert!(text.contains("--max-new-series-per-batch"), "names the cap: {text}");
    assert!(headers.get(header::RETRY_AFTER).is_none());
    assert_eq!(series_count(&app).await, 0, "nothing of it stored");

    let (status, _, text) = app.send(write(lines("m", 0..3))).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{text}");
    // Known series do not count: three known and three new pass.
    let (status, _, text) = app.send(write(lines("m", 0..6))).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{text}");
    assert_eq!(series_count(&app).await, 6);
}

#[tokio::test]
async fn the_store_holds_at_most_max_series() {
    let app = TestApp::with_flags(&["--max-series", "5"]).await;
    let (status, body) = app
        .post(
            "/api/v1/write",
            r#"{"points":[{"series":"a","t":1700000000000,"v":1},{"series":"b","t":1700000000000,"v":1},{"series":"c","t":1700000000000,"v":1}]}"#,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["new_series"], 3);

    let (status, _, text) = app.send(write(lines("m", 0..3))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert!(text.contains(r#""error":"series_limit_reached""#), "{text}");
    assert!(text.contains("--max-series"), "names the cap: {text}");
    assert_eq!(series_count(&app).await, 3, "nothing of it stored");

    let (status, _, text) = app.send(write(lines("m", 0..2))).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "up to the cap: {text}");
    let (status, _, text) = app.send(write(lines("m", 0..2))).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "known series go on: {text}");
    assert_eq!(series_count(&app).await, 5);
}

#[tokio::test]
async fn a_token_creates_at_most_so_many_series_a_minute() {
    let app = TestApp::with_flags(&["--max-new-series-per-minute", "4"]).await;
    let (status, _, text) = app.send(write(lines("m", 0..3))).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{text}");

    let (status, headers, text) = app.send(write(lines("n", 0..2))).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{text}");
    assert!(text.contains(r#""error":"series_rate_limited""#), "{text}");
    assert!(text.contains("--max-new-series-per-minute"), "names the cap: {text}");
    let retry: u64 = headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(series_count(&app).await, 3, "nothing of it stored");

    // Points of known series are not new series.
    let (status, _, text) = app.send(write(lines("m", 0..3))).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{text}");
}
