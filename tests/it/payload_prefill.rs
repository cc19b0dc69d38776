//! Payload → form: which fields, from which source, verified or not; and the
//! saved-declaration round trip through the command line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use checkpoint_domain::declaration::{Declaration, DocumentKind, Gender, SourceKind, field};
use checkpoint_domain::payload::address_map::{AddressResolver, MappedAddress};
use checkpoint_domain::payload::ckd::{self, CkdKeys, declaration::record_of};
use checkpoint_domain::payload::dcc::trust::TrustList;
use checkpoint_domain::payload::prefill::prefill;
use checkpoint_domain::payload::{self, ParseContext, Payload};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use ed25519_dalek::SigningKey;

fn at() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-27T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn parse_with(
    text: &str,
    keys: &CkdKeys,
    now: DateTime<Utc>,
    addresses: &dyn AddressResolver,
) -> Payload {
    let trust = TrustList::empty();
    let mut ctx = ParseContext::new(&trust, keys, now);
    ctx.addresses = addresses;
    payload::parse(text.as_bytes(), &ctx).unwrap().payload
}

/// Stands in for the address data: maps one known old address.
struct OneAddress;
impl AddressResolver for OneAddress {
    fn map_printed(&self, printed: &str) -> Option<MappedAddress> {
        (printed == "Số 1 Đại Cồ Việt, Hai Bà Trưng, Hà Nội").then(|| MappedAddress {
            province_code: "01".into(),
            province_name: "Hà Nội".into(),
            ward_code: Some("00091".into()),
            ward_name: Some("Phường Hai Bà Trưng".into()),
            street: Some("Số 1 Đại Cồ Việt".into()),
        })
    }
}

#[test]
fn id_card_fills_identity_verified_and_maps_the_address() {
    let card = "001098012345|012345678|NGUYỄN VĂN A|15081998|Nam|Số 1 Đại Cồ Việt, Hai Bà Trưng, Hà Nội|25052021";
    let p = prefill(&parse_with(card, &CkdKeys::default(), at(), &OneAddress));
    assert_eq!(p.full_name.as_deref(), Some("NGUYỄN VĂN A"));
    assert_eq!(p.document.as_ref().unwrap().kind, DocumentKind::Cccd);
    assert_eq!(p.birth_date, NaiveDate::from_ymd_opt(1998, 8, 15));
    assert_eq!(p.gender, Some(Gender::Male));
    let address = p.address.clone().unwrap();
    assert_eq!(
        (
            address.province.as_str(),
            address.ward.as_str(),
            address.street.as_str()
        ),
        ("01", "00091", "Số 1 Đại Cồ Việt")
    );
    let source = p.sources[field::FULL_NAME];
    // Locked as read from the card, but the code carries no signature: never "verified".
    assert_eq!(
        (source.source, source.locked, source.signature_checked),
        (SourceKind::IdCard, true, false)
    );
    assert!(p.travel.is_none() && p.vaccination.is_none());
    let mut d = Declaration::default();
    p.apply(&mut d);
    assert_eq!(d.identity.document.number, "001098012345");
    assert_eq!(d.sources[field::ADDRESS].source, SourceKind::IdCard);
}

#[test]
fn unmapped_address_stays_text() {
    let card = "038185000111||LÊ THỊ HỒNG|01011985|Nữ|Thôn Đông, Xã Quỳnh Hoa, Huyện Quỳnh Phụ, Tỉnh Thái Bình|14082021";
    let p = prefill(&parse_with(card, &CkdKeys::default(), at(), &OneAddress));
    let address = p.address.unwrap();
    assert!(address.province.is_empty() && address.ward.is_empty());
    assert_eq!(
        address.printed,
        "Thôn Đông, Xã Quỳnh Hoa, Huyện Quỳnh Phụ, Tỉnh Thái Bình"
    );
}

fn example() -> Declaration {
    let mut d = Declaration::example();
    d.travel.answer = Some(true);
    d.travel.places = "Đà Nẵng".into();
    d.sources.clear();
    d
}

#[test]
fn fresh_signed_ckd_fills_identity_and_answers() {
    let key = SigningKey::from_bytes(&[3; 32]);
    let keys = CkdKeys::new(Some(key.verifying_key()), &TrustList::empty());
    let text = ckd::encode_signed(&record_of(&example(), at()), &key);
    let p = prefill(&parse_with(
        &text,
        &keys,
        at() + Duration::hours(3),
        &payload::address_map::NoAddressData,
    ));
    let mut d = Declaration::default();
    p.apply(&mut d);
    let want = example();
    assert_eq!(d.identity, want.identity);
    assert_eq!(d.travel, want.travel);
    assert_eq!(d.contacts, want.contacts);
    assert_eq!(d.symptoms, want.symptoms);
    assert_eq!(d.conditions, want.conditions);
    assert_eq!(d.vaccination, want.vaccination);
    assert!(
        d.sources
            .values()
            .all(|s| s.source == SourceKind::Ckd && s.locked && s.signature_checked)
    );
    assert!(!p.answers_withheld);
}

