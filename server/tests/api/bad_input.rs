//! Malformed requests of every kind, across every endpoint: each gets a
//! 4xx with a JSON `{"error","message"}` body, nothing is stored, and the
//! server stays healthy.

use crate::support::{TestApp, T0};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{json, Value};
use std::io::Write;

/// Bodies over this are refused; small, so the oversized case stays cheap.
const LIMIT: usize = 64 * 1024;

struct Case {
    what: &'static str,
    method: Method,
    uri: String,
    headers: Vec<(&'static str, &'static str)>,
    body: Vec<u8>,
    status: u16,
}

fn case(what: &'static str, method: Method, uri: impl Into<String>, body: impl Into<Vec<u8>>, status: u16) -> Case {
    Case {
        what,
        method,
        uri: uri.into(),
        headers: vec![("content-type", "application/json")],
        body: body.into(),
        status,
    }
}

fn post(what: &'static str, uri: &str, body: impl Into<Vec<u8>>, status: u16) -> Case {
    case(what, Method::POST, uri, body, status)
}

fn get(what: &'static str, uri: impl Into<String>, status: u16) -> Case {
    case(what, Method::GET, uri, Vec::new(), status)
}

fn gzip(text: &str) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(text.as_bytes()).unwrap();
    enc.finish().unwrap()
}

fn gzipped(what: &'static str, uri: &str, body: Vec<u8>, status: u16) -> Case {
    Case {
        headers: vec![("content-encoding", "gzip")],
        ..post(what, uri, body, status)
    }
}

/// A native write presenting `authorization` instead of the tests' token.
fn authorized_as(what: &'static str, authorization: &'static str, status: u16) -> Case {
    Case {
        headers: vec![("content-type", "application/json"), ("authorization", authorization)],
        ..post(what, "/api/v1/write", point(json!({"series": "tok", "v": 1})), status)
    }
}

fn point(v: Value) -> Vec<u8> {
    json!({"points": [v]}).to_string().into_bytes()
}

