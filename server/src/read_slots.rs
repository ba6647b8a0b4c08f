//! Reads per client: each client (its token, or its address when reads
//! are public) has so many reads in progress at once and a short queue
//! behind them; beyond that it gets 429. The reader connections are few,
//! so one client asking for many heavy reads at once would otherwise take
//! all of them and leave every other client waiting or refused.

use crate::error::ApiError;
use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Reads of one client waiting for a slot, per slot.
const QUEUED_PER_SLOT: usize = 4;

/// Who is reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Client {
    Token(i64),
    Address(IpAddr),
    /// Served without a socket (in-process callers).
    Local,
}

impl Client {
    /// The client `parts` came from: `token` when the request proved one,
    /// else its peer's address.
    pub fn of(parts: &Parts, token: Option<i64>) -> Self {
        match token {
            Some(id) => Client::Token(id),
            None => parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(Client::Local, |ConnectInfo(peer)| Client::Address(peer.ip())),
        }
    }
}

/// A cheap `Clone` handle to every client's slots.
#[derive(Clone)]
pub struct ReadSlots {
    /// Reads in progress per client; 0: no limit.
    most: usize,
    clients: Arc<Mutex<HashMap<Client, Slots>>>,
}

/// One client's slots, and its reads holding or waiting for one.
struct Slots {
    free: Arc<Semaphore>,
    users: usize,
}

/// A read in progress; its slot is given back on drop. Holds nothing
/// when reads are not limited.
pub struct ReadSlot {
    _held: Option<(OwnedSemaphorePermit, User)>,
}

/// Counts a read among its client's users until dropped, waiting or not.
struct User {
    client: Client,
    slots: ReadSlots,
}

impl ReadSlots {
    /// `most` reads in progress per client; 0 turns the limit off.
    pub fn new(most: usize) -> Self {
        Self {
            most,
            clients: Arc::default(),
        }
    }

    /// Waits for a slot of `client`'s; refuses at once when its queue is
    /// full too.
    pub async fn take(&self, client: Client) -> Result<ReadSlot, ApiError> {
        if self.most == 0 {
            return Ok(ReadSlot { _held: None });
        }
        let free = {
            let mut clients = self.lock();
            let slots = clients.entry(client).or_insert_with(|| Slots {
                free: Arc::new(Semaphore::new(self.most)),
                users: 0,
            });
            if slots.users >= self.most * (1 + QUEUED_PER_SLOT) {
                return Err(ApiError::RateLimited {
                    message: format!(
                        "this client has {} reads in progress and {} waiting (--max-reads-per-client); wait for them",
                        self.most,
                        self.most * QUEUED_PER_SLOT
                    ),
                    retry_after_s: 1,
                });
            }
            slots.users += 1;
            slots.free.clone()
        };
        // Counted from here: a request dropped while waiting gives its place back.
        let user = User {
            client,
            slots: self.clone(),
        };
        let permit = free
            .acquire_owned()
            .await
            .expect("a client's semaphore is never closed");
        Ok(ReadSlot {
            _held: Some((permit, user)),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Client, Slots>> {
        self.clients.lock().unwrap_or_else(|e| e.into_inner())
    }

    #[cfg(test)]
    fn clients(&self) -> usize {
        self.lock().len()
    }
}

impl Drop for User {
    fn drop(&mut self) {
        let mut clients = self.slots.lock();
        if let Some(slots) = clients.get_mut(&self.client) {
            slots.users -= 1;
            if slots.users == 0 {
                // Forget the client, so the map holds only those reading.
                clients.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_client_waits_for_its_own_slots_and_others_do_not() {
        let slots = ReadSlots::new(2);
        let a = Client::Token(1);
        let first = slots.take(a).await.unwrap();
        let _second = slots.take(a).await.unwrap();
        let waiting = {
            let slots = slots.clone();
            tokio::spawn(async move { slots.take(a).await.map(|_| ()) })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "the third waits");
        let other = tokio::time::timeout(Duration::from_millis(50), slots.take(Client::Token(2))).await;
        assert!(matches!(other, Ok(Ok(_))), "another client is not held up");
        drop(first);
        tokio::time::timeout(Duration::from_secs(1), waiting)
            .await
            .expect("served once a slot is free")
            .unwrap()
            .unwrap();
    }

    #[tokio::test]
    async fn beyond_the_queue_a_client_is_refused_and_nothing_is_left_behind() {
        let slots = ReadSlots::new(1);
        let a = Client::Address([10, 0, 0, 1].into());
        let held = slots.take(a).await.unwrap();
        let queued: Vec<_> = (0..QUEUED_PER_SLOT)
            .map(|_| {
                let slots = slots.clone();
                tokio::spawn(async move { slots.take(a).await.map(|_| ()) })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(matches!(
            slots.take(a).await,
            Err(ApiError::RateLimited { retry_after_s: 1, .. })
        ));
        drop(held);
        for q in queued {
            q.await.unwrap().unwrap();
        }
        assert_eq!(slots.clients(), 0, "clients with no reads are forgotten");
    }

    #[tokio::test]
    async fn zero_means_no_limit() {
        let slots = ReadSlots::new(0);
        let held: Vec<_> = futures_all(&slots, 100).await;
        assert_eq!(held.len(), 100);
    }

    async fn futures_all(slots: &ReadSlots, n: usize) -> Vec<ReadSlot> {
        let mut held = Vec::new();
        for _ in 0..n {
            held.push(slots.take(Client::Local).await.unwrap());
        }
        held
    }
}
