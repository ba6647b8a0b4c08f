//! Reusable pieces of the UI.

mod chart_canvas;
mod notices;
mod panel;
mod range_picker;
mod refresh_picker;
mod status_line;

pub use chart_canvas::ChartCanvas;
pub use notices::{EmptyState, ErrorBanner, PanelSkeletons};
pub use panel::Panel;
pub use range_picker::RangePicker;
pub use refresh_picker::RefreshPicker;
pub use status_line::PollStatusLine;
