//! Adaptive pacing for fan-out work (bulk calls): send as fast as the
//! server accepts, not faster, whatever the shape of its limit.
//!
//! Up to the configured cap of requests are in flight, and starts are paced
//! at a **rate** (requests per second). Every answer is reported with the
//! time its request was sent, and every request of a batch, retries
//! included, is admitted here first.
//!
//! - **Start**: from `START_RATE`, doubling every `DOUBLING` while answers
//!   are clean (a fast server's limit is found in about a second).
//! - **A 429 ends a probe.** The record of what was sent and what was
//!   accepted is fitted to the token bucket a rate-limited service keeps:
//!   the rates and bursts that would have answered exactly so. The pace
//!   becomes just under that rate (while the range that fits is wide: the
//!   middle of the start ramp's last step below its top, else a tenth under
//!   its top), and after a pause the burst the bucket refilled is sent at
//!   once. A record no bucket explains (the limit changed, or another client
//!   shares it) starts afresh from this 429, at a little under the rate
//!   delivered since the last pause.
//! - **Probing**: the pace is held, then climbs, slowly and then faster (the
//!   shape of CUBIC's probe), until the next 429. It is held longer when a
//!   429 costs more: a pause the refilled burst does not pay back.
//! - **`Retry-After`**: the refused request always waits it out before it
//!   is sent again (the transport does, then asks here to start it). Whether
//!   the rest of the batch waits too depends on whether the fitted bucket
//!   explains it ([`Limiter::explains`]):
//!   - a 429 whose `Retry-After` is at most the fitted time for one token
//!     (allowing for the fit's width), rounded up to the next whole second,
//!     plus half a second, holds **only the refused request**: a server
//!     that speaks whole seconds asks for a second even when the next token
//!     is 25 ms away, and the batch keeps its fitted pace meanwhile;
//!   - any other `Retry-After` (no narrow fit yet, a wait well beyond the
//!     fitted token interval, or a 503, an overloaded server rather than a
//!     bucket) pauses the whole batch until it has passed: nothing starts
//!     before then; requests in flight go on.
//!
//! Time is passed in, so tests drive it with a fake clock.

use std::time::Duration;

/// The pace before anything is known.
const START_RATE: f64 = 20.0;
/// While nothing was refused yet, the pace doubles this often.
const DOUBLING: f64 = 0.15;
/// The slowest pace: one request per second.
const MIN_RATE: f64 = 1.0;
/// The fastest pace (the cap of requests in flight limits it anyway).
const MAX_RATE: f64 = 100_000.0;
/// The share of the fitted rate the pace holds.
const HOLD_SHARE: f64 = 0.97;
/// How much earlier or later than sent a request may arrive, in seconds.
const JITTER: f64 = 0.003;
/// When no bucket explains the record, the delivery rate is measured over
/// this many seconds...
const RECENTLY: f64 = 0.5;
/// ... and this share of it kept.
const LATER_CUT: f64 = 0.85;
/// The share of a refilled burst sent at once after a pause.
const BURST_SHARE: f64 = 0.8;
/// The shortest hold before probing, in seconds.
const MIN_HOLD: f64 = 2.0;
/// A 429 that costs `c` seconds of the batch holds the pace this many times
/// `c` before probing.
const HOLD_PER_COST: f64 = 8.0;
/// The share of a wide range's top the pace takes.
const WIDE_SHARE: f64 = 0.9;
/// The least share of the middle of the ramp's last step the pace takes
/// after the start's first 429 (the allowance for jitter at a burst of one
/// is more at a fast pace, where the burst is rarely one).
const RAMP_SHARE: f64 = 0.8;
/// The hold while the fitted range is still wide.
const WIDE_HOLD: f64 = 0.5;
/// A fitted range wider than this (highest ÷ lowest rate) is "wide".
const WIDE: f64 = 1.2;
/// The probe after the hold: the pace times `1 + P1·t + P3·t³` after `t`
/// seconds (a few per cent at first, four times in about two seconds).
const P1: f64 = 0.04;
const P3: f64 = 0.3;
/// Fewer accepted answers than this measure nothing.
const MIN_SAMPLES: usize = 4;
/// At most one cut per this much time: one burst of 429s counts once.
const CUT_INTERVAL: Duration = Duration::from_millis(300);
/// At most this many answers a fit may leave unexplained (clocks and
/// networks are not exact).
const MAX_MISSES: usize = 2;
/// An answer a fit ignores is at most this many tokens from the bucket's
/// verdict.
const NEAR_MISS: f64 = 2.0;
/// A fit that says the 429 which ended a probe came with this many tokens
/// left or more does not explain it: the limit changed.
const SURPRISE: f64 = 2.0;
/// ... or this share of its burst, if more (over a long hold, a rate a
/// hundredth off adds up to a few tokens).
const SURPRISE_SHARE: f64 = 0.25;
/// Coarse rates with up to this many more misses than the best are
/// refined...
const NEAR: usize = 3;
/// ... the best this many of them, and the ends of their range.
const SEEDS: usize = 6;
/// What the record keeps at most (then it forgets its older half).
const RECORD: usize = 2000;
/// A fitted bucket explains a 429's `Retry-After` up to its time for one
/// token, rounded up to whole seconds, plus this many seconds (a date-form
/// header measured against this machine's clock, a server that adds a
/// little); see [`Limiter::explains`].
const EXPLAINED_MARGIN: f64 = 0.5;

/// What an answer says about the pace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// Accepted (whatever the status), without a 429.
    Clean,
    /// A 429, with the server's `Retry-After` if it gave one.
    Throttled(Option<Duration>),
    /// A 503, with the server's `Retry-After` if it gave one: it cuts the
    /// pace as a 429 does, and its `Retry-After` always pauses the batch.
    Unavailable(Option<Duration>),
}

