//! Property tests of the payload parsers: no input panics, encoders and
//! decoders agree, signatures catch every edit.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use checkpoint_domain::payload::address_map::NoAddressData;
use checkpoint_domain::payload::ckd::{self, CkdKeys, CkdRecord, CkdSignature, Field, codec};
use checkpoint_domain::payload::dcc::{self, trust::TrustList};
use checkpoint_domain::payload::{self, ParseContext, Payload, base45, cccd, contact};
use chrono::{DateTime, NaiveDate};
use ed25519_dalek::SigningKey;
use proptest::prelude::*;

fn ctx_parse(bytes: &[u8]) -> Result<payload::Parsed, payload::Refusal> {
    let trust = TrustList::empty();
    let keys = CkdKeys::default();
    let ctx = ParseContext::new(
        &trust,
        &keys,
        DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
    );
    payload::parse(bytes, &ctx)
}

const B45: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

fn field() -> impl Strategy<Value = Field> {
    prop_oneof![
        "\\PC{0,40}".prop_map(Field::FullName),
        "[0-9A-Z]{0,20}".prop_map(Field::DocumentNumber),
        any::<u8>().prop_map(Field::DocumentKind),
        (0u16..60_000).prop_map(|d| Field::BirthDate(
            NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Days::new(d.into())
        )),
        any::<u16>().prop_map(Field::BirthYear),
        any::<u8>().prop_map(Field::Gender),
        "[A-Z]{2}".prop_map(Field::Nationality),
        "\\+?[0-9]{0,15}".prop_map(Field::Phone),
        "[0-9]{1,5}".prop_map(Field::ProvinceCode),
        "[0-9]{1,5}".prop_map(Field::WardCode),
        "\\PC{0,60}".prop_map(Field::Street),
        "\\PC{0,60}".prop_map(Field::AddressText),
        prop::collection::vec((0u8..128, any::<bool>()), 0..40).prop_map(Field::Answers),
        (any::<u8>(), "\\PC{0,40}").prop_map(|(q, s)| Field::AnswerText(q, s)),
        (any::<u8>(), prop::option::of(0u16..60_000)).prop_map(|(doses, d)| {
            Field::Vaccination {
                doses,
                last_dose: d.map(|d| {
                    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Days::new(d.into())
                }),
            }
        }),
        "\\PC{0,40}".prop_map(Field::DeclarantName),
        "\\+?[0-9]{0,15}".prop_map(Field::DeclarantPhone),
        any::<bool>().prop_map(Field::Consent),
        "vi|en".prop_map(Field::Language),
        any::<u8>().prop_map(Field::MadeBy),
        (21u8..64, prop::collection::vec(any::<u8>(), 0..30))
            .prop_map(|(t, v)| Field::Unknown(t, v)),
    ]
}

