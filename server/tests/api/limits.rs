//! Bodies are bounded before they are parsed: reads, dashboards, tokens,
//! sign-in and the UI's server functions take at most
//! `--max-request-body-bytes`, writes `--max-body-bytes`; a query batch is
//! read no further than its cap.

use crate::support::{TestApp, T0};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};

const MIB: usize = 1024 * 1024;

fn post(uri: &str, content_type: &str, body: String) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap()
}

/// `{"queries":[0,0,...]}` of about `bytes` bytes.
fn zeros(bytes: usize) -> String {
    format!(r#"{{"queries":[{}0]}}"#, "0,".repeat(bytes / 2))
}

#[tokio::test]
async fn reads_and_edits_take_small_bodies_and_writes_large_ones() {
    let app = TestApp::new().await;
    let big_dashboard = format!(
        r#"{{"title":"t","panels":[{{"title":"p","series":["{}"]}}]}}"#,
        "s".repeat(2 * MIB)
    );
    for (uri, content_type, body) in [
        ("/api/v1/query/batch", "application/json", zeros(2 * MIB)),
        ("/api/v1/dashboards", "application/json", big_dashboard.clone()),
        (
            "/rpc/save_dashboard",
            "application/json",
            format!(r#"{{"id":null,"draft":{big_dashboard}}}"#),
        ),
        (
            "/api/v1/session",
            "application/x-www-form-urlencoded",
            format!("token={}", "t".repeat(2 * MIB)),
        ),
    ] {
        let (status, _, text) = app.send(post(uri, content_type, body)).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{uri}: {text}");
        assert!(text.contains(r#""error":"payload_too_large""#), "{uri}: {text}");
        assert!(text.contains("1048576"), "names the limit: {text}");
    }

    // A write of 2 MiB is well within its own limit.
    let points: Vec<String> = (0..60_000)
        .map(|i| format!(r#"{{"series":"big","t":{},"v":{i}}}"#, T0 + i * 1_000))
        .collect();
    let body = format!(r#"{{"points":[{}]}}"#, points.join(","));
    assert!(body.len() > 2 * MIB);
    let (status, _, text) = app.send(post("/api/v1/write", "application/json", body)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
}

#[tokio::test]
async fn a_query_batch_is_read_no_further_than_its_cap() {
    let app = TestApp::new().await;
    let (status, _, text) = app
        .send(post("/api/v1/query/batch", "application/json", zeros(MIB / 2)))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains(r#""error":"too_many_queries""#), "{text}");
    // What follows the 257th query is never read: not even broken JSON there.
    let cut_short = format!(r#"{{"queries":[{}0,{{"broken"#, "0,".repeat(300));
    let (status, _, text) = app
        .send(post("/api/v1/query/batch", "application/json", cut_short))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert!(
        text.contains(r#""error":"too_many_queries""#),
        "stopped at the cap: {text}"
    );
    let full: Vec<String> = (0..256)
        .map(|_| r#"{"series":"none","from":0,"to":1,"points":10}"#.to_owned())
        .collect();
    let body = format!(r#"{{"queries":[{}]}}"#, full.join(","));
    let (status, _, text) = app.send(post("/api/v1/query/batch", "application/json", body)).await;
    assert_eq!(status, StatusCode::OK, "a full batch is fine: {text}");
    assert!(text.contains("series_not_found"), "{text}");
}

#[tokio::test]
async fn a_batch_that_repeats_a_query_computes_it_once() {
    use app::domain::TimeSpec;
    use app::model::{Agg, QueryRequest, Resolution};
    let (state, _dir) = TestApp::state(MIB).await;
    let points = (0..10_000).map(|i| (T0 + i * 1_000, i as f64));
    state
        .store
        .write_batch(crate::support::batch("twice", points))
        .await
        .unwrap();
    let query = QueryRequest {
        series: "twice".into(),
        from: TimeSpec::At(T0),
        to: TimeSpec::At(T0 + 10_000_000),
        points: 100_000,
        agg: Agg::Raw,
        resolution: Resolution::Raw,
        ..Default::default()
    };
    let missing = QueryRequest {
        series: "nowhere".into(),
        ..query.clone()
    };
    let batch: Vec<QueryRequest> = (0..100)
        .map(|i| if i % 10 == 9 { missing.clone() } else { query.clone() })
        .collect();
    let answers = state.queries.run_batch(&batch).await.unwrap();
    let first = answers[0].as_ref().unwrap().answer.clone();
    assert_eq!(first.result.points.len(), 10_000);
    for (i, answer) in answers.iter().enumerate() {
        match answer {
            Ok(served) => assert!(
                std::sync::Arc::ptr_eq(&served.answer, &first),
                "slot {i} shares the answer"
            ),
            Err(e) => assert!(i % 10 == 9 && e.to_string().contains("nowhere"), "slot {i}: {e}"),
        }
    }
    assert_eq!(state.queries.slow_queries().len(), 1, "computed once");
}
