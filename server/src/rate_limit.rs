//! Per-token ingest limits: each write token may store up to `rate`
//! points a second, with bursts of one second's worth (GCRA, `governor`).
//! A write over the limit is refused with 429 and `Retry-After` before
//! anything is stored.

use crate::error::ApiError;
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
    fn a_batch_larger_than_a_second_is_a_bad_request_and_zero_means_no_limit() {
        let limits = IngestLimiter::new(100);
        assert!(matches!(limits.take(1, 101), Err(ApiError::BadRequest { .. })));
        let none = IngestLimiter::new(0);
        none.take(1, 10_000_000).unwrap();
        none.take(1, 10_000_000).unwrap();
    }
}
