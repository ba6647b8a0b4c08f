//! Per-route request figures, taken by a middleware around every route:
//! counts by method, route template and status, latency histograms, and
//! error answers by their code (a rejected write names its reason).

use crate::error::ErrorCode;
use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::{Registry, Unit};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Which request: the route template (`/api/v1/series/{key}/export`, not
/// the path) and the method, each from a fixed set, so that no request,
/// however made up, can add a label value.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    method: &'static str,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StatusLabels {
    method: &'static str,
    route: String,
    status: u16,
}

/// The methods counted by name; any other (a client may send any token)
/// counts as `other`.
static KNOWN_METHODS: [(Method, &str); 9] = [
    (Method::GET, "GET"),
    (Method::POST, "POST"),
    (Method::PUT, "PUT"),
    (Method::DELETE, "DELETE"),
    (Method::HEAD, "HEAD"),
    (Method::OPTIONS, "OPTIONS"),
    (Method::PATCH, "PATCH"),
    (Method::CONNECT, "CONNECT"),
    (Method::TRACE, "TRACE"),
];

fn method_label(method: &Method) -> &'static str {
    KNOWN_METHODS
        .iter()
        .find(|(known, _)| known == method)
        .map_or("other", |&(_, name)| name)
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ErrorLabels {
    route: String,
    code: String,
}

/// Cheap to clone: the families share their metrics.
#[derive(Clone, Debug)]
pub struct HttpMetrics {
    requests: Family<StatusLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    errors: Family<ErrorLabels, Counter>,
    recent: Arc<Mutex<Recent>>,
}

/// Latencies since the last [`HttpMetrics::take_recent`], for exact
/// quantiles over a short interval: the newest [`RECENT_KEPT`] of them,
/// and how many requests there were in all.
#[derive(Debug, Default)]
struct Recent {
    micros: Vec<u32>,
    next: usize,
    requests: u64,
}

/// Latencies kept between two readings.
const RECENT_KEPT: usize = 8_192;

/// Request figures of an interval.
#[derive(Debug, Clone, PartialEq)]
pub struct RecentRequests {
    pub requests: u64,
    /// Latencies in microseconds (the newest ones if there were many), sorted.
    pub sorted_micros: Vec<u32>,
}

fn latency_histogram() -> Histogram {
    // 50 µs to about 6.5 s.
    Histogram::new(exponential_buckets(0.000_05, 2.0, 18))
}

impl HttpMetrics {
    /// New figures, registered in `registry`.
    pub fn register(registry: &mut Registry) -> Self {
        let metrics = HttpMetrics {
            requests: Family::default(),
            latency: Family::new_with_constructor(latency_histogram),
            errors: Family::default(),
            recent: Arc::default(),
        };
        registry.register(
            "http_requests",
            "Requests answered, by route and status.",
            metrics.requests.clone(),
        );
        registry.register_with_unit(
            "http_request_duration",
            "Time from request to response head, by route.",
            Unit::Seconds,
            metrics.latency.clone(),
        );
        registry.register(
            "http_errors",
            "Error answers by route and error code (rejected writes by reason).",
            metrics.errors.clone(),
        );
        metrics
    }

    /// The requests since the last call, and starts a new interval.
    pub fn take_recent(&self) -> RecentRequests {
        let taken = match self.recent.lock() {
            Ok(mut recent) => std::mem::take(&mut *recent),
            Err(_) => Recent::default(),
        };
        let mut sorted_micros = taken.micros;
        sorted_micros.sort_unstable();
        RecentRequests {
            requests: taken.requests,
            sorted_micros,
        }
    }

    fn remember(&self, micros: u32) {
        if let Ok(mut recent) = self.recent.lock() {
            recent.requests += 1;
            if recent.micros.len() < RECENT_KEPT {
                recent.micros.push(micros);
            } else {
                let slot = recent.next;
                recent.micros[slot] = micros;
                recent.next = (slot + 1) % RECENT_KEPT;
            }
        }
    }
}

/// The middleware: times the request and counts its answer.
pub async fn track(State(metrics): State<HttpMetrics>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_owned();
    let method = method_label(request.method());
    let started = Instant::now();
    let response = next.run(request).await;
    let labels = RouteLabels { method, route };
    let took = started.elapsed();
    metrics.latency.get_or_create(&labels).observe(took.as_secs_f64());
    metrics.remember(u32::try_from(took.as_micros()).unwrap_or(u32::MAX));
    if let Some(ErrorCode(code)) = response.extensions().get::<ErrorCode>() {
        let errors = ErrorLabels {
            route: labels.route.clone(),
            code: code.clone(),
        };
        metrics.errors.get_or_create(&errors).inc();
    }
    let status = StatusLabels {
        method: labels.method,
        route: labels.route,
        status: response.status().as_u16(),
    };
    metrics.requests.get_or_create(&status).inc();
    response
}
