//! Numbers as a person reads them on an axis or a panel header.

/// Short, stable text for a value: at most four significant digits, with
/// k/M/G suffixes from ten thousand up. Non-finite values print as `–`.
pub fn format_value(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_owned();
    }
    let abs = v.abs();
    let (scaled, suffix) = match abs {
        a if a >= 1e10 => (v / 1e9, "G"),
        a if a >= 1e7 => (v / 1e6, "M"),
        a if a >= 1e4 => (v / 1e3, "k"),
        _ => (v, ""),
    };
    let a = scaled.abs();
    let decimals = if a == 0.0 || a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        3
    };
    let text = format!("{scaled:.decimals$}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { &text };
    let text = if text == "-0" { "0" } else { text };
    format!("{text}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_values() {
        assert_eq!(format_value(21.456), "21.5");
        assert_eq!(format_value(3.14159), "3.14");
        assert_eq!(format_value(0.001234), "0.001");
        assert_eq!(format_value(-0.0001), "0");
        assert_eq!(format_value(1200.0), "1200");
        assert_eq!(format_value(12_345.0), "12.3k");
        assert_eq!(format_value(-2_500_000_000.0), "-2500M");
        assert_eq!(format_value(42.0), "42");
        assert_eq!(format_value(f64::NAN), "–");
    }
}
