//! Vaccination certificates through the kiosk's own entry point: a forged or
//! altered certificate never shows as verified; trust list layouts all load.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use base64::Engine;
use checkpoint_domain::payload::ckd::CkdKeys;
use checkpoint_domain::payload::dcc::trust::TrustList;
use checkpoint_domain::payload::dcc::verify::{SignatureCheck, Validity};
use checkpoint_domain::payload::dcc::{self, Dcc};
use checkpoint_domain::payload::{self, ParseContext, Payload, base45};
use chrono::{DateTime, Utc};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

struct Vector {
    prefix: String,
    cert_b64: String,
    clock: DateTime<Utc>,
}

fn vector(rel: &str) -> Vector {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/dcc")
        .join(rel);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    Vector {
        prefix: v["PREFIX"].as_str().unwrap().to_owned(),
        cert_b64: v["TESTCTX"]["CERTIFICATE"].as_str().unwrap().to_owned(),
        clock: clock(v["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap()),
    }
}

/// RFC 3339, or without a zone (then UTC), as the vectors write it.
fn clock(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).map_or_else(
        |_| {
            chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                .unwrap()
                .and_utc()
        },
        |t| t.with_timezone(&Utc),
    )
}

fn scan(text: &str, trust: &TrustList, now: DateTime<Utc>) -> Dcc {
    let keys = CkdKeys::default();
    let ctx = ParseContext::new(trust, &keys, now);
    match payload::parse(text.as_bytes(), &ctx).unwrap().payload {
        Payload::Dcc(d) => *d,
        other => panic!("not a DCC: {other:?}"),
    }
}

fn trust_of(v: &Vector) -> TrustList {
    let mut t = TrustList::empty();
    t.add_der(&B64.decode(&v.cert_b64).unwrap(), Some("XX".into()), None);
    t
}

#[test]
fn genuine_es256_and_ps256_certificates_verify() {
    for rel in ["AT/2DCode/raw/1.json", "CH/2DCode/raw/1.json"] {
        let v = vector(rel);
        let d = scan(&v.prefix, &trust_of(&v), v.clock);
        assert!(d.verification.is_valid(), "{rel}: {:?}", d.verification);
    }
}

#[test]
fn an_altered_certificate_fails_the_signature() {
    let v = vector("AT/2DCode/raw/1.json");
    let cose = dcc::chain::cose_bytes(&v.prefix).unwrap();
    // Change the birth year inside the signed payload: "1998" -> "1999".
    let at = cose.windows(4).position(|w| w == b"1998").unwrap();
    let mut forged = cose.clone();
    forged[at + 3] = b'9';
    let text = format!("HC1:{}", base45::encode(&forged));
    let d = scan(&text, &trust_of(&v), v.clock);
    assert!(matches!(
        d.verification.signature,
        SignatureCheck::Invalid { .. }
    ));
    assert!(!d.verification.is_valid());
    assert_eq!(d.holder.birth_date, "1999-02-26", "shown, but not verified");
}

#[test]
fn an_unknown_signer_or_expired_certificate_is_not_verified() {
    let v = vector("AT/2DCode/raw/1.json");
    let other = vector("CH/2DCode/raw/1.json");
    let d = scan(&v.prefix, &trust_of(&other), v.clock);
    assert!(matches!(
        d.verification.signature,
        SignatureCheck::UnknownSigner { .. }
    ));
    let later = v.clock + chrono::Duration::days(400);
    let d = scan(&v.prefix, &trust_of(&v), later);
    assert_eq!(d.verification.validity, Validity::Expired);
    assert!(!d.verification.is_valid());
    let earlier = v.clock - chrono::Duration::days(400);
    assert_eq!(
        scan(&v.prefix, &trust_of(&v), earlier)
            .verification
            .validity,
        Validity::NotYetValid
    );
}

#[test]
fn a_signer_not_allowed_to_sign_the_type_fails_key_usage() {
    // NL "wrong key": a test certificate signed by a vaccination-only signer.
    let v = vector("NL/2DCode/raw/222-NL-test+wrong_key.json");
    let d = scan(&v.prefix, &trust_of(&v), v.clock);
    assert!(matches!(
        d.verification.signature,
        SignatureCheck::Valid { .. }
    ));
    assert!(!d.verification.key_usage_ok);
    assert!(!d.verification.is_valid());
}

#[test]
fn trust_list_layouts_all_load() {
    let v = vector("AT/2DCode/raw/1.json");
    let der = B64.decode(&v.cert_b64).unwrap();
    let kid = &dcc::signer::Signer::from_der(&der, None).unwrap().kid;
    let kid_b64 = B64.encode(kid);
    let own = format!(
        r#"{{"format":"checkpoint-kiosk-trust-list","version":1,"dsc":[{{"country":"AT","certificate":"{}"}},{{"certificate":"bm90IGEgY2VydA=="}}]}}"#,
        v.cert_b64
    );
    let gateway = format!(
        r#"[{{"kid":"{kid_b64}","timestamp":"2021-05-01T00:00:00Z","country":"AT","certificateType":"DSC","thumbprint":"x","signature":"x","rawData":"{}"}},{{"kid":"AAAAAAAAAAA=","country":"AT","certificateType":"CSCA","rawData":"{}"}}]"#,
        v.cert_b64, v.cert_b64
    );
    let national = format!(
        "MEUCIQDsignatureline\n{{\"certificates\":[{{\"certificateType\":\"DSC\",\"country\":\"AT\",\"kid\":\"{kid_b64}\",\"rawData\":\"{}\"}}]}}",
        v.cert_b64
    );
    let pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        v.cert_b64
    );
    for (name, text, skipped) in [
        ("own", own, 1),
        ("gateway", gateway, 0),
        ("national", national, 0),
        ("pem", pem, 0),
    ] {
        let trust = TrustList::from_bytes(text.as_bytes()).unwrap();
        assert_eq!((trust.len(), trust.skipped), (1, skipped), "{name}");
        assert!(
            scan(&v.prefix, &trust, v.clock).verification.is_valid(),
            "{name}"
        );
    }
    assert!(TrustList::from_bytes(b"\xff\xfe").is_err());
    assert!(TrustList::from_bytes(b"{\"dsc\": 5}").is_err());
    let missing = TrustList::load(Path::new("/nonexistent/trust-list.json")).unwrap();
    assert!(missing.is_empty());
}
