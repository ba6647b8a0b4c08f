//! Per-token ingest limits: each write token may store up to `rate`
//! points a second, with bursts of one second's worth (GCRA, `governor`),
//! and create up to so many series a minute. A write over either is
//! refused with 429 and `Retry-After`, and nothing of it is stored.

use crate::error::ApiError;
use crate::store::{Allowance, NewSeriesRule, SeriesRefusal};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Arc;

/// A cheap `Clone` handle; the limiter inside is lock-free and shared.
/// It holds one small state per token that has written, so its memory
/// follows the number of tokens.
#[derive(Clone)]
pub struct IngestLimiter {
    /// `None`: no limit configured.
    limiter: Option<Arc<DefaultKeyedRateLimiter<i64>>>,
    burst: u32,
}

impl IngestLimiter {
    /// At most `points_per_second` per token; 0 turns limits off.
    pub fn new(points_per_second: u32) -> Self {
        let Some(rate) = NonZeroU32::new(points_per_second) else {
            return IngestLimiter {
                limiter: None,
                burst: 0,
            };
        };
        IngestLimiter {
            limiter: Some(Arc::new(RateLimiter::keyed(Quota::per_second(rate)))),
            burst: rate.get(),
        }
    }

    /// Takes `points` from `token`'s allowance, or says when to retry.
    pub fn take(&self, token: i64, points: usize) -> Result<(), ApiError> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        let Some(n) = u32::try_from(points).ok().and_then(NonZeroU32::new) else {
            return Ok(());
        };
        match limiter.check_key_n(&token, n) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(not_until)) => {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                Err(ApiError::RateLimited {
                    message: format!(
                        "this token may write {} points a second; retry in {} ms",
                        self.burst,
                        wait.as_millis().max(1)
                    ),
                    retry_after_s: wait.as_secs_f64().ceil().max(1.0) as u64,
                })
            }
            Err(_) => Err(ApiError::bad_request(
                "batch_over_rate_limit",
                format!(
                    "a batch of {points} points is more than this token may write in a second ({}); send smaller batches",
                    self.burst
                ),
            )),
        }
    }
}

/// What a write may create: new series per batch, series in the store,
/// and new series per token and minute (bursts of a minute's worth).
#[derive(Clone)]
pub struct SeriesCaps {
    most_per_batch: usize,
    most_in_store: usize,
    /// `None`: no limit per minute.
    limiter: Option<Arc<DefaultKeyedRateLimiter<i64>>>,
    per_minute: u32,
}

impl SeriesCaps {
    /// The caps; 0 turns any of them off.
    pub fn new(most_per_batch: usize, most_in_store: usize, per_minute: u32) -> Self {
        let none_if_zero = |n: usize| if n == 0 { usize::MAX } else { n };
        SeriesCaps {
            most_per_batch: none_if_zero(most_per_batch),
            most_in_store: none_if_zero(most_in_store),
            limiter: NonZeroU32::new(per_minute).map(|n| Arc::new(RateLimiter::keyed(Quota::per_minute(n)))),
            per_minute,
        }
    }

    /// The rule the store checks a write of `token` against.
    pub fn rule_for(&self, token: i64) -> NewSeriesRule {
        let allowance = self.limiter.clone().map(|limiter| {
            let per_minute = self.per_minute;
            Box::new(move |new: usize| take_series(&limiter, token, new, per_minute)) as Allowance
        });
        NewSeriesRule {
            most_per_batch: self.most_per_batch,
            most_in_store: self.most_in_store,
            allowance,
        }
    }
}

fn take_series(
    limiter: &DefaultKeyedRateLimiter<i64>,
    token: i64,
    new: usize,
    per_minute: u32,
) -> Result<(), SeriesRefusal> {
    let Some(n) = u32::try_from(new).ok().and_then(NonZeroU32::new) else {
        return Ok(());
    };
    let retry_after_s = match limiter.check_key_n(&token, n) {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(not_until)) => not_until
            .wait_time_from(DefaultClock::default().now())
            .as_secs_f64()
            .ceil()
            .max(1.0) as u64,
        // More than a minute's worth at once can never pass: send it in parts.
        Err(_) => 60,
    };
    Err(SeriesRefusal::TooFast {
        new,
        per_minute,
        retry_after_s,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_over_its_rate_waits_and_others_do_not() {
        let limits = IngestLimiter::new(10_000);
        limits.take(1, 6_000).unwrap();
        let err = limits.take(1, 6_000).unwrap_err();
        match err {
            ApiError::RateLimited {
                retry_after_s,
                ref message,
            } => {
                assert!(retry_after_s >= 1, "{retry_after_s}");
                assert!(message.contains("10000 points a second"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        limits.take(2, 6_000).expect("another token has its own allowance");
    }

    #[test]
    fn new_series_per_minute_are_counted_per_token() {
        let caps = SeriesCaps::new(0, 0, 100);
        let admit = |token: i64, new: usize| (caps.rule_for(token).allowance.expect("a limit"))(new);
        admit(1, 60).unwrap();
        match admit(1, 60) {
            Err(SeriesRefusal::TooFast {
                new: 60,
                per_minute: 100,
                retry_after_s,
            }) => assert!((1..=60).contains(&retry_after_s), "{retry_after_s}"),
            other => panic!("{other:?}"),
        }
        admit(2, 100).expect("another token has its own allowance");
        assert!(matches!(
            admit(3, 101),
            Err(SeriesRefusal::TooFast { retry_after_s: 60, .. })
        ));
        let off = SeriesCaps::new(0, 0, 0).rule_for(1);
        assert!(off.allowance.is_none());
        assert_eq!((off.most_per_batch, off.most_in_store), (usize::MAX, usize::MAX));
    }

    #[test]
    fn a_batch_larger_than_a_second_is_a_bad_request_and_zero_means_no_limit() {
        let limits = IngestLimiter::new(100);
        assert!(matches!(limits.take(1, 101), Err(ApiError::BadRequest { .. })));
        let none = IngestLimiter::new(0);
        none.take(1, 10_000_000).unwrap();
        none.take(1, 10_000_000).unwrap();
    }
}
