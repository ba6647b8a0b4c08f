//! # sensorboard `app`: the half shared by the browser and the server
//!
//! ## Layout
//! - [`model`]: wire types, in the JSON shape of the public HTTP API.
//! - [`domain`]: pure logic (LTTB, time parsing, tick placement, value
//!   formatting), compiled for wasm and native alike.
//! - [`chart`]: `draw_panel`, the plotters drawing of one panel on any backend.
//! - [`api`]: server functions, thin wrappers over the backend port.
//! - `backend` (ssr only): the port the server binary implements.
//! - `shell`, `pages`, `components`: the UI.
//! - `answers` (browser builds only): dashboard polls with ETag revalidation
//!   and the client answer cache.
//! - `in_flight` (browser builds and tests): identical requests in flight
//!   share one.
//! - `browser` (browser builds only): the few calls into the DOM and JS clock.

#[cfg(feature = "browser")]
mod answers;
pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
#[cfg(feature = "browser")]
mod browser;
pub mod chart;
mod components;
pub mod domain;
#[cfg(any(feature = "browser", test))]
mod in_flight;
pub mod model;
mod pages;
mod shell;

pub use shell::{shell, App};

/// Installs the service worker that keeps the app usable offline; only
/// for the server-rendered build, whose server serves `/sw.js`.
#[cfg(feature = "hydrate")]
pub fn register_service_worker() {
    browser::register_service_worker();
}

/// Points server functions at another origin when the page is served by
/// something other than sensorboard (the static Trunk build). The origin is
/// read from `<meta name="sensorboard-server" content="http://host:3000">`.
#[cfg(feature = "browser")]
pub fn use_configured_server() {
    if let Some(origin) = browser::meta_content("sensorboard-server").filter(|o| !o.is_empty()) {
        let origin: &'static str = Box::leak(origin.trim_end_matches('/').to_owned().into_boxed_str());
        leptos::server_fn::client::set_server_url(origin);
    }
}
