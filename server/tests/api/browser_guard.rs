//! What a web page may do with a visitor's browser: nothing that changes
//! state from another origin (other sites, other ports of this host), no
//! JSON smuggled as a simple form or `text/plain`, no reads through a DNS
//! name that points here; and who may edit dashboards.

use crate::support::{authorized, TestApp};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::json;
use server::auth::secret::{digest, hint};
use server::auth::{Scope, Scopes};

const DRAFT: &str = r#"{"title":"Wall","panels":[{"title":"a","series":["a"]}]}"#;

fn post(uri: &str, content_type: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.to_owned()))
        .unwrap()
}

fn from_origin(mut req: Request<Body>, host: &'static str, origin: &'static str) -> Request<Body> {
    req.headers_mut().insert(header::HOST, host.parse().unwrap());
    req.headers_mut().insert(header::ORIGIN, origin.parse().unwrap());
    req
}

async fn dashboard_count(app: &TestApp) -> usize {
    let (_, body) = app.get("/api/v1/dashboards").await;
    body["dashboards"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn pages_of_other_origins_cannot_change_anything() {
    let app = TestApp::new().await;
    let (status, created) = app.post("/api/v1/dashboards", DRAFT).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    let host = "127.0.0.1:3000";

    // A form on another site, and a page on another port of this host
    // (same-site, so it would carry a SameSite=Strict cookie).
    for origin in ["http://evil.example", "http://127.0.0.1:8080", "null"] {
        let delete = post(
            "/rpc/delete_dashboard",
            "application/x-www-form-urlencoded",
            &format!("id={id}"),
        );
        let (status, _, body) = app.send(from_origin(delete, host, origin)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{origin}: {body}");
        assert!(body.contains(r#""error":"cross_origin""#), "{body}");
        let create = post("/api/v1/dashboards", "application/json", DRAFT);
        assert_eq!(
            app.send(from_origin(create, host, origin)).await.0,
            StatusCode::FORBIDDEN
        );
        // The alerts page's plain forms too: a silence planted by another site.
        let silence = post(
            "/rpc/add_silence",
            "application/x-www-form-urlencoded",
            "matchers=%7Bsite%3D%22n%22%7D&lasting=30d&created_by=x&comment=y",
        );
        assert_eq!(
            app.send(from_origin(silence, host, origin)).await.0,
            StatusCode::FORBIDDEN
        );
        let write = post(
            "/api/v1/write",
            "application/json",
            r#"{"points":[{"series":"x","v":1}]}"#,
        );
        assert_eq!(
            app.send(from_origin(write, host, origin)).await.0,
            StatusCode::FORBIDDEN
        );
    }
    let (_, silences) = app.get("/api/v1/alerts/silences").await;
    assert_eq!(silences["silences"], serde_json::json!([]));
    let mut same_site = post(
        "/rpc/delete_dashboard",
        "application/x-www-form-urlencoded",
        &format!("id={id}"),
    );
    same_site
        .headers_mut()
        .insert("sec-fetch-site", "same-site".parse().unwrap());
    assert_eq!(app.send(same_site).await.0, StatusCode::FORBIDDEN);
    assert_eq!(dashboard_count(&app).await, 1, "nothing was deleted");

    // JSON endpoints take JSON only: text/plain needs no preflight.
    for uri in ["/api/v1/dashboards", "/rpc/save_dashboard", "/api/v1/tokens"] {
        let (status, _, body) = app.send(post(uri, "text/plain", DRAFT)).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{uri}: {body}");
        assert!(body.contains("application/json"), "{body}");
    }
    assert_eq!(dashboard_count(&app).await, 1);

    // This server's own pages, an allowed origin, and producers that are
    // not browsers may.
    let own = from_origin(
        post(
            "/rpc/delete_dashboard",
            "application/x-www-form-urlencoded",
            &format!("id={id}"),
        ),
        host,
        "http://127.0.0.1:3000",
    );
    let (status, _, body) = app.send(own).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let listed = TestApp::with_flags(&["--allow-origin", "http://ui.example"]).await;
    let create = from_origin(
        post("/api/v1/dashboards", "application/json", DRAFT),
        host,
        "http://ui.example",
    );
    assert_eq!(listed.send(create).await.0, StatusCode::CREATED);
    let write = post(
        "/api/v1/write",
        "application/json",
        r#"{"points":[{"series":"x","v":1}]}"#,
    );
    assert_eq!(app.send(write).await.0, StatusCode::OK);
}

#[tokio::test]
async fn hosts_other_than_addresses_localhost_and_allowed_names_get_421() {
    let app = TestApp::new().await;
    let get = |host: &'static str| {
        let mut req = Request::get("/api/v1/series").body(Body::empty()).unwrap();
        req.headers_mut().insert(header::HOST, host.parse().unwrap());
        req
    };
    let (status, _, body) = app.send(get("rebound.evil.example")).await;
    assert_eq!(status, StatusCode::MISDIRECTED_REQUEST, "{body}");
    assert!(
        body.contains(r#""error":"unknown_host""#) && body.contains("--allowed-hosts"),
        "{body}"
    );
    let page = Request::get("/")
        .header(header::HOST, "rebound.evil.example:3000")
        .body(Body::empty());
    assert_eq!(
        app.send(page.unwrap()).await.0,
        StatusCode::MISDIRECTED_REQUEST,
        "pages too"
    );
    for fine in ["127.0.0.1:3000", "localhost:3000", "[::1]:3000", "192.168.1.20"] {
        assert_eq!(app.send(get(fine)).await.0, StatusCode::OK, "{fine}");
    }
    let named = TestApp::with_flags(&["--allowed-hosts", "dash.example.com"]).await;
    assert_eq!(named.send(get("dash.example.com:3000")).await.0, StatusCode::OK);
    assert_eq!(
        named.send(get("other.example.com")).await.0,
        StatusCode::MISDIRECTED_REQUEST
    );
}

async fn token_with(app_state: &server::AppState, scopes: &[Scope], secret: &str) {
    app_state
        .store
        .create_token("t".into(), Scopes::of(scopes), digest(secret), hint(secret))
        .await
        .unwrap();
    app_state.tokens.forget();
}

fn create_as(token: Option<&str>) -> Request<Body> {
    let mut req = post("/api/v1/dashboards", "application/json", DRAFT);
    if let Some(t) = token {
        req.headers_mut()
            .insert(header::AUTHORIZATION, format!("Bearer {t}").parse().unwrap());
    }
    req
}

#[tokio::test]
async fn edits_are_open_until_the_first_token_then_need_read_and_write() {
    let (state, dir) = TestApp::tokenless(&[]).await;
    let app = TestApp::from_state(state.clone(), dir);
    assert_eq!(
        app.send_anonymous(create_as(None)).await.0,
        StatusCode::CREATED,
        "a fresh install is open"
    );

    token_with(&state, &[Scope::Write], "sbt_write-only-token-for-a-collector").await;
    assert_eq!(app.send_anonymous(create_as(None)).await.0, StatusCode::UNAUTHORIZED);
    let rpc = post(
        "/rpc/save_dashboard",
        "application/json",
        &json!({"id": null, "draft": {"title": "x", "panels": []}}).to_string(),
    );
    let (status, _, body) = app.send_anonymous(rpc).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "server functions too");
    // Encoded as the UI's server-function client decodes errors.
    let refused: app::api::AppError = serde_json::from_str(&body).expect(&body);
    assert!(
        matches!(&refused, app::api::AppError::Server(e) if e.error == "unauthorized"),
        "{refused:?}"
    );
    let write_only = app
        .send_anonymous(create_as(Some("sbt_write-only-token-for-a-collector")))
        .await;
    assert_eq!(
        write_only.0,
        StatusCode::FORBIDDEN,
        "a collector's token cannot edit: {}",
        write_only.2
    );
    token_with(
        &state,
        &[Scope::Read, Scope::Write],
        "sbt_read-and-write-token-of-a-person",
    )
    .await;
    let person = app
        .send_anonymous(create_as(Some("sbt_read-and-write-token-of-a-person")))
        .await;
    assert_eq!(person.0, StatusCode::CREATED, "{}", person.2);
    let mut signed_in = create_as(None);
    signed_in.headers_mut().insert(
        header::COOKIE,
        "sensorboard_token=sbt_read-and-write-token-of-a-person"
            .parse()
            .unwrap(),
    );
    assert_eq!(app.send_anonymous(signed_in).await.0, StatusCode::CREATED, "signed in");
}

#[tokio::test]
async fn edit_access_public_or_token_overrides_the_default() {
    let open = TestApp::with_flags(&["--edit-access", "public"]).await;
    assert_eq!(open.send_anonymous(create_as(None)).await.0, StatusCode::CREATED);
    let (state, dir) = TestApp::tokenless(&["--edit-access", "token"]).await;
    let closed = TestApp::from_state(state, dir);
    assert_eq!(closed.send_anonymous(create_as(None)).await.0, StatusCode::UNAUTHORIZED);
    let admin = authorized(create_as(None));
    assert_eq!(
        closed.send_anonymous(admin).await.0,
        StatusCode::UNAUTHORIZED,
        "no token exists yet"
    );
}
