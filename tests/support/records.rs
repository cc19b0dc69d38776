//! Realistic records: complete declarations (every question of the form,
//! Vietnamese names and addresses, pre-fill sources), deterministic per seed.

use checkpoint_kiosk::sync::protocol::RecordKind;
use checkpoint_kiosk::sync::queue::OutgoingRecord;
use chrono::{Duration, TimeZone, Utc};
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
                body,
            }
        })
        .collect()
}

fn uuid_v7_at(t: chrono::DateTime<Utc>, rng: &mut StdRng) -> Uuid {
    let ms = u64::try_from(t.timestamp_millis()).unwrap();
    let mut random = [0u8; 10];
    rng.fill(&mut random);
    uuid::Builder::from_unix_timestamp_millis(ms, &random).into_uuid()
}