fn cases() -> Vec<Case> {
    let w = "/api/v1/write";
    let huge_name = "x".repeat(10_000);
    let oversized = format!(
        "{{\"points\":[{}]}}",
        vec![r#"{"series":"big","v":1}"#; 4_000].join(",")
    );
    vec![
        // Native JSON writes.
        post("truncated JSON", w, "{\"points\":[", 400),
        post("empty body", w, "", 400),
        post("array instead of object", w, "[]", 400),
        post("points not a list", w, r#"{"points":5}"#, 400),
        post("value missing", w, point(json!({"series": "a", "t": T0})), 400),
        post(
            "value as a string",
            w,
            point(json!({"series": "a", "t": T0, "v": "12"})),
            400,
        ),
        post("value null", w, point(json!({"series": "a", "t": T0, "v": null})), 400),
        post("NaN literal", w, r#"{"points":[{"series":"a","v":NaN}]}"#, 400),
        post("unknown server function", "/rpc/no_such_thing", "{}", 404),
        case("a page deleted", Method::DELETE, "/", "", 405),
        post(
            "bidirectional override in a series name",
            w,
            point(json!({"series": "temp\u{202E}erature", "t": T0, "v": 1})),
            400,
        ),
        post(
            "zero-width space in a label value",
            w,
            point(json!({"series": "a", "labels": {"site": "north\u{200B}"}, "t": T0, "v": 1})),
            400,
        ),
        post(
            "bidirectional isolate in line protocol",
            "/write",
            "m,site=n\u{2066}x v=1",
            400,
        ),
        post(
            "value overflowing to infinity",
            w,
            r#"{"points":[{"series":"a","v":1e999}]}"#,
            400,
        ),
        post(
            "time before 1970",
            w,
            point(json!({"series": "a", "t": -1, "v": 1})),
            400,
        ),
        post(
            "time after 2200",
            w,
            point(json!({"series": "a", "t": 7_300_000_000_000i64, "v": 1})),
            400,
        ),
        post(
            "time not a time",
            w,
            point(json!({"series": "a", "t": "yesterday", "v": 1})),
            400,
        ),
        post(
            "empty series name",
            w,
            point(json!({"series": "", "t": T0, "v": 1})),
            400,
        ),
        post(
            "huge series name",
            w,
            point(json!({"series": huge_name, "t": T0, "v": 1})),
            400,
        ),
        post(
            "labels not an object",
            w,
            point(json!({"series": "a", "labels": [1], "v": 1})),
            400,
        ),
        post(
            "label value a number",
            w,
            point(json!({"series": "a", "labels": {"k": 1}, "v": 1})),
            400,
        ),
        post(
            "invalid UTF-8",
            w,
            b"{\"points\":[{\"series\":\"\xff\xfe\",\"v\":1}]}".to_vec(),
            400,
        ),
        post(
            "second point bad",
            w,
            json!({"points": [{"series": "a", "t": T0, "v": 1}, {"series": "a", "t": T0, "v": "x"}]}).to_string(),
            400,
        ),
        post("oversized body", w, oversized, 413),
        // Telemetry.
        post(
            "telemetry signals not an object",
            "/api/telemetry",
            r#"{"signals":[1,2]}"#,
            400,
        ),
        post(
            "telemetry signal a string",
            "/api/telemetry",
            r#"{"signals":{"temp":"hot"}}"#,
            400,
        ),
        post(
            "telemetry bad timestamp",
            "/api/telemetry",
            r#"{"timestamp":"noon","signals":{"temp":1}}"#,
            400,
        ),
        post(
            "telemetry without signals",
            "/api/telemetry",
            r#"{"timestamp":"2026-11-23T10:00:00Z"}"#,
            400,
        ),
        // Line protocol.
        post("line without fields", "/write?db=x", "cpu", 400),
        post("field without value", "/write?db=x", "cpu v=", 400),
        post("malformed number", "/write?db=x", "cpu v=1.2.3", 400),
        post("malformed timestamp", "/write?db=x", "cpu v=1 soon", 400),
        post("NaN field", "/write?db=x", "cpu v=NaN", 400),
        post(
            "timestamp past 2200",
            "/write?db=x&precision=s",
            "cpu v=1 9999999999",
            400,
        ),
        post(
            "unknown precision",
            "/api/v2/write?org=o&bucket=b&precision=h2",
            "cpu v=1",
            400,
        ),
        post(
            "unterminated string",
            "/api/v2/write?org=o&bucket=b",
            "cpu s=\"abc",
            400,
        ),
        post("empty measurement", "/api/v2/write?org=o&bucket=b", ",t=1 v=1", 400),
        post("invalid UTF-8 line", "/write?db=x", b"cpu\xff v=1".to_vec(), 400),
        post(
            "one bad line among good",
            "/write?db=x",
            "cpu v=1\ncpu v=oops\ncpu v=3",
            400,
        ),
        gzipped(
            "truncated gzip",
            "/api/v2/write?org=o&bucket=b",
            gzip("cpu v=1\n")[..12].to_vec(),
            400,
        ),
        gzipped("not gzip at all", "/write?db=x", b"cpu v=1".to_vec(), 400),
        gzipped(
            "gzip bomb over the limit",
            "/write?db=x",
            gzip(&"cpu v=1\n".repeat(20_000)),
            413,
        ),
        // Queries.
        get("query without series", "/api/v1/query", 400),
        get("query of an unknown series", "/api/v1/query?series=no.such", 404),
        get("query with a bad from", "/api/v1/query?series=seed.ok&from=banana", 400),
        get(
            "query with points not a number",
            "/api/v1/query?series=seed.ok&points=many",
            400,
        ),
        get(
            "query with points below two",
            "/api/v1/query?series=seed.ok&points=1",
            400,
        ),
        get(
            "query with an unknown agg",
            "/api/v1/query?series=seed.ok&agg=median",
            400,
        ),
        get(
            "query with an unknown resolution",
            "/api/v1/query?series=seed.ok&resolution=5m",
            400,
        ),
        post("batch not JSON", "/api/v1/query/batch", "queries", 400),
        post(
            "batch of 300 queries",
            "/api/v1/query/batch",
            json!({"queries": vec![json!({"series":"seed.ok","from":0,"to":1,"points":10}); 300]}).to_string(),
            400,
        ),
        // Catalogue and export.
        get("series limit zero", "/api/v1/series?limit=0", 400),
        get("series limit not a number", "/api/v1/series?limit=all", 400),
        get("export of an unknown series", "/api/v1/series/no.such/export", 404),
        get(
            "export in an unknown format",
            "/api/v1/series/seed.ok/export?format=xml",
            400,
        ),
        get(
            "export path traversal",
            "/api/v1/series/..%2F..%2Fetc%2Fpasswd/export",
            404,
        ),
        // Dashboards.
        post("dashboard not JSON", "/api/v1/dashboards", "{title", 400),
        post(
            "dashboard with an empty title",
            "/api/v1/dashboards",
            r#"{"title":" ","panels":[]}"#,
            400,
        ),
        post(
            "dashboard panel without series",
            "/api/v1/dashboards",
            r#"{"title":"t","panels":[{"title":"p","series":[]}]}"#,
            400,
        ),
        post(
            "dashboard threshold a string",
            "/api/v1/dashboards",
            r#"{"title":"t","panels":[{"title":"p","series":["a"],"thresholds":{"crit":"hot"}}]}"#,
            400,
        ),
        get("dashboard id a path", "/api/v1/dashboards/..%2Fetc", 400),
        case(
            "replace a missing dashboard",
            Method::PUT,
            "/api/v1/dashboards/77",
            r#"{"title":"t"}"#,
            404,
        ),
        case(
            "delete a missing dashboard",
            Method::DELETE,
            "/api/v1/dashboards/77",
            "",
            404,
        ),
        // Tokens.
        authorized_as("unknown token", "Bearer sbt_no-such-token", 401),
        authorized_as("scheme without credentials", "Bearer", 401),
        authorized_as("unsupported scheme", "Negotiate abc", 401),
        authorized_as("basic credentials not base64", "Basic ***", 401),
        authorized_as("empty basic credentials", "Basic Og==", 401),
        post("token body not JSON", "/api/v1/tokens", "{", 400),
        post(
            "token with an unknown scope",
            "/api/v1/tokens",
            r#"{"name":"x","scopes":["root"]}"#,
            400,
        ),
        post(
            "token without a name",
            "/api/v1/tokens",
            r#"{"name":" ","scopes":["read"]}"#,
            400,
        ),
        case(
            "revoke a token by a non-number",
            Method::DELETE,
            "/api/v1/tokens/abc",
            "",
            400,
        ),
        case("revoke a missing token", Method::DELETE, "/api/v1/tokens/999", "", 404),
        // Routing.
        get("unknown endpoint", "/api/v1/nothing", 404),
        case("wrong method", Method::DELETE, "/api/v1/write", "", 405),
        case("wrong method on query", Method::PUT, "/api/v1/query", "", 405),
    ]
}

#[tokio::test]
async fn every_malformed_request_gets_a_json_4xx_and_changes_nothing() {
    let app = TestApp::with_body_limit(LIMIT).await;
    app.write(json!([{"series": "seed.ok", "unit": "V", "t": T0, "v": 1.5}]))
        .await;
    let (_, before) = app.get("/api/v1/series").await;

    let cases = cases();
    assert!(cases.len() >= 40, "{} kinds", cases.len());
    refused_as_json(&app, &cases).await;

    let (_, after) = app.get("/api/v1/series").await;
    assert_eq!(after, before, "nothing stored");
    let (status, _) = app.get("/api/v1/dashboards/1").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no dashboard made");
    let (_, tokens) = app.get("/api/v1/tokens").await;
    assert_eq!(tokens["tokens"].as_array().map(Vec::len), Some(1), "no token made");
    let (status, _) = app.get("/health").await;
    assert_eq!(status, StatusCode::OK);
}

/// Requests over the limits on work: series per body, new series, query
/// budgets, made-up methods. Each gets its JSON 4xx and stores nothing.
#[tokio::test]
async fn requests_over_the_work_limits_get_a_json_4xx_and_change_nothing() {
    let app = TestApp::with_flags(&[
        "--max-series-per-batch",
        "10",
        "--max-new-series-per-batch",
        "5",
        "--max-points-per-request",
        "1000",
        "--max-rows-per-request",
        "10",
    ])
    .await;
    let seed: Vec<Value> = (0..20)
        .map(|i| json!({"series": "seed.ok", "t": T0 + i * 1_000, "v": i}))
        .collect();
    app.write(Value::Array(seed)).await;
    let (_, before) = app.get("/api/v1/series").await;

    let lines = |n: usize| (0..n).map(|i| format!("m{i} v=1\n")).collect::<String>();
    let line_write = "/api/v2/write?bucket=b&precision=s";
    let query = |points: usize| json!({"series": "seed.ok", "from": T0, "to": T0 + 1_000, "points": points});
    let cases = vec![
        post("a body naming more series than allowed", line_write, lines(11), 400),
        post("a body creating more series than allowed", line_write, lines(6), 413),
        post(
            "a line of 1,001 fields",
            line_write,
            format!(
                "wide {}\n",
                (0..1_001).map(|i| format!("f{i}=1")).collect::<Vec<_>>().join(",")
            ),
            400,
        ),
        post(
            "a batch asking for more points than a request may return",
            "/api/v1/query/batch",
            json!({"queries": [query(600), query(601)]}).to_string(),
            400,
        ),
        get(
            "a query reading more rows than a request may",
            format!(
                "/api/v1/query?series=seed.ok&from={T0}&to={}&resolution=raw",
                T0 + 60_000
            ),
            400,
        ),
        case(
            "a made-up method",
            Method::from_bytes(b"M17X").unwrap(),
            "/api/v1/series",
            "",
            405,
        ),
    ];
    refused_as_json(&app, &cases).await;
    let (_, after) = app.get("/api/v1/series").await;
    assert_eq!(after, before, "nothing stored");
}

/// Sends every case and asserts each got its status with a JSON error
/// body (`error` and `message`).
async fn refused_as_json(app: &TestApp, cases: &[Case]) {
    let mut wrong = Vec::new();
    for c in cases {
        let mut req = Request::builder().method(c.method.clone()).uri(&c.uri);
        for (name, value) in &c.headers {
            req = req.header(*name, *value);
        }
        let (status, headers, text) = app.send(req.body(Body::from(c.body.clone())).unwrap()).await;
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let json = headers
            .get("content-type")
            .is_some_and(|v| v.to_str().unwrap_or("").starts_with("application/json"));
        let described = body["error"].as_str().is_some_and(|e| !e.is_empty())
            && body["message"].as_str().is_some_and(|m| !m.is_empty());
        if status.as_u16() != c.status || !json || !described {
            wrong.push(format!("{}: {} {} -> {status} {text}", c.what, c.method, c.uri));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}
