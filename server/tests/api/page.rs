//! The server-rendered dashboard page.

use crate::support::{TestApp, T0};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

#[tokio::test]
async fn the_dashboard_renders_the_default_dashboards_panels() {
    let app = TestApp::new().await;
    app.write(json!([
        {"series": "demo.temperature", "unit": "°C", "t": T0, "v": 21.5},
        {"series": "demo.power", "unit": "W", "t": T0, "v": 800.0},
    ]))
    .await;
    let (status, html) = app.request(Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<title>sensorboard</title>"), "{html}");
    assert!(
        html.contains("/pkg/sensorboard.js") && html.contains("/pkg/sensorboard.wasm"),
        "hydration scripts"
    );
    assert!(
        html.contains("demo.temperature") && html.contains("demo.power"),
        "{html}"
    );
    assert!(
        // Hydration markers may follow the option's text.
        html.contains(">Overview<"),
        "the default dashboard is picked: {html}"
    );
    assert_eq!(html.matches("<canvas").count(), 2, "a panel per series name");
}

#[tokio::test]
async fn an_empty_database_shows_how_to_send_data() {
    let app = TestApp::new().await;
    let (status, html) = app
        .request(Request::get("/?range=7d").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("No data yet") && html.contains("/api/v1/write"), "{html}");
}

#[tokio::test]
async fn unknown_pages_are_404() {
    let app = TestApp::new().await;
    let (status, html) = app
        .request(Request::get("/no/such/page").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found"));
}

#[tokio::test]
async fn every_answer_forbids_sniffing_framing_and_leaky_referrers() {
    let app = crate::support::TestApp::new().await;
    for uri in ["/", "/api/v1/series", "/api/v1/nothing", "/health", "/no/such/page"] {
        let req = axum::http::Request::get(uri).body(axum::body::Body::empty()).unwrap();
        let (_, headers, _) = app.send(req).await;
        assert_eq!(headers["x-content-type-options"], "nosniff", "{uri}");
        assert_eq!(headers["content-security-policy"], "frame-ancestors 'none'", "{uri}");
        assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin", "{uri}");
    }
}

/// The nonce of the page's CSP `<meta>`, and whether every `<script>`
/// carries it.
fn csp_nonce(html: &str) -> (String, bool) {
    let meta = html
        .split("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a CSP meta");
    assert!(
        meta.contains("'wasm-unsafe-eval'") && meta.contains("object-src 'none'"),
        "{meta}"
    );
    assert!(!meta.contains("unsafe-inline"), "{meta}");
    let nonce = meta
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .expect("a nonce")
        .to_owned();
    let all_scripts = html.split("<script").skip(1).all(|tag| {
        tag.split('>')
            .next()
            .is_some_and(|attrs| attrs.contains(&format!("nonce=\"{nonce}\"")))
    });
    (nonce, all_scripts)
}

#[tokio::test]
async fn the_page_allows_only_its_own_scripts_with_a_fresh_nonce() {
    let app = TestApp::new().await;
    let page = || async { app.request(Request::get("/").body(Body::empty()).unwrap()).await.1 };
    let (first, signed) = csp_nonce(&page().await);
    assert!(signed, "every script carries the nonce");
    assert!(first.len() >= 16, "{first}");
    let (second, _) = csp_nonce(&page().await);
    assert_ne!(first, second, "a new nonce per response");
    let (_, headers, _) = app.send(Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(headers["content-security-policy"], "frame-ancestors 'none'");
}

#[tokio::test]
async fn the_page_links_its_manifest_and_the_service_worker_is_served() {
    let app = TestApp::with_flags(&["--read-access", "token"]).await;
    let (_, _, html) = app.send(Request::get("/").body(Body::empty()).unwrap()).await;
    assert!(
        html.contains(r#"<link rel="manifest" href="/manifest.webmanifest""#),
        "{html}"
    );
    assert!(html.contains(r#"name="theme-color""#));

    // Public even when reads are not: it holds no data.
    let (status, headers, script) = app
        .send_anonymous(Request::get("/sw.js").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert_eq!(headers["cache-control"], "no-cache");
    assert!(script.contains("const VERSION = 'dev';"), "no built site in tests");
    assert!(script.contains("addEventListener('fetch'"));
}

#[tokio::test]
async fn a_signed_in_browser_is_offered_to_sign_out() {
    let app = TestApp::new().await;
    let page = |cookie: Option<&str>| {
        let mut req = Request::get("/explore");
        if let Some(cookie) = cookie {
            req = req.header("cookie", cookie);
        }
        app.send_anonymous(req.body(Body::empty()).unwrap())
    };
    let marker = r#"<meta name="sensorboard-session" content="signed-in">"#;
    let (_, _, html) = page(None).await;
    assert!(!html.contains(marker), "not signed in: {html}");
    let (status, _, html) = page(Some("theme=dark; sensorboard_token=sbt_x")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(marker), "signed in: {html}");
}
