//! How values look beyond their numbers: the word (and colour) a value
//! maps to, colours written `#rrggbb`, and the dial of a gauge.

use crate::model::ValueMapping;

/// The mapping of `value`, the first that names it exactly.
pub fn mapping_for(mappings: &[ValueMapping], value: f64) -> Option<(usize, &ValueMapping)> {
    mappings.iter().enumerate().find(|(_, m)| m.value == value)
}

/// `#rrggbb` (either case) as its red, green and blue.
pub fn parse_hex_color(text: &str) -> Option<(u8, u8, u8)> {
    let hex = text.strip_prefix('#').filter(|h| h.len() == 6 && h.is_ascii())?;
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

/// Where `value` sits between `min` and `max`, from 0 to 1 (clamped; 0
/// for an empty or reversed range).
pub fn gauge_fraction(value: f64, min: f64, max: f64) -> f64 {
    if max.partial_cmp(&min) != Some(std::cmp::Ordering::Greater) || !value.is_finite() {
        return 0.0;
    }
    ((value - min) / (max - min)).clamp(0.0, 1.0)
}

/// The SVG path of a gauge's half circle of radius `r` centred at
/// `(cx, cy)`, from the left end clockwise, as two quarter arcs; drawn
/// with `pathLength="100"`, a dash of `fraction × 100` fills its share
/// (no trigonometry shipped for it).
pub fn gauge_arc(cx: f64, cy: f64, r: f64) -> String {
    format!(
        "M {:.2} {cy:.2} A {r:.2} {r:.2} 0 0 1 {cx:.2} {:.2} A {r:.2} {r:.2} 0 0 1 {:.2} {cy:.2}",
        cx - r,
        cy - r,
        cx + r
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(value: f64, text: &str) -> ValueMapping {
        ValueMapping {
            value,
            text: text.into(),
            color: None,
        }
    }

    #[test]
    fn values_map_exactly_and_first_wins() {
        let m = [mapping(0.0, "off"), mapping(1.0, "on"), mapping(1.0, "again")];
        assert_eq!(mapping_for(&m, 1.0).map(|(i, m)| (i, m.text.as_str())), Some((1, "on")));
        assert!(mapping_for(&m, 0.5).is_none());
        assert!(mapping_for(&m, f64::NAN).is_none());
    }

    #[test]
    fn colours_are_six_hex_digits() {
        assert_eq!(parse_hex_color("#16a34A"), Some((0x16, 0xa3, 0x4a)));
        for bad in ["16a34a", "#16a34", "#16a34ag", "#ééé", ""] {
            assert_eq!(parse_hex_color(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_gauge_fills_its_share_of_a_half_circle() {
        assert_eq!(gauge_fraction(25.0, 0.0, 100.0), 0.25);
        assert_eq!(gauge_fraction(-5.0, 0.0, 100.0), 0.0);
        assert_eq!(gauge_fraction(500.0, 0.0, 100.0), 1.0);
        assert_eq!(gauge_fraction(5.0, 10.0, 10.0), 0.0);
        assert_eq!(
            gauge_arc(100.0, 100.0, 80.0),
            "M 20.00 100.00 A 80.00 80.00 0 0 1 100.00 20.00 A 80.00 80.00 0 0 1 180.00 100.00"
        );
    }
}
