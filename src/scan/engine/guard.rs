//! Isolation of decoder calls: a panic inside a decoder library is caught,
//! counted and logged, and the frame simply yields no code from that pass.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};

use super::DecoderName;

/// Panics caught per decoder since the engine was made.
#[derive(Debug, Default)]
pub struct DecoderCounters {
    zxing: AtomicU64,
    rqrr: AtomicU64,
}

/// A copy of the counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PanicCounts {
    pub zxing_cpp: u64,
    pub rqrr: u64,
}

impl DecoderCounters {
    fn counter(&self, decoder: DecoderName) -> Option<&AtomicU64> {
        match decoder {
            DecoderName::ZxingCpp => Some(&self.zxing),
            DecoderName::Rqrr => Some(&self.rqrr),
            DecoderName::HandheldScanner => None,
        }
    }

    /// The current counts.
    pub fn snapshot(&self) -> PanicCounts {
        PanicCounts {
            zxing_cpp: self.zxing.load(Ordering::Relaxed),
            rqrr: self.rqrr.load(Ordering::Relaxed),
        }
    }
}

thread_local! {
    /// Set while this thread runs inside a decoder: its panics are expected
    /// outcomes, logged by [`isolate`] instead of printed by the default hook.
    static IN_DECODER: Cell<bool> = const { Cell::new(false) };
}

/// Installs (once) a panic hook that stays quiet for decoder panics and
/// hands every other panic to the hook that was there before.
fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !IN_DECODER.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs `call` for `decoder`; a panic becomes `None` and is counted.
pub(crate) fn isolate<T>(
    decoder: DecoderName,
    counters: &DecoderCounters,
    call: impl FnOnce() -> T,
) -> Option<T> {
    install_quiet_hook();
    IN_DECODER.with(|f| f.set(true));
    // The decoders get owned or borrowed image data and keep no state across
    // calls, so nothing half-updated can be observed after a panic.
    let result = panic::catch_unwind(AssertUnwindSafe(call));
    IN_DECODER.with(|f| f.set(false));
    match result {
        Ok(value) => Some(value),
        Err(payload) => {
            if let Some(counter) = counters.counter(decoder) {
                counter.fetch_add(1, Ordering::Relaxed);
            }
            let reason = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::warn!(decoder = decoder.as_str(), %reason, "decoder panicked; frame skipped");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_caught_and_counted() {
        let counters = DecoderCounters::default();
        let out: Option<u32> = isolate(DecoderName::Rqrr, &counters, || panic!("geometry"));
        assert_eq!(out, None);
        assert_eq!(counters.snapshot().rqrr, 1);
        assert_eq!(counters.snapshot().zxing_cpp, 0);
        assert_eq!(isolate(DecoderName::ZxingCpp, &counters, || 7), Some(7));
        assert_eq!(counters.snapshot().zxing_cpp, 0);
    }
}
