//! The rollup tiers: per series, one row per minute (`rollup_1m`) and per
//! hour (`rollup_1h`) holding count, min, max, sum, first and last, kept
//! exact in the same transaction as the points they summarise. The bucket
//! math itself is pure and shared with the browser (`app::domain`).
//!
//! A tier must never cost more than the points it summarises. An hour of
//! a slow series (at most [`SPARSE_HOUR_POINTS`], a point every 5 s) has
//! no minute rows: a minute row takes about as many bytes as a dozen
//! compressed points, and reading the hour's points is as cheap as reading
//! its minute rows. Its minute buckets are computed from those points when
//! read, and retention keeps them as long as it keeps minute rows. When an
//! hour grows past the bound, its minute rows are made from all its
//! points at once.
//!
//! - `rows`: writing buckets: folding in new points, or replacing a
//!   bucket recomputed after a merge.
//! - `read`: reading a tier's buckets, and how far back each tier reaches.

mod read;
pub(super) mod rows;

pub use read::TierReach;
pub(super) use read::{reach, read, read_minutes};

/// Points an hour of a series may hold and still have no minute rows.
pub const SPARSE_HOUR_POINTS: u64 = 720;

use super::StoreError;
