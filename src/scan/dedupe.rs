//! A code held in front of the camera is read on every frame; it is reported
//! once, and again only after it has been out of sight for the interval.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Remembers when each payload was last seen.
#[derive(Debug, Clone)]
pub struct RepeatFilter {
    interval: Duration,
    last_seen: HashMap<Vec<u8>, Instant>,
}

impl RepeatFilter {
    /// Suppresses a payload seen less than `interval` ago.
    pub fn new(interval: Duration) -> Self {
        Self {
            interval,
            last_seen: HashMap::new(),
        }
    }

    /// Whether `payload`, seen at `now`, is to be reported. Every sighting
    /// renews the suppression, so a code held still is reported once.
    pub fn admit(&mut self, payload: &[u8], now: Instant) -> bool {
        let fresh = match self.last_seen.get(payload) {
            Some(&seen) => now.saturating_duration_since(seen) >= self.interval,
            None => true,
        };
        self.last_seen.insert(payload.to_vec(), now);
        // Forget payloads long gone so the map stays small.
        if self.last_seen.len() > 64 {
            let interval = self.interval;
            self.last_seen
                .retain(|_, seen| now.saturating_duration_since(*seen) < interval);
        }
        fresh
    }

    /// Forgets everything: the next sighting of any code is reported.
    pub fn clear(&mut self) {
        self.last_seen.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_code_is_reported_once_and_again_after_absence() {
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        let mut f = RepeatFilter::new(Duration::from_millis(3000));
        assert!(f.admit(b"A", ms(0)));
        // Held for 10 s, seen every 33 ms: never again.
        assert!((1..300).all(|i| !f.admit(b"A", ms(i * 33))));
        // Another code meanwhile is reported.
        assert!(f.admit(b"B", ms(9_900)));
        // A out of sight for 3 s, then shown again.
        assert!(f.admit(b"A", ms(9_867 + 3_000)));
    }

    #[test]
    fn clear_rearms() {
        let t0 = Instant::now();
        let mut f = RepeatFilter::new(Duration::from_secs(60));
        assert!(f.admit(b"X", t0));
        assert!(!f.admit(b"X", t0));
        f.clear();
        assert!(f.admit(b"X", t0));
    }

    #[test]
    fn memory_stays_bounded() {
        let t0 = Instant::now();
        let mut f = RepeatFilter::new(Duration::from_millis(10));
        for i in 0..10_000u32 {
            f.admit(&i.to_le_bytes(), t0 + Duration::from_millis(u64::from(i)));
        }
        assert!(f.last_seen.len() <= 65);
    }
}
