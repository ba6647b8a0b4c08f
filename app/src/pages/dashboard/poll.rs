//! Keeps the panels current: one batch request per tick for the whole
//! dashboard (and one for its annotations), never two in flight, none while the tab is hidden (and one
//! at once when it shows again), backing off exponentially while the
//! server is unreachable.

use super::{PanelState, PollStatus};
use crate::components::DashboardNotes;
use crate::domain::TimeRange;
#[cfg(feature = "browser")]
use crate::domain::{backoff_ms, points_for_width, HIDDEN_CHECK_MS};
use leptos::prelude::*;

#[cfg(feature = "browser")]
pub fn start(
    panels: Vec<PanelState>,
    notes: Option<DashboardNotes>,
    range: Memo<TimeRange>,
    refresh_every: Memo<Option<u32>>,
    status: RwSignal<PollStatus>,
) {
    // Each change of range or interval starts a new loop; older loops see
    // the epoch move and stop.
    let epoch = StoredValue::new(0u64);
    Effect::new(move |_| {
        let window = range.get();
        let every = refresh_every.get();
        // A panel zoomed on its own asks again at once.
        for p in &panels {
            p.own_window.track();
        }
        let mine = epoch.get_value().wrapping_add(1);
        epoch.set_value(mine);
        let panels = panels.clone();
        leptos::task::spawn_local(async move {
            let (mut failures, mut first) = (0, true);
            while epoch.try_get_value() == Some(mine) {
                let wait = if crate::browser::document_hidden() {
                    // No requests while hidden; looking again soon makes
                    // the charts refresh as soon as the tab shows.
                    HIDDEN_CHECK_MS
                } else {
                    let outcome = refresh(&panels, window, first).await;
                    first = false;
                    if let (Some(n), Ok(None)) = (notes, &outcome) {
                        refresh_notes(n, window).await;
                    }
                    match outcome {
                        Ok(offline_from) => {
                            failures = 0;
                            status.set(match offline_from {
                                Some(data_from_ms) => PollStatus::Offline { data_from_ms },
                                None if every.is_some() => PollStatus::Live {
                                    at_ms: crate::browser::now_ms(),
                                },
                                None => PollStatus::Loaded {
                                    at_ms: crate::browser::now_ms(),
                                },
                            });
                            // Refresh off: the charts stay as loaded.
                            let Some(every) = every else { break };
                            every
                        }
                        Err(message) => {
                            failures += 1;
                            let retry_in_ms = backoff_ms(failures);
                            status.set(PollStatus::Reconnecting { message, retry_in_ms });
                            retry_in_ms
                        }
                    }
                };
                wait_or_shown(wait, || epoch.try_get_value() == Some(mine)).await;
            }
        });
    });
}

/// Reads the annotations of the window; on failure the last ones stay
/// (the panels' status line already says when the server is away).
#[cfg(feature = "browser")]
async fn refresh_notes(notes: DashboardNotes, window: TimeRange) {
    let now = crate::browser::now_ms();
    let (from, to) = window.query_times();
    let (from, to) = (from.resolve(now), to.resolve(now));
    if let Ok(list) = crate::api::list_annotations(notes.dashboard, from, to).await {
        if notes.list.try_with_untracked(|l| *l != list) == Some(true) {
            notes.list.set(list);
        }
    }
}

/// Waits `ms`, in short slices so that it ends early when the tab shows
/// again after being hidden (the charts then refresh at once) or when
/// `current()` turns false (a newer loop took over).
#[cfg(feature = "browser")]
async fn wait_or_shown(ms: u32, current: impl Fn() -> bool) {
    use gloo_timers::future::TimeoutFuture;

    let (mut waited, mut was_hidden) = (0, false);
    while waited < ms && current() {
        let slice = HIDDEN_CHECK_MS.min(ms - waited);
        TimeoutFuture::new(slice).await;
        waited += slice;
        let hidden = crate::browser::document_hidden();
        if was_hidden && !hidden {
            return;
        }
        was_hidden |= hidden;
    }
}

#[cfg(not(feature = "browser"))]
pub fn start(
    _panels: Vec<PanelState>,
    _notes: Option<DashboardNotes>,
    _range: Memo<TimeRange>,
    _refresh_every: Memo<Option<u32>>,
    _status: RwSignal<PollStatus>,
) {
}

