//! Group commit: batches that arrive while the writer is busy wait in a
//! queue and are then written together in one transaction. Concurrent
//! producers thus share commits and the pages each batch would dirty on
//! its own (a series' chunk, rollup and catalogue rows), which is where a
//! write's time goes; a lone producer still gets one transaction per batch.

use super::catalogue::Catalogue;
use super::write::{write_group, WriteSummary};
use super::{Store, StoreError};
use crate::ingest::ValidBatch;
use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

/// Batches waiting at most; further writers wait to enqueue.
const QUEUE: usize = 64;
/// A group stops taking batches once it holds this many points.
const GROUP_POINTS: usize = 50_000;

type Reply = oneshot::Sender<Result<WriteSummary, StoreError>>;

/// The sending side of the writer's queue.
pub type Queue = mpsc::Sender<(ValidBatch, Reply)>;

/// Starts the task that drains the queue; it ends when every sender is gone.
pub fn start(writer: Pool<SqliteConnectionManager>, catalogue: Arc<Mutex<Catalogue>>) -> Queue {
    let (queue, mut waiting) = mpsc::channel::<(ValidBatch, Reply)>(QUEUE);
    tokio::spawn(async move {
        while let Some(first) = waiting.recv().await {
            let mut points = first.0.len();
            let mut group = vec![first];
            while points < GROUP_POINTS {
                match waiting.try_recv() {
                    Ok(next) => {
                        points += next.0.len();
                        group.push(next);
                    }
                    Err(_) => break,
                }
            }
            let (batches, replies): (Vec<ValidBatch>, Vec<Reply>) = group.into_iter().unzip();
            let (writer, catalogue) = (writer.clone(), catalogue.clone());
            let results = tokio::task::spawn_blocking(move || match writer.get() {
                Ok(mut conn) => write_group(&mut conn, &catalogue, &batches),
                Err(e) => batches.iter().map(|_| Err(StoreError::Busy(e.to_string()))).collect(),
            })
            .await;
            match results {
                Ok(results) => {
                    for (reply, result) in replies.into_iter().zip(results) {
                        let _ = reply.send(result);
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "write task failed");
                    for reply in replies {
                        let _ = reply.send(Err(StoreError::Closed));
                    }
                }
            }
        }
    });
    queue
}

impl Store {
    /// Stores every point of `batch` atomically. A point whose series and
    /// time already exist replaces the stored value (last write wins).
    /// Returns after the commit.
    pub async fn write_batch(&self, batch: ValidBatch) -> Result<WriteSummary, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.queue.send((batch, reply)).await.map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }
}
