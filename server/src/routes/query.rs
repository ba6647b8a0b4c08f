//! `GET /api/v1/query?series=&from=&to=&points=&agg=&resolution=` (or
//! `select=` with `aggregate=`, `by=`, `lines=`, `rank=`, `bottom=`;
//! `transform=` for either) and `POST /api/v1/query/batch`.

mod params;

use params::{parse, Params};

use super::etag::Etag;
use super::extract::{Body, QueryString};
use super::openapi::BatchRequest;
use crate::access::ReadAccess;
use crate::error::ApiError;
use crate::query::Served;
use crate::state::AppState;
use app::model::{
    too_many_queries, Agg, AggregateOp, ErrorBody, QueryRequest, QueryResult, RankStat, Resolution, MAX_QUERY_BATCH,
};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

#[utoipa::path(get, path = "/api/v1/query", tag = "query",
    params(
        ("series" = Option<String>, Query, description = "The series key (or `select`)"),
        ("select" = Option<String>, Query, description = "A selector, `name{label=\"v\", other=~\"re.*\"}` (`=`, `!=`, `=~`, `!~`), in place of `series`: the answer has one line per series, or per group with `aggregate`"),
        ("aggregate" = Option<AggregateOp>, Query, description = "With select: sum (of the series' means), avg (of every point), min, max or count (of series) per time bucket"),
        ("by" = Option<String>, Query, description = "With aggregate: comma-separated labels, one line per distinct value"),
        ("lines" = Option<usize>, Query, description = "With select: the most lines returned, 1 to 1000 (default 20); `more` says how many were left out"),
        ("rank" = Option<RankStat>, Query, description = "With select: the window statistic that picks the lines: max (default), min, avg, last"),
        ("bottom" = Option<bool>, Query, description = "With select: the lowest lines by rank instead of the highest"),
        ("transform" = Option<String>, Query, description = "rate or derivative (per second; rate counts a drop as a counter restart), difference, or moving_avg:<span> (moving_avg:5m), computed from the stored values (or rollup buckets, or aggregated buckets) before they are reduced"),
        ("from" = Option<String>, Query, description = "Start: epoch ms, RFC 3339, or relative (`now-1h`, `-7d`); default now-1h"),
        ("to" = Option<String>, Query, description = "End; default now"),
        ("points" = Option<usize>, Query, description = "Most points wanted, 2 to 100000 (default 1000)"),
        ("agg" = Option<Agg>, Query, description = "auto (min-max, keeps every extreme), lttb, minmax, avg, raw"),
        ("resolution" = Option<Resolution>, Query, description = "auto (the finest data within a few rows per point), raw, 1m, 1h"),
        ("If-None-Match" = Option<String>, Header, description = "An ETag of an earlier answer: 304 if unchanged"),
    ),
    responses(
        (status = 200, description = "The window's points and stats; `ETag` and `X-Sensorboard-Cache` headers", body = QueryResult),
        (status = 304, description = "The answer named by If-None-Match is still the answer"),
        (status = 400, description = "A parameter is invalid, or the query is over the request budget (`query_budget_exceeded`)", body = ErrorBody),
        (status = 404, description = "No such series", body = ErrorBody),
        (status = 422, description = "The selector matches more series than --max-series-per-query (`too_many_series`)", body = ErrorBody),
        (status = 429, description = "This client has too many reads in progress and waiting (`rate_limited`, --max-reads-per-client); `Retry-After` says when to retry", body = ErrorBody),
    ))]
pub async fn single(
    _: ReadAccess,
    State(state): State<AppState>,
    headers: HeaderMap,
    QueryString(params): QueryString<Params>,
) -> Result<Response, ApiError> {
    let request = parse(params)?;
    let served = state.queries.run(request).await?;
    let etag = Etag::single(served.answer.etag);
    let cache = if served.cached { "hit" } else { "miss" };
    Ok(etag.respond(&headers, Some(cache), || Json(&served.answer.result).into_response()))
}

/// `POST /api/v1/query/batch` body: `{"queries": [<query>...]}`, each
/// query kept as its text so that a bad one fails only its own slot. The
/// list is read no further than [`MAX_QUERY_BATCH`] queries.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchBody<'a> {
    #[serde(borrow, deserialize_with = "at_most_a_batch")]
    queries: Vec<&'a RawValue>,
}

/// The message that tells a too-long batch from malformed JSON.
const TOO_MANY_QUERIES: &str = "more queries than a batch may hold";

fn at_most_a_batch<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<&'de RawValue>, D::Error> {
    struct Capped;
    impl<'de> Visitor<'de> for Capped {
        type Value = Vec<&'de RawValue>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "a list of at most {MAX_QUERY_BATCH} queries")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut queries = Vec::new();
            while let Some(query) = seq.next_element()? {
                if queries.len() == MAX_QUERY_BATCH {
                    return Err(serde::de::Error::custom(TOO_MANY_QUERIES));
                }
                queries.push(query);
            }
            Ok(queries)
        }
    }
    d.deserialize_seq(Capped)
}

