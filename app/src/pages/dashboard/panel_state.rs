//! The reactive state behind one panel, shared by the poller (which fills
//! it) and the panel (which draws it).

use crate::model::{PanelSpec, QueryOutcome};
use leptos::prelude::*;

/// Cheap to copy: every field is an arena handle.
#[derive(Clone, Copy)]
pub struct PanelState {
    /// What the panel charts.
    pub spec: StoredValue<PanelSpec>,
    /// The latest answer, one slot per series of `spec` in its order;
    /// `None` until the first poll returns.
    pub data: RwSignal<Option<Vec<QueryOutcome>>>,
    /// Width of the chart in device pixels, measured by the canvas; the
    /// number of points asked for. 0 until measured.
    pub width_px: RwSignal<u32>,
    /// The panel's own window (epoch ms), zoomed while the dashboard's
    /// panels are not linked; the dashboard's window when `None`.
    pub own_window: RwSignal<Option<(i64, i64)>>,
    /// Columns of 12 and chart height (CSS px), as the spec sets them
    /// until the panel is resized on the dashboard.
    pub layout: RwSignal<(Option<u8>, Option<u16>)>,
}

impl PanelState {
    pub fn new(spec: PanelSpec) -> Self {
        let layout = RwSignal::new((spec.width, spec.height));
        PanelState {
            layout,
            spec: StoredValue::new(spec),
            data: RwSignal::new(None),
            width_px: RwSignal::new(0),
            own_window: RwSignal::new(None),
        }
    }
}

/// Whether the charts show current data.
#[cfg_attr(not(feature = "browser"), allow(dead_code))] // set by the browser-side poller
#[derive(Debug, Clone, PartialEq)]
pub enum PollStatus {
    /// Nothing to poll: no chart is shown.
    Idle,
    /// Before the first answer.
    Connecting,
    /// The last poll succeeded at this time (epoch ms); more follow.
    Live { at_ms: i64 },
    /// Refresh is off: the charts were loaded at this time (epoch ms).
    Loaded { at_ms: i64 },
    /// Polls are failing; the next try is `retry_in_ms` away.
    Reconnecting { message: String, retry_in_ms: u32 },
    /// The network is unreachable and the installed app shows the answers
    /// its service worker kept, stored at `data_from_ms` (epoch ms).
    Offline { data_from_ms: i64 },
}
