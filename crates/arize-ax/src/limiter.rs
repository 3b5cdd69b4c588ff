//! Adaptive pacing for fan-out work (bulk adds and removes): send as fast as
//! the server accepts, not faster.
//!
//! Up to the configured cap of requests are in flight; the pace is a
//! **rate** (requests per second), off until the first 429. Each answer is
//! reported the moment it arrives (through the transport's attempt hook, so
//! before any `Retry-After` wait). On a 429 the rate becomes `BETA` times the
//! rate the server was just accepting (clean answers in the last second), at
//! most once per `CUT_INTERVAL` so one burst of 429s counts once; every clean
//! answer then adds `RATE_STEP / rate`, about `RATE_STEP` requests per second
//! per second, probing upward until the next 429.
//!
//! It is the idea of TCP's AIMD applied to the token bucket a rate-limited
//! service keeps: the request that got the 429 waits its `Retry-After` (in
//! the transport, by the client's retry policy), the others carry on at the
//! lower rate. Time is passed in, so tests drive it with a fake clock.

use std::collections::VecDeque;
use std::time::Duration;

/// The share of the measured rate kept after a 429.
const BETA: f64 = 0.85;
/// Requests per second gained per second of clean answers.
const RATE_STEP: f64 = 2.0;
/// The slowest pace: one request per second.
const MIN_RATE: f64 = 1.0;
/// Clean answers are counted over this much time to measure the rate.
const MEASURE: Duration = Duration::from_secs(1);
/// At most one decrease per this much time.
const CUT_INTERVAL: Duration = Duration::from_millis(500);

/// What an answer says about the pace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// Accepted (whatever the status), without a 429.
    Clean,
    /// At least one 429 came back.
    Throttled,
}

#[derive(Debug, Clone)]
pub(crate) struct Limiter {
    cap: usize,
    rate: Option<f64>,
    next_start: Duration,
    last_cut: Option<Duration>,
    clean: VecDeque<Duration>,
}

impl Limiter {
    /// A limiter allowing up to `cap` requests in flight (at least 1).
    pub(crate) fn new(cap: usize) -> Self {
        let cap = cap.max(1);
        Limiter {
            cap,
            rate: None,
            next_start: Duration::ZERO,
            last_cut: None,
            clean: VecDeque::new(),
        }
    }

    /// How many requests may be in flight.
    pub(crate) fn window(&self) -> usize {
        self.cap
    }

    /// The pace in requests per second, once a 429 has set one.
    #[cfg(test)]
    pub(crate) fn rate(&self) -> Option<f64> {
        self.rate
    }

    /// How long to wait at `now` before the next request may start (zero:
    /// start it now), given `in_flight` requests.
    pub(crate) fn wait(&self, now: Duration, in_flight: usize) -> Option<Duration> {
        if in_flight >= self.window() {
            return None;
        }
        Some(self.next_start.saturating_sub(now))
    }

    /// A request starts at `now`.
    pub(crate) fn started(&mut self, now: Duration) {
        if let Some(rate) = self.rate {
            self.next_start = self.next_start.max(now) + Duration::from_secs_f64(1.0 / rate);
        }
    }

