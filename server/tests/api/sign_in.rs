//! With `--read-access token` a browser signs in once: pages without the
//! session cookie lead to the sign-in form, the form sets the cookie, and
//! server functions check it like the REST reads do.

use crate::support::{TestApp, T0};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::json;

async fn read_token(app: &TestApp) -> String {
    let (status, body) = app
        .post(
            "/api/v1/tokens",
            json!({"name": "browser", "scopes": ["read"]}).to_string(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    body["token"].as_str().unwrap().to_owned()
}

fn form(body: String) -> Request<Body> {
    Request::post("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap()
}

fn get(uri: &str, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::get(uri);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn a_browser_signs_in_once_and_then_sees_the_dashboard() {
    let app = TestApp::with_flags(&["--read-access", "token"]).await;
    app.write(json!([{"series": "demo.temperature", "t": T0, "v": 21.5}]))
        .await;
    let token = read_token(&app).await;

    let (status, headers, _) = app.send_anonymous(get("/explore?q=temp", None)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/sign-in?next=%2Fexplore%3Fq%3Dtemp");
    let (status, _, page) = app
        .send_anonymous(get("/sign-in?next=%2Fexplore%3Fq%3Dtemp", None))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(r#"action="/api/v1/session""#) && page.contains(r#"value="/explore?q=temp""#),
        "{page}"
    );

    let (status, headers, _) = app.send_anonymous(form("token=sbt_wrong&next=%2Fexplore".into())).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/sign-in?failed=1&next=%2Fexplore");
    assert!(!headers.contains_key(header::SET_COOKIE));
    let (_, _, page) = app.send_anonymous(get("/sign-in?failed=1", None)).await;
    assert!(page.contains("not valid"), "{page}");

    let (status, headers, _) = app
        .send_anonymous(form(format!("token={token}&next=%2Fexplore%3Fq%3Dtemp")))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/explore?q=temp");
    let cookie = headers[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    let cookie = cookie.split(';').next().unwrap().to_owned();

    let (status, _, page) = app.send_anonymous(get("/", Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("demo.temperature"), "the dashboard renders: {page}");
}

#[tokio::test]
async fn server_functions_check_the_cookie_and_edits_need_the_write_scope() {
    let app = TestApp::with_flags(&["--read-access", "token"]).await;
    let token = read_token(&app).await;
    let cookie = format!("sensorboard_token={token}");
    let rpc = |name: &str, cookie: Option<&str>| {
        let mut req =
            Request::post(format!("/rpc/{name}")).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        req.body(Body::from("id=1")).unwrap()
    };
    let (status, _, body) = app.send_anonymous(rpc("dashboards", None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(body.contains("\"error\":\"unauthorized\""), "{body}");
    let (status, headers, body) = app.send_anonymous(rpc("dashboards", Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "no-store",
        "signed-in answers are not kept"
    );
    let page = Request::get("/")
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = app.send_anonymous(page).await;
    assert_eq!(
        (status, &headers[header::CACHE_CONTROL]),
        (StatusCode::OK, &"no-store".parse().unwrap())
    );
    let (status, _, body) = app.send_anonymous(rpc("delete_dashboard", Some(&cookie))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    // Signing out clears the cookie.
    let out = Request::delete("/api/v1/session").body(Body::empty()).unwrap();
    let (status, headers, _) = app.send_anonymous(out).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(headers[header::SET_COOKIE].to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(
        headers["clear-site-data"], r#""cache", "storage""#,
        "the browser drops what it kept"
    );
}

#[tokio::test]
async fn sign_in_never_leads_to_another_site_and_public_pages_need_nothing() {
    let app = TestApp::with_flags(&["--read-access", "token"]).await;
    let token = read_token(&app).await;
    for next in ["https%3A%2F%2Fevil.example", "%2F%2Fevil.example", "%2F%5Cevil.example"] {
        let (_, headers, _) = app.send_anonymous(form(format!("token={token}&next={next}"))).await;
        assert_eq!(headers[header::LOCATION], "/", "{next}");
    }
    let public = TestApp::new().await;
    assert_eq!(public.send_anonymous(get("/", None)).await.0, StatusCode::OK);
}

#[tokio::test]
async fn the_cookie_is_secure_behind_https_or_when_told() {
    let plain = TestApp::with_flags(&["--read-access", "token"]).await;
    let token = read_token(&plain).await;
    let cookie_of = |headers: &axum::http::HeaderMap| headers[header::SET_COOKIE].to_str().unwrap().to_owned();
    let (_, headers, _) = plain.send_anonymous(form(format!("token={token}"))).await;
    assert!(!cookie_of(&headers).contains("Secure"), "plain HTTP on loopback");
    let mut proxied = form(format!("token={token}"));
    proxied
        .headers_mut()
        .insert("x-forwarded-proto", "https".parse().unwrap());
    let (_, headers, _) = plain.send_anonymous(proxied).await;
    assert!(cookie_of(&headers).ends_with("; Secure"), "{}", cookie_of(&headers));
    let told = TestApp::with_flags(&["--read-access", "token", "--secure-cookie"]).await;
    let token = read_token(&told).await;
    let (_, headers, _) = told.send_anonymous(form(format!("token={token}"))).await;
    assert!(cookie_of(&headers).ends_with("; Secure"), "{}", cookie_of(&headers));
}
