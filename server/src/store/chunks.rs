//! The chunk engine: each series' points as compressed runs ("chunks")
//! inside hour-long chunk windows, never overlapping, so a range read
//! decodes its rows in key order.
//!
//! - `chunk`: a chunk row, its summary, and the sorting and merging of runs.
//! - [`codec`]: the compression of one run of points.
//! - `place`: where a write's points of one chunk window go: a new block,
//!   a grown block (`grow`), a join with the window's blocks (`join`), or
//!   a merge with the chunks they land in; the rollups follow each.
//! - `compact`: sealed windows' blocks merged into few large chunks.
//! - `scan`: the points of a series in a time window, pages of them, and
//!   how many there are.

mod chunk;
pub mod codec;
mod compact;
mod grow;
mod join;
mod place;
pub(super) mod scan;

pub(super) use chunk::{sort_gathered, sort_last_wins, CHUNK_MS};
pub(super) use place::{place, Fit, Neighbours};
pub(super) use scan::{page, raw_estimate};
pub use scan::{Page, PageCursor};

use super::{Store, StoreError};