    /// A request finished at `now` with `signal`.
    pub(crate) fn finished(&mut self, now: Duration, signal: Signal) {
        while self
            .clean
            .front()
            .is_some_and(|t| now.saturating_sub(*t) > MEASURE)
        {
            self.clean.pop_front();
        }
        match signal {
            Signal::Clean => {
                self.clean.push_back(now);
                if let Some(rate) = self.rate {
                    self.rate = Some(rate + RATE_STEP / rate);
                }
            }
            Signal::Throttled => {
                if self
                    .last_cut
                    .is_some_and(|t| now.saturating_sub(t) < CUT_INTERVAL)
                {
                    return;
                }
                self.last_cut = Some(now);
                let measured = self.clean.len() as f64 / MEASURE.as_secs_f64();
                let accepted = match self.rate {
                    Some(rate) => rate.min(measured.max(MIN_RATE)),
                    None => measured,
                };
                self.rate = Some((accepted * BETA).max(MIN_RATE));
                self.next_start = self.next_start.max(now);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    /// Drives a limiter against a server that accepts `capacity` requests per
    /// second (a token bucket holding one second's worth) and answers after
    /// `latency`, on a fake clock; returns (elapsed, requests, 429s).
    fn simulate(
        cap: usize,
        capacity: f64,
        latency: Duration,
        jobs: usize,
    ) -> (Duration, usize, usize, Limiter) {
        let mut limiter = Limiter::new(cap);
        let mut now = Duration::ZERO;
        let mut tokens = capacity;
        let mut last_refill = Duration::ZERO;
        let mut in_flight: Vec<(Duration, bool)> = Vec::new();
        let (mut done, mut sent, mut throttled) = (0, 0, 0);
        let mut max_in_flight = 0;
        while done < jobs {
            // Start what the limiter allows.
            while in_flight.len() < jobs - done
                && limiter.wait(now, in_flight.len()) == Some(Duration::ZERO)
            {
                tokens = (tokens + (now - last_refill).as_secs_f64() * capacity).min(capacity);
                last_refill = now;
                let ok = tokens >= 1.0;
                if ok {
                    tokens -= 1.0;
                } else {
                    throttled += 1;
                }
                sent += 1;
                limiter.started(now);
                in_flight.push((now + latency, ok));
                max_in_flight = max_in_flight.max(in_flight.len());
            }
            assert!(max_in_flight <= cap, "never more than the cap in flight");
            // Advance to the next event: an answer, or the pace allowing a start.
            let next_answer = in_flight.iter().map(|(t, _)| *t).min();
            let next_start = limiter.wait(now, in_flight.len()).map(|d| now + d);
            now = [next_answer, next_start]
                .into_iter()
                .flatten()
                .min()
                .unwrap()
                .max(now + MS / 10);
            let (due, rest): (Vec<_>, Vec<_>) = in_flight.into_iter().partition(|(t, _)| *t <= now);
            in_flight = rest;
            for (_, ok) in due {
                if ok {
                    done += 1;
                    limiter.finished(now, Signal::Clean);
                } else {
                    // The rejected job is tried again at once (its wait is
                    // the transport's business).
                    limiter.finished(now, Signal::Throttled);
                }
            }
        }
        (now, sent, throttled, limiter)
    }

    #[test]
    fn backs_off_on_429_then_probes_upward() {
        let mut limiter = Limiter::new(16);
        let t = |ms: u64| Duration::from_millis(ms);
        for i in 0..40 {
            limiter.finished(t(10 + i), Signal::Clean);
        }
        assert_eq!(limiter.window(), 16, "the cap, always");
        assert_eq!(limiter.rate(), None, "no pace before a 429");
        limiter.finished(t(100), Signal::Throttled);
        let rate = limiter.rate().unwrap();
        assert!((rate - 40.0 * BETA).abs() < 1e-9, "{rate}");
        // A burst of 429s right after counts once.
        limiter.finished(t(120), Signal::Throttled);
        assert_eq!(limiter.rate(), Some(rate));
        // Clean answers raise the pace again, about RATE_STEP per second.
        for i in 0..34 {
            limiter.finished(t(200 + i * 30), Signal::Clean);
        }
        let recovered = limiter.rate().unwrap();
        assert!(
            recovered > rate + 1.5 && recovered < rate + 2.5,
            "{rate} → {recovered}"
        );
        // A later 429 cuts again.
        limiter.finished(t(2000), Signal::Throttled);
        assert!(limiter.rate().unwrap() < recovered);
    }

    #[test]
    fn paces_starts_at_the_rate() {
        let mut limiter = Limiter::new(4);
        for i in 0..10 {
            limiter.finished(Duration::from_millis(i), Signal::Clean);
        }
        limiter.finished(Duration::from_millis(10), Signal::Throttled);
        let rate = limiter.rate().unwrap();
        let now = Duration::from_millis(10);
        assert_eq!(limiter.wait(now, 0), Some(Duration::ZERO));
        limiter.started(now);
        let wait = limiter.wait(now, 1).unwrap();
        let expected = Duration::from_secs_f64(1.0 / rate);
        assert!(
            wait.abs_diff(expected) < Duration::from_micros(1),
            "{wait:?}"
        );
        assert_eq!(limiter.wait(now, limiter.window()), None, "window full");
    }

    #[test]
    fn never_below_one_request_a_second_nor_an_empty_window() {
        let mut limiter = Limiter::new(3);
        for i in 0..20 {
            limiter.finished(Duration::from_secs(i), Signal::Throttled);
        }
        assert_eq!(limiter.rate(), Some(MIN_RATE));
        assert_eq!(Limiter::new(0).window(), 1);
    }

    #[test]
    fn settles_near_the_servers_capacity() {
        let (elapsed, sent, throttled, limiter) = simulate(16, 40.0, 20 * MS, 1000);
        let ideal = 1000.0 / 40.0;
        let ratio = elapsed.as_secs_f64() / ideal;
        assert!(ratio < 1.2, "took {elapsed:?}, {ratio:.2}× the ideal");
        assert!(
            (throttled as f64) < 0.05 * sent as f64,
            "{throttled} of {sent} requests throttled"
        );
        let rate = limiter.rate().unwrap();
        assert!((25.0..50.0).contains(&rate), "{rate}");
    }
}
