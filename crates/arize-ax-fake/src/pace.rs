//! How fast the fake answers: a token-bucket rate limit and latency with
//! jitter, as a real service behind a gateway.

use std::time::{Duration, Instant};

/// A token bucket: `rate` tokens a second, holding at most `burst`.
#[derive(Debug, Clone)]
pub(crate) struct Bucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl Bucket {
    pub(crate) fn new(rate: f64, burst: u32) -> Self {
        let burst = f64::from(burst.max(1));
        Bucket {
            rate: rate.max(f64::MIN_POSITIVE),
            burst,
            tokens: burst,
            last: Instant::now(),
        }
    }

    /// From `now` on: `rate` tokens a second, holding at most `burst`
    /// (what it holds now stays, up to that).
    pub(crate) fn change(&mut self, rate: f64, burst: u32, now: Instant) {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        self.last = now;
        self.rate = rate.max(f64::MIN_POSITIVE);
        self.burst = f64::from(burst.max(1));
        self.tokens = self.tokens.min(self.burst);
    }

    /// Takes a token at `now`, or says in how many whole seconds (at least
    /// one) to come back.
    pub(crate) fn take(&mut self, now: Instant) -> Result<(), u64> {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - self.tokens) / self.rate;
            Err((wait.ceil() as u64).max(1))
        }
    }
}

/// `base` plus up to `jitter`, spread evenly.
pub(crate) fn with_jitter(base: Duration, jitter: Duration) -> Duration {
    if jitter.is_zero() {
        return base;
    }
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0x7a11);
    let unit = (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64;
    base + jitter.mul_f64(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_allows_its_burst_then_its_rate() {
        let start = Instant::now();
        let mut bucket = Bucket::new(10.0, 3);
        for _ in 0..3 {
            assert_eq!(bucket.take(start), Ok(()));
        }
        assert_eq!(bucket.take(start), Err(1));
        let later = start + Duration::from_millis(100);
        assert_eq!(bucket.take(later), Ok(()), "one token after 100 ms at 10/s");
        assert_eq!(bucket.take(later), Err(1));
        let slow = &mut Bucket::new(0.25, 1);
        assert_eq!(slow.take(start), Ok(()));
        assert_eq!(slow.take(start), Err(4), "Retry-After rounds up");
    }

    #[test]
    fn a_changed_rate_applies_from_then_on() {
        let start = Instant::now();
        let mut bucket = Bucket::new(10.0, 2);
        assert_eq!(bucket.take(start), Ok(()));
        bucket.change(1.0, 1, start);
        assert_eq!(bucket.take(start), Ok(()), "the token it held stays");
        assert_eq!(bucket.take(start), Err(1));
        let later = start + Duration::from_millis(500);
        assert_eq!(bucket.take(later), Err(1), "half a token at 1/s");
        assert_eq!(bucket.take(start + Duration::from_secs(1)), Ok(()));
    }

    #[test]
    fn jitter_stays_in_range() {
        let base = Duration::from_millis(20);
        for _ in 0..100 {
            let d = with_jitter(base, Duration::from_millis(5));
            assert!(d >= base && d <= base + Duration::from_millis(5), "{d:?}");
        }
        assert_eq!(with_jitter(base, Duration::ZERO), base);
    }
}
