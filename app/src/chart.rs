//! A panel's chart, drawn with plotters on any `DrawingBackend`: a
//! `<canvas>` in the browser, an SVG string in native tests.

mod draw;
mod theme;

pub use draw::{draw_panel, PanelChart};
pub use theme::ChartTheme;
