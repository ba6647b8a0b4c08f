//! The refresh intervals a dashboard offers (off, 5 s, 10 s, 30 s, 1 m);
//! the URL carries the key (see `DashboardView`).

/// A named refresh interval; `key` is what the URL carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshChoice {
    pub key: &'static str,
    pub label: &'static str,
    /// `None`: load once, then only on navigation.
    pub every_ms: Option<u32>,
}

const CHOICES: [RefreshChoice; 5] = [
    RefreshChoice {
        key: "off",
        label: "Do not refresh",
        every_ms: None,
    },
    RefreshChoice {
        key: "5s",
        label: "Refresh every 5 seconds",
        every_ms: Some(5_000),
    },
    RefreshChoice {
        key: "10s",
        label: "Refresh every 10 seconds",
        every_ms: Some(10_000),
    },
    RefreshChoice {
        key: "30s",
        label: "Refresh every 30 seconds",
        every_ms: Some(30_000),
    },
    RefreshChoice {
        key: "1m",
        label: "Refresh every minute",
        every_ms: Some(60_000),
    },
];

impl RefreshChoice {
    /// What a dashboard does when the URL names no interval.
    pub const DEFAULT: RefreshChoice = CHOICES[1];

    pub fn all() -> &'static [RefreshChoice] {
        &CHOICES
    }

    /// The choice a URL names; `None` for anything unknown.
    pub fn from_key(key: &str) -> Option<RefreshChoice> {
        CHOICES.iter().copied().find(|c| c.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_unknown_ones_are_refused() {
        for c in RefreshChoice::all() {
            assert_eq!(RefreshChoice::from_key(c.key), Some(*c));
        }
        assert_eq!(RefreshChoice::from_key("2s"), None);
        assert_eq!(RefreshChoice::DEFAULT.every_ms, Some(5_000));
        assert_eq!(RefreshChoice::from_key("off").unwrap().every_ms, None);
    }
}
