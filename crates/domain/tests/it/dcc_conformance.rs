//! DCC conformance: every vector under `tests/data/dcc/` (or `$CK_DCC_CORPUS`),
//! every EXPECTED* flag it carries, through this crate's own chain. Vectors in
//! the suite's `tests/known_issues.csv` are skipped for the flags listed there.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use base64::Engine;
use checkpoint_domain::payload::dcc::{
    self, cbor_json, chain, hcert, schema, signer::Signer, trust::TrustList, verify,
};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::Value;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// Vectors shown to be wrong: (path ending, flag, why). A flag listed here is
/// reported, not asserted. None is needed on the shared vectors today.
const PROVEN_WRONG: &[(&str, &str, &str)] = &[];

/// Flags in the vectors that name no step of the suite: counted as
/// "unrecognised", never guessed at.
/// - `EXPTECTEDEXPIRED` (BG 1-4, ES 201-203): misspelt and ambiguous. Read as
///   "expired at VALIDATIONCLOCK" it is false for six of the seven (issued before
///   and expiring after the clock); read as EXPECTEDEXPIRATIONCHECK it is false for
///   BG/4, whose `iat` (2021-02-16) precedes its signer certificate (2021-05-11).
/// - `EXPECTEDRESULTS` inside EXPECTEDRESULTS (ES 1001-1003): the container's own name.
const NOT_A_STEP: &[&str] = &["EXPTECTEDEXPIRED", "EXPECTEDRESULTS"];

/// The test names of the suite's known_issues.csv, and the flags they check.
fn flags_of_test(name: &str) -> &'static [&'static str] {
    match name {
        // The same schema check, on the decoded COSE and on the JSON given.
        "test_cose_schema" => &["EXPECTEDSCHEMAVALIDATION", "EXPECTEDVALIDOBJECT"],
        "test_cose_json" | "test_cose_cbor" => &["EXPECTEDDECODE"],
        "test_cbor_json" => &["EXPECTEDVALIDJSON"],
        "test_verification_check" => &["EXPECTEDVERIFY"],
        "test_expiration_check" => &["EXPECTEDEXPIRATIONCHECK"],
        "test_expected_key_usage" => &["EXPECTEDKEYUSAGE"],
        "test_compression" => &["EXPECTEDCOMPRESSION"],
        "test_b45decode" => &["EXPECTEDB45DECODE"],
        "test_un_prefix" => &["EXPECTEDUNPREFIX"],
        "test_picture_decode" => &["EXPECTEDPICTUREDECODE"],
        // An empty test name covers every flag.
        "" => &["*"],
        _ => &[],
    }
}

fn corpus_dir() -> PathBuf {
    std::env::var_os("CK_DCC_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/dcc"),
        PathBuf::from,
    )
}

/// (flag, country, file stem) triples to skip.
fn known_issues(dir: &Path) -> HashSet<(String, String, String)> {
    let Ok(text) = std::fs::read_to_string(dir.join("tests/known_issues.csv")) else {
        return HashSet::new();
    };
    let mut out = HashSet::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').map(str::trim).collect();
        if cols.len() < 3 {
            continue;
        }
        for flag in flags_of_test(cols[0]) {
            out.insert(((*flag).to_owned(), cols[1].to_owned(), cols[2].to_owned()));
        }
    }
    out
}

fn is_known(
    issues: &HashSet<(String, String, String)>,
    flag: &str,
    country: &str,
    stem: &str,
) -> bool {
    [flag, "*"].iter().any(|f| {
        [stem, ""]
            .iter()
            .any(|s| issues.contains(&((*f).to_owned(), country.to_owned(), (*s).to_owned())))
    })
}

/// `<country>/<any>/<any>/<name>.json`, as the suite's own runner globs.
fn vectors(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let list = |p: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(p)
            .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        v.sort();
        v
    };
    for country in list(dir).into_iter().filter(|p| p.is_dir()) {
        let code = country.file_name().unwrap().to_string_lossy().into_owned();
        for a in list(&country).into_iter().filter(|p| p.is_dir()) {
            for b in list(&a).into_iter().filter(|p| p.is_dir()) {
                for f in list(&b) {
                    if f.extension().is_some_and(|e| e == "json") {
                        out.push((code.clone(), f));
                    }
                }
            }
        }
    }
    out
}

fn hex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The suite compares after sorting and reading date-like strings as times.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len()
                && (x.iter().zip(y).all(|(v, w)| same(v, w))
                    || x.iter().all(|v| y.iter().any(|w| same(v, w))))
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(x), Value::String(y)) => x == y || same_time(x, y),
        _ => a == b,
    }
}

/// Both strings name the same time: as instants, or with the same local fields.
fn same_time(a: &str, b: &str) -> bool {
    match (time_of(a), time_of(b)) {
        (Some((ia, la)), Some((ib, lb))) => ia == ib || la == lb,
        _ => false,
    }
}

