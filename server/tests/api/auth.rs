//! Tokens and access: writes need a write token in any of the forms
//! producers send, admin tokens manage tokens, reads follow the read
//! policy, and a token over its ingest rate gets 429.

use crate::support::{authorized, json, TestApp, T0, TOKEN};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use base64::Engine;
use serde_json::{json, Value};

fn native_write(auth: Option<&str>) -> Request<Body> {
    let body = json!({"points": [{"series": "auth.t", "t": T0, "v": 1.0}]}).to_string();
    let mut req = Request::post("/api/v1/write").header("content-type", "application/json");
    if let Some(a) = auth {
        req = req.header(header::AUTHORIZATION, a);
    }
    req.body(Body::from(body)).unwrap()
}

/// Makes a token through the admin API; returns its secret and id.
async fn token(app: &TestApp, name: &str, scopes: &[&str]) -> (String, i64) {
    let (status, body) = app
        .post("/api/v1/tokens", json!({"name": name, "scopes": scopes}).to_string())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    (body["token"].as_str().unwrap().to_owned(), body["id"].as_i64().unwrap())
}

async fn stored_points(app: &TestApp) -> u64 {
    let (_, body) = app.get("/api/v1/series?q=auth").await;
    body["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["count"].as_u64().unwrap())
        .sum()
}

#[tokio::test]
async fn writes_without_a_valid_write_token_are_refused_and_store_nothing() {
    let app = TestApp::new().await;
    let (reader, _) = token(&app, "dashboards", &["read"]).await;
    let cases: [(Option<String>, StatusCode, &str); 5] = [
        (None, StatusCode::UNAUTHORIZED, "sensorboard token create"),
        (
            Some("Bearer sbt_not-a-token".into()),
            StatusCode::UNAUTHORIZED,
            "unknown or revoked",
        ),
        (Some("Bearer".into()), StatusCode::UNAUTHORIZED, "no credentials"),
        (Some("Digest abc".into()), StatusCode::UNAUTHORIZED, "scheme"),
        (
            Some(format!("Bearer {reader}")),
            StatusCode::FORBIDDEN,
            "do not include `write`",
        ),
    ];
    for (auth, want, says) in cases {
        let (status, headers, body) = app.send_anonymous(native_write(auth.as_deref())).await;
        assert_eq!(status, want, "{auth:?}: {body}");
        let body = json(&body);
        assert!(body["message"].as_str().unwrap().contains(says), "{auth:?}: {body}");
        if want == StatusCode::UNAUTHORIZED {
            assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer realm=\"sensorboard\"");
        }
    }
    // The browser's session cookie never counts for a write.
    let mut req = native_write(None);
    let cookie = format!("sensorboard_token={TOKEN}");
    req.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
    assert_eq!(app.send_anonymous(req).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(stored_points(&app).await, 0);
}

#[tokio::test]
async fn a_write_token_works_in_every_form_producers_send() {
    let app = TestApp::new().await;
    let (writer, _) = token(&app, "telegraf", &["write"]).await;
    let line = |i: i64| Body::from(format!("auth t={i} {}", T0 / 1000 + i));
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("telegraf:{writer}"));
    let requests = [
        native_write(Some(&format!("Bearer {writer}"))),
        native_write(Some(&format!("Token {writer}"))),
        Request::post("/api/v2/write?precision=s")
            .header(header::AUTHORIZATION, format!("Token {writer}"))
            .body(line(1))
            .unwrap(),
        Request::post("/write?precision=s")
            .header(header::AUTHORIZATION, format!("Basic {basic}"))
            .body(line(2))
            .unwrap(),
        Request::post(format!("/write?db=x&u=telegraf&p={writer}&precision=s"))
            .body(line(3))
            .unwrap(),
    ];
    for req in requests {
        let uri = req.uri().to_string();
        let (status, _, body) = app.send_anonymous(req).await;
        assert!(status.is_success(), "{uri}: {status} {body}");
    }
    assert_eq!(
        stored_points(&app).await,
        4,
        "one native point (written twice) and three lines"
    );
}

