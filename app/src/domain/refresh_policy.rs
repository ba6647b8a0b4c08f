//! How often a dashboard refreshes and how it backs off when the server
//! fails, as numbers the poller and its tests share.

/// How often a hidden dashboard looks whether it shows again.
pub const HIDDEN_CHECK_MS: u32 = 250;
/// Longest wait between retries while the server is failing.
pub const MAX_BACKOFF_MS: u32 = 60_000;
/// Points asked for before a chart has measured its width.
pub const DEFAULT_POINTS: usize = 1_000;

/// Wait before retry number `failures` (1-based): 1 s, 2 s, 4 s ... capped
/// at [`MAX_BACKOFF_MS`].
pub fn backoff_ms(failures: u32) -> u32 {
    1_000u32
        .saturating_mul(1 << failures.saturating_sub(1).min(16))
        .min(MAX_BACKOFF_MS)
}

/// Points to ask for a chart `width_px` device pixels wide: one per pixel,
/// or [`DEFAULT_POINTS`] while the width is unknown.
pub fn points_for_width(width_px: u32) -> usize {
    if width_px >= 2 {
        width_px as usize
    } else {
        DEFAULT_POINTS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_then_caps() {
        assert_eq!(backoff_ms(1), 1_000);
        assert_eq!(backoff_ms(2), 2_000);
        assert_eq!(backoff_ms(5), 16_000);
        assert_eq!(backoff_ms(7), MAX_BACKOFF_MS);
        assert_eq!(backoff_ms(u32::MAX), MAX_BACKOFF_MS);
    }

    #[test]
    fn one_point_per_pixel_once_measured() {
        assert_eq!(points_for_width(0), DEFAULT_POINTS);
        assert_eq!(points_for_width(1), DEFAULT_POINTS);
        assert_eq!(points_for_width(1_840), 1_840);
    }
}
