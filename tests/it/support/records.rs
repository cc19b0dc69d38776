//! Realistic records: complete declarations (every question of the form,
//! Vietnamese names and addresses, pre-fill sources), deterministic per seed.

use checkpoint_domain::declaration::{
    Address, Checklist, Condition, Contact, Declaration, Document, DocumentKind, Gender,
    Provenance, Record, SourceKind, Symptom, Travel, Vaccination,
};
use checkpoint_i18n::Lang;
use checkpoint_kiosk::sync::queue::OutgoingRecord;
use checkpoint_wire::RecordKind;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use uuid::Uuid;

const FAMILY: &[&str] = &[
    "NGUYỄN", "TRẦN", "LÊ", "PHẠM", "HOÀNG", "HUỲNH", "PHAN", "VŨ", "VÕ", "ĐẶNG", "BÙI", "ĐỖ",
];
const MIDDLE: &[&str] = &[
    "VĂN", "THỊ", "HỮU", "MINH", "NGỌC", "THANH", "ĐỨC", "QUỐC", "KIM",
];
const GIVEN: &[&str] = &[
    "AN", "BÌNH", "CHI", "DŨNG", "GIANG", "HÀ", "HẢI", "HOA", "HÙNG", "LAN", "LINH", "LONG", "MAI",
    "NAM", "PHƯƠNG", "QUÂN", "SƠN", "THẢO", "TRANG", "TUẤN", "VY", "YẾN",
];
const PROVINCES: &[(&str, &str)] = &[
    ("01", "Hà Nội"),
    ("79", "Hồ Chí Minh"),
    ("48", "Đà Nẵng"),
    ("31", "Hải Phòng"),
    ("92", "Cần Thơ"),
    ("22", "Quảng Ninh"),
    ("20", "Lạng Sơn"),
    ("10", "Lào Cai"),
];
const STREETS: &[&str] = &[
    "Trần Hưng Đạo",
    "Lê Lợi",
    "Nguyễn Huệ",
    "Hai Bà Trưng",
    "Lý Thường Kiệt",
    "Phan Chu Trinh",
    "Điện Biên Phủ",
];
const SYMPTOMS: &[&str] = &[
    "fever",
    "cough",
    "shortness_of_breath",
    "sore_throat",
    "vomiting",
    "diarrhoea",
    "skin_bleeding",
    "skin_rash",
];
const CONDITIONS: &[&str] = &[
    "chronic_liver",
    "chronic_blood",
    "chronic_lung",
    "chronic_kidney",
    "heart",
    "high_blood_pressure",
    "immunodeficiency",
    "transplant",
    "diabetes",
    "cancer",
    "pregnant",
];

fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list[rng.gen_range(0..list.len())]
}

/// `n` declarations from `kiosk`, created a few seconds apart.
pub fn declarations(n: usize, kiosk: &str, seed: u64) -> Vec<OutgoingRecord> {
    let mut rng = StdRng::seed_from_u64(seed);
    let start = Utc.with_ymd_and_hms(2025, 7, 1, 7, 0, 0).unwrap();
    (0..n)
        .map(|i| {
            let created_at = start + Duration::milliseconds(i as i64 * 2_500 + rng.gen_range(0..999));
            let (province, province_name) = PROVINCES[rng.gen_range(0..PROVINCES.len())];
            let birth_year = rng.gen_range(1940..2010);
            let id_number = format!("0{province}{}{:02}{:06}", rng.gen_range(0..4), birth_year % 100, rng.gen_range(0..1_000_000));
            let gender = if rng.gen_bool(0.5) { "male" } else { "female" };
            let sick = rng.gen_bool(0.05);
            let symptoms: serde_json::Map<_, _> = SYMPTOMS
                .iter()
                .map(|s| ((*s).to_owned(), json!(sick && rng.gen_bool(0.3))))
                .collect();
            let conditions: serde_json::Map<_, _> = CONDITIONS
                .iter()
                .map(|c| ((*c).to_owned(), json!(rng.gen_bool(0.04))))
                .collect();
            let submitted = created_at.to_rfc3339();
            let body = json!({
                "full_name": format!("{} {} {}", pick(&mut rng, FAMILY), pick(&mut rng, MIDDLE), pick(&mut rng, GIVEN)),
                "id_kind": "cccd",
                "id_number": id_number,
                "birth_year": birth_year,
                "birth_date": format!("{birth_year}-{:02}-{:02}", rng.gen_range(1..13), rng.gen_range(1..29)),
                "gender": gender,
                "nationality": "VN",
                "phone": format!("09{:08}", rng.gen_range(0..100_000_000)),
                "address": {
                    "province_code": province,
                    "province": province_name,
                    "ward_code": format!("{:05}", rng.gen_range(1..30_000)),
                    "street": format!("{} {}", rng.gen_range(1..300), pick(&mut rng, STREETS)),
                },
                "on_behalf": null,
                "travel_14d": rng.gen_bool(0.1),
                "travel_places": "",
                "contact_case": false,
                "contact_from_country": false,
                "contact_symptomatic": sick && rng.gen_bool(0.5),
                "symptoms": symptoms,
                "conditions": conditions,
                "vaccination": {"doses": rng.gen_range(0..4), "last_dose": format!("2022-{:02}-{:02}", rng.gen_range(1..13), rng.gen_range(1..29))},
                "consent": true,
                "lang": "vi",
                "started_at": (created_at - Duration::seconds(rng.gen_range(20..120))).to_rfc3339(),
                "submitted_at": submitted,
                "sources": {"full_name": "cccd", "id_number": "cccd", "birth_date": "cccd", "gender": "cccd", "address": "cccd"},
                "flagged": sick,
            });
            OutgoingRecord {
                id: uuid_v7_at(created_at, &mut rng),
                kind: RecordKind::Declaration,
                kiosk_id: kiosk.to_owned(),
                created_at,
                body: raw(&body),
            }
        })
        .collect()
}

