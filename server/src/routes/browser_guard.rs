//! What a browser may do here, checked before any handler runs:
//!
//! - the `Host` it names must be one this server answers to (an IP
//!   address, `localhost`, or a name from `--allowed-hosts`), so a page
//!   cannot reach the server through a DNS name it controls (DNS
//!   rebinding): 421 otherwise;
//! - a request that changes something (any method but GET, HEAD,
//!   OPTIONS) must come from this origin or one `--allow-origin` names,
//!   as its `Origin` or `Sec-Fetch-Site` tells: 403 otherwise. Producers
//!   that are not browsers send neither header and pass;
//! - the endpoints that read a JSON body take it only as
//!   `application/json`, which no cross-origin form or `text/plain` fetch
//!   can send without a preflight: 415 otherwise.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::IpAddr;

/// Paths whose POST and PUT bodies are JSON and change state, or serve
/// only this server's pages. (Reads such as `/api/v1/query/batch` take
/// any content type, for `curl -d`; the origin check covers them.)
const JSON_BODIES: [&str; 4] = [
    "/api/v1/dashboards",
    "/api/v1/tokens",
    "/rpc/save_dashboard",
    "/rpc/query_batch",
];

pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match check(&state, &req) {
        Ok(()) => next.run(req).await,
        Err(refusal) => refusal.into_response(),
    }
}

fn check(state: &AppState, req: &Request) -> Result<(), ApiError> {
    if let Some(host) = named_host(req) {
        if !host_allowed(host, &state.allowed_hosts) {
            return Err(ApiError::UnknownHost { host: host.to_owned() });
        }
    }
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    if let Some(from) = foreign_origin(req.headers(), &state.allow_origins) {
        return Err(ApiError::CrossOrigin {
            message: format!("a page of {from} may not change anything here; only this server's own pages may"),
        });
    }
    let path = req.uri().path();
    let json_path = JSON_BODIES.iter().any(|p| {
        path.strip_prefix(p)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    });
    if json_path && matches!(*req.method(), Method::POST | Method::PUT) && !is_json(req.headers()) {
        return Err(ApiError::UnsupportedMediaType {
            message: format!("{path} reads a JSON body: send it with `Content-Type: application/json`"),
        });
    }
    Ok(())
}

/// The host the request names (from its URI, else its `Host` header),
/// without the port.
fn named_host(req: &Request) -> Option<&str> {
    let authority = match req.uri().authority() {
        Some(a) => a.as_str(),
        None => req.headers().get(header::HOST)?.to_str().unwrap_or("\u{fffd}"),
    };
    Some(strip_port(authority))
}

fn strip_port(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match authority.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    }
}

/// IP addresses cannot be rebound to another server by a DNS answer, and
/// `localhost` names this machine; any other name must be allowed.
fn host_allowed(host: &str, allowed: &[String]) -> bool {
    let host = host.trim_end_matches('.');
    // `localhost` or a name under it, compared without allocating.
    let under_localhost = host.len().checked_sub(9).is_some_and(|start| {
        host.get(start..)
            .is_some_and(|end| end.eq_ignore_ascii_case("localhost"))
            && (start == 0 || host.as_bytes()[start - 1] == b'.')
    });
    host.parse::<IpAddr>().is_ok()
        || under_localhost
        || allowed
            .iter()
            .any(|a| a == "*" || a.trim_end_matches('.').eq_ignore_ascii_case(host))
}

/// The origin a browser says the request comes from, when it is neither
/// this server's (the `Host` it asked for) nor one `--allow-origin` names.
fn foreign_origin(headers: &HeaderMap, allow_origins: &[String]) -> Option<String> {
    let text = |name| headers.get(name).map(|v| v.to_str().unwrap_or("(not text)"));
    if let Some(origin) = text(header::ORIGIN) {
        if allow_origins.iter().any(|o| o == origin) {
            return None;
        }
        let authority = origin.split_once("://").map(|(_, rest)| rest);
        let own = text(header::HOST);
        return match (authority, own) {
            (Some(a), Some(own)) if a.eq_ignore_ascii_case(own) => None,
            _ => Some(origin.to_owned()),
        };
    }
    match text(header::HeaderName::from_static("sec-fetch-site")) {
        None | Some("same-origin") | Some("none") => None,
        Some(other) => Some(format!("a {other} page")),
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (header::HeaderName::from_static(k), HeaderValue::from_static(v)))
            .collect()
    }

    #[test]
    fn hosts_are_ip_addresses_localhost_or_allowed_names() {
        let allowed = ["dash.example.com".to_string()];
        for host in [
            "127.0.0.1",
            "10.0.0.7",
            "::1",
            "localhost",
            "app.localhost",
            "DASH.example.com.",
        ] {
            assert!(host_allowed(host, &allowed), "{host}");
        }
        for host in [
            "evil.example",
            "127.0.0.1.nip.io",
            "localhost.evil",
            "notlocalhost",
            "éélocalhost",
            "",
        ] {
            assert!(!host_allowed(host, &allowed), "{host}");
        }
        assert!(host_allowed("evil.example", &["*".to_string()]));
        assert_eq!(strip_port("[::1]:3000"), "::1");
        assert_eq!(strip_port("example.com:80"), "example.com");
        assert_eq!(strip_port("example.com"), "example.com");
    }

    #[test]
    fn only_this_origin_or_an_allowed_one_may_change_things() {
        let none: [String; 0] = [];
        let own = headers(&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:3000")]);
        assert_eq!(foreign_origin(&own, &none), None);
        let other_port = headers(&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:8080")]);
        assert_eq!(
            foreign_origin(&other_port, &none).as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(foreign_origin(&other_port, &["http://127.0.0.1:8080".into()]), None);
        let opaque = headers(&[("host", "a"), ("origin", "null")]);
        assert!(foreign_origin(&opaque, &none).is_some());
        let same_site = headers(&[("sec-fetch-site", "same-site")]);
        assert!(foreign_origin(&same_site, &none).is_some());
        for fine in ["same-origin", "none"] {
            let h: HeaderMap = [(
                header::HeaderName::from_static("sec-fetch-site"),
                HeaderValue::from_static(fine),
            )]
            .into_iter()
            .collect();
            assert_eq!(foreign_origin(&h, &none), None, "{fine}");
        }
        assert_eq!(foreign_origin(&HeaderMap::new(), &none), None, "not a browser");
    }

    #[test]
    fn json_means_application_json_with_any_parameters() {
        assert!(is_json(&headers(&[(
            "content-type",
            "application/json; charset=utf-8"
        )])));
        assert!(!is_json(&headers(&[("content-type", "text/plain")])));
        assert!(!is_json(&headers(&[(
            "content-type",
            "application/x-www-form-urlencoded"
        )])));
        assert!(!is_json(&HeaderMap::new()));
    }
}
