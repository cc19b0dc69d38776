//! The DCC chain from text: prefix, Base45, bounded zlib, COSE, CWT, checks.
#![no_main]

use checkpoint_domain::payload::dcc::{self, trust::TrustList};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(decoded) = dcc::decode(text)
    {
        let _ = dcc::check(decoded, &TrustList::empty(), 1_700_000_000);
    }
});
