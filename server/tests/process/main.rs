//! The real binary as a separate process: durability across `kill -9`
//! and the `token` command.

#[path = "../support/mod.rs"]
mod support;

mod crash;
mod durability;
mod launch;
mod token_cli;
