//! Where the plot landed on the canvas, so pointer positions map back to
//! times and values (crosshair, drag to zoom) without redrawing.

/// The plot area in CSS pixels from the canvas' top-left corner, and the
/// time and value ranges it spans.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlotFrame {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub from: i64,
    pub to: i64,
    pub y_min: f64,
    pub y_max: f64,
    /// The right-hand axis' extent (`y_max - y_min` of its values), when
    /// it has one: what its lines' values are shown as precisely as.
    pub right_span: Option<f64>,
}

impl PlotFrame {
    /// The time under horizontal position `x`, clamped to the plot.
    pub fn time_at(&self, x: f64) -> i64 {
        let width = (self.right - self.left).max(1.0);
        let f = ((x - self.left) / width).clamp(0.0, 1.0);
        self.from + ((self.to - self.from) as f64 * f).round() as i64
    }

    /// The horizontal position of time `t` (may lie outside the plot).
    pub fn x_of(&self, t: i64) -> f64 {
        let span = (self.to - self.from).max(1) as f64;
        self.left + (t - self.from) as f64 / span * (self.right - self.left)
    }

    /// The vertical position of value `v` (may lie outside the plot).
    pub fn y_of(&self, v: f64) -> f64 {
        let span = self.y_max - self.y_min;
        let span = if span > 0.0 { span } else { 1.0 };
        self.bottom - (v - self.y_min) / span * (self.bottom - self.top)
    }

    /// Whether `x` lies over the plot area.
    pub fn holds_x(&self, x: f64) -> bool {
        (self.left..=self.right).contains(&x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_times_map_both_ways() {
        let f = PlotFrame {
            left: 50.0,
            right: 150.0,
            top: 10.0,
            bottom: 110.0,
            from: 1_000,
            to: 2_000,
            y_min: 0.0,
            y_max: 10.0,
            right_span: None,
        };
        assert_eq!(f.time_at(50.0), 1_000);
        assert_eq!(f.time_at(100.0), 1_500);
        assert_eq!(f.time_at(400.0), 2_000, "clamped");
        assert_eq!(f.x_of(1_250), 75.0);
        assert_eq!(f.y_of(10.0), 10.0);
        assert_eq!(f.y_of(5.0), 60.0);
        assert!(f.holds_x(150.0) && !f.holds_x(49.0));
    }
}
