//! The rollup tiers: per series, one row per minute (`rollup_1m`) and per
//! hour (`rollup_1h`) holding count, min, max, sum, first and last, kept
//! exact in the same transaction as the points they summarise. The bucket
//! math itself is pure and shared with the browser (`app::domain`).
//!
//! - `rows`: writing buckets: folding in new points, or replacing a
//!   bucket recomputed after a merge.
//! - `read`: reading a tier's buckets, and how far back each tier reaches.

mod read;
pub(super) mod rows;

pub use read::TierReach;
pub(super) use read::{reach, read};

use super::StoreError;
