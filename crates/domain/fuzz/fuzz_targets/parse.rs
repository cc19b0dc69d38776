//! The whole entry point: any bytes a scanner can produce.
#![no_main]

use checkpoint_domain::payload::{self, ParseContext, ckd::CkdKeys, dcc::trust::TrustList};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let trust = TrustList::empty();
    let keys = CkdKeys::default();
    let now = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
    let ctx = ParseContext::new(&trust, &keys, now);
    let _ = payload::parse(data, &ctx);
});
