//! Any `Authorization`, `Cookie` header and query string: a token, none,
//! or "malformed", never a panic.
#![no_main]

use axum::http::{header, HeaderMap, HeaderValue, Uri};
use libfuzzer_sys::fuzz_target;
use server::auth::credentials::presented;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0);
    let (auth, cookie, query) = (parts.next(), parts.next(), parts.next());
    let mut headers = HeaderMap::new();
    if let Some(v) = auth.and_then(|a| HeaderValue::from_bytes(a).ok()) {
        headers.insert(header::AUTHORIZATION, v);
    }
    if let Some(v) = cookie.and_then(|c| HeaderValue::from_bytes(c).ok()) {
        headers.insert(header::COOKIE, v);
    }
    let uri = query
        .and_then(|q| std::str::from_utf8(q).ok())
        .and_then(|q| format!("/write?{q}").parse::<Uri>().ok())
        .unwrap_or_else(|| Uri::from_static("/write"));
    let _ = presented(&headers, &uri, true);
});
