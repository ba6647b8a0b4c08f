//! Dashboard answers in the browser: one `POST /api/v1/query/batch` per
//! poll, revalidated with `If-None-Match` so an unchanged dashboard costs
//! a `304` and no body; the answers kept in a bounded cache so a page
//! draws at once what it showed before (stale-while-revalidate); and one
//! request shared by every caller that asks the same batch while it is in
//! flight.

use crate::domain::AnswerCache;
use crate::in_flight::InFlight;
use crate::model::{ErrorBody, QueryOutcome, QueryRequest};
use serde::Deserialize;
use std::cell::RefCell;

/// Points the cache holds at most, over all answers (~16 bytes each).
const MAX_POINTS_HELD: usize = 1_000_000;

/// A batch's answer, and whether it differs from the cached one.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub outcomes: Vec<QueryOutcome>,
    /// False when the server answered `304`.
    pub changed: bool,
}

thread_local! {
    static CACHE: RefCell<AnswerCache<Vec<QueryOutcome>>> = RefCell::new(AnswerCache::new(MAX_POINTS_HELD));
    static IN_FLIGHT: std::rc::Rc<InFlight<String, Result<Fetched, String>>> = std::rc::Rc::default();
}

/// The cache key of a batch: its JSON, which is the normalised request
/// (relative times stay relative).
pub fn key_of(queries: &[QueryRequest]) -> String {
    serde_json::to_string(queries).unwrap_or_default()
}

/// The answer last fetched for `key`, if still cached.
pub fn cached(key: &str) -> Option<Vec<QueryOutcome>> {
    CACHE.with(|c| c.borrow_mut().get(key)).map(|c| c.value)
}

/// The current answer to the batch `key` (from [`key_of`]`(queries)`).
pub async fn fetch(key: String) -> Result<Fetched, String> {
    let in_flight = IN_FLIGHT.with(|f| f.clone());
    in_flight.run(key.clone(), move || request(key)).await
}

#[derive(Deserialize)]
struct BatchAnswer {
    results: Vec<QueryOutcome>,
}

async fn request(key: String) -> Result<Fetched, String> {
    let known = CACHE.with(|c| c.borrow_mut().get(&key));
    let url = format!("{}/api/v1/query/batch", leptos::server_fn::client::get_server_url());
    let body = format!("{{\"queries\":{key}}}");
    // `no-store`: the browser's HTTP cache stays out of it, so a `304` to
    // our own `If-None-Match` reaches this code instead of failing.
    let mut req = gloo_net::http::Request::post(&url)
        .cache(web_sys::RequestCache::NoStore)
        .header("Content-Type", "application/json");
    if let Some(known) = &known {
        req = req.header("If-None-Match", &known.etag);
    }
    let res = req
        .body(body)
        .map_err(|e| e.to_string())?
        .send()
        .await
        .map_err(|e| format!("cannot reach the server: {e}"))?;
    match (res.status(), known) {
        (304, Some(known)) => Ok(Fetched {
            outcomes: known.value,
            changed: false,
        }),
        (200, _) => {
            let etag = res.headers().get("etag").unwrap_or_default();
            let answer: BatchAnswer = res.json().await.map_err(|e| format!("unreadable answer: {e}"))?;
            let weight = answer
                .results
                .iter()
                .map(|o| match o {
                    QueryOutcome::Ok(r) => r.points.len() + 1,
                    QueryOutcome::Err(_) => 1,
                })
                .sum();
            CACHE.with(|c| c.borrow_mut().put(key, answer.results.clone(), etag, weight));
            Ok(Fetched {
                outcomes: answer.results,
                changed: true,
            })
        }
        (status, _) => Err(match res.json::<ErrorBody>().await {
            Ok(body) => body.message,
            Err(_) => format!("the server answered {status} {}", res.status_text()),
        }),
    }
}
