//! COSE/CWT/certificate decoding and the schema checks from raw CBOR bytes
//! (past the compression step, where the fuzzer would rarely get).
#![no_main]

use checkpoint_domain::payload::dcc::{self, trust::TrustList};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(decoded) = dcc::decode_cose(data) {
        let _ = dcc::check(decoded, &TrustList::empty(), 1_700_000_000);
    }
});