/// The token buckets that explain a record: rates from `lo` to `hi` (per
/// second), with the burst that goes with the one chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Fit {
    lo: f64,
    hi: f64,
    /// The smallest burst of the buckets that explain the record.
    burst: f64,
    /// Answers the best bucket gets wrong.
    misses: usize,
    /// The tokens the chosen bucket held when the 429 that ended this probe
    /// was sent (under one: it explains the 429).
    surprise: f64,
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
    /// The pace held after the last cut, from `epoch`, for `hold` seconds.
    base: f64,
    epoch: Duration,
    hold: f64,
    /// Requests that may start at once (a refilled burst).
    credit: u32,
    /// What was sent (when) and whether it was accepted, since `since`.
    record: Vec<(Duration, bool)>,
    since: Duration,
    /// The bucket was full at `since` (the batch's start), else empty (a 429
    /// had just drained it).
    full_at_since: bool,
    /// An answer was accepted since the last cut: only then does the start
    /// phase keep doubling (refusals alone never raise the pace).
    clean_since_cut: bool,
    /// The rate of the last fit that was narrow.
    known: Option<f64>,
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
            base: START_RATE,
            epoch: Duration::ZERO,
            hold: 0.0,
            credit: 0,
            record: Vec::new(),
            since: Duration::ZERO,
            full_at_since: true,
            clean_since_cut: true,
            known: None,
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
        if self.credit > 0 {
            return Some(self.pause_until.saturating_sub(now));
        }
        Some(self.next_start.max(self.pause_until).saturating_sub(now))
    }

    /// A request starts at `now`.
    pub(crate) fn started(&mut self, now: Duration) {
        self.grow(now);
        if self.credit > 0 && now >= self.pause_until {
            self.credit -= 1;
            return;
        }
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
        } else {
            let t = (now.saturating_sub(self.epoch).as_secs_f64() - self.hold).max(0.0);
            self.rate = self.base * (1.0 + P1 * t + P3 * t * t * t);
        }
        self.rate = self.rate.clamp(MIN_RATE, MAX_RATE);
    }

    /// Accepted answers per second since `from`, if there were enough.
    fn delivered(&self, now: Duration, from: Duration) -> Option<f64> {
        let span = now.saturating_sub(from).as_secs_f64().max(0.05);
        let count = self
            .record
            .iter()
            .filter(|(sent, ok)| *ok && *sent >= from)
            .count();
        (count >= MIN_SAMPLES).then(|| count as f64 / span)
    }

    /// A request sent at `sent` was answered at `now` with `signal`.
    pub(crate) fn finished(&mut self, now: Duration, sent: Duration, signal: Signal) {
        let accepted = signal == Signal::Clean;
        let current = sent >= self.since;
        if current {
            self.record.push((sent, accepted));
            if self.record.len() > RECORD {
                self.forget();
            }
        }
        let after = match signal {
            Signal::Clean => {
                self.clean_since_cut = true;
                return;
            }
            // Explained: only the refused request waits (the transport
            // holds it), the batch keeps its pace.
            Signal::Throttled(Some(after)) if self.explains(after) => None,
            Signal::Throttled(after) | Signal::Unavailable(after) => after,
        };
        if let Some(after) = after {
            self.pause_until = self.pause_until.max(now.saturating_add(after));
        }
        // A request sent before the record began (a slow answer from before
        // a fresh start) pauses the batch but says nothing of the pace now.
        if !current {
            return;
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
        let pause = self.pause_until.saturating_sub(now).as_secs_f64();
        let resume = now.max(self.pause_until);
        let fit = self.fit(sent);
        let (base, burst, hold) = match fit {
            // Too little to measure (a 429 at once, say): half the pace,
            // and still looking for the limit.
            None => match self.known {
                Some(known) => (hold_share(known, 1.0) * known, 0.0, MIN_HOLD),
                None => ((sending / 2.0).max(MIN_RATE), 0.0, 0.0),
            },
            Some(fit)
                if fit.misses <= MAX_MISSES
                    && fit.surprise < SURPRISE.max(SURPRISE_SHARE * fit.burst) =>
            {
                let ramp = self.starting;
                self.starting = false;
                let wide = fit.hi > WIDE * fit.lo;
                // (Never above the pace that was refused: a bucket faster
                // than that would not have refused it.)
                let top = fit.hi.min(sending.max(fit.lo));
                let (rate, share) = match (wide, self.known) {
                    (false, _) => {
                        let rate = (fit.lo * fit.hi).sqrt();
                        self.known = Some(rate);
                        (rate, hold_share(rate, fit.burst))
                    }
                    // A wide range that holds the rate known: the record
                    // (started afresh, say) does not contradict it.
                    (true, Some(known)) if fit.lo <= known && known <= fit.hi => {
                        (known, HOLD_SHARE)
                    }
                    // Every bucket that fits is faster than the one known:
                    // the limit rose. What came before no longer counts.
                    (true, Some(known)) if fit.lo > known => {
                        self.known = None;
                        self.since = sent;
                        self.full_at_since = false;
                        self.record.retain(|(t, _)| *t >= sent);
                        (top, WIDE_SHARE)
                    }
                    // The start's ramp ended: the top is about the pace of
                    // the request refused, and the last one accepted went
                    // a step of the ramp slower. With a small burst the
                    // limit is within that step (with a larger one, further
                    // under; the next 429 tells). The middle of the step,
                    // held as a narrow fit is (under it by the jitter a
                    // burst of one cannot absorb), but never more than a
                    // fifth under it: at a fast pace that allowance would
                    // be most of it.
                    (true, _) if ramp => {
                        let step = ramp_step(top);
                        let middle = (top / step.sqrt()).max(MIN_RATE);
                        (middle, hold_share(middle, fit.burst).max(RAMP_SHARE))
                    }
                    // While the range is wide, a tenth under its top (where
                    // the bursts are smallest and timing least sure): if
                    // too high, the next 429 comes soon and narrows it.
                    (true, _) => (top, WIDE_SHARE),
                };
                let cost = (pause - fit.burst / rate).max(0.0);
                let hold = MIN_HOLD.max(HOLD_PER_COST * cost);
                (share * rate, fit.burst.min(rate * pause), hold)
            }
            // No bucket explains the record: the limit changed, or the
            // bucket is shared. Measure afresh from this 429.
            Some(_) => {
                self.starting = false;
                self.known = None;
                let recently = now.saturating_sub(Duration::from_secs_f64(RECENTLY));
                let delivered = self
                    .delivered(now, self.epoch.max(recently))
                    .unwrap_or(sending);
                self.since = sent;
                self.full_at_since = false;
                self.record.retain(|(t, _)| *t >= sent);
                (LATER_CUT * delivered.min(sending), 0.0, WIDE_HOLD)
            }
        };
        self.base = base.clamp(MIN_RATE, MAX_RATE);
        #[cfg(test)]
        if std::env::var_os("LIMITER_TRACE").is_some() {
            eprintln!(
                "  {:p} cut at {:.3} sending {sending:.1} fit {fit:?} -> {base:.1} hold {hold:.1} burst {burst:.1}",
                self as *const Self,
                now.as_secs_f64()
            );
        }
        tracing::debug!(
            target: "arize_ax::limiter",
            at = now.as_secs_f64(),
            sending,
            pause,
            fit = ?fit,
            pace = self.base,
            hold,
            burst,
            "throttled: new pace"
        );
        self.rate = self.base;
        self.hold = hold;
        self.credit = (BURST_SHARE * burst).floor() as u32;
        self.epoch = resume;
        self.last_grow = resume;
        self.next_start = self.next_start.max(self.pause_until);
    }

    /// Whether the bucket fitted so far explains a 429 that says
    /// `Retry-After: after`, so that it holds only the refused request.
    ///
    /// The rule: a narrow fit exists (its rate `r`, the one the pace is
    /// held under; usually none before the second throttling episode, and
    /// none after a 429 that no bucket explains until a fit is narrow
    /// again), and `after` is at most `⌈WIDE / r⌉`
    /// seconds (the time for one token at the slow end of any narrow range,
    /// rounded up to the next whole second, as a server that speaks whole
    /// seconds gives it: one second for any rate of at least 1.2 a second)
    /// plus `EXPLAINED_MARGIN` (half a second). A longer wait is not the
    /// fitted bucket's, and pauses the batch. A 429 is judged by the fit
    /// held when it arrives; the fit it then makes sets the pace and judges
    /// the next.
    fn explains(&self, after: Duration) -> bool {
        self.known
            .is_some_and(|rate| after.as_secs_f64() <= (WIDE / rate).ceil() + EXPLAINED_MARGIN)
    }

    /// Keeps the record bounded: drops its older half, and starts it again
    /// at the first refusal left (the bucket was empty then), or, with no
    /// refusal left, where it is (paced under the rate for so long, the
    /// bucket was full).
    fn forget(&mut self) {
        self.record.sort_by_key(|(t, _)| *t);
        self.record.drain(..self.record.len() / 2);
        match self.record.iter().position(|(_, ok)| !ok) {
            Some(first) => {
                self.since = self.record[first].0;
                self.full_at_since = false;
                self.record.drain(..first);
            }
            None => {
                self.since = self.record.first().map_or(self.since, |e| e.0);
                self.full_at_since = true;
            }
        }
    }

    /// The token buckets that best explain the record (see [`Fit`]); the
    /// refusal of the request sent at `trigger` ended this probe.
    fn fit(&self, trigger: Duration) -> Option<Fit> {
        let mut events: Vec<(Duration, bool)> = self.record.clone();
        events.sort_by_key(|(t, _)| *t);
        let (full, from) = (self.full_at_since, self.since);
        let accepted = events.iter().filter(|(_, ok)| *ok).count();
        if accepted < MIN_SAMPLES {
            return None;
        }
        let times: Vec<(f64, bool)> = events
            .iter()
            .map(|(t, ok)| (t.saturating_sub(from).as_secs_f64(), *ok))
            .collect();
        let trigger = events.iter().position(|(t, ok)| *t == trigger && !ok);
        let span = times.last()?.0.max(0.01);
        let mean = accepted as f64 / span;
        // Every rate from a fiftieth of the mean (a burst can make the mean
        // many times the rate) to eight times it, 1 % apart; then, around
        // the best of those and the ends of their range, every 0.02 %
        // (over a long record a small error in the rate is many tokens).
        let mut tried: Vec<(f64, usize, f64)> = Vec::new();
        let mut rate = (mean / 50.0).max(MIN_RATE);
        while rate <= (mean * 8.0).min(MAX_RATE) {
            let (misses, burst) = explain(&times, full, rate);
            tried.push((rate, misses, burst));
            rate *= 1.01;
        }
        let coarse_least = tried.iter().map(|t| t.1).min()?;
        let near: Vec<f64> = {
            let mut near: Vec<(f64, usize)> = tried
                .iter()
                .filter(|t| t.1 <= coarse_least.saturating_add(NEAR))
                .map(|t| (t.0, t.1))
                .collect();
            near.sort_by_key(|n| n.1);
            let lowest = near.iter().map(|n| n.0).fold(f64::INFINITY, f64::min);
            let highest = near.iter().map(|n| n.0).fold(0.0, f64::max);
            let mut seeds: Vec<f64> = near.iter().take(SEEDS).map(|n| n.0).collect();
            seeds.extend([lowest, highest]);
            // And the rate fitted last: a long record held at that pace
            // (a 429 it explains pauses nothing) may fit it and nothing
            // 1 % away.
            seeds.extend(self.known);
            seeds
        };
        for seed in near {
            for k in -25..=25 {
                let rate = seed * (1.0 + 0.0002 * f64::from(k));
                let (misses, burst) = explain(&times, full, rate);
                tried.push((rate, misses, burst));
            }
        }
        let least = tried.iter().map(|t| t.1).min()?;
        let best: Vec<(f64, f64)> = tried
            .iter()
            .filter(|t| t.1 == least)
            .map(|t| (t.0, t.2))
            .collect();
        let lo = best.iter().map(|b| b.0).fold(f64::INFINITY, f64::min);
        let hi = best.iter().map(|b| b.0).fold(0.0, f64::max);
        let chosen = if hi > WIDE * lo { hi } else { (lo * hi).sqrt() };
        if least > MAX_MISSES {
            return Some(Fit {
                lo: 0.0,
                hi: 0.0,
                burst: 1.0,
                misses: least,
                surprise: 0.0,
            });
        }
        let (rate, burst) = *best
            .iter()
            .min_by(|a, b| (a.0 - chosen).abs().total_cmp(&(b.0 - chosen).abs()))?;
        // (A trigger the record does not hold is not explained by it.)
        let surprise = trigger.map_or(f64::INFINITY, |i| tokens_at(&times, full, rate, burst, i));
        Some(Fit {
            lo,
            hi,
            burst: best.iter().map(|b| b.1).fold(f64::INFINITY, f64::min),
            misses: least,
            surprise,
        })
    }
}

