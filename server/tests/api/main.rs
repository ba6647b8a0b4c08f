//! The HTTP API and the rendered page, driven through the real router
//! (`oneshot`, no socket) over a temporary database.

mod auth;
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
mod process;
mod query;
mod serve;
mod sign_in;
mod store;
mod token_cli;
mod upkeep;
mod write;
