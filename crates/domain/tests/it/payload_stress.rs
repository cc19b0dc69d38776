//! A time-boxed mutation stress run of every parser, for machines where
//! cargo-fuzz cannot be built (it needs nightly and the whole dependency tree
//! instrumented). Seeds: the shared vectors and the kiosk's own encoders;
//! mutations: byte flips, insertions, deletions, truncation, splices.
//! Ignored by default; run with e.g.
//!   CK_STRESS_SECS=300 cargo test -p checkpoint-domain --test it payload_stress:: -- --ignored --nocapture
//! Any panic fails the run and writes the input to `target/stress-crash-<target>.bin`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

use checkpoint_domain::payload::address_map::NoAddressData;
use checkpoint_domain::payload::ckd::{self, CkdKeys, codec};
use checkpoint_domain::payload::dcc::{self, trust::TrustList};
use checkpoint_domain::payload::{self, ParseContext, cccd, contact};
use rand::{Rng, SeedableRng, rngs::StdRng};

fn seeds() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data");
    let mut out = Vec::new();
    let mut stack = vec![root.join("dcc")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "json") {
                let Ok(v) = serde_json::from_str::<serde_json::Value>(
                    &std::fs::read_to_string(&p).unwrap_or_default(),
                ) else {
                    continue;
                };
                if let Some(s) = v["PREFIX"].as_str() {
                    out.push(s.as_bytes().to_vec());
                }
                if let Some(h) = v["COSE"].as_str() {
                    out.push(
                        (0..h.len() / 2)
                            .filter_map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).ok())
                            .collect(),
                    );
                }
                if let Some(c) = v["TESTCTX"]["CERTIFICATE"].as_str() {
                    out.push(format!(r#"{{"dsc":[{{"certificate":"{c}"}}]}}"#).into_bytes());
                }
            }
        }
    }
    for name in ["samples.tsv", "mojibake-notes.txt"] {
        let text = std::fs::read_to_string(root.join("cccd").join(name)).unwrap_or_default();
        out.extend(
            text.lines()
                .filter(|l| !l.starts_with('#'))
                .map(|l| l.rsplit('\t').next().unwrap_or(l).as_bytes().to_vec()),
        );
    }
    let record = ckd::CkdRecord {
        issued_at: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
        fields: vec![
            ckd::Field::FullName("Nguyễn Văn A".into()),
            ckd::Field::Phone("0912345678".into()),
            ckd::Field::Answers(vec![(1, false), (20, true)]),
        ],
    };
    out.push(ckd::encode_unsigned(&record).into_bytes());
    out.push(
        ckd::encode_signed(&record, &ed25519_dalek::SigningKey::from_bytes(&[1; 32])).into_bytes(),
    );
    out.push(codec::encode_unsigned(&record, None));
    out.push(b"MECARD:N:Nguyen,Van A;TEL:+84912345678;;".to_vec());
    out.push(b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;ENCODING=QUOTED-PRINTABLE:Tr=E1=BA=A7n;A\r\nTEL:1\r\nEND:VCARD".to_vec());
    out
}

fn mutate(rng: &mut StdRng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.gen_range(0..seeds.len())].clone();
    for _ in 0..rng.gen_range(1..8) {
        let len = data.len();
        match rng.gen_range(0..6) {
            0 if len > 0 => {
                let i = rng.gen_range(0..len);
                data[i] ^= 1 << rng.gen_range(0..8);
            }
            1 if len > 0 => {
                let i = rng.gen_range(0..len);
                data[i] = rng.r#gen();
            }
            2 => {
                let i = rng.gen_range(0..=len);
                let byte = if rng.gen_bool(0.5) {
                    rng.r#gen()
                } else {
                    b"|:HC1CKD0123456789ABZ $%*+-./"[rng.gen_range(0..29)]
                };
                data.insert(i, byte);
            }
            3 if len > 0 => {
                let i = rng.gen_range(0..len);
                let n = rng.gen_range(1..=(len - i).min(16));
                data.drain(i..i + n);
            }
            4 if len > 0 => data.truncate(rng.gen_range(0..len)),
            _ => {
                let other = &seeds[rng.gen_range(0..seeds.len())];
                if !other.is_empty() {
                    let a = rng.gen_range(0..other.len());
                    let b = rng.gen_range(a..=other.len());
                    let at = rng.gen_range(0..=data.len());
                    data.splice(at..at, other[a..b].iter().copied());
                }
            }
        }
    }
    data
}

type Target = fn(&[u8]);

fn targets() -> Vec<(&'static str, Target)> {
    vec![
        ("parse", |d| {
            let trust = TrustList::empty();
            let keys = CkdKeys::default();
            let ctx = ParseContext::new(
                &trust,
                &keys,
                chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            );
            if let Ok(p) = payload::parse(d, &ctx) {
                let _ = payload::prefill::prefill(&p.payload);
            }
        }),
        ("cccd", |d| {
            if let Ok(t) = std::str::from_utf8(d) {
                let _ = cccd::parse(t, &NoAddressData, &mut Vec::new());
            }
        }),
        ("dcc", |d| {
            if let Ok(t) = std::str::from_utf8(d)
                && let Ok(x) = dcc::decode(t)
            {
                let _ = dcc::check(x, &TrustList::empty(), 1_700_000_000);
            }
        }),
        ("cose", |d| {
            if let Ok(x) = dcc::decode_cose(d) {
                let _ = dcc::check(x, &TrustList::empty(), 1_700_000_000);
            }
        }),
        ("ckd", |d| {
            if let Ok(f) = codec::decode(d) {
                let _ = codec::encode_unsigned(&f.record, None);
            }
            if let Ok(t) = std::str::from_utf8(d) {
                let _ = ckd::parse(
                    t,
                    &CkdKeys::default(),
                    chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
                );
            }
        }),
        ("contact", |d| {
            if let Ok(t) = std::str::from_utf8(d) {
                let _ = contact::parse(t);
            }
        }),
        ("trust_list", |d| {
            let _ = TrustList::from_bytes(d);
        }),
    ]
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[test]
#[ignore = "time-boxed stress run: CK_STRESS_SECS=300 cargo test -p checkpoint-domain --test it payload_stress:: -- --ignored"]
fn stress_every_parser() {
    let secs: u64 = std::env::var("CK_STRESS_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let only = std::env::var("CK_STRESS_TARGET").ok();
    let seeds = seeds();
    assert!(seeds.len() > 100);
    std::panic::set_hook(Box::new(|_| {}));
    for (name, target) in targets() {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let mut rng = StdRng::seed_from_u64(0x5EED ^ name.len() as u64);
        let started = Instant::now();
        let (mut runs, mut slowest) = (0u64, Duration::ZERO);
        while started.elapsed() < Duration::from_secs(secs) {
            let input = mutate(&mut rng, &seeds);
            let t = Instant::now();
            if catch_unwind(AssertUnwindSafe(|| target(&input))).is_err() {
                let _ = std::panic::take_hook();
                let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join(format!("../../target/stress-crash-{name}.bin"));
                let _ = std::fs::write(&path, &input);
                panic!("{name}: panic on input written to {}", path.display());
            }
            slowest = slowest.max(t.elapsed());
            runs += 1;
        }
        println!(
            "stress {name}: {runs} inputs in {:.0} s, slowest {:.2} ms, peak RSS {} MiB",
            started.elapsed().as_secs_f64(),
            slowest.as_secs_f64() * 1000.0,
            peak_rss_kib() / 1024
        );
    }
}
