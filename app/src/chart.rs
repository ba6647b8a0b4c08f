//! A panel's chart, drawn with plotters on any `DrawingBackend`: a
//! `<canvas>` in the browser, an SVG string in native tests; and what the
//! crosshair reads off it.

mod draw;
mod frame;
mod looks;
mod readout;
mod stacking;
mod states;
mod theme;
mod value_scale;

pub use draw::{draw_panel, ChartLine, NoteSpan, PanelChart};
pub use frame::PlotFrame;
pub use looks::ChartLooks;
pub use readout::{readout, Readout, ReadoutRow};
pub use theme::ChartTheme;
