//! The committer's log commits: admitting batches, appending them to the
//! log with the series they create, and handing their points to the
//! heads (late ones to the next application).

use super::*;

/// How many series a batch creates, or why it was refused.
pub(super) type Admission = Result<usize, SeriesRefusal>;

/// A logged batch: its log row id and, per series, its id and newest
/// stored time.
pub(super) struct InLog {
    pub(super) row: i64,
    pub(super) series: Vec<(i64, Option<i64>)>,
}

/// What one commit to the log did.
pub(super) struct LogCommit {
    /// Per batch, how many series it creates, or why it was refused (and
    /// not logged).
    pub(super) new_series: Vec<Admission>,
    /// Per batch, where it went in the log (`None` when refused).
    pub(super) in_log: Vec<Option<InLog>>,
    /// The series created, by id and key.
    pub(super) created: Vec<(i64, String)>,
}

impl CommitterThread {
    /// Appends the batches to the log in one transaction, hands their
    /// points to the heads (late ones to the next application) and
    /// answers them.
    pub(super) fn log(&mut self, writes: Vec<(Logged, Reply)>) {
        let n = writes.len();
        let (mut batches, mut rows, mut ids, mut sizes, mut rules, mut replies) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for (logged, reply) in writes {
            batches.push(logged.batch);
            rows.push(logged.row);
            ids.push(logged.ids);
            sizes.push(logged.received);
            rules.push(logged.rule);
            replies.push(reply);
        }
        let started = Instant::now();
        let committed = self.commit_to_log(&batches, &rows, &ids, rules);
        crate::store::tallies::warn_if_slow("committing batches to the ingest log", started);
        match committed {
            Ok(commit) => {
                // Before any answer: a reader that saw the answer must see this too.
                self.route(&batches, commit.in_log);
                let answers = replies.into_iter().zip(sizes).zip(commit.new_series).zip(batches);
                for (((reply, (points, series)), new_series), batch) in answers {
                    let _ = reply.send(match new_series {
                        Ok(new_series) => Ok((
                            WriteSummary {
                                points,
                                series,
                                new_series,
                            },
                            batch,
                        )),
                        Err(refused) => Err(StoreError::SeriesRefused(refused)),
                    });
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, batches = replies.len(), "ingest log write failed");
                let busy = e.is_busy();
                for reply in replies {
                    let error = if busy {
                        StoreError::Busy(e.to_string())
                    } else {
                        StoreError::Failed(e.to_string())
                    };
                    let _ = reply.send(Err(error));
                }
            }
        }
    }

    /// Sends each logged batch's points to their series' heads, and its
    /// late points (at or before the series' newest stored time) to the
    /// next application.
    pub(super) fn route(&mut self, batches: &[ValidBatch], in_log: Vec<Option<InLog>>) {
        let mut fresh = Vec::new();
        let mut late_batches = Vec::new();
        for (batch, logged) in batches.iter().zip(&in_log) {
            let Some(logged) = logged else { continue };
            let mut late = Vec::new();
            for (s, &(id, stored_last)) in batch.series().iter().zip(&logged.series) {
                let split = stored_last.map_or(0, |last| s.points.partition_point(|p| p.0 <= last));
                fresh.push(Fresh {
                    series: id,
                    points: &s.points[split..],
                    row: logged.row,
                });
                if split > 0 {
                    late.push(SeriesPoints {
                        key: s.key.clone(),
                        unit: s.unit.clone(),
                        points: s.points[..split].to_vec(),
                    });
                }
            }
            if let Ok(late) = ValidBatch::from_validated(late) {
                late_batches.push((late, logged.row));
            }
        }
        for series in self.head.add(&fresh) {
            self.due.push(series, false);
        }
        let mut pending = lock(&self.pending);
        for (late, row) in late_batches {
            pending.waiting.extend(late.series().iter().map(|s| s.key.clone()));
            pending.batches += 1;
            self.waiting.points += late.len();
            self.waiting.first_row.get_or_insert(row);
            self.waiting.batches.push(late);
        }
    }

    /// Commits the batches their rules admit to the log, creating the
    /// series they bring.
    pub(super) fn commit_to_log(
        &mut self,
        batches: &[ValidBatch],
        rows: &[Vec<u8>],
        ids: &[SeriesIds],
        rules: Vec<NewSeriesRule>,
    ) -> Result<LogCommit, StoreError> {
        let mut conn = self.pool.get()?;
        let synced = self.durability == Durability::Disk;
        if synced {
            // Only this commit waits for the disk; the others stay NORMAL.
            conn.pragma_update(None, "synchronous", "FULL")?;
        }
        let logged = Self::append_all(
            &mut conn,
            (batches, rows, ids),
            rules,
            self.series_count,
            &mut self.known,
        );
        if synced {
            conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        let logged = match logged {
            Ok(logged) => logged,
            Err(e) => {
                self.known.forget_all();
                return Err(e);
            }
        };
        self.series_count += logged.created.len();
        if !logged.created.is_empty() {
            let mut catalog = self.catalog.write().unwrap_or_else(|p| p.into_inner());
            let newest = catalog.newest_id();
            // A reader may have caught the catalogue up with them already.
            catalog.add(logged.created.iter().filter(|(id, _)| *id > newest).cloned());
        }
        if let Some(row) = logged.in_log.iter().flatten().map(|l| l.row).max() {
            self.last_row = Some(row);
            self.commits.push_back((row, Instant::now()));
        }
        Ok(logged)
    }

    /// Appends to the log, in one transaction, the `rows` whose batches
    /// their rules admit, and creates their new series.
    pub(super) fn append_all(
        conn: &mut rusqlite::Connection,
        (batches, rows, ids): (&[ValidBatch], &[Vec<u8>], &[SeriesIds]),
        rules: Vec<NewSeriesRule>,
        series_count: usize,
        known: &mut KnownSeries,
    ) -> Result<LogCommit, StoreError> {
        let tx = conn.transaction()?;
        let now_ms = crate::clock::now_ms();
        let mut commit = LogCommit {
            new_series: Vec::with_capacity(batches.len()),
            in_log: Vec::with_capacity(batches.len()),
            created: Vec::new(),
        };
        for (((batch, row), ids), mut rule) in batches.iter().zip(rows).zip(ids).zip(rules) {
            let found = batch
                .series()
                .iter()
                .zip(ids)
                .map(|(s, &id)| known.find(&tx, &s.key, id))
                .collect::<Result<Vec<_>, _>>()?;
            let new = found.iter().filter(|f| f.is_none()).count();
            if let Err(refused) = rule.admit(new, series_count + commit.created.len()) {
                commit.new_series.push(Err(refused));
                commit.in_log.push(None);
                continue;
            }
            let row = log::append(&tx, row)?;
            let mut series = Vec::with_capacity(batch.series().len());
            for (s, found) in batch.series().iter().zip(found) {
                let (state, created) = known.resolve_found(&tx, s, found, now_ms)?;
                if created {
                    commit.created.push((state.id, s.key.clone()));
                }
                series.push((state.id, state.last_t));
            }
            commit.new_series.push(Ok(new));
            commit.in_log.push(Some(InLog { row, series }));
        }
        tx.commit()?;
        Ok(commit)
    }
}
