//! Adaptive pacing for fan-out work (bulk adds and removes): send as fast as
//! the server accepts, not faster, whatever the shape of its limit.
//!
//! Up to the configured cap of requests are in flight, and starts are paced
//! at a **rate** (requests per second). Every answer is reported the moment
//! it arrives (through the transport's attempt hook), and every request of a
//! batch, retries included, is admitted here first.
//!
//! - **Start**: from `START_RATE`, doubling every `DOUBLING` while answers
//!   are clean (the probe finds a fast server's limit in about a second).
//! - **The first 429**: the rate becomes the delivery rate: the answers the
//!   server accepted over the last second (under saturation, the accepted
//!   rate is the limit), a little under it; then it climbs, fast at first
//!   and slowing down, to just under the rate accepted in the last moments
//!   before the 429 (the start's overshoot, minus what the burst paid for).
//! - **Later 429s**: back to a little under the rate accepted since the
//!   last pause, never more than the rate that was just refused; between
//!   them, probe upward by `PROBE` requests per second each second, so a
//!   limit that rises is found again and clients sharing a limit converge to
//!   equal shares (additive increase, multiplicative decrease).
//! - **`Retry-After`** (429 or 503) pauses the whole batch until it has
//!   passed: nothing starts before then; requests in flight go on.
//!
//! The ideas are those of TCP's delivery-rate estimation (BBR) and of
//! CUBIC's concave climb, on the token bucket a rate-limited service keeps.
//! Time is passed in, so tests drive it with a fake clock.

use std::collections::VecDeque;
use std::time::Duration;

/// The pace before anything is known.
const START_RATE: f64 = 20.0;
/// While nothing was refused yet, the pace doubles this often.
const DOUBLING: f64 = 0.25;
/// The slowest pace: one request per second.
const MIN_RATE: f64 = 1.0;
/// The fastest pace (the cap of requests in flight limits it anyway).
const MAX_RATE: f64 = 100_000.0;
/// The share of the measured delivery rate kept after the first 429.
const FIRST_CUT: f64 = 0.9;
/// The share of the rate accepted just before the first 429 climbed to.
const CLIMB_TO: f64 = 0.85;
/// How long the climb after the first 429 takes.
const CLIMB: f64 = 0.75;
/// The share of the delivery rate kept after a later 429.
const LATER_CUT: f64 = 0.85;
/// Requests per second gained per second while probing after a cut: the
/// same for every client sharing a limit, so their shares converge (AIMD).
const PROBE: f64 = 1.0;
/// The delivery rate is measured over this much time.
const MEASURE: f64 = 1.0;
/// "The last moments" before the first 429.
const RECENT: f64 = 0.1;
/// Fewer accepted answers than this in a window measure nothing.
const MIN_SAMPLES: usize = 4;
/// At most one cut per this much time: one burst of 429s counts once.
const CUT_INTERVAL: Duration = Duration::from_millis(300);

/// What an answer says about the pace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// Accepted (whatever the status), without a 429.
    Clean,
    /// A 429 (or a 503), with the server's `Retry-After` if it gave one.
    Throttled(Option<Duration>),
}

#[derive(Debug, Clone)]
pub(crate) struct Limiter {
    cap: usize,
    rate: f64,
    starting: bool,
    next_start: Duration,
    pause_until: Duration,
    last_grow: Duration,
    last_cut: Option<Duration>,
    /// Measurements start no earlier than this (the end of the last pause).
    since: Duration,
    /// The climb after the first 429: from `base` to `target`, from `epoch`.
    base: f64,
    target: f64,
    epoch: Duration,
    /// When accepted answers came (the last `MEASURE` seconds or so).
    clean: VecDeque<Duration>,
    /// An answer was accepted since the last cut: only then does the start
    /// phase keep doubling (refusals alone never raise the pace).
    clean_since_cut: bool,
}

impl Limiter {
    /// A limiter allowing up to `cap` requests in flight (at least 1).
    pub(crate) fn new(cap: usize) -> Self {
        Limiter {
            cap: cap.max(1),
            rate: START_RATE,
            starting: true,
            next_start: Duration::ZERO,
            pause_until: Duration::ZERO,
            last_grow: Duration::ZERO,
            last_cut: None,
            since: Duration::ZERO,
            base: START_RATE,
            target: START_RATE,
            epoch: Duration::ZERO,
            clean: VecDeque::new(),
            clean_since_cut: true,
        }
    }

