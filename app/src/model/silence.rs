//! Silences: alert instances whose labels match stop sending
//! notifications between a start and an end (every silence expires), or,
//! for a recurring one, during a daily window (nightly maintenance)
//! until its end. A silenced instance still changes state and history.

use super::ErrorBody;
use crate::domain::{Selector, TimeSpec};
use serde::{Deserialize, Serialize};

/// Longest comment and author, in characters.
pub const MAX_SILENCE_TEXT: usize = 500;
/// The longest a silence may last.
pub const MAX_SILENCE_MS: i64 = 5 * 365 * 86_400_000;
const DAY_MS: i64 = 86_400_000;

/// A silence as a client sends it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SilenceDraft {
    /// Label matchers as in a selector's braces:
    /// `{site="north", alertname=~"boiler.*"}`.
    pub matchers: String,
    /// When it starts (now when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts: Option<TimeSpec>,
    /// When it ends: epoch ms, RFC 3339, or relative (`now+2h`).
    pub ends: TimeSpec,
    pub created_by: String,
    pub comment: String,
    /// For a recurring silence: the daily window it mutes in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily: Option<DailyWindow>,
}

/// A window of each day, in UTC (`from` after `to` wraps past midnight),
/// on the given weekdays (every day when none).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyWindow {
    /// `HH:MM`.
    pub from: String,
    /// `HH:MM`.
    pub to: String,
    /// `mon` … `sun`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub days: Vec<String>,
}

/// A stored silence, its times resolved.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Silence {
    pub id: i64,
    pub matchers: String,
    pub starts: i64,
    pub ends: i64,
    pub created_by: String,
    pub comment: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily: Option<DailyWindow>,
    pub updated: i64,
}

/// A draft checked, its times resolved: what the store keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedSilence {
    pub matchers: String,
    pub starts: i64,
    pub ends: i64,
    pub created_by: String,
    pub comment: String,
    pub daily: Option<DailyWindow>,
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl SilenceDraft {
    /// The silence with its times resolved at `now`, or the first thing
    /// wrong with it.
    pub fn checked(self, now: i64) -> Result<CheckedSilence, ErrorBody> {
        Selector::parse(&self.matchers).map_err(|e| invalid(format!("matchers: {e}")))?;
        let resolve = |name: &str, t: TimeSpec| t.resolve_checked(now).map_err(|e| invalid(format!("{name}: {e}")));
        let starts = match self.starts {
            Some(t) => resolve("starts", t)?,
            None => now,
        };
        let ends = resolve("ends", self.ends)?;
        if ends <= starts {
            return Err(invalid("a silence must end after it starts".into()));
        }
        if ends - starts > MAX_SILENCE_MS {
            return Err(invalid("a silence lasts at most five years".into()));
        }
        for (name, text) in [("created_by", &self.created_by), ("comment", &self.comment)] {
            if text.trim().is_empty() || text.chars().count() > MAX_SILENCE_TEXT {
                return Err(invalid(format!(
                    "{name}: say who and why, in 1 to {MAX_SILENCE_TEXT} characters"
                )));
            }
        }
        if let Some(d) = &self.daily {
            d.minutes().map_err(invalid)?;
        }
        Ok(CheckedSilence {
            matchers: self.matchers.trim().to_owned(),
            starts,
            ends,
            created_by: self.created_by.trim().to_owned(),
            comment: self.comment.trim().to_owned(),
            daily: self.daily,
        })
    }
}

impl DailyWindow {
    /// `from` and `to` in minutes of the day, and the weekdays (0 = Monday).
    pub fn minutes(&self) -> Result<(i64, i64, Vec<i64>), String> {
        let hm = |name: &str, text: &str| {
            let parsed = text
                .split_once(':')
                .and_then(|(h, m)| Some((h.parse::<i64>().ok()?, m.parse::<i64>().ok()?)))
                .filter(|&(h, m)| (0..24).contains(&h) && (0..60).contains(&m));
            parsed
                .map(|(h, m)| h * 60 + m)
                .ok_or_else(|| format!("daily.{name}: `{text}` is not a time like 02:30"))
        };
        let (from, to) = (hm("from", &self.from)?, hm("to", &self.to)?);
        if from == to {
            return Err("daily: the window must not be empty".into());
        }
        let days = self
            .days
            .iter()
            .map(|d| {
                WEEKDAYS
                    .iter()
                    .position(|w| w.eq_ignore_ascii_case(d))
                    .map(|i| i as i64)
                    .ok_or_else(|| format!("daily.days: `{d}` is none of {}", WEEKDAYS.join(", ")))
            })
            .collect::<Result<_, _>>()?;
        Ok((from, to, days))
    }

