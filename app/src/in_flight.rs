//! Identical requests in flight share one: the first caller for a key
//! starts the work, later callers for the same key await the same result,
//! and the key is free again once it is done. Single-threaded (the
//! browser's event loop), so the futures need not be `Send`.

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;

/// Work in flight by key; see the module doc.
pub struct InFlight<K, T: Clone> {
    running: RefCell<HashMap<K, Shared<LocalBoxFuture<'static, T>>>>,
}

impl<K: Eq + Hash + Clone, T: Clone + 'static> Default for InFlight<K, T> {
    fn default() -> Self {
        InFlight {
            running: RefCell::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash + Clone, T: Clone + 'static> InFlight<K, T> {
    /// The result of the work under `key`: `start()` is called only when
    /// no work for `key` is running.
    pub async fn run<F>(&self, key: K, start: impl FnOnce() -> F) -> T
    where
        F: Future<Output = T> + 'static,
    {
        let running = self.running.borrow().get(&key).cloned();
        let work = running.unwrap_or_else(|| {
            let shared = start().boxed_local().shared();
            self.running.borrow_mut().insert(key.clone(), shared.clone());
            shared
        });
        let result = work.await;
        self.running.borrow_mut().remove(&key);
        result
    }

    /// How many keys have work running.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.running.borrow().len()
    }

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.running.borrow().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::channel::oneshot;
    use futures::executor::LocalPool;
    use futures::task::LocalSpawnExt;
    use std::cell::Cell;
    use std::rc::Rc;

    #[test]
    fn callers_of_one_key_share_one_run_and_the_key_frees_after() {
        let in_flight: Rc<InFlight<&str, u32>> = Rc::default();
        let starts = Rc::new(Cell::new(0));
        let results = Rc::new(RefCell::new(Vec::new()));
        let (release, gate) = oneshot::channel::<u32>();
        let gate = Rc::new(RefCell::new(Some(gate)));
        let mut pool = LocalPool::new();
        for _ in 0..3 {
            let (in_flight, starts, results, gate) = (in_flight.clone(), starts.clone(), results.clone(), gate.clone());
            pool.spawner()
                .spawn_local(async move {
                    let v = in_flight
                        .run("batch", move || {
                            starts.set(starts.get() + 1);
                            let gate = gate.borrow_mut().take().expect("started once");
                            async move { gate.await.unwrap_or(0) }
                        })
                        .await;
                    results.borrow_mut().push(v);
                })
                .unwrap();
        }
        pool.run_until_stalled();
        assert_eq!((starts.get(), in_flight.len()), (1, 1), "one run while in flight");
        release.send(42).unwrap();
        pool.run_until_stalled();
        assert_eq!(*results.borrow(), [42, 42, 42]);
        assert!(in_flight.is_empty(), "the key is free once done");

        let again = pool.run_until(in_flight.run("batch", || async { 7 }));
        assert_eq!(again, 7, "a later call starts afresh");
    }
}