    /// How many requests may be in flight.
    pub(crate) fn window(&self) -> usize {
        self.cap
    }

    /// The pace in requests per second.
    #[cfg(test)]
    pub(crate) fn rate(&self) -> f64 {
        self.rate
    }

    /// How long to wait at `now` before the next request may start (zero:
    /// start it now), given `in_flight` requests; `None` while the window is
    /// full.
    pub(crate) fn wait(&self, now: Duration, in_flight: usize) -> Option<Duration> {
        if in_flight >= self.window() {
            return None;
        }
        Some(self.next_start.max(self.pause_until).saturating_sub(now))
    }

    /// A request starts at `now`.
    pub(crate) fn started(&mut self, now: Duration) {
        self.grow(now);
        let from = self.next_start.max(now).max(self.pause_until);
        self.next_start = from.saturating_add(Duration::from_secs_f64(1.0 / self.rate));
    }

    fn grow(&mut self, now: Duration) {
        let dt = now.saturating_sub(self.last_grow).as_secs_f64();
        self.last_grow = now;
        if now < self.pause_until {
            return;
        }
        if self.starting {
            if self.clean_since_cut {
                self.rate *= 2f64.powf(dt / DOUBLING);
            }
        } else if self.rate < self.target {
            let x = (now.saturating_sub(self.epoch).as_secs_f64() / CLIMB).min(1.0);
            let climbed = self.base + (self.target - self.base) * (1.0 - (1.0 - x).powi(2));
            self.rate = self.rate.max(climbed);
        } else {
            self.rate += PROBE * dt;
        }
        self.rate = self.rate.clamp(MIN_RATE, MAX_RATE);
    }

    /// Accepted answers per second over the last `window` seconds (not
    /// before the last pause ended), if there were enough to tell.
    fn delivered(&self, now: Duration, window: f64) -> Option<f64> {
        let start = now
            .saturating_sub(Duration::from_secs_f64(window))
            .max(self.since);
        let span = now.saturating_sub(start).as_secs_f64().max(0.05);
        let count = self.clean.iter().filter(|t| **t > start).count();
        (count >= MIN_SAMPLES).then(|| count as f64 / span)
    }

