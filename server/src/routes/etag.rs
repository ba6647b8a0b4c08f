//! Entity tags on query answers, and the `304 Not Modified` a poll gets
//! when its `If-None-Match` names the answer it already has.

use crate::query::Served;
use app::model::ErrorBody;
use axum::http::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::hash::{Hash, Hasher};

/// Says whether the server's cache held the answer (`hit` or `miss`).
pub const CACHE_STATUS: HeaderName = HeaderName::from_static("x-sensorboard-cache");

/// A strong entity tag, `"q-<hash>"` for one answer, `"b-<hash>"` for a batch.
pub struct Etag(String);

impl Etag {
    pub fn single(hash: u64) -> Etag {
        Etag(format!("\"q-{hash:016x}\""))
    }

    /// The tag of a body computed in full, `"s-<hash>"`.
    pub fn of_body(body: &[u8]) -> Etag {
        let mut h = std::hash::DefaultHasher::new();
        body.hash(&mut h);
        Etag(format!("\"s-{:016x}\"", h.finish()))
    }

    /// The batch's tag: changes when any slot's answer or error changes.
    pub fn batch(slots: &[Result<Served, ErrorBody>]) -> Etag {
        let mut h = std::hash::DefaultHasher::new();
        for slot in slots {
            match slot {
                Ok(s) => (0u8, s.answer.etag).hash(&mut h),
                Err(e) => (1u8, &e.error, &e.message).hash(&mut h),
            }
        }
        Etag(format!("\"b-{:016x}\"", h.finish()))
    }

    /// Whether an `If-None-Match` header names this tag (or is `*`).
    pub fn matches(&self, headers: &HeaderMap) -> bool {
        headers
            .get_all(IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|tag| tag.trim())
            .any(|tag| tag == "*" || tag.trim_start_matches("W/") == self.0)
    }

    /// `304` with no body when the client has this answer, else `body()`;
    /// both carry the tag and the cache status (for query answers), and
    /// ask clients to revalidate before reusing the answer.
    pub fn respond(
        self,
        headers: &HeaderMap,
        cache: Option<&'static str>,
        body: impl FnOnce() -> Response,
    ) -> Response {
        let mut response = if self.matches(headers) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            body()
        };
        let out = response.headers_mut();
        if let Ok(tag) = HeaderValue::from_str(&self.0) {
            out.insert(ETAG, tag);
        }
        out.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        if let Some(cache) = cache {
            out.insert(CACHE_STATUS, HeaderValue::from_static(cache));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asking(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn if_none_match_lists_wildcards_and_weak_tags_match() {
        let tag = Etag::single(0xab);
        assert_eq!(tag.0, "\"q-00000000000000ab\"");
        assert!(tag.matches(&asking("\"q-00000000000000ab\"")));
        assert!(tag.matches(&asking("\"x\", W/\"q-00000000000000ab\"")));
        assert!(tag.matches(&asking("*")));
        assert!(!tag.matches(&asking("\"q-00000000000000ac\"")));
        assert!(!tag.matches(&HeaderMap::new()));
    }

    #[test]
    fn a_match_is_304_without_a_body() {
        let response = Etag::single(1).respond(&asking("\"q-0000000000000001\""), Some("hit"), || {
            StatusCode::OK.into_response()
        });
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(response.headers()[ETAG], "\"q-0000000000000001\"");
        assert_eq!(response.headers()[CACHE_STATUS], "hit");
    }
}