/// The share of a fitted `rate` to hold: a little under it, and further
/// under when the bucket's `burst` is too small to absorb the few
/// milliseconds by which requests arrive earlier or later than they were
/// sent (`JITTER`).
fn hold_share(rate: f64, burst: f64) -> f64 {
    let cushion = ((burst - 1.0) / rate).max(0.0);
    let exposed = (JITTER - cushion).max(0.0);
    HOLD_SHARE.min(1.0 / (1.0 + rate * exposed))
}

/// How much faster each request of the start's ramp goes than the one
/// before, at `rate` (it doubles every `DOUBLING` seconds).
fn ramp_step(rate: f64) -> f64 {
    2f64.powf(1.0 / (rate * DOUBLING))
}

/// How many answers ignored at least (up to `MAX_MISSES + 1`) let a token
/// bucket refilling `rate` a second explain `events` (seconds since the
/// record began, accepted or not; the bucket full then, or else empty), and
/// the smallest burst that does.
///
/// A greedy token bucket holds, at `t`, the least over earlier moments `s`
/// of `burst + rate·(t − s) − accepted[s, t)`; with `S(t) = accepted[0, t) −
/// rate·t` that is `burst − M(t)`, `M(t) = S(t) − min S(s ≤ t)`. So every
/// acceptance says `burst ≥ 1 + M(t)` and every refusal `burst < 1 + M(t)`:
/// one pass gives the range of bursts for this rate.
fn explain(events: &[(f64, bool)], full: bool, rate: f64) -> (usize, f64) {
    const K: usize = MAX_MISSES + 1;
    // The K largest M of acceptances, the K smallest M of refusals.
    let mut accepts: Vec<f64> = Vec::with_capacity(K + 1);
    let mut refusals: Vec<f64> = Vec::with_capacity(K + 1);
    let mut other = 0;
    let mut count = 0.0;
    let mut lowest: f64 = if full { 0.0 } else { f64::INFINITY };
    for (t, ok) in events {
        let s = count - rate * t;
        lowest = lowest.min(s);
        let m = s - lowest;
        // From a start at a refusal the bucket also holds at most `x +
        // rate·t − accepted`, whatever its burst, `x` being what it held
        // then: under one token, but how much is unknown, so each answer is
        // judged with the `x` that explains it best.
        let (most, least) = if full {
            (f64::INFINITY, f64::INFINITY)
        } else {
            (1.0 - s, -s)
        };
        if *ok {
            if most < 1.0 - 1e-9 {
                other += 1;
            } else {
                keep(&mut accepts, m, K, |a, b| b.total_cmp(a));
            }
            count += 1.0;
        } else if least >= 1.0 - 1e-9 {
            keep(&mut refusals, m, K, f64::total_cmp);
        }
    }
    // Ignore `a` acceptances and `r` refusals, as few as possible.
    let mut answer = (usize::MAX, 1.0);
    for a in 0..=accepts.len().min(MAX_MISSES) {
        for r in 0..=refusals.len().min(MAX_MISSES) {
            // A bucket holds whole tokens: the burst is a whole number.
            let need = accepts
                .get(a)
                .map_or(1.0, |m| (1.0 + m - 1e-9).ceil())
                .max(1.0);
            let below = refusals.get(r).map_or(f64::INFINITY, |m| 1.0 + m);
            // Only a near miss may be ignored: an answer that timing moves
            // by a token or two, never one that needs many more (a
            // refusal ignored could otherwise stand for any burst at all).
            let near = (a == 0 || 1.0 + accepts[0] <= need + NEAR_MISS)
                && (r == 0 || 1.0 + refusals[0] >= need - NEAR_MISS);
            if near && need < below - 1e-9 && a + r + other < answer.0 {
                answer = (a + r + other, need);
            }
        }
    }
    answer
}

