//! Where the time axis puts its ticks: on round wall-clock times (every
//! 5 minutes, every hour, at midnight), never at arbitrary milliseconds.

const STEPS_MS: [i64; 21] = [
    1_000,
    2_000,
    5_000,
    10_000,
    15_000,
    30_000,
    60_000,
    120_000,
    300_000,
    600_000,
    900_000,
    1_800_000,
    3_600_000,
    7_200_000,
    10_800_000,
    21_600_000,
    43_200_000,
    86_400_000,
    172_800_000,
    604_800_000,
    2_592_000_000,
];

/// Ticks inside `[from, to]`, at most `max_ticks` of them (at least one
/// step is always used), aligned to multiples of the step in local time:
/// `utc_offset_ms` is the viewer's offset from UTC (+3_600_000 for UTC+1).
/// Returns the ticks and the step between them.
pub fn time_ticks(from: i64, to: i64, max_ticks: usize, utc_offset_ms: i64) -> (Vec<i64>, i64) {
    if to <= from {
        return (vec![from], STEPS_MS[0]);
    }
    let span = to - from;
    let max = max_ticks.max(1) as i64;
    let step = STEPS_MS
        .iter()
        .copied()
        .find(|s| span / s < max)
        .unwrap_or(STEPS_MS[STEPS_MS.len() - 1]);
    let first = (from + utc_offset_ms).div_euclid(step) * step - utc_offset_ms;
    let first = if first < from { first + step } else { first };
    let ticks = (0..).map(|i| first + i * step).take_while(|&t| t <= to).collect();
    (ticks, step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_hour_gets_round_minutes() {
        let from = 1_795_428_000_000 + 7 * 60_000 + 13_000; // 10:07:13Z
        let (ticks, step) = time_ticks(from, from + 3_600_000, 8, 0);
        assert_eq!(step, 600_000);
        assert_eq!(ticks[0], 1_795_428_000_000 + 600_000); // 10:10
        assert!(ticks.len() <= 8 && ticks.len() >= 5);
        assert!(ticks.iter().all(|t| t % 600_000 == 0));
    }

    #[test]
    fn days_align_to_local_midnight() {
        let from = 1_795_428_000_000; // 10:00Z
        let offset = 3_600_000; // UTC+1
        let (ticks, step) = time_ticks(from, from + 7 * 86_400_000, 8, offset);
        assert_eq!(step, 86_400_000);
        assert!(ticks.iter().all(|t| (t + offset) % 86_400_000 == 0));
        assert_eq!(ticks.len(), 7);
    }

    #[test]
    fn degenerate_ranges_do_not_panic() {
        assert_eq!(time_ticks(5, 5, 8, 0).0, vec![5]);
        assert_eq!(time_ticks(5, 4, 0, 0).0, vec![5]);
        let (ticks, _) = time_ticks(0, 100 * 365 * 86_400_000, 3, 0);
        assert!(!ticks.is_empty());
    }
}