fn record() -> impl Strategy<Value = CkdRecord> {
    (0u32..u32::MAX, prop::collection::vec(field(), 0..12)).prop_map(|(secs, fields)| CkdRecord {
        issued_at: DateTime::from_timestamp(1_577_836_800 + i64::from(secs), 0).unwrap(),
        // Text is NFC after decoding: normalise what goes in.
        fields: fields
            .into_iter()
            .map(|f| match f {
                Field::FullName(s) => Field::FullName(payload::text::nfc(&s)),
                Field::Street(s) => Field::Street(payload::text::nfc(&s)),
                Field::AddressText(s) => Field::AddressText(payload::text::nfc(&s)),
                Field::AnswerText(q, s) => Field::AnswerText(q, payload::text::nfc(&s)),
                Field::DeclarantName(s) => Field::DeclarantName(payload::text::nfc(&s)),
                other => other,
            })
            .collect(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = ctx_parse(&bytes);
    }

    #[test]
    fn parse_never_panics_on_prefixed_base45(prefix in prop_oneof!["HC1:", "CKD:", "NCF"], body in prop::collection::vec(prop::sample::select(B45.chars().collect::<Vec<_>>()), 0..600)) {
        let text: String = std::iter::once(prefix.to_string()).chain(body.into_iter().map(String::from)).collect();
        let _ = ctx_parse(text.as_bytes());
    }

    #[test]
    fn card_like_text_never_panics(fields in prop::collection::vec("[0-9]{0,13}|\\PC{0,20}", 0..10)) {
        let text = fields.join("|");
        let mut warnings = Vec::new();
        let _ = cccd::parse(&text, &NoAddressData, &mut warnings);
        let _ = ctx_parse(text.as_bytes());
    }

    #[test]
    fn well_formed_cards_round_trip(number in "0[0-9]{2}[0-3][0-9]{8}", name in "[A-Za-zĐđƯưƠơÂâÊêÔôĂăÁáÀàẢảÃãẠạỄễỆệ]{1,8}( [A-Za-zĐđƯưƠơÂâÊêÔôĂăÁáÀàẢảÃãẠạỄễỆệ]{1,8}){1,3}", day in 1u32..29, month in 1u32..13, year in 1930i32..2010, female in any::<bool>(), address in "[a-zA-Z0-9 ,./àáâãèéêìíòóôõùúăĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĐđ]{0,60}") {
        let gender = if female { "Nữ" } else { "Nam" };
        let text = format!("{number}||{name}|{day:02}{month:02}{year}|{gender}|{address}|01012022");
        let mut warnings = Vec::new();
        let card = cccd::parse(&text, &NoAddressData, &mut warnings).unwrap();
        prop_assert_eq!(card.number, number);
        prop_assert_eq!(card.full_name, payload::text::nfc(&name));
        prop_assert_eq!(card.birth_date, NaiveDate::from_ymd_opt(year, month, day).unwrap());
    }

    #[test]
    fn impossible_days_are_refused(day in 32u32..100, month in 1u32..13) {
        let text = format!("001099012345||Nguyễn Văn A|{day:02}{month:02}1999|Nam|Hà Nội|01012021");
        let mut warnings = Vec::new();
        prop_assert!(cccd::parse(&text, &NoAddressData, &mut warnings).is_err());
    }

    #[test]
    fn base45_round_trips(bytes in prop::collection::vec(any::<u8>(), 0..500)) {
        prop_assert_eq!(base45::decode(&base45::encode(&bytes)), Some(bytes));
    }

    #[test]
    fn ckd_frames_round_trip(record in record()) {
        let bytes = codec::encode_unsigned(&record, None);
        prop_assert_eq!(codec::decode(&bytes).unwrap().record, record);
    }

    #[test]
    fn any_edit_of_a_signed_ckd_is_caught(record in record(), at in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let key = SigningKey::from_bytes(&[7; 32]);
        let text = ckd::encode_signed(&record, &key);
        let mut bytes = base45::decode(&text[4..]).unwrap();
        let i = at.index(bytes.len());
        bytes[i] ^= flip;
        let edited = format!("CKD:{}", base45::encode(&bytes));
        let keys = CkdKeys::new(Some(key.verifying_key()), &TrustList::empty());
        if let Ok(scan) = ckd::parse(&edited, &keys, record.issued_at) {
            prop_assert_ne!(scan.signature, CkdSignature::Valid { issuer: "this kiosk".into() });
        }
    }

    #[test]
    fn contacts_never_panic(body in "\\PC{0,300}", mecard in any::<bool>()) {
        let text = if mecard { format!("MECARD:{body}") } else { format!("BEGIN:VCARD\n{body}\nEND:VCARD") };
        prop_assert!(contact::parse(&text).is_some());
    }

    #[test]
    fn cose_decoding_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        if let Ok(decoded) = dcc::decode_cose(&bytes) {
            let _ = dcc::check(decoded, &TrustList::empty(), 0);
        }
    }

    #[test]
    fn trust_lists_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        let _ = TrustList::from_bytes(&bytes);
    }
}

#[test]
fn plain_text_and_links_are_shown_not_followed() {
    assert!(matches!(
        ctx_parse(b"https://example.org/x").unwrap().payload,
        Payload::Url(_)
    ));
    assert!(matches!(
        ctx_parse("Xin chào".as_bytes()).unwrap().payload,
        Payload::Text(_)
    ));
    assert!(matches!(
        ctx_parse(&[0xFF, 0x00, 0x10]).unwrap().payload,
        Payload::Unknown(_)
    ));
    assert!(matches!(
        ctx_parse(b"MECARD:N:A,B;TEL:1;;").unwrap().payload,
        Payload::Contact(_)
    ));
    assert!(ctx_parse(b"   ").is_err());
}
