//! The ingest log and the committer thread: how an acknowledged batch
//! becomes stored points.
//!
//! - `committer`: the thread that owns writing. It appends each batch to
//!   the log and commits (group commit) before the batch is acknowledged,
//!   hands its points to the head, writes heads out, and applies late
//!   points many batches at a time.
//! - `rows`: the `ingest_log` table, one encoded batch per row.
//! - `apply`: applying logged batches to chunks, rollups and the series
//!   table, a few series per transaction.
//! - `write_out`: writing heads to chunks, rollups and the series table.
//! - `known_series`: the committer's memory of the series it has seen.
//! - `new_series`: the caps on series creation a write is checked against.

mod apply;
mod committer;
mod known_series;
mod new_series;
mod rows;
mod write_out;

pub(super) use apply::apply;
pub use apply::WriteSummary;
pub use new_series::{Allowance, NewSeriesRule, SeriesRefusal};

/// What an acknowledged write survives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Durability {
    /// An OS crash or power cut too: the log commit of a batch is synced
    /// to disk (`fdatasync` of the WAL) before the batch is answered. Group
    /// commit shares one sync among the batches that arrive together.
    #[default]
    Disk,
    /// A crash or `kill -9` of the process; an OS crash or power cut may
    /// lose the last acknowledged batches (the WAL reaches the disk at the
    /// next checkpoint).
    Process,
}
pub(super) use committer::Committer;
pub(super) use known_series::KnownSeries;
pub(super) use rows::pending;

use super::StoreError;
