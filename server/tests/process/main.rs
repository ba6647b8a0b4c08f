//! The real binary as a separate process: durability across `kill -9`
//! and the `token` command.

#[path = "../support/mod.rs"]
mod support;

mod crash;
mod launch;
mod token_cli;
