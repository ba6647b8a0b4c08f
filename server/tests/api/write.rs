//! `POST /api/v1/write` through the real router.

use crate::support::{TestApp, T0};
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

mod influx {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use std::io::Write;

    fn post(uri: &str, body: impl Into<Body>, gzip: bool) -> Request<Body> {
        let mut req = Request::post(uri).header("authorization", format!("Token {}", crate::support::TOKEN));
        if gzip {
            req = req.header("content-encoding", "gzip");
        }
        req.body(body.into()).unwrap()
    }

    fn gzipped(text: &str) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(text.as_bytes()).unwrap();
        enc.finish().unwrap()
    }

    #[tokio::test]
    async fn v1_and_v2_line_protocol_store_every_field_and_answer_204() {
        let app = TestApp::new().await;
        let t_s = T0 / 1000;
        let body = format!(
            "weather,site=north temp=21.5,hum=60i {t_s}\nweather,site=north temp=22 {}\n",
            t_s + 1
        );
        let (status, _) = app.request(post("/write?db=home&precision=s", body, false)).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let body = format!("cpu,host=a usage=0.5 {}\n", T0 * 1_000_000);
        let (status, _) = app
            .request(post("/api/v2/write?org=o&bucket=b", gzipped(&body), true))
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);

        let (_, list) = app.get("/api/v1/series").await;
        let keys: Vec<(&str, u64)> = list["series"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["key"].as_str().unwrap(), s["count"].as_u64().unwrap()))
            .collect();
        assert_eq!(
            keys,
            [
                (r#"cpu.usage{host="a"}"#, 1),
                (r#"weather.hum{site="north"}"#, 1),
                (r#"weather.temp{site="north"}"#, 2)
            ]
        );
        let key = "weather.temp%7Bsite%3D%22north%22%7D";
        let (_, q) = app
            .get(&format!(
                "/api/v1/query?series={key}&from={T0}&to={}&agg=raw",
                T0 + 5000
            ))
            .await;
        assert_eq!(q["points"], json!([[T0, 21.5], [T0 + 1000, 22.0]]));
    }

    #[tokio::test]
    async fn a_fleets_ticks_in_separate_bodies_land_on_their_own_series() {
        // Later bodies take the line shapes the first one left: every
        // point must still reach its own series.
        let app = TestApp::new().await;
        let t_s = T0 / 1000;
        for tick in 0..4_i64 {
            let body: String = (0..3)
                .map(|d| {
                    let (a, b) = (tick * 100 + d * 10, tick * 100 + d * 10 + 1);
                    format!("fleet,device=d{d} a={a},b={b} {}\n", t_s + tick * 10)
                })
                .collect();
            let (status, _) = app.request(post("/write?precision=s", body, false)).await;
            assert_eq!(status, StatusCode::NO_CONTENT, "tick {tick}");
        }
        for d in 0..3_i64 {
            for (field, plus) in [("a", 0), ("b", 1)] {
                let key = format!("fleet.{field}%7Bdevice%3D%22d{d}%22%7D");
                let (_, q) = app
                    .get(&format!(
                        "/api/v1/query?series={key}&from={T0}&to={}&agg=raw",
                        T0 + 60_000
                    ))
                    .await;
                let expected: Vec<serde_json::Value> = (0..4_i64)
                    .map(|tick| json!([T0 + tick * 10_000, (tick * 100 + d * 10 + plus) as f64]))
                    .collect();
                assert_eq!(q["points"], json!(expected), "{field} of d{d}");
            }
        }
    }

    #[tokio::test]
    async fn string_fields_refuse_the_body_naming_line_and_field() {
        let app = TestApp::new().await;
        let body = format!(
            "system uptime=5i {0}\nsystem uptime=6i,uptime_format=\"0:06\" {0}",
            T0 / 1000
        );
        let (status, text) = app.request(post("/write?precision=s", body, false)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let err: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(err["error"], "invalid_line");
        let message = err["message"].as_str().unwrap();
        assert!(
            message.starts_with("line 2: field `uptime_format` is a string"),
            "{message}"
        );
        let (_, list) = app.get("/api/v1/series").await;
        assert_eq!(list["series"], json!([]), "nothing of the body is stored");
    }

    #[tokio::test]
    async fn string_fields_can_be_skipped_and_counted_in_a_header() {
        let app = TestApp::with_flags(&["--line-protocol-strings", "skip"]).await;
        let req = post(
            "/write?precision=s",
            format!("system uptime=5i,uptime_format=\"0:05\" {}", T0 / 1000),
            false,
        );
        let (status, headers, _) = app.send(req).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert_eq!(headers["x-sensorboard-ignored-string-fields"], "1");
    }

    #[tokio::test]
    async fn bad_lines_reject_the_whole_body_naming_the_line() {
        let app = TestApp::new().await;
        let body = format!("m v=1 {}\nm v=two {}\n", T0 / 1000, T0 / 1000 + 1);
        let (status, text) = app.request(post("/write?precision=s", body, false)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let err: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(err["error"], "invalid_line");
        assert!(err["message"].as_str().unwrap().starts_with("line 2:"), "{err}");
        let (_, list) = app.get("/api/v1/series").await;
        assert_eq!(list["series"], json!([]), "nothing of the body is stored");

        for (uri, body, gzip, code) in [
            (
                "/write?precision=fortnight",
                b"m v=1".to_vec(),
                false,
                "invalid_precision",
            ),
            ("/write", vec![b'm', b' ', b'v', b'=', 0xff], false, "invalid_body"),
            ("/api/v2/write", b"not gzip at all".to_vec(), true, "invalid_body"),
            ("/api/v2/write", gzipped("m v=1")[..10].to_vec(), true, "invalid_body"),
        ] {
            let (status, text) = app.request(post(uri, body, gzip)).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {text}");
            assert!(text.contains(code), "{uri}: {text}");
        }
    }

    #[tokio::test]
    async fn the_size_limit_applies_to_the_decompressed_body() {
        let app = TestApp::with_body_limit(4096).await;
        let body = format!("m v=1 {}\n", T0 / 1000).repeat(2000);
        let small = gzipped(&body);
        assert!(small.len() < 4096);
        let (status, text) = app.request(post("/write?precision=s", small, true)).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    }
}

#[tokio::test]
async fn telemetry_reports_store_each_signal() {
    let app = TestApp::new().await;
    let body = json!([
        {"timestamp": "2026-11-23T10:00:00Z", "signals": {"temp": 21.5, "rpm": 1200}},
        {"timestamp": "2026-11-23T10:00:01Z", "signals": {"temp": 21.6, "rpm": 1210}},
    ]);
    let (status, summary) = app.post("/api/telemetry", body.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{summary}");
    assert_eq!(summary, json!({"points": 4, "series": 2, "new_series": 2}));
    let (_, q) = app
        .get(&format!("/api/v1/query?series=rpm&from={T0}&to={}&agg=raw", T0 + 1000))
        .await;
    assert_eq!(q["points"], json!([[T0, 1200.0], [T0 + 1000, 1210.0]]));

    let (status, err) = app.post("/api/telemetry", r#"{"signals":{"temp":"hot"}}"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["error"], "invalid_point");
}

#[tokio::test]
async fn influx_clients_can_ping() {
    let app = TestApp::new().await;
    for method in ["GET", "HEAD"] {
        let req = axum::http::Request::builder()
            .method(method)
            .uri("/ping")
            .body(axum::body::Body::empty())
            .unwrap();
        let res = tower::ServiceExt::oneshot(app.router.clone(), req).await.unwrap();
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{method}");
        assert!(res.headers().contains_key("x-influxdb-version"));
    }
}
