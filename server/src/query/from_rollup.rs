//! Answers from a rollup tier: each bucket row stands for its points by
//! its summary. Extremes keep their bucket (a minute or an hour), so a
//! spike shows at the right place at any zoom level, and every point of an
//! answer lies inside the window asked for: a bucket the window's edge
//! cuts is answered by its stored points inside the window while they are
//! kept, and its summary is placed within the window's part of the bucket
//! once they are not.
//!
//! A summary knows its first and last values, its lowest and highest, but
//! not when the lowest and highest came. [`low_first`] orders them from
//! what the first and last values tell (a bucket that starts at its low or
//! ends at its high rose; one that starts at its high or ends at its low
//! fell); otherwise a bucket that ends lower than it started is drawn
//! falling. Stored points, where read, are drawn at their own times.

use app::domain::{grid_for, mean_grid, minmax_into, Summary};
use app::model::Stats;

/// A part of a rollup answer's window.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// A tier bucket by its summary; `end` is the next bucket's start.
    Bucket(Summary),
    /// The stored points, in time order, of a bucket cut by the window's
    /// edge: only those inside the window.
    Points(Vec<(i64, f64)>),
}

impl Piece {
    fn summary(&self) -> Option<Summary> {
        match self {
            Piece::Bucket(s) => Some(*s).filter(|s| s.count > 0),
            Piece::Points(p) => Summary::of(p),
        }
    }
}

/// Points of an answer and the grid they were reduced on.
pub type Reduced = (Vec<(i64, f64)>, Option<i64>);

/// The stats of time-ordered pieces.
pub fn stats(pieces: &[Piece]) -> Stats {
    pieces
        .iter()
        .filter_map(Piece::summary)
        .reduce(|a, b| a.then(&b))
        .map_or_else(Stats::default, |whole| whole.stats())
}

/// The part of `[start, end)` inside the window `[from, to]`, as a
/// half-open range; never empty for a bucket that overlaps the window.
fn inside(start: i64, end: i64, from: i64, to: i64) -> (i64, i64) {
    let (lo, hi) = (start.max(from), end.min(to.saturating_add(1)));
    (lo, hi.max(lo + 1))
}

/// Each piece's mean: a bucket's at the middle of its part of the window,
/// cut points' at the middle of their times.
pub fn means(pieces: &[Piece], from: i64, to: i64) -> Vec<(i64, f64)> {
    pieces
        .iter()
        .filter_map(|p| {
            let s = p.summary()?;
            let (lo, hi) = match p {
                Piece::Bucket(_) => inside(s.start, s.end, from, to),
                Piece::Points(_) => (s.start, s.end + 1),
            };
            Some((lo + (hi - lo) / 2, s.sum / s.count as f64))
        })
        .collect()
}

/// Whether a bucket's lowest value came before its highest, as far as its
/// first and last values tell (see the module's doc).
pub fn low_first(s: &Summary) -> bool {
    if s.first == s.min || s.last == s.max {
        true
    } else if s.first == s.max || s.last == s.min {
        false
    } else {
        s.first <= s.last
    }
}

/// Each piece's lowest and highest value: a bucket's at a quarter and
/// three quarters of its part of the window, in [`low_first`] order; cut
/// points' at their own times. Then min-max buckets of the time grid when
/// that is still more than `target` points.
pub fn extremes(pieces: &[Piece], from: i64, to: i64, target: usize, width: i64) -> Reduced {
    let mut points = Vec::with_capacity(pieces.len() * 2);
    for piece in pieces {
        match piece {
            Piece::Points(p) => minmax_into(p, width, &mut points),
            Piece::Bucket(r) if r.count == 0 => {}
            Piece::Bucket(r) => {
                let (lo, hi) = inside(r.start, r.end, from, to);
                let span = hi - lo;
                let (early, late) = (lo + span / 4, lo + span * 3 / 4);
                if r.min == r.max {
                    points.push((lo + span / 2, r.min));
                } else if low_first(r) {
                    points.extend([(early, r.min), (late, r.max)]);
                } else {
                    points.extend([(early, r.max), (late, r.min)]);
                }
            }
        }
    }
    if points.len() <= target {
        return (points, Some(width));
    }
    let grid = grid_for(from, to, target, width);
    let mut out = Vec::with_capacity(target);
    minmax_into(&points, grid, &mut out);
    (out, Some(grid))
}

/// Means over grid buckets of a multiple of the tier's `width`, at each
/// grid bucket's start (the window's start for the first): every point
/// weighs the same, however the points spread over the rollup buckets.
pub fn grid_means(pieces: &[Piece], from: i64, to: i64, target: usize, width: i64) -> Reduced {
    let grid = mean_grid(from, to, target, width);
    let mut out: Vec<(i64, f64)> = Vec::with_capacity(target.min(pieces.len()));
    let mut current: Option<(i64, f64, u64)> = None;
    for s in pieces.iter().filter_map(Piece::summary) {
        let start = s.start.div_euclid(grid) * grid;
        match &mut current {
            Some((at, sum, count)) if *at == start => {
                *sum += s.sum;
                *count += s.count;
            }
            _ => {
                out.extend(current.map(|(at, sum, count)| (at, sum / count as f64)));
                current = Some((start, s.sum, s.count));
            }
        }
    }
    out.extend(current.map(|(at, sum, count)| (at, sum / count as f64)));
    if let Some(first) = out.first_mut() {
        first.0 = first.0.max(from);
    }
    (out, Some(grid))
}

#[cfg(test)]
#[path = "from_rollup_tests.rs"]
mod tests;
