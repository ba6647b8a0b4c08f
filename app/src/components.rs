//! Reusable pieces of the UI.

mod annotations;
mod arrange;
mod chart_canvas;
mod custom_range;
mod dashboard_picker;
mod fetched;
mod hydrated;
mod legend;
mod notices;
mod page_nav;
mod panel;
mod panel_kinds;
mod range_picker;
mod readout;
mod refresh_picker;
mod sign_out;
mod slow_queries;
mod status_line;
mod theme_toggle;
mod time_keys;
mod top_bar;

pub use annotations::{answer_keys, DashboardNotes, NoteForm, NoteList};
pub use arrange::Arrange;
pub use chart_canvas::{ChartCanvas, LinkedCursor};
pub use custom_range::CustomRange;
pub use dashboard_picker::DashboardPicker;
pub use fetched::use_fetched;
pub use hydrated::use_hydrated;
pub use legend::{Legend, LegendChoices, LegendLine};
pub use notices::{EmptyState, ErrorBanner, PanelSkeletons};
pub use page_nav::PageNav;
pub use panel::Panel;
pub use range_picker::RangePicker;
pub use readout::Readout;
pub use refresh_picker::RefreshPicker;
pub use sign_out::{SignOut, SIGNED_IN_META};
pub use slow_queries::SlowQueryTable;
pub use status_line::PollStatusLine;
pub use theme_toggle::{ThemeState, ThemeToggle};
pub use time_keys::{use_time_shortcuts, ZoomOut};
pub use top_bar::TopBar;

/// Wall-clock parts of `ms` in the viewer's zone (UTC when rendered on
/// the server, which does not know the zone).
#[cfg(feature = "browser")]
pub(crate) fn local_parts(ms: i64) -> crate::domain::DateParts {
    crate::browser::local_date_parts(ms)
}

#[cfg(not(feature = "browser"))]
pub(crate) fn local_parts(ms: i64) -> crate::domain::DateParts {
    crate::domain::DateParts::from_utc_ms(ms)
}

/// The clock, epoch ms (0 when rendered on the server, where nothing
/// that asks for it runs).
#[cfg(feature = "browser")]
fn now_ms() -> i64 {
    crate::browser::now_ms()
}

#[cfg(not(feature = "browser"))]
fn now_ms() -> i64 {
    0
}
