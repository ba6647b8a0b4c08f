//! The heads of all series as one table: a slot per series with a head,
//! found through an index by series id (ids are the series table's
//! rowids, so dense). A fleet's batch names thousands of series created
//! together, whose ids and slots lie side by side: adding a point to each
//! walks both arrays in order instead of probing a hash map at random.

use super::HeadPoints;
use std::sync::Arc;

/// Points a span of log rows covers before a new span is begun.
const SPAN_POINTS: u32 = 64;

/// Consecutive log rows that brought points to one head, with the newest
/// time any of them brought: the rows are needed until that time is
/// written out. A row per span rather than per batch keeps a head that
/// gains a point per batch (a fleet's series) from keeping a list as long
/// as its points; the price is that a partly written head may keep up to
/// a span's worth of rows it no longer needs.
#[derive(Debug, Clone, Copy)]
struct Span {
    first_row: i64,
    newest: i64,
    points: u32,
}

/// One series' unwritten points and the spans of rows they came from,
/// oldest first: the newest span is kept in place, the older ones aside.
#[derive(Debug)]
pub(super) struct Slot {
    pub series: i64,
    pub points: HeadPoints,
    open: Option<Span>,
    closed: Vec<Span>,
}

impl Slot {
    /// The oldest log row the head still needs.
    pub fn first_row(&self) -> i64 {
        self.closed
            .first()
            .or(self.open.as_ref())
            .map_or(i64::MAX, |s| s.first_row)
    }

    /// Notes that log row `row` brought `points` points up to `newest`.
    pub fn brought(&mut self, row: i64, newest: i64, points: usize) {
        let points = u32::try_from(points).unwrap_or(u32::MAX);
        match &mut self.open {
            Some(open) if open.points < SPAN_POINTS => {
                open.newest = open.newest.max(newest);
                open.points = open.points.saturating_add(points);
            }
            open => {
                self.closed.extend(open.take());
                *open = Some(Span {
                    first_row: row,
                    newest,
                    points,
                });
            }
        }
    }

    /// Forgets the spans whose points are all written, through `through`.
    pub fn written_through(&mut self, through: i64) {
        self.closed.retain(|s| s.newest > through);
        self.open = self.open.filter(|s| s.newest > through);
    }
}

/// Every head, by series id.
#[derive(Debug, Default)]
pub(super) struct Table {
    /// Each id's slot plus one; 0 for a series without a head.
    index: Vec<u32>,
    slots: Vec<Slot>,
}

impl Table {
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn get(&self, series: i64) -> Option<&Slot> {
        let at = *self.index.get(usize::try_from(series).ok()?)?;
        self.slots.get((at as usize).checked_sub(1)?)
    }

    pub fn get_mut(&mut self, series: i64) -> Option<&mut Slot> {
        let at = *self.index.get(usize::try_from(series).ok()?)?;
        self.slots.get_mut((at as usize).checked_sub(1)?)
    }

    /// The head of `series`, made empty if it had none. `None` only for a
    /// negative id, which no series has.
    pub fn entry(&mut self, series: i64) -> Option<&mut Slot> {
        let id = usize::try_from(series).ok()?;
        if id >= self.index.len() {
            self.index.resize(id + 1, 0);
        }
        if self.index[id] == 0 {
            self.slots.push(Slot {
                series,
                points: Arc::new(Vec::new()),
                open: None,
                closed: Vec::new(),
            });
            self.index[id] = u32::try_from(self.slots.len()).ok()?;
        }
        self.slots.get_mut(self.index[id] as usize - 1)
    }

    pub fn remove(&mut self, series: i64) {
        let Some(id) = usize::try_from(series).ok().filter(|&id| id < self.index.len()) else {
            return;
        };
        let Some(at) = (self.index[id] as usize).checked_sub(1) else {
            return;
        };
        self.index[id] = 0;
        self.slots.swap_remove(at);
        if let Some(moved) = self.slots.get(at) {
            self.index[moved.series as usize] = at as u32 + 1;
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Slot> {
        self.slots.iter()
    }

    /// Gives back the memory of a table that held many more heads than it
    /// holds now (after a round wrote them all out).
    pub fn shrink_if_sparse(&mut self) {
        if self.slots.capacity() > 4 * self.slots.len().max(1_024) {
            self.slots.shrink_to_fit();
        }
    }

    #[cfg(test)]
    pub fn capacity(&self) -> usize {
        self.slots.capacity()
    }
}