    /// Whether instant `t` (epoch ms) lies in the window. A window that
    /// wraps past midnight belongs to the day it starts on.
    pub fn contains(&self, t: i64) -> bool {
        let Ok((from, to, days)) = self.minutes() else {
            return false;
        };
        let day = t.div_euclid(DAY_MS);
        let minute = t.rem_euclid(DAY_MS) / 60_000;
        // 1970-01-01 was a Thursday (3 with Monday as 0).
        let weekday = |day: i64| (day + 3).rem_euclid(7);
        let on = |day: i64| days.is_empty() || days.contains(&weekday(day));
        if from < to {
            (from..to).contains(&minute) && on(day)
        } else {
            (minute >= from && on(day)) || (minute < to && on(day - 1))
        }
    }
}

impl Silence {
    /// Whether it mutes at instant `t`.
    pub fn is_active(&self, t: i64) -> bool {
        self.starts <= t && t < self.ends && self.daily.as_ref().is_none_or(|d| d.contains(t))
    }
}

fn invalid(message: String) -> ErrorBody {
    ErrorBody::new("invalid_silence", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(from: &str, to: &str, days: &[&str]) -> DailyWindow {
        DailyWindow {
            from: from.into(),
            to: to.into(),
            days: days.iter().map(|d| d.to_string()).collect(),
        }
    }

    const MONDAY: i64 = 4 * DAY_MS; // 1970-01-05
    const MIN: i64 = 60_000;

    #[test]
    fn a_daily_window_mutes_its_minutes_on_its_days() {
        let w = window("02:00", "04:30", &[]);
        assert!(!w.contains(MONDAY + 119 * MIN));
        assert!(w.contains(MONDAY + 120 * MIN));
        assert!(w.contains(MONDAY + 269 * MIN));
        assert!(!w.contains(MONDAY + 270 * MIN));
        let weekdays = window("02:00", "04:00", &["mon", "TUE"]);
        assert!(weekdays.contains(MONDAY + DAY_MS + 150 * MIN));
        assert!(!weekdays.contains(MONDAY + 2 * DAY_MS + 150 * MIN));
    }

    #[test]
    fn a_window_past_midnight_belongs_to_the_day_it_starts() {
        let w = window("22:00", "02:00", &["fri"]);
        let friday = MONDAY + 4 * DAY_MS;
        assert!(w.contains(friday + 23 * 60 * MIN));
        assert!(w.contains(friday + DAY_MS + 60 * MIN));
        assert!(!w.contains(friday + 60 * MIN));
        assert!(!w.contains(friday + DAY_MS + 23 * 60 * MIN));
    }

    #[test]
    fn drafts_are_checked() {
        let draft = |matchers: &str, ends: i64| SilenceDraft {
            matchers: matchers.into(),
            starts: None,
            ends: TimeSpec::At(ends),
            created_by: "ana".into(),
            comment: "boiler service".into(),
            daily: None,
        };
        let ok = draft(r#"{site="n"}"#, 2_000).checked(1_000).unwrap();
        assert_eq!((ok.starts, ok.ends), (1_000, 2_000));
        assert_eq!(
            draft(r#"{site="n"}"#, 500).checked(1_000).unwrap_err().error,
            "invalid_silence"
        );
        assert!(draft("{site=", 2_000).checked(1_000).is_err());
        let mut anonymous = draft(r#"{site="n"}"#, 2_000);
        anonymous.created_by = " ".into();
        assert!(anonymous.checked(1_000).unwrap_err().message.contains("created_by"));
        let mut nightly = draft(r#"{site="n"}"#, 2_000);
        nightly.daily = Some(window("2:00", "25:00", &[]));
        assert!(nightly.checked(1_000).unwrap_err().message.contains("25:00"));
    }

    #[test]
    fn a_silence_is_active_within_its_time_and_window() {
        let s = Silence {
            id: 1,
            matchers: r#"{site="n"}"#.into(),
            starts: MONDAY,
            ends: MONDAY + 7 * DAY_MS,
            created_by: "ana".into(),
            comment: "nightly backup".into(),
            daily: Some(window("01:00", "02:00", &[])),
            updated: 0,
        };
        assert!(s.is_active(MONDAY + 3 * DAY_MS + 90 * MIN));
        assert!(!s.is_active(MONDAY + 3 * DAY_MS + 150 * MIN));
        assert!(!s.is_active(MONDAY + 8 * DAY_MS + 90 * MIN));
    }
}
