//! Retry delays: exponential, with jitter so a fleet of kiosks that lost the
//! network together does not hammer the hub together when it comes back.

use std::time::Duration;

use rand::Rng;

use super::{SyncConfig, SyncError};

#[derive(Debug, Clone)]
pub struct Backoff {
    base_ms: u64,
    offline_cap_ms: u64,
    cap_ms: u64,
    failures: u32,
}

impl Backoff {
    pub fn new(config: &SyncConfig) -> Self {
        Self {
            base_ms: config.retry_base_ms.max(1),
            offline_cap_ms: config.offline_retry_max_ms.max(1),
            cap_ms: config.retry_max_secs.saturating_mul(1000).max(1),
            failures: 0,
        }
    }

    /// After a success: start again from the base delay.
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    /// The delay before the next try after `err`. An unreachable hub is
    /// retried within `offline_retry_max_ms` (the network may be back any
    /// second and a failed connect costs the hub nothing); a hub that answers
    /// with an error is given up to `retry_max_secs`, or what it asked for.
    pub fn next_delay(&mut self, err: &SyncError) -> Duration {
        self.failures = self.failures.saturating_add(1);
        let cap = if err.is_offline() {
            self.offline_cap_ms
        } else {
            self.cap_ms
        };
        let exp = self
            .base_ms
            .saturating_mul(1u64 << self.failures.saturating_sub(1).min(30))
            .min(cap);
        // "Equal jitter": half fixed, half random.
        let half = exp / 2;
        let mut ms = half + rand::thread_rng().gen_range(0..=exp - half);
        if let SyncError::Server {
            retry_after_secs: Some(secs),
            ..
        } = err
        {
            ms = ms.max(secs.saturating_mul(1000)).min(self.cap_ms);
        }
        Duration::from_millis(ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SyncConfig {
        SyncConfig {
            retry_base_ms: 100,
            offline_retry_max_ms: 1_000,
            retry_max_secs: 10,
            ..SyncConfig::default()
        }
    }

    #[test]
    fn grows_exponentially_within_jitter_and_caps() {
        let mut b = Backoff::new(&config());
        let err = SyncError::Server {
            status: 503,
            detail: String::new(),
            retry_after_secs: None,
        };
        let mut ceilings = vec![];
        for _ in 0..12 {
            ceilings.push(b.next_delay(&err).as_millis());
        }
        assert!((50..=100).contains(&ceilings[0]), "{ceilings:?}");
        assert!((100..=200).contains(&ceilings[1]), "{ceilings:?}");
        assert!((400..=800).contains(&ceilings[3]), "{ceilings:?}");
        assert!(ceilings.iter().all(|&d| d <= 10_000), "{ceilings:?}");
        assert!(ceilings[11] >= 5_000, "{ceilings:?}");
        b.reset();
        assert!(b.next_delay(&err).as_millis() <= 100);
    }

    #[test]
    fn offline_retries_stay_short() {
        let mut b = Backoff::new(&config());
        let err = SyncError::Offline("refused".into());
        for _ in 0..50 {
            assert!(b.next_delay(&err).as_millis() <= 1_000);
        }
    }

    #[test]
    fn honours_retry_after_up_to_the_cap() {
        let mut b = Backoff::new(&config());
        let asked = |secs| SyncError::Server {
            status: 503,
            detail: String::new(),
            retry_after_secs: Some(secs),
        };
        assert_eq!(b.next_delay(&asked(3)).as_millis(), 3_000);
        assert_eq!(b.next_delay(&asked(3600)).as_millis(), 10_000);
    }

    #[test]
    fn jitter_spreads_delays() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..50 {
            let mut b = Backoff::new(&config());
            seen.insert(b.next_delay(&SyncError::Offline(String::new())).as_millis());
        }
        assert!(seen.len() > 5, "{seen:?}");
    }
}
