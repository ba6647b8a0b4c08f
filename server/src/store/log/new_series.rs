//! Caps on series creation. Every series costs memory for as long as the
//! server runs (its key in the indexes, its state in the committer), so a
//! write may create only so many: in one batch, in the whole store, and as
//! fast as its writer's allowance lets it. The committer checks them with
//! the exact number of series a batch would create, before the batch is
//! logged: a refused batch stores nothing.

/// Why a batch was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeriesRefusal {
    #[error("the batch would create {new} new series; at most {most} may be created by one batch")]
    TooManyInBatch { new: usize, most: usize },
    #[error("the batch would create {new} new series, and the store holds {known} of at most {most}")]
    StoreFull { new: usize, known: usize, most: usize },
    #[error("the batch would create {new} new series; this writer may create {per_minute} a minute; retry in {retry_after_s} s")]
    TooFast {
        new: usize,
        per_minute: u32,
        retry_after_s: u64,
    },
}

/// Takes `new` series from a writer's allowance, or refuses.
pub type Allowance = Box<dyn FnOnce(usize) -> Result<(), SeriesRefusal> + Send>;

/// What a write may create.
pub struct NewSeriesRule {
    /// New series in one batch.
    pub most_per_batch: usize,
    /// Series in the store, the new ones counted.
    pub most_in_store: usize,
    /// The writer's own allowance, asked last, only when the others pass.
    pub allowance: Option<Allowance>,
}

impl NewSeriesRule {
    /// No limit: for the server's own series (demo, self-monitoring).
    pub fn unlimited() -> Self {
        Self {
            most_per_batch: usize::MAX,
            most_in_store: usize::MAX,
            allowance: None,
        }
    }

    /// Whether a batch creating `new` series, in a store that holds
    /// `known`, may be logged; asks the allowance only when it is needed.
    pub(super) fn admit(&mut self, new: usize, known: usize) -> Result<(), SeriesRefusal> {
        if new == 0 {
            return Ok(());
        }
        if new > self.most_per_batch {
            return Err(SeriesRefusal::TooManyInBatch {
                new,
                most: self.most_per_batch,
            });
        }
        if known.saturating_add(new) > self.most_in_store {
            return Err(SeriesRefusal::StoreFull {
                new,
                known,
                most: self.most_in_store,
            });
        }
        match self.allowance.take() {
            Some(allowance) => allowance(new),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    fn rule(per_batch: usize, in_store: usize, asked: &Arc<AtomicUsize>) -> NewSeriesRule {
        let asked = asked.clone();
        NewSeriesRule {
            most_per_batch: per_batch,
            most_in_store: in_store,
            allowance: Some(Box::new(move |n| {
                asked.fetch_add(n, Ordering::Relaxed);
                if n > 5 {
                    return Err(SeriesRefusal::TooFast {
                        new: n,
                        per_minute: 5,
                        retry_after_s: 12,
                    });
                }
                Ok(())
            })),
        }
    }

    #[test]
    fn each_cap_refuses_and_the_allowance_is_asked_last() {
        let asked = Arc::new(AtomicUsize::new(0));
        assert_eq!(
            rule(10, 100, &asked).admit(11, 0),
            Err(SeriesRefusal::TooManyInBatch { new: 11, most: 10 })
        );
        assert_eq!(
            rule(10, 100, &asked).admit(3, 98),
            Err(SeriesRefusal::StoreFull {
                new: 3,
                known: 98,
                most: 100
            })
        );
        assert_eq!(asked.load(Ordering::Relaxed), 0, "refused before the allowance");
        assert!(matches!(
            rule(10, 100, &asked).admit(6, 0),
            Err(SeriesRefusal::TooFast { new: 6, .. })
        ));
        rule(10, 100, &asked).admit(3, 97).expect("exactly full is allowed");
        rule(10, 100, &asked)
            .admit(0, 1_000)
            .expect("no new series, no question");
        assert_eq!(asked.load(Ordering::Relaxed), 9);
    }

    #[test]
    fn unlimited_admits_anything() {
        NewSeriesRule::unlimited().admit(1_000_000, usize::MAX - 1).unwrap();
    }
}
