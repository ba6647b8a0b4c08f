//! The silences as the scheduler uses them: loaded when they change, each
//! with its matchers compiled, asked which (if any) mutes a label set.

use crate::store::CompiledSelector;
use app::model::{Labels, Silence};
use std::sync::Arc;

/// The silences not yet ended when they were loaded.
#[derive(Default, Clone)]
pub struct Silences {
    pub version: u64,
    list: Arc<Vec<(Silence, CompiledSelector)>>,
}

impl Silences {
    /// `silences` made ready, as of `version`; one whose matchers no
    /// longer compile is skipped with a warning.
    pub fn new(version: u64, silences: Vec<Silence>) -> Self {
        let list = silences
            .into_iter()
            .filter_map(|s| match CompiledSelector::from_text(&s.matchers) {
                Ok(m) => Some((s, m)),
                Err(e) => {
                    tracing::warn!(silence = s.id, error = %e, "a stored silence no longer compiles; skipped");
                    None
                }
            })
            .collect();
        Silences {
            version,
            list: Arc::new(list),
        }
    }

    /// The silence muting `labels` at `now`, if one does.
    pub fn muting(&self, labels: &Labels, now: i64) -> Option<i64> {
        self.list
            .iter()
            .find(|(s, m)| s.is_active(now) && m.accepts_labels(labels))
            .map(|(s, _)| s.id)
    }
}
