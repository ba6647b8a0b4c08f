//! `POST /api/v1/session` (the sign-in form) and `DELETE /api/v1/session`:
//! a browser keeps a read token in an `HttpOnly`, `SameSite=Strict`
//! session cookie, so the page, its server functions and its polls carry
//! it without any script seeing it. Ingest endpoints never accept it.

use super::extract::Body;
use crate::auth::credentials::COOKIE;
use crate::auth::Scope;
use crate::state::AppState;
use app::domain::{encode_query_value, return_path};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Checks the form's `token` (it needs the read scope) and sends the
/// browser on to `next`, signed in, or back to the form, told why not.
#[utoipa::path(post, path = "/api/v1/session", tag = "tokens",
    request_body(content = String, content_type = "application/x-www-form-urlencoded",
        description = "`token=<secret>&next=<path>`, as the sign-in page's form sends it"),
    responses(
        (status = 303, description = "Signed in: `Location` is `next` and `Set-Cookie` holds the token; \
                                      or not: `Location` is the sign-in page with `failed=1`"),
    ))]
pub async fn sign_in(State(state): State<AppState>, headers: HeaderMap, Body(body): Body) -> Response {
    let (mut token, mut next) = (String::new(), None);
    for (k, v) in form_urlencoded::parse(&body) {
        match &*k {
            "token" => token = v.trim().to_owned(),
            "next" => next = Some(v.into_owned()),
            _ => {}
        }
    }
    let next = return_path(next.as_deref()).to_owned();
    let valid = !token.is_empty()
        && token.bytes().all(|b| b.is_ascii_graphic() && b != b';' && b != b',')
        && state.tokens.check(&token, Scope::Read).await.is_ok();
    if !valid {
        let back = format!("/sign-in?failed=1&next={}", encode_query_value(&next));
        return see_other(&back, None);
    }
    let secure = if state.secure_cookie || served_over_https(&headers) {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}");
    see_other(&next, Some(&cookie))
}

/// Whether a proxy in front says the browser came over HTTPS. Believing
/// it without checking the proxy is safe here: a `Secure` cookie only
/// narrows where the browser sends it.
fn served_over_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// Forgets the browser's token, and tells the browser to drop what it
/// cached and stored for this origin (answers read while signed in).
#[utoipa::path(delete, path = "/api/v1/session", tag = "tokens",
    responses((status = 204, description = "Signed out: the cookie is cleared, and `Clear-Site-Data` \
                                            drops the browser's cache and storage of this origin")))]
pub async fn sign_out() -> Response {
    let clear = format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    let headers = [
        (header::SET_COOKIE, clear),
        (
            header::HeaderName::from_static("clear-site-data"),
            r#""cache", "storage""#.to_owned(),
        ),
    ];
    (StatusCode::NO_CONTENT, headers).into_response()
}

fn see_other(location: &str, cookie: Option<&str>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(location) {
        headers.insert(header::LOCATION, value);
    }
    if let Some(value) = cookie.and_then(|c| HeaderValue::from_str(c).ok()) {
        headers.insert(header::SET_COOKIE, value);
    }
    // The answer carries a credential: no cache may keep it.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