/// A JSON value as the raw text a queue sends.
pub fn raw(value: &serde_json::Value) -> Box<serde_json::value::RawValue> {
    serde_json::value::RawValue::from_string(value.to_string()).unwrap()
}

/// A record's body as a value, to look inside.
pub fn body_value(record: &OutgoingRecord) -> serde_json::Value {
    serde_json::from_str(record.body.get()).unwrap()
}

fn uuid_v7_at(t: chrono::DateTime<Utc>, rng: &mut StdRng) -> Uuid {
    let ms = u64::try_from(t.timestamp_millis()).unwrap();
    let mut random = [0u8; 10];
    rng.fill(&mut random);
    uuid::Builder::from_unix_timestamp_millis(ms, &random).into_uuid()
}

/// `n` complete declarations as the kiosk stores them (`Record`s that pass
/// the form's validation), from `kiosk`, submitted a few seconds apart over
/// the last day (inside the retention period), with random names, numbers,
/// addresses and answers. Ids are UUID v7 of the submission time.
pub fn kiosk_records(n: usize, kiosk: &str, seed: u64) -> Vec<Record> {
    let mut rng = StdRng::seed_from_u64(seed);
    let span_ms = 20 * 3600 * 1000 / n.max(1) as i64;
    let start = Utc::now() - Duration::hours(22);
    (0..n)
        .map(|i| {
            let submitted = start
                + Duration::milliseconds(i as i64 * span_ms + rng.gen_range(0..span_ms.max(1)));
            let started = submitted - Duration::seconds(rng.gen_range(20..120));
            let declaration = kiosk_declaration(&mut rng);
            let flagged =
                checkpoint_domain::declaration::triage(&declaration, &Default::default()).flagged();
            Record {
                record_id: uuid_v7_at(submitted, &mut rng),
                kiosk_id: kiosk.to_owned(),
                started_at: started,
                submitted_at: submitted,
                flagged,
                bluezone_nearby: if rng.gen_bool(0.8) {
                    Some(rng.gen_bool(0.2))
                } else {
                    None
                },
                declaration,
            }
        })
        .collect()
}

fn kiosk_declaration(rng: &mut StdRng) -> Declaration {
    // Codes from the current admin-unit list: the form checks them.
    let provinces = checkpoint_domain::address::provinces();
    let province = provinces[rng.gen_range(0..provinces.len())].code.as_str();
    let wards = checkpoint_domain::address::wards_of(province);
    let ward = wards[rng.gen_range(0..wards.len())].code.clone();
    let birth_year: u16 = rng.gen_range(1940..2010);
    let mut d = Declaration::example();
    let id = &mut d.identity;
    id.full_name = format!(
        "{} {} {}",
        pick(rng, FAMILY),
        pick(rng, MIDDLE),
        pick(rng, GIVEN)
    );
    id.document = Document {
        kind: DocumentKind::Cccd,
        number: format!(
            "0{province}{}{:02}{:06}",
            rng.gen_range(0..4),
            birth_year % 100,
            rng.gen_range(0..1_000_000)
        ),
    };
    id.birth_year = Some(birth_year);
    id.birth_date = NaiveDate::from_ymd_opt(
        i32::from(birth_year),
        rng.gen_range(1..13),
        rng.gen_range(1..29),
    );
    id.gender = Some(if rng.gen_bool(0.5) {
        Gender::Male
    } else {
        Gender::Female
    });
    id.phone = format!("09{:08}", rng.gen_range(0..100_000_000));
    id.address = Address {
        province: province.to_owned(),
        ward,
        street: format!("{} {}", rng.gen_range(1..300), pick(rng, STREETS)),
        printed: String::new(),
    };
    let travel = rng.gen_bool(0.1);
    d.travel = Travel {
        answer: Some(travel),
        places: if travel {
            provinces[rng.gen_range(0..provinces.len())].name.clone()
        } else {
            String::new()
        },
    };
    let sick = rng.gen_bool(0.05);
    d.contacts = Contact::ALL
        .iter()
        .map(|q| (*q, sick && rng.gen_bool(0.3)))
        .collect();
    d.symptoms = Checklist::none();
    if sick {
        d.symptoms
            .toggle(Symptom::ALL[rng.gen_range(0..Symptom::ALL.len())]);
    }
    d.conditions = Checklist::none();
    if rng.gen_bool(0.1) {
        d.conditions
            .toggle(Condition::ALL[rng.gen_range(0..Condition::ALL.len())]);
    }
    let doses = rng.gen_range(0..4);
    d.vaccination = Vaccination {
        doses: Some(doses),
        last_dose: (doses > 0)
            .then(|| NaiveDate::from_ymd_opt(2022, rng.gen_range(1..13), rng.gen_range(1..29)))
            .flatten(),
    };
    d.lang = if rng.gen_bool(0.85) {
        Lang::Vi
    } else {
        Lang::En
    };
    for field in ["full_name", "document", "birth_date", "gender", "address"] {
        d.sources
            .insert(field.to_owned(), Provenance::unchecked(SourceKind::IdCard));
    }
    d
}
