//! The HTTP API and the rendered page, driven through the real router
//! (`oneshot`, no socket) over a temporary database.

mod bad_input;
mod cache;
mod common;
mod crash;
mod dashboards;
mod demo;
mod export;
mod metrics;
mod openapi;
mod page;
mod plan;
mod query;
mod serve;
mod store;
mod upkeep;
mod write;
