//! Reading a batch from outside bytes: never trusted, never a panic. The
//! batch as a whole is malformed (400) or too large (413); a single bad
//! record is only rejected, with a reason, and the others are stored.

use std::collections::HashSet;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::{IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use uuid::Uuid;

use super::db::NewRecord;
use crate::sync::protocol::{RecordKind, Rejection};

/// Records parsed per batch at most, whatever the configured limit: the rest
/// of a larger batch is only counted, never kept in memory.
pub const HARD_MAX_RECORDS: usize = 100_000;

#[derive(Debug, Deserialize)]
pub struct IncomingBatch {
    pub protocol: u32,
    pub kiosk_id: String,
    pub sent_at: DateTime<Utc>,
    pub records: BoundedRecords,
}

/// The first [`HARD_MAX_RECORDS`] records, and how many there were in all.
#[derive(Debug, Default)]
pub struct BoundedRecords {
    pub items: Vec<Value>,
    pub total: usize,
}

impl<'de> Deserialize<'de> for BoundedRecords {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Bounded;
        impl<'de> Visitor<'de> for Bounded {
            type Value = BoundedRecords;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of records")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<BoundedRecords, A::Error> {
                let mut out = BoundedRecords::default();
                loop {
                    if out.items.len() < HARD_MAX_RECORDS {
                        match seq.next_element::<Value>()? {
                            Some(v) => out.items.push(v),
                            None => break,
                        }
                    } else if seq.next_element::<IgnoredAny>()?.is_none() {
                        break;
                    }
                    out.total += 1;
                }
                Ok(out)
            }
        }
        d.deserialize_seq(Bounded)
    }
}

/// What to do with each record of a batch, by position.
#[derive(Debug, Default)]
pub struct Checked {
    /// Records to store, with their positions.
    pub valid: Vec<(usize, NewRecord)>,
    /// Positions that repeat an earlier record of the same batch.
    pub repeats: Vec<usize>,
    pub rejected: Vec<Rejection>,
}

/// Checks each record; `kiosk_id` is the sender's (from its token).
pub fn check_records(items: &[Value], kiosk_id: &str, max_record_bytes: usize) -> Checked {
    let mut out = Checked::default();
    let mut seen = HashSet::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        match check_record(item, kiosk_id, max_record_bytes) {
            Ok(record) if !seen.insert(record.id) => out.repeats.push(index),
            Ok(record) => out.valid.push((index, record)),
            Err((reason, detail)) => out.rejected.push(Rejection {
                index,
                reason: reason.to_owned(),
                detail,
            }),
        }
    }
    out
}

type Reject = (&'static str, String);

fn check_record(item: &Value, kiosk_id: &str, max_bytes: usize) -> Result<NewRecord, Reject> {
    let obj = item
        .as_object()
        .ok_or(("not-an-object", "a record must be a JSON object".to_owned()))?;
    let text = |key: &str| obj.get(key).and_then(Value::as_str);
    let id = text("id")
        .and_then(|s| Uuid::parse_str(s).ok())
        .filter(|u| u.get_version_num() == 7)
        .ok_or(("invalid-id", "id must be a UUID v7".to_owned()))?;
    let kind = text("kind").and_then(RecordKind::parse).ok_or((
        "unknown-kind",
        "kind must be declaration or report".to_owned(),
    ))?;
    if text("kiosk_id") != Some(kiosk_id) {
        return Err((
            "kiosk-mismatch",
            format!("record kiosk_id differs from the token's kiosk {kiosk_id:?}"),
        ));
    }
    let created_at = text("created_at")
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
        .ok_or((
            "invalid-created-at",
            "created_at must be RFC 3339".to_owned(),
        ))?;
    let body = obj
        .get("body")
        .filter(|b| b.is_object())
        .ok_or(("invalid-body", "body must be a JSON object".to_owned()))?;
    let body = serde_json::to_string(body).map_err(|e| ("invalid-body", e.to_string()))?;
    if body.len() > max_bytes {
        return Err((
            "record-too-large",
            format!("body of {} bytes exceeds {max_bytes}", body.len()),
        ));
    }
    Ok(NewRecord {
        id,
        kind,
        created_at,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn good(id: Uuid) -> Value {
        json!({"id": id, "kind": "declaration", "kiosk_id": "K1",
               "created_at": "2025-07-01T08:00:00Z", "body": {"full_name": "A"}})
    }

    #[test]
    fn rejects_each_bad_record_with_its_reason() {
        let id = Uuid::now_v7();
        let mut items = vec![
            good(id),
            json!(42),
            good(uuid::Builder::from_random_bytes([7u8; 16]).into_uuid()),
            good(id),
        ];
        let mut wrong_kiosk = good(Uuid::now_v7());
        wrong_kiosk["kiosk_id"] = json!("K2");
        items.push(wrong_kiosk);
        let mut bad_kind = good(Uuid::now_v7());
        bad_kind["kind"] = json!("photo");
        items.push(bad_kind);
        let mut bad_time = good(Uuid::now_v7());
        bad_time["created_at"] = json!("yesterday");
        items.push(bad_time);
        let mut big = good(Uuid::now_v7());
        big["body"] = json!({"x": "y".repeat(200)});
        items.push(big);
        let mut no_body = good(Uuid::now_v7());
        no_body["body"] = json!([1]);
        items.push(no_body);

        let c = check_records(&items, "K1", 100);
        assert_eq!(c.valid.len(), 1);
        assert_eq!(c.valid[0].0, 0);
        assert_eq!(c.repeats, vec![3]);
        let reasons: Vec<(usize, &str)> = c
            .rejected
            .iter()
            .map(|r| (r.index, r.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            vec![
                (1, "not-an-object"),
                (2, "invalid-id"),
                (4, "kiosk-mismatch"),
                (5, "unknown-kind"),
                (6, "invalid-created-at"),
                (7, "record-too-large"),
                (8, "invalid-body"),
            ]
        );
    }

    #[test]
    fn counts_records_beyond_the_hard_cap_without_keeping_them() {
        let n = HARD_MAX_RECORDS + 5;
        let text = format!(
            r#"{{"protocol":1,"kiosk_id":"K","sent_at":"2025-07-01T00:00:00Z","records":[{}]}}"#,
            vec!["0"; n].join(",")
        );
        let b: IncomingBatch = serde_json::from_str(&text).unwrap();
        assert_eq!(b.records.total, n);
        assert_eq!(b.records.items.len(), HARD_MAX_RECORDS);
    }

    proptest! {
        #[test]
        fn arbitrary_json_never_panics(s in ".{0,400}") {
            if let Ok(b) = serde_json::from_str::<IncomingBatch>(&s) {
                let _ = check_records(&b.records.items, &b.kiosk_id, 1000);
            }
            if let Ok(v) = serde_json::from_str::<Value>(&s) {
                let _ = check_records(std::slice::from_ref(&v), "K", 1000);
            }
        }

        #[test]
        fn arbitrary_records_never_panic(
            id in ".{0,40}", kind in ".{0,12}", at in ".{0,30}", kiosk in ".{0,5}"
        ) {
            let v = json!({"id": id, "kind": kind, "kiosk_id": kiosk, "created_at": at, "body": {}});
            let c = check_records(&[v], "K", 1000);
            prop_assert_eq!(c.valid.len() + c.rejected.len(), 1);
        }
    }
}
