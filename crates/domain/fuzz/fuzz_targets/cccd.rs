//! The ID card parser, including the mojibake repair.
#![no_main]

use checkpoint_domain::payload::{address_map::NoAddressData, cccd};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let mut warnings = Vec::new();
        let _ = cccd::parse(text, &NoAddressData, &mut warnings);
    }
});
