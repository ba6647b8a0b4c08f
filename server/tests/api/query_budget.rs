//! Each query request has a budget: points in its answers and stored rows
//! read. Over it, the request is refused whole with 400
//! `query_budget_exceeded`, naming the setting.

use crate::support::{TestApp, T0};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};

/// A batch of `n` queries of `points` each over the series `s`.
fn batch_body(n: usize, points: usize, agg: &str, span_s: i64) -> String {
    let query = format!(
        r#"{{"series":"s","from":{T0},"to":{},"points":{points},"agg":"{agg}","resolution":"raw"}}"#,
        T0 + span_s * 1_000 - 1
    );
    format!(r#"{{"queries":[{}]}}"#, vec![query; n].join(","))
}

async fn ask(app: &TestApp, body: String) -> (StatusCode, String) {
    app.request(
        Request::post("/api/v1/query/batch")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

async fn with_points(flags: &[&str], n: i64) -> TestApp {
    let app = TestApp::with_flags(flags).await;
    let points: Vec<_> = (0..n)
        .map(|i| serde_json::json!({"series": "s", "t": T0 + i * 1_000, "v": i}))
        .collect();
    app.write(serde_json::Value::Array(points)).await;
    app
}

fn refused(status: StatusCode, text: &str, setting: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains(r#""error":"query_budget_exceeded""#), "{text}");
    assert!(text.contains(setting), "names {setting}: {text}");
}

#[tokio::test]
async fn answers_asked_for_beyond_the_points_budget_are_refused_up_front() {
    let app = with_points(&["--max-points-per-request", "5000"], 100).await;
    let (status, text) = ask(&app, batch_body(6, 1_000, "minmax", 100)).await;
    refused(status, &text, "--max-points-per-request");
    let (status, text) = ask(&app, batch_body(5, 1_000, "minmax", 100)).await;
    assert_eq!(status, StatusCode::OK, "within the budget: {text}");
}

#[tokio::test]
async fn raw_answers_count_what_they_hold() {
    let app = with_points(&["--max-points-per-request", "3000"], 2_000).await;
    let (status, text) = ask(&app, batch_body(1, 2, "raw", 2_000)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    // Two different windows of 2,000 and 1,999 raw points: 3,999 in all.
    let two = format!(
        r#"{{"queries":[{{"series":"s","from":{T0},"to":{},"points":2,"agg":"raw"}},{{"series":"s","from":{},"to":{},"points":2,"agg":"raw"}}]}}"#,
        T0 + 2_000_000,
        T0 + 1_000,
        T0 + 2_000_000
    );
    let (status, text) = ask(&app, two).await;
    refused(status, &text, "--max-points-per-request");
}

#[tokio::test]
async fn reads_beyond_the_rows_budget_are_refused_before_they_happen() {
    let app = with_points(&["--max-rows-per-request", "5000"], 10_000).await;
    let (status, text) = ask(&app, batch_body(1, 1_000, "minmax", 10_000)).await;
    refused(status, &text, "--max-rows-per-request");
    let (status, text) = ask(&app, batch_body(1, 1_000, "minmax", 2_000)).await;
    assert_eq!(status, StatusCode::OK, "a shorter window fits: {text}");
    // Three such windows read 6,000 rows together: over.
    let (status, text) = ask(
        &app,
        format!(
            r#"{{"queries":[{q0},{q1},{q2}]}}"#,
            q0 = window(0),
            q1 = window(2_000),
            q2 = window(4_000)
        ),
    )
    .await;
    refused(status, &text, "--max-rows-per-request");

    let single = format!("/api/v1/query?series=s&from={T0}&to={}&resolution=raw", T0 + 10_000_000);
    let (status, text) = app.request(Request::get(single).body(Body::empty()).unwrap()).await;
    refused(status, &text, "--max-rows-per-request");
}

/// A query of 2,000 seconds of raw points from second `start`.
fn window(start: i64) -> String {
    format!(
        r#"{{"series":"s","from":{},"to":{},"points":100,"agg":"minmax","resolution":"raw"}}"#,
        T0 + start * 1_000,
        T0 + (start + 2_000) * 1_000 - 1
    )
}

#[tokio::test]
async fn a_batch_answer_is_written_one_result_at_a_time() {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let app = with_points(&[], 100).await;
    let request = |body: String| {
        crate::support::authorized(
            Request::post("/api/v1/query/batch")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body))
                .unwrap(),
        )
    };
    let res = app
        .router
        .clone()
        .oneshot(request(batch_body(3, 10, "minmax", 100)))
        .await
        .unwrap();
    assert_eq!(res.headers()[header::CONTENT_TYPE], "application/json");
    assert!(
        res.headers().get(header::CONTENT_LENGTH).is_none(),
        "no whole body to measure"
    );
    let mut body = res.into_body();
    let mut frames = Vec::new();
    while let Some(frame) = body.frame().await {
        frames.push(String::from_utf8(frame.unwrap().into_data().unwrap().to_vec()).unwrap());
    }
    assert_eq!(frames.len(), 4, "three results and the closing: {frames:?}");
    let whole: serde_json::Value = serde_json::from_str(&frames.concat()).unwrap();
    assert_eq!(whole["results"].as_array().unwrap().len(), 3);
    assert_eq!(whole["results"][2]["series"], "s");

    let (status, text) = ask(&app, r#"{"queries":[]}"#.into()).await;
    assert_eq!((status, text.as_str()), (StatusCode::OK, r#"{"results":[]}"#));
}
