//! The saved-declaration code: round trips, signatures, size, freshness.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use checkpoint_domain::payload::ckd::{self, CkdKeys, CkdRecord, CkdSignature, Field, codec};
use checkpoint_domain::payload::dcc::trust::TrustList;
use checkpoint_domain::payload::{self, ParseContext, Payload, Warning};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use ed25519_dalek::SigningKey;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-27T08:30:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// A typical declaration: Vietnamese name, CCCD, phone, current address codes,
/// street, 14-day answers, vaccination.
pub fn typical(issued_at: DateTime<Utc>) -> CkdRecord {
    CkdRecord {
        issued_at,
        fields: vec![
            Field::FullName("Nguyễn Thị Minh Khai".into()),
            Field::DocumentKind(1),
            Field::DocumentNumber("001198012345".into()),
            Field::BirthDate(NaiveDate::from_ymd_opt(1998, 8, 15).unwrap()),
            Field::Gender(2),
            Field::Nationality("VN".into()),
            Field::Phone("0912345678".into()),
            Field::ProvinceCode("01".into()),
            Field::WardCode("00004".into()),
            Field::Street("Số 12 ngõ 34 Đại Cồ Việt".into()),
            Field::Answers(vec![
                (1, false),
                (10, false),
                (11, false),
                (12, false),
                (20, true),
                (40, true),
            ]),
            Field::AnswerText(1, "Đà Nẵng".into()),
            Field::Vaccination {
                doses: 3,
                last_dose: NaiveDate::from_ymd_opt(2022, 3, 1),
            },
        ],
    }
}

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn scan(text: &str, keys: &CkdKeys, at: DateTime<Utc>) -> payload::Parsed {
    let trust = TrustList::empty();
    let ctx = ParseContext::new(&trust, keys, at);
    payload::parse(text.as_bytes(), &ctx).unwrap()
}

#[test]
fn typical_declaration_fits_qr_version_10_at_level_m() {
    let text = ckd::encode_signed(&typical(now()), &key(1));
    assert!(text.len() <= 300, "{} characters", text.len());
    let code =
        qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).unwrap();
    let qrcode::Version::Normal(version) = code.version() else {
        panic!("micro QR")
    };
    assert!(version <= 10, "version {version}");
    println!(
        "typical CKD: {} characters, QR version {version}-M",
        text.len()
    );
}

#[test]
fn signed_round_trip_is_verified_and_equal() {
    let record = typical(now());
    let text = ckd::encode_signed(&record, &key(1));
    let keys = CkdKeys::new(Some(key(1).verifying_key()), &TrustList::empty());
    let parsed = scan(&text, &keys, now() + Duration::hours(2));
    let Payload::Ckd(scan) = parsed.payload else {
        panic!("not a CKD")
    };
    assert_eq!(scan.record, record);
    assert!(scan.is_verified() && scan.is_fresh());
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
}

/// A code's signature covers the signing context: the same key's signature
/// over the bare bytes (what the hub's key makes of a fleet document) does not
/// verify a code of the current version. A code signed before the context
/// (version 1) still verifies, as made, until it expires; edited, it does not.
#[test]
fn signatures_cover_the_signing_context_and_legacy_codes_still_verify() {
    let record = typical(now());
    let keys = CkdKeys::new(Some(key(1).verifying_key()), &TrustList::empty());
    let status = |bytes: &[u8]| {
        let text = format!("{}{}", ckd::PREFIX, payload::base45::encode(bytes));
        let Payload::Ckd(scan) = scan(&text, &keys, now()).payload else {
            panic!("not a CKD")
        };
        scan.signature
    };
    let text = ckd::encode_signed(&record, &key(1));
    let current = payload::base45::decode(&text[ckd::PREFIX.len()..]).unwrap();
    assert_eq!(current[0], codec::VERSION);
    assert!(matches!(status(&current), CkdSignature::Valid { .. }));

    // The bare bytes signed with the same key: not a signature of this version.
    use ed25519_dalek::Signer as _;
    let body = &current[..current.len() - codec::SIGNATURE_LEN];
    let mut bare = body.to_vec();
    bare.extend(key(1).sign(body).to_bytes());
    assert_eq!(status(&bare), CkdSignature::Invalid);

    // A code made before the context: version 1, the bare bytes signed.
    let mut legacy = body.to_vec();
    legacy[0] = codec::LEGACY_VERSION;
    let signature = key(1).sign(&legacy).to_bytes();
    legacy.extend(signature);
    assert!(matches!(status(&legacy), CkdSignature::Valid { .. }));
    let mut edited = legacy.clone();
    edited[5] ^= 1; // the issue time, a second later
    assert_eq!(status(&edited), CkdSignature::Invalid);
    // Its version changed to the current one: the signature no longer covers it.
    let mut promoted = legacy;
    promoted[0] = codec::VERSION;
    assert_eq!(status(&promoted), CkdSignature::Invalid);

    // Unsigned codes keep version 1, which every kiosk reads.
    let unsigned = ckd::encode_unsigned(&record);
    let bytes = payload::base45::decode(&unsigned[ckd::PREFIX.len()..]).unwrap();
    assert_eq!(bytes[0], codec::LEGACY_VERSION);
}

