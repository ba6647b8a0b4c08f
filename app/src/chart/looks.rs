//! What a panel sets about how its lines look: their colours, the words
//! (and colours) values map to, and whether they are drawn as a state
//! timeline.

use crate::domain::parse_hex_color;
use crate::model::{PanelKind, PanelSpec, ValueMapping};
use plotters::style::RGBColor;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChartLooks {
    /// `#rrggbb` per line, in line order; empty keeps the theme's.
    pub colors: Vec<String>,
    pub mappings: Vec<ValueMapping>,
    /// Rows coloured by the mappings rather than lines.
    pub timeline: bool,
    /// Areas stacked on each other rather than lines.
    pub stacked: bool,
    /// Lines read against the right-hand axis.
    pub right: Vec<usize>,
}

impl ChartLooks {
    pub fn of(spec: &PanelSpec) -> Self {
        ChartLooks {
            colors: spec.colors.clone(),
            mappings: spec.mappings.clone(),
            timeline: spec.kind == PanelKind::Timeline,
            stacked: spec.stack,
            right: spec.right_axis.clone(),
        }
    }

    /// Line `n`'s own colour for the canvas, if the panel set one.
    pub fn rgb(&self, n: usize) -> Option<RGBColor> {
        let (r, g, b) = parse_hex_color(self.colors.get(n)?)?;
        Some(RGBColor(r, g, b))
    }

    /// Whether line `n` is read against the right-hand axis (never on a
    /// stacked chart or a timeline, which have one scale).
    pub fn on_right(&self, n: usize) -> bool {
        !self.stacked && !self.timeline && self.right.contains(&n)
    }

    /// Line `n`'s own colour for the page, if the panel set one.
    pub fn css_color(&self, n: usize) -> Option<String> {
        self.colors.get(n).filter(|c| parse_hex_color(c).is_some()).cloned()
    }
}
