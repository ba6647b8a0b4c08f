//! The HTTP API and the rendered page, driven through the real router
//! (`oneshot`, no socket) over a temporary database.

#[path = "../support/mod.rs"]
mod support;

mod alerts;
mod annotations;
mod auth;
mod bad_input;
mod browser_guard;
mod cache;
mod dashboards;
mod demo;
mod export;
mod fleet;
mod limits;
mod metrics;
mod notifications;
mod openapi;
mod page;
mod plan;
mod query;
mod query_budget;
mod receivers;
mod series_caps;
mod serve;
mod sign_in;
mod transforms;
mod write;
