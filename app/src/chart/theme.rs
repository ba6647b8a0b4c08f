//! Chart colours for the light and dark page themes (style/main.css holds
//! the same values for the HTML around the canvas).

use plotters::style::RGBColor;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartTheme {
    pub background: RGBColor,
    pub text: RGBColor,
    pub grid: RGBColor,
    pub axis: RGBColor,
    /// Series colours in legend order; the n-th series takes `lines[n % 8]`.
    pub lines: [RGBColor; 8],
    pub warn: RGBColor,
    pub crit: RGBColor,
    /// Annotations: their hairlines and shaded ranges.
    pub note: RGBColor,
}

impl ChartTheme {
    /// The colour of the `n`-th series of a panel.
    pub fn line(&self, n: usize) -> RGBColor {
        self.lines[n % self.lines.len()]
    }

    pub const LIGHT: ChartTheme = ChartTheme {
        background: RGBColor(255, 255, 255),
        text: RGBColor(75, 85, 99),
        grid: RGBColor(229, 231, 235),
        axis: RGBColor(156, 163, 175),
        lines: [
            RGBColor(37, 99, 235),
            RGBColor(217, 119, 6),
            RGBColor(5, 150, 105),
            RGBColor(219, 39, 119),
            RGBColor(124, 58, 237),
            RGBColor(8, 145, 178),
            RGBColor(101, 163, 13),
            RGBColor(71, 85, 105),
        ],
        warn: RGBColor(202, 138, 4),
        crit: RGBColor(220, 38, 38),
        note: RGBColor(147, 51, 234),
    };

    pub const DARK: ChartTheme = ChartTheme {
        background: RGBColor(24, 27, 33),
        text: RGBColor(170, 178, 189),
        grid: RGBColor(44, 49, 58),
        axis: RGBColor(88, 96, 108),
        lines: [
            RGBColor(96, 165, 250),
            RGBColor(251, 191, 36),
            RGBColor(52, 211, 153),
            RGBColor(244, 114, 182),
            RGBColor(167, 139, 250),
            RGBColor(34, 211, 238),
            RGBColor(163, 230, 53),
            RGBColor(148, 163, 184),
        ],
        warn: RGBColor(250, 204, 21),
        crit: RGBColor(248, 113, 113),
        note: RGBColor(192, 132, 252),
    };
}
