//! Who hears of changes to stored data: the query cache registers here so
//! that a write drops the cached answers it changes before the writer's
//! client hears back.

use std::sync::{Arc, RwLock};

/// A series' key, hashed: what observers are told of writes by, so that a
/// batch of thousands of series tells them without copying a key. Two keys
/// may share a hash; an observer takes a write to one as a possible write
/// to the other (a cache then drops more than it must, never less).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SeriesHash(pub u64);

impl SeriesHash {
    pub fn of(key: &str) -> SeriesHash {
        SeriesHash(crate::batch::key_hash(key))
    }
}

/// Points of `series` with times in `first..=last` were written (or a
/// write of them was attempted and may have landed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrittenSpan {
    pub series: SeriesHash,
    pub first: i64,
    pub last: i64,
}

/// Told of every change to stored points.
pub trait WriteObserver: Send + Sync {
    /// The series and time spans one write touched.
    fn written(&self, spans: &[WrittenSpan]);

    /// Data of any series and window may have been removed (retention).
    fn expired(&self);
}

/// The registered observers, shared by every clone of the store.
#[derive(Clone, Default)]
pub struct Observers(Arc<RwLock<Vec<Arc<dyn WriteObserver>>>>);

impl Observers {
    pub fn add(&self, observer: Arc<dyn WriteObserver>) {
        self.0.write().unwrap_or_else(|p| p.into_inner()).push(observer);
    }

    /// Tells every observer which series and time spans `spans` touched.
    pub fn written(&self, spans: &[WrittenSpan]) {
        for observer in self.0.read().unwrap_or_else(|p| p.into_inner()).iter() {
            observer.written(spans);
        }
    }

    pub fn expired(&self) {
        for observer in self.0.read().unwrap_or_else(|p| p.into_inner()).iter() {
            observer.expired();
        }
    }
}
