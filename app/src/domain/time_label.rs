//! Labels for the time axis: as short as the tick spacing allows.

/// A broken-down wall-clock time. The browser fills it in the user's time
/// zone; native code (tests, server rendering) uses [`DateParts::from_utc_ms`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateParts {
    pub year: i32,
    /// 1..=12
    pub month: u8,
    /// 1..=31
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl DateParts {
    /// The UTC calendar date and time of `ms` (proleptic Gregorian).
    pub fn from_utc_ms(ms: i64) -> DateParts {
        let secs = ms.div_euclid(1000);
        let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        DateParts {
            year,
            month,
            day,
            hour: (rem / 3600) as u8,
            minute: (rem % 3600 / 60) as u8,
            second: (rem % 60) as u8,
        }
    }
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

/// A full local time for a tooltip or a zoomed range: `2026-11-23 10:00:05`.
pub fn format_instant(p: DateParts) -> String {
    spell(p, ' ')
}

/// The value of an `<input type="datetime-local" step="1">`:
/// `2026-11-23T10:00:05`.
pub fn format_datetime_local(p: DateParts) -> String {
    spell(p, 'T')
}

fn spell(p: DateParts, between: char) -> String {
    format!(
        "{:04}-{:02}-{:02}{between}{:02}:{:02}:{:02}",
        p.year, p.month, p.day, p.hour, p.minute, p.second
    )
}

/// A tick label for a tick spacing of `step_ms`: seconds only when ticks
/// are under a minute apart, the date instead of `00:00` at midnight when
/// ticks are hours apart or more, and only the date for daily ticks.
pub fn format_time_label(p: DateParts, step_ms: i64) -> String {
    let date = || format!("{} {}", MONTHS[usize::from(p.month.clamp(1, 12)) - 1], p.day);
    let midnight = p.hour == 0 && p.minute == 0;
    if step_ms >= 86_400_000 || (step_ms >= 3_600_000 && midnight) {
        date()
    } else if step_ms < 60_000 {
        format!("{:02}:{:02}:{:02}", p.hour, p.minute, p.second)
    } else {
        format!("{:02}:{:02}", p.hour, p.minute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_spelled_in_full() {
        let p = DateParts::from_utc_ms(1_795_428_005_000);
        assert_eq!(format_instant(p), "2026-11-23 10:00:05");
        assert_eq!(format_datetime_local(p), "2026-11-23T10:00:05");
    }

    #[test]
    fn utc_breakdown() {
        let p = DateParts::from_utc_ms(1_795_428_000_000 + 61_500);
        assert_eq!(
            p,
            DateParts {
                year: 2026,
                month: 11,
                day: 23,
                hour: 10,
                minute: 1,
                second: 1
            }
        );
        assert_eq!(DateParts::from_utc_ms(0).year, 1970);
        assert_eq!(
            DateParts::from_utc_ms(951_782_400_000),
            DateParts {
                year: 2000,
                month: 2,
                day: 29,
                hour: 0,
                minute: 0,
                second: 0
            }
        );
    }

    #[test]
    fn label_detail_follows_step() {
        let p = DateParts {
            year: 2026,
            month: 11,
            day: 23,
            hour: 10,
            minute: 5,
            second: 30,
        };
        assert_eq!(format_time_label(p, 15_000), "10:05:30");
        assert_eq!(format_time_label(p, 300_000), "10:05");
        assert_eq!(format_time_label(p, 86_400_000), "Nov 23");
        let midnight = DateParts {
            hour: 0,
            minute: 0,
            second: 0,
            ..p
        };
        assert_eq!(format_time_label(midnight, 3_600_000), "Nov 23");
        assert_eq!(format_time_label(midnight, 600_000), "00:00");
    }
}