/// One poll. On the first poll of a view the cached answers, if any, are
/// drawn at once (else, for a long range, its newest part first); the
/// fresh ones replace them when they differ. `Some(t)`: the answers came
/// from the service worker's store, kept at `t`, as the network is down.
#[cfg(feature = "browser")]
async fn refresh(panels: &[PanelState], window: TimeRange, first: bool) -> Result<Option<i64>, String> {
    use crate::answers;
    use crate::domain::TimeSpec;
    use crate::model::{QueryRequest, Resolution};

    let (from, to) = window.query_times();
    // One query per series of each panel, in panel order, so the answers
    // split back onto the panels; if the panels were unmounted meanwhile
    // there is nothing to refresh.
    let mut queries = Vec::new();
    for panel in panels {
        let (Some(asked), Some(width), Some(own)) = (
            panel.spec.try_with_value(|s| s.queries()),
            panel.width_px.try_get_untracked(),
            panel.own_window.try_get_untracked(),
        ) else {
            return Ok(None);
        };
        let (from, to) = own.map_or((from, to), |(a, b)| (TimeSpec::At(a), TimeSpec::At(b)));
        queries.extend(asked.into_iter().map(|q| QueryRequest {
            from,
            to,
            points: points_for_width(width),
            resolution: Resolution::Auto,
            ..q
        }));
    }
    let mut drawn = false;
    if first {
        drawn = spread_cached(panels, answers::cached(&queries));
        if !drawn && window.span_ms() >= PROGRESSIVE_MIN_SPAN_MS {
            drawn = newest_first(panels, &queries, window).await;
        }
    }
    let fetched = answers::fetch(queries).await?;
    let offline_from = fetched.offline_from;
    if fetched.changed || !drawn {
        spread(panels, fetched.outcomes);
    }
    Ok(offline_from)
}

/// Windows at least this long load their newest part first.
#[cfg(feature = "browser")]
const PROGRESSIVE_MIN_SPAN_MS: i64 = 86_400_000;
/// The newest part is this fraction (1/n) of the window.
#[cfg(feature = "browser")]
const PROGRESSIVE_PARTS: i64 = 8;

/// Draws the newest part of a long window before the whole of it arrives,
/// on the whole window's time axis; says whether it drew anything.
#[cfg(feature = "browser")]
async fn newest_first(panels: &[PanelState], queries: &[crate::model::QueryRequest], window: TimeRange) -> bool {
    use crate::model::QueryOutcome;

    let (from, to) = window.newest_part(PROGRESSIVE_PARTS);
    let part: Vec<_> = queries
        .iter()
        .map(|q| crate::model::QueryRequest {
            from,
            to,
            points: (q.points / PROGRESSIVE_PARTS as usize).max(2),
            ..q.clone()
        })
        .collect();
    let Ok(fetched) = crate::answers::fetch(part).await else {
        return false;
    };
    let whole = fetched
        .outcomes
        .into_iter()
        .map(|o| match o {
            QueryOutcome::Ok(mut r) => {
                r.from = r.to - window.span_ms();
                QueryOutcome::Ok(r)
            }
            err => err,
        })
        .collect();
    spread(panels, whole);
    true
}

/// Draws each panel all of whose answers are cached; says whether any was.
#[cfg(feature = "browser")]
fn spread_cached(panels: &[PanelState], cached: Vec<Option<crate::model::QueryOutcome>>) -> bool {
    let mut cached = cached.into_iter();
    let mut drawn = false;
    for panel in panels {
        let n = panel.spec.try_with_value(|s| s.queries().len()).unwrap_or(0);
        let mine: Option<Vec<_>> = cached.by_ref().take(n).collect();
        if let Some(outcomes) = mine.filter(|o| o.len() == n) {
            panel.data.try_set(Some(crate::model::spread_lines(outcomes)));
            drawn = true;
        }
    }
    drawn
}

/// Hands each panel its slots of a batch answer, in panel order.
#[cfg(feature = "browser")]
fn spread(panels: &[PanelState], outcomes: Vec<crate::model::QueryOutcome>) {
    let mut outcomes = outcomes.into_iter();
    for panel in panels {
        let n = panel.spec.try_with_value(|s| s.queries().len()).unwrap_or(0);
        let mine: Vec<_> = outcomes.by_ref().take(n).collect();
        panel.data.try_set(Some(crate::model::spread_lines(mine)));
    }
}