#[test]
fn stale_ckd_never_fills_fourteen_day_answers() {
    let key = SigningKey::from_bytes(&[3; 32]);
    let keys = CkdKeys::new(Some(key.verifying_key()), &TrustList::empty());
    let text = ckd::encode_signed(&record_of(&example(), at()), &key);
    let p = prefill(&parse_with(
        &text,
        &keys,
        at() + Duration::hours(25),
        &payload::address_map::NoAddressData,
    ));
    assert!(p.answers_withheld);
    assert!(p.travel.is_none() && p.contacts.is_empty() && p.symptoms.is_none());
    assert!(!p.sources.contains_key(field::TRAVEL) && !p.sources.contains_key(field::SYMPTOMS));
    // Identity and the (current) conditions are still filled.
    assert_eq!(p.full_name.as_deref(), Some("NGUYỄN VĂN A"));
    assert!(p.conditions.is_some());
}

#[test]
fn unsigned_or_foreign_ckd_fills_identity_unverified_and_no_answers() {
    let record = record_of(&example(), at());
    let stranger = SigningKey::from_bytes(&[9; 32]);
    for text in [
        ckd::encode_unsigned(&record),
        ckd::encode_signed(&record, &stranger),
    ] {
        let p = prefill(&parse_with(
            &text,
            &CkdKeys::default(),
            at(),
            &payload::address_map::NoAddressData,
        ));
        assert_eq!(p.full_name.as_deref(), Some("NGUYỄN VĂN A"));
        assert!(!p.sources[field::FULL_NAME].signature_checked);
        assert!(!p.sources[field::FULL_NAME].locked);
        assert!(
            p.travel.is_none()
                && p.contacts.is_empty()
                && p.symptoms.is_none()
                && p.conditions.is_none()
        );
        // Unverified values never overwrite what the visitor typed.
        let mut d = Declaration::default();
        d.identity.full_name = "Tên đã gõ".into();
        p.apply(&mut d);
        assert_eq!(d.identity.full_name, "Tên đã gõ");
        assert_eq!(d.identity.document.number, "001098012345");
    }
}

#[test]
fn dcc_adds_vaccination_and_name_with_diacritics() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/dcc/AT/2DCode/raw/1.json");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let text = v["PREFIX"].as_str().unwrap();
    let mut trust = TrustList::empty();
    let der = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        v["TESTCTX"]["CERTIFICATE"].as_str().unwrap(),
    )
    .unwrap();
    trust.add_der(&der, Some("AT".into()), None);
    let keys = CkdKeys::default();
    let now = DateTime::parse_from_rfc3339("2021-05-06T18:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let ctx = ParseContext::new(&trust, &keys, now);
    let parsed = payload::parse(text.as_bytes(), &ctx).unwrap().payload;
    let p = prefill(&parsed);
    // fn "Musterfrau-Gößinger", gn "Gabriele": diacritics kept, not the ICAO form.
    assert_eq!(p.full_name.as_deref(), Some("Musterfrau-Gößinger Gabriele"));
    let vaccination = p.vaccination.clone().unwrap();
    assert_eq!(
        (vaccination.doses, vaccination.last_dose),
        (Some(1), NaiveDate::from_ymd_opt(2021, 2, 18))
    );
    assert_eq!(p.birth_date, NaiveDate::from_ymd_opt(1998, 2, 26));
    assert!(p.sources[field::VACCINATION].signature_checked);
    assert!(p.sources[field::VACCINATION].locked);
    assert_eq!(p.sources[field::VACCINATION].source, SourceKind::Dcc);
    // Without the signer on the trust list: same values, unverified.
    let empty = TrustList::empty();
    let ctx = ParseContext::new(&empty, &keys, now);
    let p = prefill(&payload::parse(text.as_bytes(), &ctx).unwrap().payload);
    assert!(!p.sources[field::VACCINATION].signature_checked);
    assert!(!p.sources[field::VACCINATION].locked);
}

