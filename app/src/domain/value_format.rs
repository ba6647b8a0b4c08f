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
    let decimals = decimals_for(scaled.abs());
    let text = format!("{scaled:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    let text = if text == "-0" { "0" } else { text };
    format!("{text}{suffix}")
}

/// The decimals [`format_value`] shows, at most, for a magnitude.
fn decimals_for(a: f64) -> usize {
    if a == 0.0 || a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        3
    }
}

/// A value shown beside a chart whose values spread over `span` (its
/// visible range): [`format_value`], unless its decimals are coarser than
/// the span; then to a tenth of the span, so a zoomed panel spanning 1.998
/// to 2.002 reads `2.0013`, not `2`. Trailing zeros the span calls for
/// stay.
pub fn format_value_in(v: f64, span: f64) -> String {
    let plain = format_value(v);
    if !v.is_finite() || v.abs() >= 1e4 || !(span.is_finite() && span > 0.0) {
        return plain;
    }
    let shown = decimals_for(v.abs()) as i32;
    if 10f64.powi(-shown) <= span {
        return plain;
    }
    let needed = (-(span / 10.0).log10().floor()).clamp(0.0, 12.0) as usize;
    let text = format!("{v:.needed$}");
    match text.strip_prefix('-') {
        Some(digits) if digits.chars().all(|c| c == '0' || c == '.') => digits.to_owned(),
        _ => text,
    }
}

/// An axis label for `v` on an axis whose ticks are `step` apart: just
/// enough decimals to tell neighbouring ticks apart (1.95, 1.96, not 1.95
/// twice), and the k/M/G form of [`format_value`] for large magnitudes.
pub fn format_tick(v: f64, step: f64) -> String {
    if !v.is_finite() {
        return "–".to_owned();
    }
    if v.abs() >= 1e4 || !(step.is_finite() && step > 0.0) {
        return format_value(v);
    }
    let decimals = (-step.log10().floor()).clamp(0.0, 12.0) as usize;
    let text = format!("{v:.decimals$}");
    if text
        .trim_start_matches('-')
        .trim_matches(|c| c == '0' || c == '.')
        .is_empty()
    {
        return "0".to_owned();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_have_enough_decimals_to_differ() {
        let ticks: Vec<String> = [1.945, 1.950, 1.955].iter().map(|&v| format_tick(v, 0.005)).collect();
        assert_eq!(ticks, ["1.945", "1.950", "1.955"]);
        assert_eq!(format_tick(20.5, 0.5), "20.5");
        assert_eq!(format_tick(400.0, 100.0), "400");
        assert_eq!(format_tick(-0.0001, 0.1), "0");
        assert_eq!(format_tick(25_000.0, 5_000.0), "25k");
        assert_eq!(format_tick(f64::NAN, 1.0), "–");
    }

    #[test]
    fn values_follow_the_visible_range() {
        assert_eq!(format_value_in(2.00131, 0.004), "2.0013");
        assert_eq!(format_value_in(2.0, 0.004), "2.0000", "as precise as its neighbours");
        assert_eq!(format_value_in(1.998, 0.004), "1.9980");
        assert_eq!(
            format_value_in(21.456, 10.0),
            "21.5",
            "a wide range keeps the short form"
        );
        assert_eq!(format_value_in(21.456, 0.0), "21.5");
        assert_eq!(format_value_in(21.456, f64::NAN), "21.5");
        assert_eq!(format_value_in(-0.00001, 0.01), "0");
        assert_eq!(format_value_in(-0.000001, 0.0001), "0.00000");
        assert_eq!(format_value_in(12_345.0, 0.5), "12.3k");
        assert_eq!(format_value_in(f64::INFINITY, 1.0), "–");
    }

    #[test]
    fn readable_values() {
        assert_eq!(format_value(21.456), "21.5");
        assert_eq!(format_value(4.56789), "4.57");
        assert_eq!(format_value(0.001234), "0.001");
        assert_eq!(format_value(-0.0001), "0");
        assert_eq!(format_value(1200.0), "1200");
        assert_eq!(format_value(12_345.0), "12.3k");
        assert_eq!(format_value(-2_500_000_000.0), "-2500M");
        assert_eq!(format_value(42.0), "42");
        assert_eq!(format_value(f64::NAN), "–");
    }
}