#[tokio::test]
async fn admin_tokens_create_list_and_revoke_tokens_and_the_secret_is_shown_once() {
    let app = TestApp::new().await;
    let (secret, id) = token(&app, "ops laptop", &["read", "write"]).await;
    assert!(secret.starts_with("sbt_"), "{secret}");
    let create = Request::post("/api/v1/tokens")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"name": "kept nowhere", "scopes": ["read"]}).to_string(),
        ))
        .unwrap();
    let (status, headers, _) = app.send(create).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store", "the answer holds a secret");

    let (status, list) = app.get("/api/v1/tokens").await;
    assert_eq!(status, StatusCode::OK);
    let listed = list["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(listed["name"], "ops laptop");
    assert_eq!(listed["scopes"], json!(["read", "write"]));
    assert!(secret.starts_with(listed["hint"].as_str().unwrap()));
    assert!(!list.to_string().contains(&secret), "a listing never holds a secret");

    // Only admin tokens manage tokens.
    let req = Request::get("/api/v1/tokens")
        .header(header::AUTHORIZATION, format!("Bearer {secret}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send_anonymous(req).await.0, StatusCode::FORBIDDEN);
    let anonymous = Request::get("/api/v1/tokens").body(Body::empty()).unwrap();
    assert_eq!(app.send_anonymous(anonymous).await.0, StatusCode::UNAUTHORIZED);

    // Revoked: refused at once.
    let auth = format!("Bearer {secret}");
    assert_eq!(app.send_anonymous(native_write(Some(&auth))).await.0, StatusCode::OK);
    let revoke = Request::delete(format!("/api/v1/tokens/{id}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(revoke).await.0, StatusCode::NO_CONTENT);
    let (status, _, body) = app.send_anonymous(native_write(Some(&auth))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let again = Request::delete(format!("/api/v1/tokens/{id}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(again).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_token_requests_are_400s() {
    let app = TestApp::new().await;
    for body in [
        json!({"name": "", "scopes": ["read"]}),
        json!({"name": "x", "scopes": []}),
        json!({"name": "x", "scopes": ["root"]}),
        json!({"name": "x".repeat(101), "scopes": ["read"]}),
        json!({"name": "admin\u{202E}resu", "scopes": ["read"]}),
        json!({"name": "wall\u{200B}screen", "scopes": ["read"]}),
        json!({"scopes": ["read"]}),
    ] {
        let (status, answer) = app.post("/api/v1/tokens", body.to_string()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let (status, list) = app.get("/api/v1/tokens").await;
    assert_eq!((status, list["tokens"].as_array().unwrap().len()), (StatusCode::OK, 1));
}

#[tokio::test]
async fn token_only_reads_need_a_read_token_or_the_signed_in_cookie() {
    let app = TestApp::with_flags(&["--read-access", "token"]).await;
    app.write(json!([{"series": "auth.r", "t": T0, "v": 2.0}])).await;
    let (reader, _) = token(&app, "wall screen", &["read"]).await;
    let reads = [
        "/api/v1/series",
        "/api/v1/query?series=auth.r&from=0&to=now",
        "/api/v1/series/auth.r/export",
        "/api/v1/dashboards",
        "/metrics",
    ];
    for uri in reads {
        let anonymous = Request::get(uri).body(Body::empty()).unwrap();
        let (status, _, body) = app.send_anonymous(anonymous).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{uri}: {body}");
        let with_token = Request::get(uri)
            .header(header::AUTHORIZATION, format!("Bearer {reader}"))
            .body(Body::empty())
            .unwrap();
        assert_eq!(app.send_anonymous(with_token).await.0, StatusCode::OK, "{uri}");
        let with_cookie = Request::get(uri)
            .header(header::COOKIE, format!("sensorboard_token={reader}"))
            .body(Body::empty())
            .unwrap();
        assert_eq!(app.send_anonymous(with_cookie).await.0, StatusCode::OK, "{uri}");
    }
    for uri in ["/health", "/ready", "/ping", "/api/openapi.json"] {
        let anonymous = Request::get(uri).body(Body::empty()).unwrap();
        let status = app.send_anonymous(anonymous).await.0;
        assert!(status.is_success(), "{uri} is public: {status}");
    }

    // Changing dashboards then needs a write token; a read token may only look.
    let draft = json!({"title": "Wall", "panels": [{"title": "r", "series": ["auth.r"]}]}).to_string();
    let as_reader = Request::post("/api/v1/dashboards")
        .header(header::AUTHORIZATION, format!("Bearer {reader}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(draft.clone()))
        .unwrap();
    assert_eq!(app.send_anonymous(as_reader).await.0, StatusCode::FORBIDDEN);
    let as_admin = authorized(
        Request::post("/api/v1/dashboards")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(draft))
            .unwrap(),
    );
    assert_eq!(app.send_anonymous(as_admin).await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn public_reads_need_no_token() {
    let app = TestApp::new().await;
    for uri in ["/api/v1/series", "/api/v1/dashboards", "/metrics"] {
        let anonymous = Request::get(uri).body(Body::empty()).unwrap();
        assert_eq!(app.send_anonymous(anonymous).await.0, StatusCode::OK, "{uri}");
    }
}

#[tokio::test]
async fn a_token_over_its_ingest_rate_gets_429_with_retry_after_and_nothing_is_stored() {
    let app = TestApp::with_flags(&["--ingest-rate-limit", "1000"]).await;
    let batch = |from: i64| {
        let points: Vec<Value> = (0..600)
            .map(|i| json!({"series": "auth.rate", "t": from + i, "v": 1.0}))
            .collect();
        json!({ "points": points }).to_string()
    };
    let (status, _) = app.post("/api/v1/write", batch(T0)).await;
    assert_eq!(status, StatusCode::OK);
    let req = Request::post("/api/v1/write")
        .body(Body::from(batch(T0 + 10_000)))
        .unwrap();
    let (status, headers, body) = app.send(req).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(headers[header::RETRY_AFTER].to_str().unwrap().parse::<u64>().unwrap() >= 1);
    assert_eq!(json(&body)["error"], "rate_limited");
    assert_eq!(stored_points(&app).await, 600);
}

#[tokio::test]
async fn a_token_in_the_url_counts_only_on_the_influxdb_write_paths() {
    let app = TestApp::with_flags(&["--read-access", "token"]).await;
    let (reader, _) = token(&app, "url", &["read", "write"]).await;
    for uri in [
        format!("/api/v1/series?p={reader}"),
        format!("/api/v1/query?series=a&p={reader}"),
    ] {
        let status = app
            .send_anonymous(Request::get(&uri).body(Body::empty()).unwrap())
            .await
            .0;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{uri}");
    }
    let write = Request::post(format!("/write?db=x&p={reader}&precision=s"))
        .body(Body::from(format!("m v=1 {}", T0 / 1_000)))
        .unwrap();
    assert_eq!(app.send_anonymous(write).await.0, StatusCode::NO_CONTENT);
}