fn time_of(s: &str) -> Option<(i64, NaiveDateTime)> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some((t.timestamp(), t.naive_local().with_nanosecond_zero()));
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M:%S%z"] {
        if let Ok(t) = DateTime::parse_from_str(s, fmt) {
            return Some((t.timestamp(), t.naive_local().with_nanosecond_zero()));
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some((t.and_utc().timestamp(), t.with_nanosecond_zero()));
        }
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()?
        .and_hms_opt(0, 0, 0)?;
    Some((d.and_utc().timestamp(), d))
}

trait NoNanos {
    fn with_nanosecond_zero(self) -> Self;
}
impl NoNanos for NaiveDateTime {
    fn with_nanosecond_zero(self) -> Self {
        chrono::Timelike::with_nanosecond(&self, 0).unwrap_or(self)
    }
}

fn clock(ctx: &Value) -> i64 {
    let Some(s) = ctx.get("VALIDATIONCLOCK").and_then(Value::as_str) else {
        return Utc::now().timestamp();
    };
    time_of(s).map_or_else(|| Utc::now().timestamp(), |(t, _)| t)
}

/// `None` when the vector has no certificate; `Some(None)` when it has one this
/// crate cannot use (which fails a step that needs it).
fn signer(ctx: &Value) -> Option<Option<(Vec<u8>, Signer)>> {
    let text = ctx.get("CERTIFICATE")?.as_str()?;
    let der = B64.decode(text.trim()).ok();
    Some(der.and_then(|der| Signer::from_der(&der, None).ok().map(|s| (der, s))))
}

/// The CBOR field is sometimes the certificate, sometimes the whole claims map.
fn cbor_field_cert(v: &Value) -> Option<Value> {
    let bytes = hex(v.get("CBOR")?.as_str()?)?;
    let value: ciborium::Value = ciborium::de::from_reader(bytes.as_slice()).ok()?;
    let json = cbor_json::to_json(&value);
    Some(
        json.get("-260")
            .and_then(|h| h.get("1"))
            .cloned()
            .unwrap_or(json),
    )
}

fn decoded_cert(v: &Value) -> Option<dcc::Decoded> {
    dcc::decode_cose(&hex(v.get("COSE")?.as_str()?)?).ok()
}

fn picture_text(v: &Value) -> Option<String> {
    let png = B64.decode(v.get("2DCODE")?.as_str()?.trim()).ok()?;
    let image = image::load_from_memory(&png).ok()?;
    let luma = image.to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(luma.clone());
    if let Some(text) = prepared
        .detect_grids()
        .iter()
        .find_map(|g| g.decode().ok().map(|(_, t)| t))
    {
        return Some(text);
    }
    let view = zxingcpp::ImageView::from_slice(
        luma.as_raw(),
        luma.width(),
        luma.height(),
        zxingcpp::ImageFormat::Lum,
    )
    .ok()?;
    let found = zxingcpp::read().try_harder(true).from(view).ok()?;
    found.first().map(zxingcpp::Barcode::text)
}

/// Runs one step: `Some(outcome)`, or `None` when the vector lacks the data.
fn run(flag: &str, v: &Value) -> Option<bool> {
    let field = |k: &str| v.get(k).and_then(Value::as_str);
    let ctx = v.get("TESTCTX").cloned().unwrap_or(Value::Null);
    let json = v.get("JSON").filter(|j| j.is_object());
    match flag {
        "EXPECTEDPICTUREDECODE" => {
            let prefix = field("PREFIX")?;
            v.get("2DCODE")?;
            Some(picture_text(v).is_some_and(|t| t.trim_end() == prefix))
        }
        "EXPECTEDUNPREFIX" => {
            let (prefix, base45) = (field("PREFIX")?, field("BASE45")?);
            Some(chain::unprefix(prefix).is_ok_and(|b| b == base45))
        }
        "EXPECTEDB45DECODE" => {
            let compressed = hex(field("COMPRESSED")?);
            Some(chain::base45_decode(field("BASE45")?).ok() == compressed)
        }
        "EXPECTEDCOMPRESSION" => {
            let cose = hex(field("COSE")?);
            let zipped = hex(field("COMPRESSED")?)?;
            Some(chain::inflate(&zipped).ok() == cose)
        }
        "EXPECTEDDECODE" => {
            if field("COSE").is_none() {
                // Only the CBOR: it must decode and match the JSON.
                field("CBOR")?;
                let Some(cert) = cbor_field_cert(v) else {
                    return Some(false);
                };
                return Some(cert.is_object() && json.is_none_or(|j| same(&cert, j)));
            }
            let Some(decoded) = decoded_cert(v) else {
                return Some(false);
            };
            let cert = &decoded.claims.certificate;
            let json_ok = json.is_none_or(|j| same(cert, j));
            let cbor_ok =
                v.get("CBOR").is_none() || cbor_field_cert(v).is_some_and(|c| same(cert, &c));
            Some(json_ok && cbor_ok)
        }
        "EXPECTEDVALIDJSON" => {
            let (prefix, json) = (field("PREFIX")?, json?);
            Some(dcc::decode(prefix).is_ok_and(|d| same(&d.claims.certificate, json)))
        }
        "EXPECTEDSCHEMAVALIDATION" => {
            field("COSE")?;
            Some(
                decoded_cert(v).is_some_and(|d| schema::validate(&d.claims.certificate).is_empty()),
            )
        }
        "EXPECTEDVALIDOBJECT" => Some(schema::validate(json?).is_empty()),
        "EXPECTEDENCODE" => {
            let encoded = cbor_json::to_json(&cbor_json::from_json(json?));
            Some(cbor_field_cert(v).is_some_and(|c| same(&encoded, &c)))
        }
        "EXPECTEDVERIFY" => {
            field("COSE")?;
            let Some((der, _)) = signer(&ctx)? else {
                return Some(false);
            };
            let mut trust = TrustList::empty();
            trust.add_der(&der, None, None);
            let Some(decoded) = decoded_cert(v) else {
                return Some(false);
            };
            let (check, _) = verify::signature(&decoded.cose, &trust);
            Some(matches!(check, verify::SignatureCheck::Valid { .. }))
        }
        "EXPECTEDEXPIRATIONCHECK" => {
            field("COSE")?;
            let (Some((_, signer)), Some(decoded)) = (signer(&ctx)?, decoded_cert(v)) else {
                return Some(false);
            };
            Some(
                verify::validity(&decoded.claims, Some(&signer), clock(&ctx))
                    == verify::Validity::Valid,
            )
        }
        "EXPECTEDKEYUSAGE" => {
            field("COSE")?;
            let (Some((_, signer)), Some(decoded)) = (signer(&ctx)?, decoded_cert(v)) else {
                return Some(false);
            };
            Some(hcert::kind(&decoded.claims.certificate).is_some_and(|kind| signer.may_sign(kind)))
        }
        _ => None,
    }
}

