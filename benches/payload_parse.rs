//! Payload parsing speed: DCC parse + verify (target < 1 ms median), CCCD parse
//! (target < 20 µs), and how quickly hostile codes are refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::io::Write;
use std::path::Path;

use base64::Engine;
use checkpoint_domain::payload::address_map::NoAddressData;
use checkpoint_domain::payload::ckd::CkdKeys;
use checkpoint_domain::payload::dcc::{self, trust::TrustList};
use checkpoint_domain::payload::{self, ParseContext, base45, cccd};
use criterion::{Criterion, criterion_group, criterion_main};

/// A DCC vector with its signer and clock: (prefix text, trust list, clock).
fn vector(rel: &str) -> (String, TrustList, i64) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/dcc")
        .join(rel);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let der = base64::engine::general_purpose::STANDARD
        .decode(v["TESTCTX"]["CERTIFICATE"].as_str().unwrap())
        .unwrap();
    let mut trust = TrustList::empty();
    trust.add_der(&der, Some("XX".into()), None);
    let clock =
        chrono::DateTime::parse_from_rfc3339(v["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap())
            .unwrap()
            .timestamp();
    (v["PREFIX"].as_str().unwrap().to_owned(), trust, clock)
}

fn hc1_of(cose: &[u8]) -> String {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(cose).unwrap();
    format!("HC1:{}", base45::encode(&z.finish().unwrap()))
}

fn bench_dcc(c: &mut Criterion) {
    // ES256 (EC P-256) and PS256 (RSA) signers.
    for (name, rel) in [
        ("dcc_es256_parse_verify", "AT/2DCode/raw/1.json"),
        ("dcc_ps256_parse_verify", "CH/2DCode/raw/1.json"),
    ] {
        let (text, trust, clock) = vector(rel);
        let checked = dcc::check(dcc::decode(&text).unwrap(), &trust, clock);
        assert!(
            matches!(
                checked.verification.signature,
                dcc::verify::SignatureCheck::Valid { .. }
            ),
            "{rel}: {:?}",
            checked.verification
        );
        c.bench_function(name, |b| {
            b.iter(|| dcc::check(dcc::decode(black_box(&text)).unwrap(), &trust, clock));
        });
    }
}

fn bench_cccd(c: &mut Criterion) {
    let text = "001098012345|012345678|NGUYỄN VĂN A|15081998|Nam|Số 1 Đại Cồ Việt, Hai Bà Trưng, Hà Nội|25052021";
    c.bench_function("cccd_parse", |b| {
        b.iter(|| {
            let mut warnings = Vec::new();
            cccd::parse(black_box(text), &NoAddressData, &mut warnings).unwrap()
        });
    });
    let trust = TrustList::empty();
    let keys = CkdKeys::default();
    let ctx = ParseContext::new(&trust, &keys, chrono::Utc::now());
    c.bench_function("cccd_parse_via_entry_point", |b| {
        b.iter(|| payload::parse(black_box(text.as_bytes()), &ctx).unwrap());
    });
}

fn bench_hostile(c: &mut Criterion) {
    let trust = TrustList::empty();
    let keys = CkdKeys::default();
    let ctx = ParseContext::new(&trust, &keys, chrono::Utc::now());
    let bomb = hc1_of(&vec![0u8; 4 << 20]);
    let mut deep = vec![0x81u8; 10_000];
    deep.push(0);
    let deep = hc1_of(&deep);
    let huge = "A".repeat(1 << 20);
    for (name, text) in [
        ("refuse_zlib_bomb", &bomb),
        ("refuse_cbor_10000_deep", &deep),
        ("refuse_1mb_text", &huge),
    ] {
        assert!(payload::parse(text.as_bytes(), &ctx).is_err());
        c.bench_function(name, |b| {
            b.iter(|| payload::parse(black_box(text.as_bytes()), &ctx).unwrap_err())
        });
    }
}

criterion_group!(benches, bench_dcc, bench_cccd, bench_hostile);
criterion_main!(benches);
