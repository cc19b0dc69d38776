//! vCard and MECARD.
#![no_main]

use checkpoint_domain::payload::contact;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = contact::parse(text);
    }
});