const KNOWN_STEPS: &[&str] = &[
    "EXPECTEDPICTUREDECODE",
    "EXPECTEDUNPREFIX",
    "EXPECTEDB45DECODE",
    "EXPECTEDCOMPRESSION",
    "EXPECTEDDECODE",
    "EXPECTEDVALIDJSON",
    "EXPECTEDSCHEMAVALIDATION",
    "EXPECTEDVALIDOBJECT",
    "EXPECTEDENCODE",
    "EXPECTEDVERIFY",
    "EXPECTEDEXPIRATIONCHECK",
    "EXPECTEDKEYUSAGE",
];

#[derive(Default)]
struct Tally {
    pass: usize,
    fail: usize,
    known_issue: usize,
    proven_wrong: usize,
    no_data: usize,
    unrecognised: usize,
    /// Time spent in this step, for the curious (not asserted).
    millis: u128,
}

#[test]
fn every_expected_flag_of_every_vector() {
    let dir = corpus_dir();
    let issues = known_issues(&dir);
    let vectors = vectors(&dir);
    assert!(!vectors.is_empty(), "no vectors under {}", dir.display());
    let mut table: BTreeMap<String, Tally> = BTreeMap::new();
    let mut failures = Vec::new();
    for (country, path) in &vectors {
        let rel = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .display()
            .to_string();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let Ok(v) = serde_json::from_str::<Value>(text.trim_start_matches('\u{FEFF}')) else {
            failures.push(format!("{rel}: not JSON"));
            continue;
        };
        let Some(expected) = v.get("EXPECTEDRESULTS").and_then(Value::as_object) else {
            continue;
        };
        for (flag, want) in expected {
            let tally = table.entry(flag.clone()).or_default();
            let Some(want) = want.as_bool() else {
                tally.unrecognised += 1;
                continue;
            };
            if is_known(&issues, flag, country, &stem) {
                tally.known_issue += 1;
                continue;
            }
            let started = std::time::Instant::now();
            let outcome = run(flag, &v);
            tally.millis += started.elapsed().as_millis();
            let Some(got) = outcome else {
                if NOT_A_STEP.contains(&flag.as_str()) || !KNOWN_STEPS.contains(&flag.as_str()) {
                    tally.unrecognised += 1;
                } else {
                    tally.no_data += 1;
                }
                continue;
            };
            if got == want {
                tally.pass += 1;
            } else if let Some((_, _, why)) = PROVEN_WRONG
                .iter()
                .find(|(p, f, _)| rel.ends_with(p) && f == flag)
            {
                tally.proven_wrong += 1;
                println!("proven wrong: {rel} {flag}: {why}");
            } else {
                tally.fail += 1;
                failures.push(format!("{rel}: {flag} expected {want}, got {got}"));
            }
        }
    }
    println!(
        "\nDCC conformance over {} vectors in {}",
        vectors.len(),
        dir.display()
    );
    println!(
        "{:<26} {:>5} {:>5} {:>7} {:>7} {:>7} {:>7} {:>8}",
        "flag", "pass", "fail", "known", "wrong", "nodata", "unrecog", "ms"
    );
    for (flag, t) in &table {
        println!(
            "{flag:<26} {:>5} {:>5} {:>7} {:>7} {:>7} {:>7} {:>8}",
            t.pass, t.fail, t.known_issue, t.proven_wrong, t.no_data, t.unrecognised, t.millis
        );
    }
    for f in &failures {
        println!("FAIL {f}");
    }
    assert!(failures.is_empty(), "{} flag checks failed", failures.len());
}
