//! Time for the scanner: the 15-minute UTC slots Bluezone IDs live in, and a
//! clock that tests can set near a slot boundary instead of waiting for one.

use std::fmt::Debug;
use std::sync::Mutex;
use std::time::Instant;

use chrono::{DateTime, TimeDelta, Timelike, Utc};

/// A Bluezone ID is valid for one UTC-aligned slot of this many seconds.
pub const SLOT_SECS: i64 = 15 * 60;

/// The number of the slot `t` falls in (96 a day).
pub fn slot_of(t: DateTime<Utc>) -> i64 {
    t.timestamp().div_euclid(SLOT_SECS)
}

/// The first instant of slot `slot`.
pub fn slot_start(slot: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(slot.saturating_mul(SLOT_SECS), 0).unwrap_or_default()
}

/// The start of the UTC hour `t` falls in.
pub fn hour_start(t: DateTime<Utc>) -> DateTime<Utc> {
    t.with_nanosecond(0)
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_minute(0))
        .unwrap_or(t)
}

/// Where the scanner reads the time.
pub trait Clock: Send + Sync + Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// The computer's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that runs at real speed from a chosen time and can be moved: a
/// test jumps it to just past a slot boundary instead of waiting 15 minutes.
#[derive(Debug)]
pub struct ShiftedClock {
    anchor: Mutex<(DateTime<Utc>, Instant)>,
}

impl ShiftedClock {
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        Self {
            anchor: Mutex::new((start, Instant::now())),
        }
    }

    /// From now on the clock reads `t`, and runs on from there.
    pub fn set(&self, t: DateTime<Utc>) {
        *self.anchor.lock().unwrap_or_else(|e| e.into_inner()) = (t, Instant::now());
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        let (start, origin) = *self.anchor.lock().unwrap_or_else(|e| e.into_inner());
        start + TimeDelta::from_std(origin.elapsed()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn slots_are_utc_aligned_quarters() {
        let a = at("2021-05-01T10:14:59Z");
        let b = at("2021-05-01T10:15:00Z");
        assert_eq!(slot_of(b), slot_of(a) + 1);
        assert_eq!(slot_start(slot_of(a)), at("2021-05-01T10:00:00Z"));
        assert_eq!(
            slot_of(at("2021-05-02T00:00:00Z")) - slot_of(at("2021-05-01T00:00:00Z")),
            96
        );
    }

    #[test]
    fn hour_start_truncates() {
        assert_eq!(
            hour_start(at("2021-05-01T10:59:59.9Z")),
            at("2021-05-01T10:00:00Z")
        );
    }

    #[test]
    fn shifted_clock_runs_from_its_start() {
        let c = ShiftedClock::starting_at(at("2021-05-01T10:14:58Z"));
        let now = c.now();
        assert!(now >= at("2021-05-01T10:14:58Z") && now < at("2021-05-01T10:15:58Z"));
        c.set(at("2021-05-01T10:15:01Z"));
        assert_eq!(slot_of(c.now()), slot_of(now) + 1);
    }
}
