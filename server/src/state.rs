//! The state every handler can reach: a cheap `Clone` handle.

use crate::alerts::Alerts;
use crate::auth::{EditPolicy, ReadPolicy, TokenSet};
use crate::config::Config;
use crate::ingest::{LineRules, LineShapes};
use crate::metrics::HttpMetrics;
use crate::query::{QueryCache, QueryService};
use crate::rate_limit::{IngestLimiter, SeriesCaps};
use crate::read_slots::ReadSlots;
use crate::store::Store;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use prometheus_client::registry::Registry;
use std::sync::Arc;

/// Shared by all requests. Cloning copies a few `Arc`s; the pool inside
/// [`Store`] is what serialises access to SQLite.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub store: Store,
    pub queries: QueryService,
    /// The alert rules' scheduler state and instances.
    #[from_ref(skip)]
    pub alerts: Alerts,
    pub leptos: LeptosOptions,
    /// Largest write body in bytes.
    #[from_ref(skip)]
    pub max_body_bytes: usize,
    /// Largest body of any other request in bytes.
    #[from_ref(skip)]
    pub max_request_body_bytes: usize,
    /// Browser origins allowed to call the API cross-origin.
    #[from_ref(skip)]
    pub allow_origins: Vec<String>,
    /// What `/metrics` reports.
    #[from_ref(skip)]
    pub metrics: Arc<Registry>,
    /// The request figures, updated by the `metrics::track` middleware.
    #[from_ref(skip)]
    pub http_metrics: HttpMetrics,
    /// The access tokens, checked by the `auth` extractors.
    #[from_ref(skip)]
    pub tokens: TokenSet,
    #[from_ref(skip)]
    pub read_policy: ReadPolicy,
    /// Whether the sign-in cookie is always `Secure`.
    #[from_ref(skip)]
    pub secure_cookie: bool,
    /// Who may change dashboards; `None`: public until a token exists.
    #[from_ref(skip)]
    pub edit_policy: Option<EditPolicy>,
    /// Host names answered besides IP addresses and `localhost`.
    #[from_ref(skip)]
    pub allowed_hosts: Arc<[String]>,
    /// Points per second each write token may store.
    #[from_ref(skip)]
    pub ingest_limits: IngestLimiter,
    /// Reads in progress per client.
    #[from_ref(skip)]
    pub read_slots: ReadSlots,
    /// How many series writes may create.
    #[from_ref(skip)]
    pub series_caps: SeriesCaps,
    /// What line-protocol writes do with string fields.
    #[from_ref(skip)]
    pub line_rules: LineRules,
    /// The series of line-protocol lines seen, kept across writes.
    #[from_ref(skip)]
    pub line_shapes: LineShapes,
}

impl AppState {
    /// The state for serving `store` as `config` says.
    pub fn new(store: Store, config: &Config) -> Self {
        let cache = QueryCache::new(config.query_cache_bytes());
        let queries = QueryService::new(store.clone(), cache.clone(), config.query_budget());
        let alerts = Alerts::new(
            store.clone(),
            queries.clone(),
            &config.public_url(),
            config.alert_retries(),
        );
        let (registry, http_metrics) = crate::metrics::registry(cache, store.clone(), alerts.clone());
        AppState {
            alerts,
            metrics: Arc::new(registry),
            http_metrics,
            queries,
            tokens: TokenSet::new(store.clone()),
            read_policy: config.read_access,
            edit_policy: config.edit_access,
            secure_cookie: config.secure_cookie,
            allowed_hosts: config.allowed_hosts.iter().map(|h| h.to_ascii_lowercase()).collect(),
            ingest_limits: IngestLimiter::new(config.ingest_rate_limit),
            read_slots: ReadSlots::new(config.max_reads_per_client),
            series_caps: SeriesCaps::new(
                config.max_new_series_per_batch,
                config.max_series,
                config.max_new_series_per_minute,
            ),
            line_rules: LineRules {
                strings: config.line_protocol_strings,
                max_fields: config.max_fields_per_line,
                max_series: config.max_series_per_batch,
            },
            line_shapes: LineShapes::default(),
            store,
            leptos: config.leptos_options(),
            max_body_bytes: config.max_body_bytes,
            max_request_body_bytes: config.max_request_body_bytes,
            allow_origins: config.allow_origins.clone(),
        }
    }
}
