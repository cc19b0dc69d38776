//! Hostile codes are refused with a reason, never a panic: a zlib bomb inside
//! `HC1:`, CBOR nested 10,000 deep, a 1 MB "QR text". (How quickly: see the
//! `payload_parse` benchmark, which times the same inputs.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;

use checkpoint_domain::payload::ckd::CkdKeys;
use checkpoint_domain::payload::dcc::trust::TrustList;
use checkpoint_domain::payload::{self, ParseContext, PayloadError, PayloadKind, base45};

fn hc1_of(cose: &[u8]) -> String {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(cose).unwrap();
    format!("HC1:{}", base45::encode(&z.finish().unwrap()))
}

fn refuse(text: &str) -> payload::Refusal {
    let trust = TrustList::empty();
    let keys = CkdKeys::default();
    let ctx = ParseContext::new(&trust, &keys, chrono::Utc::now());
    payload::parse(text.as_bytes(), &ctx).unwrap_err()
}

/// 4 MB of zeros compress to about 4 KB: a QR-sized bomb.
pub fn zlib_bomb() -> String {
    hc1_of(&vec![0u8; 4 << 20])
}

#[test]
fn zlib_bomb_is_refused_by_the_size_limit() {
    let bomb = zlib_bomb();
    assert!(
        bomb.len() < payload::MAX_PAYLOAD_BYTES,
        "the bomb must fit a QR: {}",
        bomb.len()
    );
    let refusal = refuse(&bomb);
    assert_eq!(
        (refusal.kind, refusal.error.clone()),
        (PayloadKind::Dcc, PayloadError::DccTooLarge)
    );
    assert_eq!(refusal.error.message().id, "payload-error-dcc-too-large");
}

#[test]
fn cbor_nested_ten_thousand_deep_is_refused() {
    let mut deep = vec![0x81u8; 10_000];
    deep.push(0x00);
    let refusal = refuse(&hc1_of(&deep));
    assert_eq!(refusal.error, PayloadError::DccCborTooDeep);
    // Nested maps and tags too, and inside a valid-looking COSE envelope.
    let mut maps = [0xA1u8, 0x01].repeat(5_000);
    maps.push(0x00);
    assert_eq!(refuse(&hc1_of(&maps)).error, PayloadError::DccCborTooDeep);
    let mut tags = vec![0xD2u8; 10_000];
    tags.push(0x00);
    assert!(matches!(
        refuse(&hc1_of(&tags)).error,
        PayloadError::DccCborTooDeep | PayloadError::DccNotCose
    ));
}

#[test]
fn one_megabyte_text_is_refused_as_too_large() {
    let huge = "A".repeat(1 << 20);
    let refusal = refuse(&huge);
    assert!(matches!(refusal.error, PayloadError::TooLarge { len, .. } if len == 1 << 20));
    let huge_hc1 = format!("HC1:{}", "0".repeat(1 << 20));
    assert!(matches!(
        refuse(&huge_hc1).error,
        PayloadError::TooLarge { .. }
    ));
}

#[test]
fn truncated_and_mangled_certificates_are_refused_with_reasons() {
    assert_eq!(refuse("HC1:").error, PayloadError::DccCbor);
    assert_eq!(refuse("HC1:ab").error, PayloadError::DccBase45);
    assert_eq!(
        refuse("HC2:6BFOXN").error,
        PayloadError::DccPrefixUnsupported
    );
    // zlib header, then garbage.
    assert_eq!(
        refuse(&format!("HC1:{}", base45::encode(&[0x78, 0xDA, 1, 2, 3]))).error,
        PayloadError::DccInflate
    );
    // Valid CBOR that is not COSE.
    assert_eq!(
        refuse(&hc1_of(&[0x83, 1, 2, 3])).error,
        PayloadError::DccNotCose
    );
}

/// Maps used as map keys, nested as deep as the CBOR limit allows, in the
/// certificate of a COSE message: read in linear time and memory (writing
/// each key as JSON text once doubled the work per level: 8 s and 800 MB for
/// a 140-byte certificate).
#[test]
fn nested_map_keys_in_a_certificate_cost_little() {
    fn bstr(b: &[u8]) -> Vec<u8> {
        let mut out = match b.len() {
            n if n < 24 => vec![0x40 + n as u8],
            n if n < 256 => vec![0x58, n as u8],
            n => vec![0x59, (n >> 8) as u8, n as u8],
        };
        out.extend_from_slice(b);
        out
    }
    let depth = 28;
    let mut cert = vec![0xA1u8];
    cert.extend(std::iter::repeat_n(0xA1u8, depth));
    cert.extend(std::iter::repeat_n(0x00u8, depth + 2));
    // {-260: {1: certificate}}
    let mut cwt = vec![0xA1, 0x39, 0x01, 0x03, 0xA1, 0x01];
    cwt.extend(cert);
    let mut cose = vec![0xD2, 0x84];
    cose.extend(bstr(&[0xA1, 0x01, 0x26]));
    cose.push(0xA0);
    cose.extend(bstr(&cwt));
    cose.extend(bstr(&[0u8; 64]));
    let text = hc1_of(&cose);
    let trust = TrustList::empty();
    let keys = CkdKeys::default();
    let ctx = ParseContext::new(&trust, &keys, chrono::Utc::now());
    let started = std::time::Instant::now();
    let parsed = payload::parse(text.as_bytes(), &ctx);
    let took = started.elapsed();
    // Read (and found wanting), or refused: either way at once.
    assert!(
        took < std::time::Duration::from_millis(500),
        "{took:?} for {parsed:?}"
    );
}