/// The answers in the order of the queries; a failed query has its error
/// object in its slot, and the others are answered regardless.
#[derive(Serialize, utoipa::ToSchema)]
pub struct BatchAnswer<'a> {
    #[schema(value_type = Vec<app::model::QueryOutcome>)]
    results: Vec<Slot<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
pub enum Slot<'a> {
    Ok(&'a QueryResult),
    Err(ErrorBody),
}

#[utoipa::path(post, path = "/api/v1/query/batch", tag = "query",
    params(("If-None-Match" = Option<String>, Header, description = "The batch's earlier ETag: 304 if no answer changed")),
    request_body(content = BatchRequest, description = "Queries answered in order; one request per dashboard poll"),
    responses(
        (status = 200, description = "One result or error object per query, in order, written one result at a time", body = BatchAnswer),
        (status = 304, description = "No answer changed"),
        (status = 400, description = "The body is not a batch, holds over 256 queries (`too_many_queries`, refused as the 257th is read), or its queries together are over the request budget (`query_budget_exceeded`: no answer at all)", body = ErrorBody),
        (status = 413, description = "The body is over --max-request-body-bytes", body = ErrorBody),
        (status = 429, description = "This client has too many reads in progress and waiting (`rate_limited`, --max-reads-per-client); `Retry-After` says when to retry", body = ErrorBody),
    ))]
pub async fn batch(
    _: ReadAccess,
    State(state): State<AppState>,
    headers: HeaderMap,
    Body(body): Body,
) -> Result<Response, ApiError> {
    let body: BatchBody = serde_json::from_slice(&body).map_err(|e| {
        if e.to_string().starts_with(TOO_MANY_QUERIES) {
            return ApiError::from(too_many_queries("more"));
        }
        ApiError::bad_request(
            "invalid_body",
            format!("the batch is not `{{\"queries\": [...]}}`: {e}"),
        )
    })?;
    let parsed: Vec<Result<QueryRequest, ErrorBody>> = body
        .queries
        .into_iter()
        .enumerate()
        .map(|(i, q)| {
            serde_json::from_str(q.get()).map_err(|e| ErrorBody::new("invalid_query", format!("queries[{i}]: {e}")))
        })
        .collect();
    let valid: Vec<QueryRequest> = parsed.iter().filter_map(|p| p.as_ref().ok().cloned()).collect();
    let mut answers = state.queries.run_batch(&valid).await?.into_iter();
    let served: Vec<Result<Served, ErrorBody>> = parsed
        .into_iter()
        .map(|p| match p {
            Err(e) => Err(e),
            Ok(_) => match answers.next() {
                Some(answer) => answer.map_err(|e| ErrorBody::from(ApiError::from(e))),
                None => Err(ErrorBody::from(ApiError::bad_request(
                    "internal",
                    "a query got no answer",
                ))),
            },
        })
        .collect();
    let etag = Etag::batch(&served);
    let all_cached = served.iter().all(|s| s.as_ref().is_ok_and(|s| s.cached));
    let cache = if all_cached { "hit" } else { "miss" };
    Ok(etag.respond(&headers, Some(cache), || streamed(served)))
}

/// The batch answer, `{"results":[...]}`, written one result at a time as
/// the connection takes it: the answers are held once (most of them in the
/// cache anyway), never again as one whole JSON text.
fn streamed(served: Vec<Result<Served, ErrorBody>>) -> Response {
    let results = served.into_iter().enumerate().map(|(i, outcome)| {
        let mut text = Vec::with_capacity(256);
        text.extend_from_slice(if i == 0 { b"{\"results\":[" } else { b"," });
        let slot = match &outcome {
            Ok(s) => Slot::Ok(&s.answer.result),
            Err(e) => Slot::Err(e.clone()),
        };
        let start = text.len();
        if serde_json::to_writer(&mut text, &slot).is_err() {
            text.truncate(start);
            text.extend_from_slice(br#"{"error":"internal","message":"this answer could not be written"}"#);
        }
        Bytes::from(text)
    });
    let mut results = results.peekable();
    let opening = results.peek().is_none().then(|| Bytes::from_static(b"{\"results\":["));
    let chunks = opening
        .into_iter()
        .chain(results)
        .chain(std::iter::once(Bytes::from_static(b"]}")))
        .map(Ok::<_, std::convert::Infallible>);
    (
        [(header::CONTENT_TYPE, "application/json")],
        axum::body::Body::from_stream(tokio_stream::iter(chunks)),
    )
        .into_response()
}
