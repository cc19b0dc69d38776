//! A limit per client address: a bucket of `burst` requests refilled at
//! `per_minute`. Addresses whose bucket is full again are forgotten once
//! many are remembered, so a spray of addresses cannot grow it for ever.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

#[derive(Debug)]
pub struct PerAddress {
    per_minute: f64,
    burst: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl PerAddress {
    /// Past this many addresses, those with a full bucket go.
    const SWEEP_AT: usize = 4096;

    pub fn new(per_minute: u32, burst: u32) -> Self {
        Self {
            per_minute: f64::from(per_minute.max(1)),
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `addr` may go on now (and takes one from its bucket).
    pub fn allow(&self, addr: IpAddr, now: Instant) -> bool {
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        let refill = |(tokens, at): (f64, Instant)| {
            let minutes = now.saturating_duration_since(at).as_secs_f64() / 60.0;
            (tokens + minutes * self.per_minute).min(self.burst)
        };
        if buckets.len() >= Self::SWEEP_AT {
            buckets.retain(|_, b| refill(*b) < self.burst);
        }
        let tokens = buckets.get(&addr).map_or(self.burst, |b| refill(*b));
        let allowed = tokens >= 1.0;
        let left = if allowed { tokens - 1.0 } else { tokens };
        buckets.insert(addr, (left, now));
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_then_the_rate_per_address() {
        let limit = PerAddress::new(30, 10);
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        let t0 = Instant::now();
        assert_eq!((0..15).filter(|_| limit.allow(a, t0)).count(), 10);
        assert!(limit.allow(b, t0), "another address has its own bucket");
        // 30 a minute: one more every two seconds.
        assert!(!limit.allow(a, t0 + Duration::from_secs(1)));
        assert!(limit.allow(a, t0 + Duration::from_secs(3)));
    }
}
