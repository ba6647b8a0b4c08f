//! Dashboard answers in the browser: one `POST /api/v1/query/batch` per
//! poll, revalidated with `If-None-Match` so an unchanged dashboard costs
//! a `304` and no body; each query's answer kept in a bounded cache under
//! the normalised query, so any page that asks it again (this dashboard
//! later, another dashboard sharing a panel, the explorer) draws it at
//! once and then revalidates (stale-while-revalidate); and one request
//! shared by every caller that asks the same batch while it is in flight.

use crate::domain::AnswerCache;
use crate::in_flight::InFlight;
use crate::model::{ErrorBody, QueryOutcome, QueryRequest};
use serde::Deserialize;
use std::cell::RefCell;
use std::rc::Rc;

/// Points the cache holds at most, over all answers (~16 bytes each).
const MAX_POINTS_HELD: usize = 1_000_000;
/// Batches whose `ETag` is remembered.
const MAX_BATCH_TAGS: usize = 256;

/// A batch's answer, and whether it differs from the cached one.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub outcomes: Vec<QueryOutcome>,
    /// False when the server answered `304`.
    pub changed: bool,
    /// Set when the network was unreachable and the service worker
    /// answered with what it kept: when it stored that (epoch ms).
    pub offline_from: Option<i64>,
}

thread_local! {
    /// Answers by query key.
    static ANSWERS: RefCell<AnswerCache<QueryOutcome>> = RefCell::new(AnswerCache::new(MAX_POINTS_HELD));
    /// The `ETag` of each batch key's last answer (the value is unused).
    static BATCH_TAGS: RefCell<AnswerCache<()>> = RefCell::new(AnswerCache::new(MAX_BATCH_TAGS));
    static IN_FLIGHT: Rc<InFlight<String, Result<Fetched, String>>> = Rc::default();
}

/// The cache key of a query: its JSON, which is the normalised request
/// (relative times stay relative, so a live window keeps its key).
fn key_of(query: &QueryRequest) -> String {
    serde_json::to_string(query).unwrap_or_default()
}

/// The cached answer of each query, where there is one.
pub fn cached(queries: &[QueryRequest]) -> Vec<Option<QueryOutcome>> {
    ANSWERS.with(|c| {
        let mut cache = c.borrow_mut();
        queries.iter().map(|q| cache.get(&key_of(q)).map(|c| c.value)).collect()
    })
}

/// The current answers to `queries`, in order.
pub async fn fetch(queries: Vec<QueryRequest>) -> Result<Fetched, String> {
    let batch = serde_json::to_string(&queries).unwrap_or_default();
    let in_flight = IN_FLIGHT.with(|f| f.clone());
    in_flight.run(batch.clone(), move || request(batch, queries)).await
}

#[derive(Deserialize)]
struct BatchAnswer {
    results: Vec<QueryOutcome>,
}

async fn request(batch: String, queries: Vec<QueryRequest>) -> Result<Fetched, String> {
    let tag = BATCH_TAGS.with(|t| t.borrow_mut().get(&batch)).map(|c| c.etag);
    if let Some(tag) = tag {
        match send(&batch, Some(&tag)).await? {
            Sent::NotModified => {
                // The tag says the answers held are current, if all still are.
                if let Some(outcomes) = cached(&queries).into_iter().collect::<Option<Vec<_>>>() {
                    return Ok(Fetched {
                        outcomes,
                        changed: false,
                        offline_from: None,
                    });
                }
            }
            Sent::Fresh(fresh) => return Ok(keep(&batch, &queries, fresh)),
        }
    }
    match send(&batch, None).await? {
        Sent::Fresh(fresh) => Ok(keep(&batch, &queries, fresh)),
        Sent::NotModified => Err("the server answered 304 to a request without a tag".into()),
    }
}

/// Caches each answer under its query and the tag under the batch.
fn keep(batch: &str, queries: &[QueryRequest], fresh: Fresh) -> Fetched {
    let Fresh {
        outcomes,
        etag,
        offline_from,
    } = fresh;
    ANSWERS.with(|c| {
        let mut cache = c.borrow_mut();
        for (q, o) in queries.iter().zip(&outcomes) {
            let weight = match o {
                QueryOutcome::Ok(r) => r.points.len() + 1,
                QueryOutcome::Err(_) => 1,
            };
            cache.put(key_of(q), o.clone(), String::new(), weight);
        }
    });
    BATCH_TAGS.with(|t| t.borrow_mut().put(batch.to_owned(), (), etag, 1));
    Fetched {
        outcomes,
        changed: true,
        offline_from,
    }
}

enum Sent {
    NotModified,
    Fresh(Fresh),
}

/// A `200` answer: the outcomes, the batch's tag, and the service
/// worker's stamp when it answered from its cache (see `/sw.js`).
struct Fresh {
    outcomes: Vec<QueryOutcome>,
    etag: String,
    offline_from: Option<i64>,
}

async fn send(batch: &str, tag: Option<&str>) -> Result<Sent, String> {
    let url = format!("{}/api/v1/query/batch", leptos::server_fn::client::get_server_url());
    // `no-store`: the browser's HTTP cache stays out of it, so a `304` to
    // our own `If-None-Match` reaches this code instead of failing.
    let mut req = gloo_net::http::Request::post(&url)
        .cache(web_sys::RequestCache::NoStore)
        .header("Content-Type", "application/json");
    if let Some(tag) = tag {
        req = req.header("If-None-Match", tag);
    }
    let res = req
        .body(format!("{{\"queries\":{batch}}}"))
        .map_err(|e| e.to_string())?
        .send()
        .await
        .map_err(|e| format!("cannot reach the server: {e}"))?;
    match res.status() {
        304 => {
            // Reading the (empty) body lets the request finish; left
            // unread, Chromium ends it as cancelled.
            let _ = res.text().await;
            Ok(Sent::NotModified)
        }
        200 => {
            let etag = res.headers().get("etag").unwrap_or_default();
            let offline_from = res
                .headers()
                .get("x-sensorboard-offline-from")
                .and_then(|v| v.parse().ok());
            let answer: BatchAnswer = res.json().await.map_err(|e| format!("unreadable answer: {e}"))?;
            Ok(Sent::Fresh(Fresh {
                outcomes: answer.results,
                etag,
                offline_from,
            }))
        }
        status => Err(match res.json::<ErrorBody>().await {
            Ok(body) => body.message,
            Err(_) => format!("the server answered {status} {}", res.status_text()),
        }),
    }
}