#[test]
fn trust_list_issuers_verify_and_strangers_do_not() {
    let text = ckd::encode_signed(&typical(now()), &key(2));
    let list = format!(
        r#"{{"ckd_issuers": [{{"name": "Hub", "public_key": "{}"}}]}}"#,
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            key(2).verifying_key().as_bytes()
        )
    );
    let trust = TrustList::from_bytes(list.as_bytes()).unwrap();
    let keys = CkdKeys::new(None, &trust);
    let Payload::Ckd(s) = scan(&text, &keys, now()).payload else {
        panic!()
    };
    assert_eq!(
        s.signature,
        CkdSignature::Valid {
            issuer: "Hub".into()
        }
    );
    let parsed = scan(&text, &CkdKeys::default(), now());
    let Payload::Ckd(s) = parsed.payload else {
        panic!()
    };
    assert!(matches!(s.signature, CkdSignature::UnknownIssuer { .. }));
    assert!(parsed.warnings.contains(&Warning::CkdUnknownIssuer));
}

#[test]
fn an_edited_code_is_detected() {
    let record = typical(now());
    let text = ckd::encode_signed(&record, &key(1));
    let keys = CkdKeys::new(Some(key(1).verifying_key()), &TrustList::empty());
    let mut bytes = payload::base45::decode(&text[4..]).unwrap();
    // Change one letter of the name (inside the signed part).
    let pos = bytes.windows(4).position(|w| w == b"Nguy").unwrap();
    bytes[pos] = b'M';
    let edited = format!("CKD:{}", payload::base45::encode(&bytes));
    let parsed = scan(&edited, &keys, now());
    let Payload::Ckd(s) = parsed.payload else {
        panic!()
    };
    assert_eq!(s.signature, CkdSignature::Invalid);
    assert!(parsed.warnings.contains(&Warning::CkdSignatureInvalid));
}

#[test]
fn unsigned_code_parses_unverified() {
    let text = ckd::encode_unsigned(&typical(now()));
    let parsed = scan(&text, &CkdKeys::default(), now());
    let Payload::Ckd(s) = parsed.payload else {
        panic!()
    };
    assert_eq!(s.signature, CkdSignature::Unsigned);
    assert!(parsed.warnings.contains(&Warning::CkdUnsigned));
}

#[test]
fn older_than_a_day_is_stale() {
    let text = ckd::encode_signed(&typical(now()), &key(1));
    let keys = CkdKeys::new(Some(key(1).verifying_key()), &TrustList::empty());
    let fresh = scan(&text, &keys, now() + Duration::hours(24));
    let Payload::Ckd(s) = fresh.payload else {
        panic!()
    };
    assert!(s.is_fresh());
    let stale = scan(
        &text,
        &keys,
        now() + Duration::hours(24) + Duration::minutes(1),
    );
    let Payload::Ckd(s) = stale.payload else {
        panic!()
    };
    assert!(!s.is_fresh());
    assert!(stale.warnings.contains(&Warning::CkdStale { hours: 24 }));
    // Dated well in the future: not fresh either.
    let early = scan(&text, &keys, now() - Duration::hours(1));
    let Payload::Ckd(s) = early.payload else {
        panic!()
    };
    assert!(!s.is_fresh());
}

#[test]
fn unknown_fields_of_a_newer_kiosk_are_kept_and_unknown_versions_refused() {
    let mut record = typical(now());
    record.fields.push(Field::Unknown(0x30, vec![1, 2, 3]));
    let bytes = codec::encode_unsigned(&record, None);
    assert_eq!(codec::decode(&bytes).unwrap().record, record);
    let mut v3 = bytes.clone();
    v3[0] = 3;
    assert_eq!(
        codec::decode(&v3).unwrap_err(),
        payload::PayloadError::CkdVersion { version: 3 }
    );
    // Truncated anywhere: refused, never a panic.
    for cut in 0..bytes.len() {
        let _ = codec::decode(&bytes[..cut]);
    }
}

/// Writes CKD fuzz seeds when CK_WRITE_FUZZ_SEEDS names a folder.
#[test]
fn write_fuzz_seeds_when_asked() {
    let Some(dir) = std::env::var_os("CK_WRITE_FUZZ_SEEDS") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let record = typical(now());
    std::fs::write(dir.join("signed.txt"), ckd::encode_signed(&record, &key(1))).unwrap();
    std::fs::write(dir.join("unsigned.txt"), ckd::encode_unsigned(&record)).unwrap();
    std::fs::write(dir.join("frame.bin"), codec::encode_unsigned(&record, None)).unwrap();
}