    /// A request finished at `now` with `signal`.
    pub(crate) fn finished(&mut self, now: Duration, signal: Signal) {
        let keep = Duration::from_secs_f64(MEASURE * 2.0);
        while self
            .clean
            .front()
            .is_some_and(|t| now.saturating_sub(*t) > keep)
        {
            self.clean.pop_front();
        }
        let after = match signal {
            Signal::Clean => {
                self.clean.push_back(now);
                self.clean_since_cut = true;
                return;
            }
            Signal::Throttled(after) => after,
        };
        if let Some(after) = after {
            self.pause_until = self.pause_until.max(now.saturating_add(after));
        }
        if self
            .last_cut
            .is_some_and(|t| now.saturating_sub(t) < CUT_INTERVAL)
        {
            return;
        }
        self.last_cut = Some(now);
        self.grow(now);
        self.clean_since_cut = false;
        let sending = self.rate;
        match (self.delivered(now, MEASURE), self.starting) {
            // Too little to measure (a 429 at once, say): half the pace,
            // and still looking for the limit.
            (None, _) => {
                self.base = (sending / 2.0).max(MIN_RATE);
                self.target = self.base;
            }
            (Some(measured), true) => {
                self.starting = false;
                self.base = (FIRST_CUT * measured.min(sending)).max(MIN_RATE);
                let recent = self.delivered(now, RECENT).unwrap_or(measured).min(sending);
                self.target = (CLIMB_TO * recent).max(self.base);
            }
            (Some(measured), false) => {
                self.base = (LATER_CUT * measured.min(sending)).max(MIN_RATE);
                self.target = self.base;
            }
        }
        self.rate = self.base;
        self.epoch = now.max(self.pause_until);
        self.since = self.epoch;
        self.last_grow = self.epoch;
        self.next_start = self.next_start.max(self.pause_until);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    /// A server's limit: a token bucket of `rate` a second holding `burst`,
    /// starting full, answering after 20 ms, a refused request told
    /// `Retry-After` in whole seconds (at least one), as the fake does.
    #[derive(Clone, Copy)]
    struct Server {
        rate: f64,
        burst: f64,
        /// From this time on, this rate.
        change: Option<(Duration, f64)>,
    }

    struct Run {
        elapsed: Duration,
        sent: usize,
        throttled: usize,
        limiter: Limiter,
    }

    /// Drives a limiter (cap 8) through `jobs` one-request jobs against
    /// `server` on a fake clock. A refused job waits its `Retry-After`, then
    /// is admitted by the limiter again (as the transport's retry gate does).
    fn simulate(server: Server, jobs: usize) -> Run {
        let latency = 20 * MS;
        let mut limiter = Limiter::new(8);
        let mut now = Duration::ZERO;
        let (mut tokens, mut refilled) = (server.burst, Duration::ZERO);
        // (answer time, accepted, retry-after)
        let mut in_flight: Vec<(Duration, bool, Duration)> = Vec::new();
        // Jobs waiting to be (re)admitted, with the time they may be.
        let mut ready: Vec<Duration> = vec![Duration::ZERO; jobs];
        let (mut done, mut sent, mut throttled) = (0, 0, 0);
        while done < jobs {
            assert!(now < Duration::from_secs(600), "the run never ends");
            while let Some(i) = ready.iter().position(|t| *t <= now) {
                if limiter.wait(now, in_flight.len()) != Some(Duration::ZERO) {
                    break;
                }
                ready.swap_remove(i);
                let rate = match server.change {
                    Some((at, rate)) if now >= at => rate,
                    _ => server.rate,
                };
                tokens = (tokens + (now - refilled).as_secs_f64() * rate).min(server.burst);
                refilled = now;
                let ok = tokens >= 1.0;
                let after = if ok {
                    tokens -= 1.0;
                    Duration::ZERO
                } else {
                    throttled += 1;
                    Duration::from_secs(((1.0 - tokens) / rate).ceil().max(1.0) as u64)
                };
                sent += 1;
                limiter.started(now);
                in_flight.push((now + latency, ok, after));
            }
            assert!(in_flight.len() <= 8, "never more than the cap in flight");
            let next_answer = in_flight.iter().map(|(t, ..)| *t).min();
            let next_ready = ready.iter().copied().filter(|t| *t > now).min();
            let next_start = (!ready.is_empty())
                .then(|| limiter.wait(now, in_flight.len()).map(|d| now + d))
                .flatten();
            now = [next_answer, next_ready, next_start]
                .into_iter()
                .flatten()
                .min()
                .expect("something is pending")
                .max(now + MS / 10);
            let (due, rest): (Vec<_>, Vec<_>) =
                in_flight.into_iter().partition(|(t, ..)| *t <= now);
            in_flight = rest;
            for (_, ok, after) in due {
                if ok {
                    done += 1;
                    limiter.finished(now, Signal::Clean);
                } else {
                    limiter.finished(now, Signal::Throttled(Some(after)));
                    ready.push(now + after);
                }
            }
        }
        Run {
            elapsed: now,
            sent,
            throttled,
            limiter,
        }
    }

    /// Checks a run against a floor (in seconds), printing it.
    fn check(name: &str, server: Server, jobs: usize, floor: f64, slack: f64, max_429: f64) {
        let run = simulate(server, jobs);
        let t = run.elapsed.as_secs_f64();
        let share = run.throttled as f64 / run.sent as f64;
        println!(
            "{name}: {t:.2} s for a floor of {floor:.2} s ({:.2}×), {:.1} % 429, final rate {:.1}",
            t / floor,
            100.0 * share,
            run.limiter.rate()
        );
        assert!(
            t <= slack * floor + 1.0,
            "{name}: {t:.2} s, floor {floor:.2} s"
        );
        assert!(
            share <= max_429,
            "{name}: {:.1} % answered 429",
            100.0 * share
        );
    }

    fn server(rate: f64, burst: f64) -> Server {
        Server {
            rate,
            burst,
            change: None,
        }
    }

    /// Each shape of the table (and a limit that rises): every job
    /// done, few 429s, and a time within the bound this controller reaches
    /// in this deterministic simulation (the bounds record it, so a change
    /// that makes a shape slower fails here; BENCHMARKS.md table 7 has the
    /// same shapes against the fake, and the targets).
    #[test]
    fn every_shape_of_limit_is_followed() {
        check("40/s burst 10", server(40.0, 10.0), 300, 7.5, 1.35, 0.03);
        check("40/s burst 1", server(40.0, 1.0), 200, 5.0, 1.5, 0.03);
        check("10/s burst 10", server(10.0, 10.0), 100, 10.0, 1.0, 0.08);
        check("200/s burst 50", server(200.0, 50.0), 1000, 5.0, 1.4, 0.03);
        check("40/s burst 40", server(40.0, 40.0), 1000, 25.0, 1.0, 0.03);
        let drop = Server {
            rate: 40.0,
            burst: 10.0,
            change: Some((Duration::from_secs(3), 10.0)),
        };
        check("40/s then 10/s", drop, 300, 21.0, 1.3, 0.06);
        let rise = Server {
            rate: 10.0,
            burst: 10.0,
            change: Some((Duration::from_secs(5), 40.0)),
        };
        check("10/s then 40/s", rise, 400, 5.0 + 350.0 / 40.0, 1.3, 0.03);
        let run = simulate(rise, 400);
        assert!(
            run.limiter.rate() > 30.0,
            "the rise was found: {}",
            run.limiter.rate()
        );
    }

    #[test]
    fn a_retry_after_pauses_every_start_and_in_flight_answers_count_once() {
        let mut limiter = Limiter::new(8);
        let at = |ms: u64| Duration::from_millis(ms);
        for i in 0..20 {
            limiter.started(at(i * 10));
            limiter.finished(at(i * 10 + 20), Signal::Clean);
        }
        limiter.finished(at(230), Signal::Throttled(Some(Duration::from_secs(2))));
        let cut = limiter.rate();
        assert_eq!(limiter.wait(at(240), 0), Some(at(2230) - at(240)), "paused");
        assert_eq!(limiter.wait(at(2230), 0), Some(Duration::ZERO));
        // The other answers of the same burst do not cut again.
        limiter.finished(at(250), Signal::Throttled(Some(Duration::from_secs(1))));
        assert_eq!(limiter.rate(), cut);
        assert_eq!(
            limiter.wait(at(240), 0),
            Some(at(2230) - at(240)),
            "the longer pause"
        );
        assert_eq!(
            limiter.wait(at(2230), limiter.window()),
            None,
            "window full"
        );
    }

    #[test]
    fn a_429_before_anything_was_measured_halves_the_pace() {
        let mut limiter = Limiter::new(8);
        limiter.started(Duration::ZERO);
        limiter.finished(20 * MS, Signal::Throttled(Some(Duration::from_secs(1))));
        assert!(
            (limiter.rate() - START_RATE / 2.0).abs() < 1.0,
            "{}",
            limiter.rate()
        );
        assert_eq!(Limiter::new(0).window(), 1);
        // Nothing but refusals: the pace only falls (a server that is down
        // is not hammered), never below one a second.
        let mut last = limiter.rate();
        for i in 0..50 {
            let now = Duration::from_secs(2 + i);
            limiter.started(now);
            limiter.finished(now, Signal::Throttled(None));
            assert!(
                limiter.rate() <= last + PROBE + 1e-9,
                "{} after {last}",
                limiter.rate()
            );
            last = limiter.rate();
        }
        assert!(limiter.rate() <= 3.0, "{}", limiter.rate());
        assert!(limiter.rate() >= MIN_RATE);
        // A Retry-After of any size does not overflow.
        limiter.finished(
            Duration::from_secs(60),
            Signal::Throttled(Some(Duration::MAX)),
        );
        limiter.started(Duration::from_secs(61));
        assert!(limiter.wait(Duration::from_secs(61), 0).is_some());
    }
}
