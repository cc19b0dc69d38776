//! Every row of the shared CCCD samples behaves as the file says, and the
//! mojibake notes are repaired or refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use checkpoint_domain::payload::address_map::NoAddressData;
use checkpoint_domain::payload::ckd::CkdKeys;
use checkpoint_domain::payload::dcc::trust::TrustList;
use checkpoint_domain::payload::{self, Gender, ParseContext, Payload, PayloadKind, Warning, cccd};
use checkpoint_i18n::{Lang, Localizer};

fn corpus(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/cccd")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parse_card(text: &str) -> (Result<cccd::IdCard, payload::PayloadError>, Vec<Warning>) {
    let mut warnings = Vec::new();
    let result = cccd::parse(text, &NoAddressData, &mut warnings);
    (result, warnings)
}

#[test]
fn every_sample_row_behaves_as_the_file_says() {
    let text = corpus("samples.tsv");
    let rows: Vec<(&str, &str)> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split_once('\t').expect("expect<TAB>payload"))
        .collect();
    assert!(rows.len() >= 13, "{} rows", rows.len());
    let (mut ok, mut rejected) = (0, 0);
    for (expect, payload) in rows {
        let (result, _) = parse_card(payload);
        match (expect, result) {
            ("ok", Ok(card)) => {
                assert_eq!(card.number.len(), 12);
                assert!(!card.full_name.is_empty());
                ok += 1;
            }
            ("reject", Err(error)) => {
                // A clear reason in both languages.
                let message = error.message();
                for lang in Lang::ALL {
                    assert!(
                        Localizer::global().has(lang, &message.id),
                        "{} missing in {lang}",
                        message.id
                    );
                }
                rejected += 1;
            }
            (expect, result) => panic!("{payload:?}: expected {expect}, got {result:?}"),
        }
    }
    assert_eq!((ok, rejected), (6, 7));
}

#[test]
fn first_sample_reads_every_field() {
    let (card, warnings) = parse_card(
        "001098012345|012345678|NGUYỄN VĂN A|15081998|Nam|Số 1 Đại Cồ Việt, Hai Bà Trưng, Hà Nội|25052021",
    );
    let card = card.unwrap();
    assert_eq!(card.number, "001098012345");
    assert_eq!(card.old_number.as_deref(), Some("012345678"));
    assert_eq!(card.full_name, "NGUYỄN VĂN A");
    assert_eq!(card.birth_date.to_string(), "1998-08-15");
    assert_eq!(card.gender, Gender::Male);
    assert_eq!(
        card.address.unwrap().printed,
        "Số 1 Đại Cồ Việt, Hai Bà Trưng, Hà Nội"
    );
    assert_eq!(card.issue_date.to_string(), "2021-05-25");
    assert_eq!(card.number_info.province_name, Some("Hà Nội"));
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn number_disagreeing_with_printed_year_and_gender_warns_but_parses() {
    let (card, warnings) = parse_card("001098012345||NGUYỄN VĂN B|01012000|Nữ|Hà Nội|01012022");
    assert!(card.is_ok());
    assert!(warnings.contains(&Warning::CardYearMismatch {
        from_number: 1998,
        printed: 2000
    }));
    assert!(warnings.contains(&Warning::CardGenderMismatch));
}

#[test]
fn unknown_province_code_warns() {
    let (card, warnings) = parse_card("003099012345||Nguyễn Văn A|15031999|Nam||10052021");
    assert!(card.is_ok());
    assert_eq!(
        warnings,
        vec![Warning::CardProvinceUnknown { code: "003".into() }]
    );
}

#[test]
fn newer_layout_keeps_trailing_fields_and_empty_address() {
    let (card, _) = parse_card(
        "001204009876||PHẠM MINH KHÔI|05062004|Nam|Phường Hoàn Kiếm, Thành phố Hà Nội|01082024|extra-field-from-a-newer-card",
    );
    assert_eq!(card.unwrap().extra, vec!["extra-field-from-a-newer-card"]);
    let (card, _) = parse_card("001099012345||Nguyễn Văn A|15031999|Nam||10052021");
    assert_eq!(card.unwrap().address, None);
}

#[test]
fn impossible_date_is_refused_never_rolled_over() {
    let (card, _) = parse_card("001099012345||Nguyễn Văn A|31022000|Nam|Hà Nội|01012021");
    assert_eq!(card.unwrap_err(), payload::PayloadError::CardBirthDate);
}

#[test]
fn mojibake_notes_are_repaired_or_refused() {
    let text = corpus("mojibake-notes.txt");
    let mut repaired = 0;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (result, warnings) = parse_card(line);
        match result {
            Ok(card) => {
                // Whatever parses has no CJK left: Vietnamese, NFC.
                assert!(
                    !card
                        .full_name
                        .chars()
                        .any(|c| ('\u{3000}'..='\u{9FFF}').contains(&c)
                            || ('\u{FF00}'..='\u{FFEF}').contains(&c))
                );
                if warnings.contains(&Warning::CardCharsetRepaired) {
                    repaired += 1;
                }
            }
            Err(e) => assert!(!e.message().id.is_empty()),
        }
    }
    assert_eq!(repaired, 2);
    let (card, _) = parse_card("001098012345||B羅i Xu璽n Thu廕要|15081998|Nam|Hà Nội|25052021");
    assert_eq!(card.unwrap().full_name, "Bùi Xuân Thuận");
    let (card, _) = parse_card("001098012345||Bﾃｹi Huy Tuy盻ハ|15081998|Nam|Hà Nội|25052021");
    assert_eq!(card.unwrap().full_name, "Bùi Huy Tuyển");
}

#[test]
fn garbled_beyond_repair_is_refused() {
    // "Lê Thị Hằng" read as Big5 loses bytes (U+FFFD): no guessing.
    let (card, _) =
        parse_card("001098012345||L\u{FFFD}Th\u{FFFD}H\u{FFFD}ng|15081998|Nam|Hà Nội|25052021");
    assert!(card.is_err());
    let (card, _) = parse_card("001098012345||王小明|15081998|Nam|Hà Nội|25052021");
    assert_eq!(card.unwrap_err(), payload::PayloadError::CardGarbled);
}

#[test]
fn raw_bytes_decode_strictly_and_nfc() {
    let trust = TrustList::empty();
    let keys = CkdKeys::default();
    let ctx = ParseContext::new(&trust, &keys, chrono::Utc::now());
    // Decomposed "Nguyễn" (e + U+0302 + U+0303) comes out composed.
    let decomposed = "001099012345||Nguye\u{302}\u{303}n Văn A|15031999|Nam|Hà Nội|10052021\r\n";
    let parsed = payload::parse(decomposed.as_bytes(), &ctx).unwrap();
    let Payload::IdCard(card) = parsed.payload else {
        panic!("not a card")
    };
    assert_eq!(card.full_name, "Nguyễn Văn A");
    // Invalid UTF-8 in a card-shaped payload is refused, not guessed.
    let mut bytes = b"001099012345||Nguy".to_vec();
    bytes.extend([0xE1, 0xBA]);
    bytes.extend(b"n|15031999|Nam|Ha Noi|10052021");
    let refusal = payload::parse(&bytes, &ctx).unwrap_err();
    assert_eq!(refusal.kind, PayloadKind::IdCard);
}
