//! Trust list files (operator-supplied, but still outside bytes): every layout.
#![no_main]

use checkpoint_domain::payload::dcc::trust::TrustList;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = TrustList::from_bytes(data);
});
