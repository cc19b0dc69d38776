//! The saved-declaration codec: binary frames and the text form.
#![no_main]

use checkpoint_domain::payload::ckd::{self, CkdKeys, codec};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(frame) = codec::decode(data) {
        // Whatever decodes re-encodes without panicking.
        let _ = codec::encode_unsigned(&frame.record, None);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let now = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        let _ = ckd::parse(text, &CkdKeys::default(), now);
    }
});
