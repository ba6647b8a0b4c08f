//! Chart colours for the light and dark page themes (style/main.css holds
//! the same values for the HTML around the canvas).

use plotters::style::RGBColor;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartTheme {
    pub background: RGBColor,
    pub text: RGBColor,
    pub grid: RGBColor,
    pub axis: RGBColor,
    pub line: RGBColor,
}

impl ChartTheme {
    pub const LIGHT: ChartTheme = ChartTheme {
        background: RGBColor(255, 255, 255),
        text: RGBColor(75, 85, 99),
        grid: RGBColor(229, 231, 235),
        axis: RGBColor(156, 163, 175),
        line: RGBColor(37, 99, 235),
    };

    pub const DARK: ChartTheme = ChartTheme {
        background: RGBColor(24, 27, 33),
        text: RGBColor(170, 178, 189),
        grid: RGBColor(44, 49, 58),
        axis: RGBColor(88, 96, 108),
        line: RGBColor(96, 165, 250),
    };
}