#[test]
fn contact_card_fills_name_and_phone_unverified() {
    let p = prefill(&parse_with(
        "MECARD:N:Trần,Thị Bích;TEL:0912345678;;",
        &CkdKeys::default(),
        at(),
        &payload::address_map::NoAddressData,
    ));
    assert_eq!(p.full_name.as_deref(), Some("Trần Thị Bích"));
    assert_eq!(p.phone.as_deref(), Some("0912345678"));
    assert!(!p.sources[field::PHONE].signature_checked);
    assert!(!p.sources[field::PHONE].locked);
    assert!(
        prefill(&parse_with(
            "https://example.org",
            &CkdKeys::default(),
            at(),
            &payload::address_map::NoAddressData
        ))
        .is_empty()
    );
}

#[test]
fn cli_encodes_a_declaration_that_the_same_kiosk_then_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("declaration.json");
    std::fs::write(&json, serde_json::to_string(&example()).unwrap()).unwrap();
    let png = dir.path().join("code.png");
    let bin = env!("CARGO_BIN_EXE_checkpoint-kiosk");
    let data = dir.path().join("data");
    let out = Command::new(bin)
        .args([
            "--data-dir",
            data.to_str().unwrap(),
            "--lang",
            "en",
            "ckd",
            "encode",
            "--json",
            json.to_str().unwrap(),
            "--png",
            png.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let code = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(
        code.starts_with("CKD:") && code.len() <= 300,
        "{} chars",
        code.len()
    );
    // The PNG holds the same text.
    let image = image::open(&png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let (_, read) = prepared.detect_grids()[0].decode().unwrap();
    assert_eq!(read, code);
    let out = Command::new(bin)
        .args([
            "--data-dir",
            data.to_str().unwrap(),
            "--lang",
            "en",
            "parse",
            "--json",
            &code,
        ])
        .output()
        .unwrap();
    let parsed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(parsed["kind"], "ckd");
    assert_eq!(parsed["payload"]["data"]["signature"]["status"], "valid");
}

#[test]
fn read_gives_kind_values_and_notes_in_one_call() {
    let key = SigningKey::from_bytes(&[3; 32]);
    let keys = CkdKeys::new(Some(key.verifying_key()), &TrustList::empty());
    let trust = TrustList::empty();
    let record = checkpoint_domain::declaration::Record::new(example(), "kiosk-1", at(), at());
    let text = ckd::declaration::encode_record(&record, &key);
    let ctx = ParseContext::new(&trust, &keys, at() + Duration::hours(30));
    let reading = payload::prefill::read(text.as_bytes(), &ctx).unwrap();
    assert_eq!(reading.kind, payload::PayloadKind::Ckd);
    assert_eq!(
        reading
            .notes
            .iter()
            .map(|m| m.id.as_ref())
            .collect::<Vec<_>>(),
        vec!["payload-warning-ckd-stale"]
    );
    let d = reading.prefill.declaration();
    assert_eq!(d.identity.full_name, "NGUYỄN VĂN A");
    assert_eq!(d.travel.answer, None, "stale: asked again");
    let refused =
        payload::prefill::read(b"001099012345||A|31022000|Nam|x|01012021", &ctx).unwrap_err();
    assert_eq!(refused.error.message().id, "payload-error-card-birth-date");
}

#[test]
fn old_card_addresses_map_onto_the_current_list_through_the_address_data() {
    let resolver = payload::address_map::AddressData;
    // Old three-level address: province (and ward when exact) on the current list.
    let m = payload::address_map::AddressResolver::map_printed(
        &resolver,
        "Thôn Đông, Xã Quỳnh Hoa, Huyện Quỳnh Phụ, Tỉnh Thái Bình",
    )
    .unwrap();
    assert!(!m.province_code.is_empty());
    assert!(checkpoint_domain::address::province_exists(
        &m.province_code
    ));
    if let Some(ward) = &m.ward_code {
        assert!(checkpoint_domain::address::ward_in_province(
            ward,
            &m.province_code
        ));
    }
    // Nothing recognisable: stays text.
    assert!(
        payload::address_map::AddressResolver::map_printed(&resolver, "somewhere far away")
            .is_none()
    );
    // Through the entry point (ParseContext::new uses the address data).
    let card = "038185000111||LÊ THỊ HỒNG|01011985|Nữ|Thôn Đông, Xã Quỳnh Hoa, Huyện Quỳnh Phụ, Tỉnh Thái Bình|14082021";
    let trust = TrustList::empty();
    let keys = CkdKeys::default();
    let ctx = ParseContext::new(&trust, &keys, at());
    let p = prefill(&payload::parse(card.as_bytes(), &ctx).unwrap().payload);
    let address = p.address.unwrap();
    assert_eq!(address.province, m.province_code);
    assert_eq!(
        address.printed,
        "Thôn Đông, Xã Quỳnh Hoa, Huyện Quỳnh Phụ, Tỉnh Thái Bình"
    );
}
