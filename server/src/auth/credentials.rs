//! Where a request carries its token, in the forms producers already use:
//! `Authorization: Bearer <t>` or `Token <t>` (InfluxDB 2.x), HTTP Basic
//! with the token as password (InfluxDB 1.x clients, Telegraf), the
//! InfluxDB 1.x query parameter `p` (on the InfluxDB write paths only),
//! and for the browser the session cookie set by signing in.

use axum::http::{header, HeaderMap, Uri};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// The session cookie's name.
pub const COOKIE: &str = "sensorboard_token";

/// A token found in a request, or why what was sent is not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presented {
    None,
    Token(String),
    Malformed(&'static str),
}

/// The token `headers` and `uri` present. The cookie counts only when
/// `cookie_ok`: ingest endpoints take explicit credentials only, so no
/// other site can make a signed-in browser write.
pub fn presented(headers: &HeaderMap, uri: &Uri, cookie_ok: bool) -> Presented {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        return match value.to_str() {
            Ok(text) => from_authorization(text),
            Err(_) => Presented::Malformed("the Authorization header is not text"),
        };
    }
    if let Some(p) = query_password(uri) {
        return Presented::Token(p);
    }
    if cookie_ok {
        if let Some(t) = session_cookie(headers) {
            return Presented::Token(t);
        }
    }
    Presented::None
}

fn from_authorization(text: &str) -> Presented {
    let (scheme, rest) = text.trim().split_once(' ').unwrap_or((text.trim(), ""));
    let rest = rest.trim();
    match scheme.to_ascii_lowercase().as_str() {
        _ if rest.is_empty() => Presented::Malformed("the Authorization header has no credentials after its scheme"),
        "bearer" | "token" => Presented::Token(rest.to_owned()),
        "basic" => basic(rest),
        _ => Presented::Malformed("the Authorization scheme is not Bearer, Token or Basic"),
    }
}

/// `user:password`, base64: the password is the token; a client that can
/// send only a user name may put the token there.
fn basic(encoded: &str) -> Presented {
    let Some(pair) = STANDARD.decode(encoded).ok().and_then(|b| String::from_utf8(b).ok()) else {
        return Presented::Malformed("the Basic credentials are not base64 of user:password");
    };
    let (user, password) = pair.split_once(':').unwrap_or((&pair, ""));
    let token = if password.is_empty() { user } else { password };
    if token.is_empty() {
        Presented::Malformed("the Basic credentials are empty")
    } else {
        Presented::Token(token.to_owned())
    }
}

/// The paths where InfluxDB 1.x clients put their token in the URL; a
/// token anywhere else in a URL would land in histories, logs and caches.
const QUERY_TOKEN_PATHS: [&str; 2] = ["/write", "/api/v2/write"];

fn query_password(uri: &Uri) -> Option<String> {
    if !QUERY_TOKEN_PATHS.contains(&uri.path()) {
        return None;
    }
    form_urlencoded::parse(uri.query()?.as_bytes())
        .find(|(k, v)| k == "p" && !v.is_empty())
        .map(|(_, v)| v.into_owned())
}

/// The token in the session cookie, if the request sent one.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == COOKIE && !value.is_empty()).then(|| value.to_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(name: header::HeaderName, value: &str, uri: &str, cookie_ok: bool) -> Presented {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).unwrap());
        presented(&headers, &uri.parse().unwrap(), cookie_ok)
    }

    fn auth(value: &str) -> Presented {
        with(header::AUTHORIZATION, value, "/", false)
    }

    #[test]
    fn bearer_and_token_schemes_in_any_case() {
        assert_eq!(auth("Bearer sbt_a"), Presented::Token("sbt_a".into()));
        assert_eq!(auth("Token sbt_a"), Presented::Token("sbt_a".into()));
        assert_eq!(auth("bearer   sbt_a "), Presented::Token("sbt_a".into()));
        assert!(matches!(auth("Bearer"), Presented::Malformed(_)));
        assert!(matches!(auth("Digest x"), Presented::Malformed(_)));
    }

    #[test]
    fn basic_takes_the_password_or_else_the_user() {
        let b = |pair: &str| auth(&format!("Basic {}", STANDARD.encode(pair)));
        assert_eq!(b("telegraf:sbt_p"), Presented::Token("sbt_p".into()));
        assert_eq!(b("sbt_u:"), Presented::Token("sbt_u".into()));
        assert_eq!(b("sbt_u"), Presented::Token("sbt_u".into()));
        assert!(matches!(b(":"), Presented::Malformed(_)));
        assert!(matches!(auth("Basic %%%"), Presented::Malformed(_)));
    }

    #[test]
    fn influx_v1_query_password() {
        let none = HeaderMap::new();
        let at = |uri: &str| presented(&none, &uri.parse().unwrap(), false);
        assert_eq!(at("/write?db=x&u=me&p=sbt_q%2Bz"), Presented::Token("sbt_q+z".into()));
        assert_eq!(at("/write?db=x&p="), Presented::None);
        assert_eq!(at("/write"), Presented::None);
        assert_eq!(at("/api/v2/write?org=o&p=sbt_q"), Presented::Token("sbt_q".into()));
        for elsewhere in [
            "/api/v1/write?p=sbt_q",
            "/api/v1/series?p=sbt_q",
            "/?p=sbt_q",
            "/metrics?p=sbt_q",
        ] {
            assert_eq!(at(elsewhere), Presented::None, "{elsewhere}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_header_or_query_is_a_token_none_or_malformed(auth in ".{0,80}", cookie in ".{0,80}", query in "[ -~]{0,80}") {
            let mut headers = HeaderMap::new();
            if let Ok(v) = HeaderValue::from_str(&auth) {
                headers.insert(header::AUTHORIZATION, v);
            }
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                headers.insert(header::COOKIE, v);
            }
            let uri = format!("/write?{query}").parse().unwrap_or_else(|_| Uri::from_static("/write"));
            let _ = presented(&headers, &uri, true);
        }

        #[test]
        fn a_bearer_token_comes_back_as_sent(token in "[A-Za-z0-9_-]{1,60}") {
            let mut headers = HeaderMap::new();
            headers.insert(header::AUTHORIZATION, HeaderValue::from_str(&format!("Bearer {token}")).unwrap());
            proptest::prop_assert_eq!(presented(&headers, &Uri::from_static("/"), false), Presented::Token(token));
        }
    }

    #[test]
    fn the_cookie_counts_only_where_allowed() {
        let value = "theme=dark; sensorboard_token=sbt_c";
        assert_eq!(with(header::COOKIE, value, "/", true), Presented::Token("sbt_c".into()));
        assert_eq!(with(header::COOKIE, value, "/", false), Presented::None);
        assert_eq!(with(header::COOKIE, "sensorboard_token=", "/", true), Presented::None);
    }
}
