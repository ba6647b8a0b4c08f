//! The state every handler can reach: a cheap `Clone` handle.

use crate::query::QueryService;
use crate::store::Store;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;

/// Shared by all requests. Cloning copies a few `Arc`s; the pool inside
/// [`Store`] is what serialises access to SQLite.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub store: Store,
    pub queries: QueryService,
    pub leptos: LeptosOptions,
    /// Largest accepted request body in bytes.
    #[from_ref(skip)]
    pub max_body_bytes: usize,
    /// Browser origins allowed to call the API cross-origin.
    #[from_ref(skip)]
    pub allow_origins: Vec<String>,
}

impl AppState {
    pub fn new(store: Store, leptos: LeptosOptions) -> Self {
        AppState {
            queries: QueryService::new(store.clone()),
            store,
            leptos,
            max_body_bytes: crate::config::DEFAULT_MAX_BODY_BYTES,
            allow_origins: Vec::new(),
        }
    }
}
