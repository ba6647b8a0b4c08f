//! The web UI: server-side rendering of the `app` pages, the server
//! functions they call, and the built wasm/JS/CSS under the site root.

mod alert_calls;
mod alert_html;
mod backend;
mod gate;
mod service_worker;

pub use backend::SiteBackend;

use crate::auth::ReadPolicy;
use crate::state::AppState;
use app::backend::BackendHandle;
use app::{shell, App};
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use service_worker::KeepAnswers;
use std::sync::Arc;

/// Page routes and server functions, with a [`SiteBackend`] provided to
/// server functions as the `app` backend, behind the read policy. Unknown
/// paths fall through to static files under the site root, then to the
/// 404 page.
pub fn routes(state: &AppState) -> Router<AppState> {
    let backend = BackendHandle(Arc::new(SiteBackend {
        queries: state.queries.clone(),
        store: state.store.clone(),
        alerts: state.alerts.clone(),
    }));
    let options = state.leptos.clone();
    let keep = match state.read_policy {
        ReadPolicy::Public => KeepAnswers::Always,
        ReadPolicy::Token => KeepAnswers::OptIn,
    };
    let worker: Arc<str> = service_worker::script(std::path::Path::new(&*options.site_root), keep).into();
    Router::<AppState>::new()
        .leptos_routes_with_context(
            state,
            generate_route_list(App),
            move || provide_context(backend.clone()),
            move || shell(options.clone(), signed_in()),
        )
        // Pages and server functions only: static files stay public.
        .route_layer(from_fn_with_state(state.clone(), gate::gate))
        // Public like the files it caches, so the sign-in page works offline too.
        .route("/sw.js", get(move || async move { service_worker::respond(&worker) }))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(|options| {
            shell(options, signed_in())
        }))
}

/// Whether the page being rendered was asked for by a signed-in browser
/// (it sent the session cookie), so the page offers to sign out.
fn signed_in() -> bool {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .is_some_and(|parts| crate::auth::credentials::session_cookie(&parts.headers).is_some())
}