/// Keeps the `k` first of `values` plus `value` in `order`.
fn keep(values: &mut Vec<f64>, value: f64, k: usize, order: fn(&f64, &f64) -> std::cmp::Ordering) {
    let at = values.partition_point(|v| order(v, &value) != std::cmp::Ordering::Greater);
    if at < k {
        values.insert(at, value);
        values.truncate(k);
    }
}

/// The tokens a bucket of `rate` and `burst` held when event `at` arrived.
fn tokens_at(events: &[(f64, bool)], full: bool, rate: f64, burst: f64, at: usize) -> f64 {
    let mut count = 0.0;
    let mut lowest: f64 = if full { 0.0 } else { f64::INFINITY };
    for (i, (t, ok)) in events.iter().enumerate() {
        let s = count - rate * t;
        lowest = lowest.min(s);
        if i == at {
            let drained = if full { f64::INFINITY } else { -s };
            return (burst - (s - lowest)).min(drained);
        }

        count += f64::from(u8::from(*ok));
    }
    0.0
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
        /// Each request arrives up to this much later than sent (spread
        /// evenly), as on a busy machine...
        jitter: Duration,
        /// ... by delays drawn from this seed.
        seed: u64,
        /// Each client's cap of requests in flight.
        cap: usize,
    }

    struct Run {
        elapsed: Duration,
        sent: usize,
        throttled: usize,
        limiter: Limiter,
        /// When each request started.
        starts: Vec<Duration>,
        /// Each 429: when it was answered, its `Retry-After`, and whether
        /// the limiter's fit explained it then.
        refusals: Vec<(Duration, Duration, bool)>,
    }

    /// Drives a limiter (cap 8) through `jobs` one-request jobs against
    /// `server` on a fake clock. A refused job waits its `Retry-After`, then
    /// is admitted by the limiter again (as the transport's retry gate does).
    fn simulate(server: Server, jobs: usize) -> Run {
        simulate_clients(server, &[jobs]).remove(0)
    }

    /// How much later each client of a simulation starts than the one
    /// before.
    const START_GAP: Duration = Duration::from_millis(37);

    /// One client's side of a simulation.
    struct Side {
        limiter: Limiter,
        // (answer time, accepted, retry-after, sent)
        in_flight: Vec<(Duration, bool, Duration, Duration)>,
        // Jobs waiting to be (re)admitted, with the time they may be.
        ready: Vec<Duration>,
        jobs: usize,
        done: usize,
        sent: usize,
        throttled: usize,
        finished: Option<Duration>,
        starts: Vec<Duration>,
        refusals: Vec<(Duration, Duration, bool)>,
    }

    /// Like [`simulate`], with independent clients (each its own limiter,
    /// no shared state) sharing the server's one bucket.
    fn simulate_clients(server: Server, jobs: &[usize]) -> Vec<Run> {
        let latency = 20 * MS;
        // Each client starts a little after the one before (processes are
        // never started in the same millisecond); each has its own clock.
        let mut sides: Vec<Side> = jobs
            .iter()
            .enumerate()
            .map(|(i, &jobs)| Side {
                limiter: Limiter::new(server.cap),
                in_flight: Vec::new(),
                ready: vec![START_GAP * i as u32; jobs],
                jobs,
                done: 0,
                sent: 0,
                throttled: 0,
                finished: None,
                starts: Vec::new(),
                refusals: Vec::new(),
            })
            .collect();
        let mut now = Duration::ZERO;
        let (mut tokens, mut refilled) = (server.burst, Duration::ZERO);
        // A linear congruential sequence: the same delays for one seed.
        let mut seed = server.seed;
        let mut delay = || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            server
                .jitter
                .mul_f64((seed >> 11) as f64 / (1u64 << 53) as f64)
        };
        while sides.iter().any(|s| s.done < s.jobs) {
            assert!(now < Duration::from_secs(600), "the run never ends");
            let rate = match server.change {
                Some((at, rate)) if now >= at => rate,
                _ => server.rate,
            };
            for side in &mut sides {
                while let Some(i) = side.ready.iter().position(|t| *t <= now) {
                    if side.limiter.wait(now, side.in_flight.len()) != Some(Duration::ZERO) {
                        break;
                    }
                    side.ready.swap_remove(i);
                    // (Arrivals out of order are taken as they come.)
                    let arrived = (now + delay()).max(refilled);
                    tokens = (tokens + (arrived - refilled).as_secs_f64() * rate).min(server.burst);
                    refilled = arrived;
                    let ok = tokens >= 1.0;
                    let after = if ok {
                        tokens -= 1.0;
                        Duration::ZERO
                    } else {
                        side.throttled += 1;
                        Duration::from_secs(((1.0 - tokens) / rate).ceil().max(1.0) as u64)
                    };
                    side.sent += 1;
                    side.limiter.started(now);
                    side.starts.push(now);
                    side.in_flight.push((now + latency, ok, after, now));
                }
                assert!(
                    side.in_flight.len() <= server.cap,
                    "never more than the cap in flight"
                );
            }
            let next = sides
                .iter()
                .flat_map(|side| {
                    let next_answer = side.in_flight.iter().map(|(t, ..)| *t).min();
                    let next_ready = side.ready.iter().copied().filter(|t| *t > now).min();
                    let next_start = (!side.ready.is_empty())
                        .then(|| {
                            side.limiter
                                .wait(now, side.in_flight.len())
                                .map(|d| now + d)
                        })
                        .flatten();
                    [next_answer, next_ready, next_start]
                })
                .flatten()
                .min()
                .expect("something is pending");
            now = next.max(now + MS / 10);
            for side in &mut sides {
                let (due, rest): (Vec<_>, Vec<_>) =
                    side.in_flight.drain(..).partition(|(t, ..)| *t <= now);
                side.in_flight = rest;
                for (_, ok, after, sent) in due {
                    if ok {
                        side.done += 1;
                        side.limiter.finished(now, sent, Signal::Clean);
                    } else {
                        let explained = side.limiter.explains(after);
                        side.refusals.push((now, after, explained));
                        side.limiter
                            .finished(now, sent, Signal::Throttled(Some(after)));
                        side.ready.push(now + after);
                    }
                }
                if side.done == side.jobs && side.finished.is_none() {
                    side.finished = Some(now);
                }
            }
        }
        sides
            .into_iter()
            .map(|side| Run {
                elapsed: side.finished.unwrap_or(now),
                sent: side.sent,
                throttled: side.throttled,
                limiter: side.limiter,
                starts: side.starts,
                refusals: side.refusals,
            })
            .collect()
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
            jitter: Duration::ZERO,
            seed: 0,
            cap: 8,
        }
    }

    /// Each shape of the table (and a limit that rises): every job
    /// done, few 429s, and a time within 1.2 × the floor + 1 s, except for
    /// the falling limit, which records what this controller reaches (its
    /// two 429s at the start cost users that then go at a quarter of the
    /// pace). BENCHMARKS.md table 7 has the same shapes against the fake.
    #[test]
    fn every_shape_of_limit_is_followed() {
        check("40/s burst 10", server(40.0, 10.0), 300, 7.5, 1.2, 0.03);
        check("40/s burst 1", server(40.0, 1.0), 200, 5.0, 1.2, 0.03);
        // Requests that arrive up to 2 ms late (12 sequences of delays):
        // with a burst of one, the first 429's estimate of the rate is a
        // few per cent high in some, and a refusal from jitter costs one
        // more episode (a second): most take one episode, none goes over
        // the budget by more than one and a half. (Pacing at a tenth under
        // that high estimate, four of the twelve spiralled down to 16-18 s.)
        let mut times: Vec<(f64, f64)> = (0..12)
            .map(|seed| {
                let late = Server {
                    jitter: 2 * MS,
                    seed,
                    ..server(40.0, 1.0)
                };
                let run = simulate(late, 200);
                let share = run.throttled as f64 / run.sent as f64;
                (run.elapsed.as_secs_f64(), share)
            })
            .collect();
        times.sort_by(|a, b| a.0.total_cmp(&b.0));
        println!("40/s burst 1, up to 2 ms late: {times:.3?} (s, 429) for a floor of 5.00 s");
        assert!(times[6].0 <= 1.2 * 5.0 + 1.0, "{times:?}");
        assert!(times[11].0 <= 1.2 * 5.0 + 2.5, "{times:?}");
        assert!(times.iter().all(|t| t.1 <= 0.03), "{times:?}");
        check("10/s burst 10", server(10.0, 10.0), 100, 10.0, 1.0, 0.05);
        check("200/s burst 50", server(200.0, 50.0), 1000, 5.0, 1.2, 0.03);
        check("40/s burst 40", server(40.0, 40.0), 1000, 25.0, 1.0, 0.03);
        let drop = Server {
            change: Some((Duration::from_secs(3), 10.0)),
            ..server(40.0, 10.0)
        };
        check("40/s then 10/s", drop, 300, 21.0, 1.35, 0.05);
        let rise = Server {
            change: Some((Duration::from_secs(5), 40.0)),
            ..server(10.0, 10.0)
        };
        check("10/s then 40/s", rise, 400, 5.0 + 350.0 / 40.0, 1.4, 0.05);
        // A fast limit, reached with a larger cap: the start's first 429
        // does not leave the pace far under it (allowing for 3 ms of
        // jitter at a burst of one would make it 1/0.003 a second at most,
        // under half the limit, held for 8 s: 1.94×). This records what
        // it reaches (1.32×): the second 429 fits 600/s narrowly; the
        // probe's 429 after it is explained, pauses nothing, and its fit
        // still holds 600/s. (When every Retry-After paused the batch, the
        // probe's 429 fitted a wide range under 600/s, and the pace fell
        // to 445/s: 1.48×.)
        let fast = Server {
            cap: 64,
            ..server(600.0, 5.0)
        };
        check("600/s burst 5, cap 64", fast, 6000, 10.0, 1.4, 0.03);
        // Long runs, whose record outgrows what it keeps: the pace holds,
        // and a probe's 429 costs no pause (when each paused the batch:
        // 1.12× and 1.15×).
        check(
            "200/s burst 50, long",
            server(200.0, 50.0),
            12_000,
            60.0,
            1.1,
            0.02,
        );
        check(
            "300/s burst 30, long",
            server(300.0, 30.0),
            18_000,
            60.0,
            1.1,
            0.02,
        );
        // Two clients sharing 40/s (burst 10), 150 users each, no shared
        // state: they finish together, near the floor of the whole.
        let runs = simulate_clients(server(40.0, 10.0), &[150, 150]);
        let times: Vec<f64> = runs.iter().map(|r| r.elapsed.as_secs_f64()).collect();
        let (sent, refused): (usize, usize) = runs
            .iter()
            .fold((0, 0), |(s, t), r| (s + r.sent, t + r.throttled));
        println!(
            "two clients: {times:?} for a floor of 7.50 s, {:.1} % 429",
            100.0 * refused as f64 / sent as f64
        );
        assert!(times.iter().all(|t| *t <= 1.2 * 7.5 + 1.0), "{times:?}");
        assert!(refused as f64 / (sent as f64) < 0.1);
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
            limiter.finished(at(i * 10 + 20), at(i * 10), Signal::Clean);
        }
        limiter.finished(
            at(230),
            at(210),
            Signal::Throttled(Some(Duration::from_secs(2))),
        );
        let cut = limiter.rate();
        assert_eq!(limiter.wait(at(240), 0), Some(at(2230) - at(240)), "paused");
        assert_eq!(limiter.wait(at(2230), 0), Some(Duration::ZERO));
        // The other answers of the same burst do not cut again.
        limiter.finished(
            at(250),
            at(230),
            Signal::Throttled(Some(Duration::from_secs(1))),
        );
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

    /// Starts requests at `limiter`'s pace (never a full window) from
    /// `from` for `span`, and counts them.
    fn starts_during(limiter: &mut Limiter, from: Duration, span: Duration) -> usize {
        let (mut now, mut count) = (from, 0);
        loop {
            now += limiter.wait(now, 0).expect("the window is never full");
            if now >= from + span {
                return count;
            }
            limiter.started(now);
            count += 1;
        }
    }

    /// A limiter that has fitted 40/s (burst 10) narrowly, and when its run
    /// ended.
    fn fitted() -> (Limiter, Duration) {
        let run = simulate(server(40.0, 10.0), 300);
        let known = run.limiter.known.expect("a narrow fit");
        assert!((known - 40.0).abs() < 2.0, "{known}");
        (run.limiter, run.elapsed)
    }

    /// A 429 whose one second the fitted bucket explains (its next token
    /// is 25 ms away) holds only the refused request: the batch goes on
    /// starting requests at its fitted pace all through that second, while
    /// the refused one waits it out (here in `simulate`, in the transport
    /// for real) before it is admitted again.
    #[test]
    fn an_explained_429_holds_only_the_refused_request() {
        let run = simulate(server(40.0, 10.0), 600);
        // (Not those answered while a pause was in force: requests sent
        // before an unexplained 429 came back.)
        let explained: Vec<_> = run
            .refusals
            .iter()
            .filter(|(at, _, explained)| {
                *explained
                    && !run
                        .refusals
                        .iter()
                        .any(|(t, after, e)| !e && t <= at && *at < *t + *after)
            })
            .collect();
        assert!(explained.len() >= 2, "{:?}", run.refusals);
        for (at, after, _) in explained {
            let during = run
                .starts
                .iter()
                .filter(|t| *at < **t && **t < *at + *after)
                .count();
            assert!(
                during as f64 >= 0.7 * 40.0 * after.as_secs_f64(),
                "{during} started in the {after:?} after the 429 at {at:?}"
            );
        }
    }

    /// Before any narrow fit, a 429's `Retry-After` pauses every start.
    #[test]
    fn an_unexplained_429_pauses_the_batch() {
        let mut limiter = Limiter::new(8);
        for i in 0..6 {
            limiter.started(i * 10 * MS);
            limiter.finished(i * 10 * MS + 20 * MS, i * 10 * MS, Signal::Clean);
        }
        let (now, after) = (80 * MS, Duration::from_secs(1));
        assert!(!limiter.explains(after), "no fit yet");
        limiter.started(60 * MS);
        limiter.finished(now, 60 * MS, Signal::Throttled(Some(after)));
        assert_eq!(limiter.wait(now, 0), Some(after));
        assert_eq!(starts_during(&mut limiter, now, after), 0);
        // Over whole runs: nothing starts during the first 429's
        // Retry-After (nothing was fitted yet).
        for shape in [server(40.0, 10.0), server(40.0, 1.0), server(200.0, 50.0)] {
            let run = simulate(shape, 300);
            let (at, after, explained) = run.refusals[0];
            assert!(!explained);
            assert!(
                !run.starts.iter().any(|t| at < *t && *t < at + after),
                "a start in the first 429's pause"
            );
        }
    }

    /// A `Retry-After` well beyond the fitted time for one token (three
    /// seconds where a token takes 25 ms) is not the fitted bucket's: it
    /// pauses the batch.
    #[test]
    fn a_retry_after_beyond_the_fit_pauses_the_batch() {
        let (mut limiter, end) = fitted();
        let now = end + Duration::from_secs(1);
        let after = Duration::from_secs(3);
        assert!(!limiter.explains(after));
        assert!(!limiter.explains(Duration::from_secs(2)));
        limiter.started(now - 20 * MS);
        limiter.finished(now, now - 20 * MS, Signal::Throttled(Some(after)));
        assert_eq!(limiter.wait(now, 0), Some(after));
        assert_eq!(starts_during(&mut limiter, now, after), 0);
    }

    /// A 503's `Retry-After` pauses the batch, fitted or not, however
    /// short.
    #[test]
    fn a_503_with_retry_after_pauses_the_batch() {
        let (mut limiter, end) = fitted();
        let now = end + Duration::from_secs(1);
        let after = Duration::from_secs(1);
        assert!(limiter.explains(after), "as a 429 it would be explained");
        limiter.started(now - 20 * MS);
        limiter.finished(now, now - 20 * MS, Signal::Unavailable(Some(after)));
        assert_eq!(limiter.wait(now, 0), Some(after));
        assert_eq!(starts_during(&mut limiter, now, after), 0);
        assert!(limiter.rate() < 40.0, "and it cuts the pace as a 429 does");
    }

    #[test]
    fn a_429_before_anything_was_measured_halves_the_pace() {
        let mut limiter = Limiter::new(8);
        limiter.started(Duration::ZERO);
        limiter.finished(
            20 * MS,
            Duration::ZERO,
            Signal::Throttled(Some(Duration::from_secs(1))),
        );
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
            limiter.finished(now, now, Signal::Throttled(None));
            assert!(
                limiter.rate() <= last.max(START_RATE) + 1e-9,
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
            Duration::from_secs(60),
            Signal::Throttled(Some(Duration::MAX)),
        );
        limiter.started(Duration::from_secs(61));
        assert!(limiter.wait(Duration::from_secs(61), 0).is_some());
    }

    /// Sends at `every` from `from` for `span` against a bucket, recording
    /// what it answered, up to the first refusal.
    fn bucket_answers(
        bucket: &mut (f64, f64, f64, Duration),
        from: Duration,
        span: Duration,
        every: Duration,
        record: &mut Vec<(Duration, bool)>,
    ) {
        let (rate, burst, tokens, last) = bucket;
        let mut t = from;
        while t < from + span {
            *tokens = (*tokens + *rate * (t - *last).as_secs_f64()).min(*burst);
            *last = t;
            let ok = *tokens >= 1.0;
            if ok {
                *tokens -= 1.0;
            }
            record.push((t, ok));
            if !ok {
                return;
            }
            t += every;
        }
    }

    #[test]
    fn two_episodes_pin_the_rate_and_the_burst() {
        // 40/s holding 10, full at the start; one request every 7 ms until
        // one is refused, a pause of a second, then one every 13 ms.
        let mut bucket = (40.0, 10.0, 10.0, Duration::ZERO);
        let mut record = Vec::new();
        let every = 7 * MS;
        bucket_answers(&mut bucket, Duration::ZERO, 500 * MS, every, &mut record);
        let mut limiter = Limiter::new(8);
        limiter.record = record.clone();
        let first_refusal = record.iter().find(|e| !e.1).unwrap().0;
        let one = limiter.fit(first_refusal).unwrap();
        assert!(one.lo <= 40.0 && 40.0 <= one.hi, "{one:?}");
        // The first episode alone cannot tell a fast rate with a small
        // burst from a slow one with a large burst.
        assert!(one.hi > 1.2 * one.lo, "{one:?}");
        // The limiter resumes at another pace than the start's: a second
        // equation.
        bucket_answers(&mut bucket, 1500 * MS, 500 * MS, 13 * MS, &mut record);
        limiter.record = record.clone();
        let second = record.iter().rev().find(|e| !e.1).unwrap().0;
        let two = limiter.fit(second).unwrap();
        assert_eq!(two.misses, 0);
        assert!(two.lo <= 40.0 * 1.01 && 40.0 * 0.99 <= two.hi, "{two:?}");
        assert!(two.hi < 1.1 * two.lo, "narrow: {two:?}");
        assert_eq!(two.burst, 10.0);
        assert!(two.surprise < 1.0, "the last 429 is explained: {two:?}");
        // Every acceptance and refusal is explained by that bucket, and
        // not by one twice as fast.
        let times: Vec<(f64, bool)> = record
            .iter()
            .map(|(t, ok)| (t.as_secs_f64(), *ok))
            .collect();
        assert_eq!(explain(&times, true, 40.0), (0, 10.0));
        assert!(explain(&times, true, 80.0).0 > 0);
    }

    #[test]
    fn a_refusal_far_from_the_verdict_is_never_ignored() {
        // 40/s holding 3: a quick start until refused, a pause, then two
        // seconds of clean answers under the rate.
        let mut bucket = (40.0, 3.0, 3.0, Duration::ZERO);
        let mut record = Vec::new();
        bucket_answers(&mut bucket, Duration::ZERO, 500 * MS, 10 * MS, &mut record);
        bucket_answers(&mut bucket, 1200 * MS, 2000 * MS, 30 * MS, &mut record);
        let times: Vec<(f64, bool)> = record
            .iter()
            .map(|(t, ok)| (t.as_secs_f64(), *ok))
            .collect();
        assert_eq!(explain(&times, true, 40.0).0, 0);
        // A slow bucket with a large burst would explain every acceptance
        // if the refusal could be ignored; it cannot: the bucket would
        // have held many tokens then.
        assert!(explain(&times, true, 2.0).0 > MAX_MISSES);
        let mut limiter = Limiter::new(8);
        limiter.record = record.clone();
        let refusal = record.iter().find(|e| !e.1).unwrap().0;
        let fit = limiter.fit(refusal).unwrap();
        assert!(fit.lo > 30.0 && fit.lo <= 40.0 && 40.0 <= fit.hi, "{fit:?}");
    }

    #[test]
    fn a_limit_that_falls_is_not_explained_by_the_old_bucket() {
        let mut bucket = (40.0, 10.0, 10.0, Duration::ZERO);
        let mut record = Vec::new();
        let every = 5 * MS;
        bucket_answers(&mut bucket, Duration::ZERO, 500 * MS, every, &mut record);
        bucket_answers(&mut bucket, 1500 * MS, 500 * MS, every, &mut record);
        // Then the server allows 10/s: the next probe, sent well under the
        // old rate, is refused early.
        bucket.0 = 10.0;
        bucket_answers(&mut bucket, 3000 * MS, 600 * MS, 30 * MS, &mut record);
        let mut limiter = Limiter::new(8);
        limiter.record = record.clone();
        let last = record.iter().rev().find(|e| !e.1).unwrap().0;
        let fit = limiter.fit(last).unwrap();
        assert!(
            fit.misses > MAX_MISSES || fit.surprise >= SURPRISE,
            "the old bucket does not explain the new refusals: {fit:?}"
        );
    }
}
