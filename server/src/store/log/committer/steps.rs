//! The committer's steps between log commits: writing heads out,
//! applying late points, and deleting the log rows nothing needs.

use super::*;

/// Logged batches of late points waiting for the next application.
#[derive(Default)]
pub(super) struct Unapplied {
    pub(super) batches: Vec<ValidBatch>,
    pub(super) points: usize,
    /// The oldest log row they come from.
    pub(super) first_row: Option<i64>,
}

/// An application under way, how many logged batches it holds and the
/// oldest log row they come from.
pub(super) struct Applying {
    pub(super) application: Application,
    pub(super) batches: usize,
    pub(super) first_row: Option<i64>,
}

/// Series whose heads are to be written out, in order, each once, and
/// whether whole (a round of every head) or only what is ripe (see
/// `Head::due_through`).
#[derive(Default)]
pub(super) struct Due {
    order: VecDeque<i64>,
    queued: FxHashMap<i64, bool>,
}

impl Due {
    pub(super) fn push(&mut self, series: i64, whole: bool) {
        match self.queued.entry(series) {
            Entry::Occupied(mut queued) => *queued.get_mut() |= whole,
            Entry::Vacant(slot) => {
                slot.insert(whole);
                self.order.push_back(series);
            }
        }
    }

    pub(super) fn pop(&mut self) -> Option<(i64, bool)> {
        let series = self.order.pop_front()?;
        let whole = self.queued.remove(&series).unwrap_or(true);
        Some((series, whole))
    }

    pub(super) fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

impl CommitterThread {
    /// Queues heads for writing out: the oldest when together they hold
    /// too many points, all of them when there are too many heads or the
    /// oldest waited too long.
    pub(super) fn watch_heads(&mut self) {
        if !self.due.is_empty() {
            return;
        }
        let points = self.head.points();
        let too_many_series = self.head.series_count() > HEAD_SERIES;
        if points <= HEAD_POINTS && !too_many_series && self.watched.elapsed() < TICK {
            return;
        }
        self.watched = Instant::now();
        let heads = if too_many_series || self.oldest_head_waited() >= HEAD_AGE {
            self.head.by_age()
        } else if points > HEAD_POINTS {
            self.head.oldest_holding(points - HEAD_POINTS_AFTER)
        } else {
            return;
        };
        for series in heads {
            self.due.push(series, true);
        }
    }

    /// How long ago the oldest point in a head was logged.
    pub(super) fn oldest_head_waited(&mut self) -> Duration {
        let Some(oldest) = self.head.oldest_row() else {
            return Duration::ZERO;
        };
        while self.commits.len() > 1 && self.commits[0].0 < oldest {
            self.commits.pop_front();
        }
        self.commits.front().map_or(Duration::ZERO, |(_, at)| at.elapsed())
    }

    /// Hands the waiting late batches to a new application, if none runs.
    pub(super) fn start_applying(&mut self) {
        if self.applying.is_some() || self.waiting.batches.is_empty() {
            return;
        }
        let waiting = std::mem::take(&mut self.waiting);
        {
            let mut pending = lock(&self.pending);
            pending.applying = std::mem::take(&mut pending.waiting);
        }
        self.applying = Some(Applying {
            batches: waiting.batches.len(),
            application: Application::new(waiting.batches),
            first_row: waiting.first_row,
        });
    }

    /// One transaction: of the application under way, or else of heads
    /// due to be written out. The log is trimmed once either is done.
    pub(super) fn step(&mut self) -> Result<(), StoreError> {
        let started = Instant::now();
        if let Some(applying) = self.applying.as_mut() {
            let stepped = applying
                .application
                .step(&mut *self.pool.get()?, &mut self.known, STEP_POINTS);
            crate::store::tallies::warn_if_slow("applying late points", started);
            stepped?;
            if applying.application.is_done() {
                let applied = applying.batches;
                self.applying = None;
                {
                    let mut pending = lock(&self.pending);
                    pending.applying.clear();
                    pending.batches -= applied;
                }
                self.trim_log()?;
            }
            return Ok(());
        }
        if self.due.is_empty() {
            return Ok(());
        }
        let mut series = Vec::new();
        let mut points = 0;
        while points < STEP_POINTS {
            let Some((id, whole)) = self.due.pop() else { break };
            let Some(through) = self.head.due_through(id, whole) else {
                continue;
            };
            points += self.head.points_of(id).map_or(0, |p| p.len());
            series.push((id, Some(through)));
        }
        let written = write_out(&mut *self.pool.get()?, &mut self.known, &self.head, &series);
        crate::store::tallies::warn_if_slow("writing heads out", started);
        if let Err(e) = written {
            for (id, _) in series {
                self.due.push(id, true);
            }
            return Err(e);
        }
        if self.due.is_empty() {
            self.trim_log()?;
        }
        Ok(())
    }

    /// Deletes the log rows whose points are all in chunks: those older
    /// than every head and every late batch not yet applied.
    pub(super) fn trim_log(&mut self) -> Result<(), StoreError> {
        self.head.shrink_if_sparse();
        let Some(last) = self.last_row else {
            return Ok(());
        };
        let needed = [
            self.head.oldest_row(),
            self.waiting.first_row,
            self.applying.as_ref().and_then(|a| a.first_row),
        ];
        let below = needed.into_iter().flatten().min().unwrap_or(last + 1);
        if self.trimmed_below.is_some_and(|done| done >= below) {
            return Ok(());
        }
        let mut conn = self.pool.get()?;
        let tx = conn.transaction()?;
        log::trim(&tx, below - 1)?;
        tx.commit()?;
        self.trimmed_below = Some(below);
        Ok(())
    }

    /// Applies every late point (the application under way, then the
    /// batches waiting behind it) and, with `heads`, writes every head
    /// out. The error is for flushing readers.
    pub(super) fn apply_all(&mut self, heads: bool) -> Result<(), String> {
        self.finish_steps(false)?;
        self.start_applying();
        if !heads {
            return self.finish_steps(false);
        }
        for series in self.head.by_age() {
            self.due.push(series, true);
        }
        self.finish_steps(true)?;
        self.trim_log().map_err(|e| e.to_string())
    }

    /// Runs steps until the application under way is done and, with
    /// `heads`, until no head is due.
    pub(super) fn finish_steps(&mut self, heads: bool) -> Result<(), String> {
        while self.applying.is_some() || (heads && !self.due.is_empty()) {
            self.step().map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}
