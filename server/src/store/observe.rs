//! Who hears of changes to stored data: the query cache registers here so
//! that a write drops the cached answers it changes before the writer's
//! client hears back.

use std::sync::{Arc, RwLock};

/// Told of every change to stored points.
pub trait WriteObserver: Send + Sync {
    /// Points of `series` with times in `first..=last` were written (or a
    /// write of them was attempted and may have landed).
    fn written(&self, series: &str, first: i64, last: i64);

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
    pub fn written(&self, spans: &[(String, i64, i64)]) {
        for observer in self.0.read().unwrap_or_else(|p| p.into_inner()).iter() {
            for (series, first, last) in spans {
                observer.written(series, *first, *last);
            }
        }
    }

    pub fn expired(&self) {
        for observer in self.0.read().unwrap_or_else(|p| p.into_inner()).iter() {
            observer.expired();
        }
    }
}
