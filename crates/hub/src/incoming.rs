//! Reading a batch from outside bytes: never trusted, never a panic. The
//! batch as a whole is malformed (400) or too large (413); a single bad
//! record is only rejected, with a reason, and the others are stored.
//!
//! Each record is kept as its raw JSON text and read without building a
//! tree: the usual record (exactly the five fields, each of the right type)
//! is checked in place and its body stored as sent; anything else goes
//! through a full `serde_json::Value` parse, so reasons and refusals are the
//! same either way. Both read every string and number as strictly as the
//! `Value` parse does.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;
use uuid::Uuid;

use super::db::NewRecord;
use checkpoint_wire::{RecordKind, Rejection};

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

/// The first [`HARD_MAX_RECORDS`] records (raw JSON), and how many there were in all.
#[derive(Debug, Default)]
pub struct BoundedRecords {
    pub items: Vec<Box<RawValue>>,
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
                        match seq.next_element::<Box<RawValue>>()? {
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
/// `Err` (the whole batch is malformed JSON) when a record is not valid JSON
/// as a `serde_json::Value` parse sees it (e.g. a lone surrogate escape, a
/// number out of range).
pub fn check_records(
    items: &[Box<RawValue>],
    rules: &Rules<'_>,
) -> Result<Checked, serde_json::Error> {
    let mut out = Checked::default();
    let mut seen = HashSet::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let checked = match fast_check(item, rules) {
            Some(result) => result,
            None => check_record(&serde_json::from_str::<Value>(item.get())?, rules),
        };
        match checked {
            Ok(record) if !seen.insert(record.id) => out.repeats.push(index),
            Ok(record) => out.valid.push((index, record)),
            Err((reason, detail)) => out.rejected.push(Rejection {
                index,
                reason: reason.to_owned(),
                detail,
            }),
        }
    }
    Ok(out)
}

type Reject = (&'static str, String);

/// What every record of a batch is checked against.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    /// The kiosk the token belongs to.
    pub kiosk_id: &'a str,
    /// One body's largest size, as compact JSON.
    pub max_bytes: usize,
    /// The latest `created_at` accepted: a record made later by the kiosk's
    /// clock is refused as retryable (`clock-ahead`) and kept by the kiosk.
    pub latest: DateTime<Utc>,
}

/// The two ids a body may repeat, which must then be the record's own.
#[derive(Deserialize)]
struct BodyIds<'a> {
    #[serde(borrow, default)]
    record_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    kiosk_id: Option<Cow<'a, str>>,
}

/// A record as the kiosk sends it: exactly these fields, each a string but
/// the body, which stays raw text.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireRecord<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    kiosk_id: Cow<'a, str>,
    #[serde(borrow)]
    created_at: Cow<'a, str>,
    #[serde(borrow)]
    body: &'a RawValue,
}

/// The usual record checked without building it: `None` when it is not of
/// the usual shape (or not strictly valid JSON), for the full parse to judge.
fn fast_check(item: &RawValue, rules: &Rules<'_>) -> Option<Result<NewRecord, Reject>> {
    let wire: WireRecord<'_> = serde_json::from_str(item.get()).ok()?;
    let body = wire.body.get();
    serde_json::from_str::<Strict>(body).ok()?;
    Some(checked_fields(
        Some(&wire.id),
        Some(&wire.kind),
        Some(&wire.kiosk_id),
        Some(&wire.created_at),
        body.starts_with('{').then(|| Ok(body.to_owned())),
        rules,
    ))
}

fn check_record(item: &Value, rules: &Rules<'_>) -> Result<NewRecord, Reject> {
    let obj = item
        .as_object()
        .ok_or(("not-an-object", "a record must be a JSON object".to_owned()))?;
    let text = |key: &str| obj.get(key).and_then(Value::as_str);
    let body = obj
        .get("body")
        .filter(|b| b.is_object())
        .map(serde_json::to_string);
    checked_fields(
        text("id"),
        text("kind"),
        text("kiosk_id"),
        text("created_at"),
        body,
        rules,
    )
}

/// The checks of one record, in the order that decides its reason.
/// `body`: the body's compact JSON when it is an object.
fn checked_fields(
    id: Option<&str>,
    kind: Option<&str>,
    record_kiosk: Option<&str>,
    created_at: Option<&str>,
    body: Option<Result<String, serde_json::Error>>,
    rules: &Rules<'_>,
) -> Result<NewRecord, Reject> {
    let (kiosk_id, max_bytes) = (rules.kiosk_id, rules.max_bytes);
    let id = id
        .and_then(|s| Uuid::parse_str(s).ok())
        .filter(|u| u.get_version_num() == 7)
        .ok_or(("invalid-id", "id must be a UUID v7".to_owned()))?;
    let kind = kind.and_then(RecordKind::parse).ok_or((
        "unknown-kind",
        "kind must be declaration, report or follow-up".to_owned(),
    ))?;
    if record_kiosk != Some(kiosk_id) {
        return Err((
            "kiosk-mismatch",
            format!("record kiosk_id differs from the token's kiosk {kiosk_id:?}"),
        ));
    }
    let created_at = created_at
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
        .ok_or((
            "invalid-created-at",
            "created_at must be RFC 3339".to_owned(),
        ))?;
    let body = body
        .ok_or(("invalid-body", "body must be a JSON object".to_owned()))?
        .map_err(|e| ("invalid-body", crate::json_problem::json_problem(&e)))?;
    if body.len() > max_bytes {
        return Err((
            "record-too-large",
            format!("body of {} bytes exceeds {max_bytes}", body.len()),
        ));
    }
    let ids: BodyIds<'_> = serde_json::from_str(&body)
        .map_err(|e| ("invalid-body", crate::json_problem::json_problem(&e)))?;
    let other_record = ids
        .record_id
        .is_some_and(|r| Uuid::parse_str(&r).ok() != Some(id));
    if other_record || ids.kiosk_id.is_some_and(|k| k != kiosk_id) {
        // A kiosk may only send its own records: a body naming another
        // record or kiosk would put its contents under someone else's.
        return Err((
            "body-mismatch",
            "the body's record_id or kiosk_id is not the record's".to_owned(),
        ));
    }
    if created_at > rules.latest {
        return Err((
            checkpoint_wire::CLOCK_AHEAD,
            format!(
                "created_at is {} s ahead of the hub's clock; sent again later",
                (created_at - rules.latest).num_seconds()
            ),
        ));
    }
    Ok(NewRecord {
        id,
        kind,
        created_at,
        body,
    })
}

/// Any JSON value, read as strictly as a `serde_json::Value` parse reads it
/// (strings decoded, numbers in range, the same depth limit) but not kept.
struct Strict;

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Strict;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_str<E>(self, _: &str) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        while seq.next_element::<Strict>()?.is_some() {}
        Ok(Strict)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        while map.next_entry::<Strict, Strict>()?.is_some() {}
        Ok(Strict)
    }
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

    fn rules(kiosk_id: &str, max_bytes: usize) -> Rules<'_> {
        Rules {
            kiosk_id,
            max_bytes,
            latest: Utc::now() + chrono::Duration::minutes(10),
        }
    }

    fn raw(v: &Value) -> Box<RawValue> {
        serde_json::value::to_raw_value(v).unwrap()
    }

    fn raws(items: &[Value]) -> Vec<Box<RawValue>> {
        items.iter().map(raw).collect()
    }

    /// The same record judged through the full `Value` parse only.
    fn slow(item: &RawValue, kiosk: &str, max: usize) -> Result<NewRecord, Reject> {
        check_record(
            &serde_json::from_str(item.get()).unwrap(),
            &rules(kiosk, max),
        )
    }

    fn same(a: &Result<NewRecord, Reject>, b: &Result<NewRecord, Reject>) -> bool {
        match (a, b) {
            (Ok(a), Ok(b)) => {
                let (ba, bb): (Value, Value) = (
                    serde_json::from_str(&a.body).unwrap(),
                    serde_json::from_str(&b.body).unwrap(),
                );
                (a.id, a.kind, a.created_at, ba) == (b.id, b.kind, b.created_at, bb)
            }
            (Err(a), Err(b)) => a == b,
            _ => false,
        }
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

        let c = check_records(&raws(&items), &rules("K1", 100)).unwrap();
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

    /// A body naming another record or kiosk is refused, whichever path
    /// reads it; a record made beyond the hub's clock is refused as
    /// retryable, and its neighbours are stored.
    #[test]
    fn bodies_cannot_lie_and_records_from_the_future_wait() {
        let (own, other) = (Uuid::now_v7(), Uuid::now_v7());
        let mut items = vec![good(own)];
        let mut other_record = good(Uuid::now_v7());
        other_record["body"] = json!({"record_id": other, "kiosk_id": "K1"});
        items.push(other_record);
        let mut other_kiosk = good(Uuid::now_v7());
        other_kiosk["body"] = json!({"kiosk_id": "KB"});
        items.push(other_kiosk);
        let mut odd_shape = good(Uuid::now_v7());
        odd_shape["body"] = json!({"kiosk_id": "KB"});
        odd_shape["extra"] = json!(1); // judged by the full parse
        items.push(odd_shape);
        let honest = Uuid::now_v7();
        let mut matching = good(honest);
        matching["body"] = json!({"record_id": honest, "kiosk_id": "K1"});
        items.push(matching);
        let mut ahead = good(Uuid::now_v7());
        ahead["created_at"] = json!((Utc::now() + chrono::Duration::minutes(11)).to_rfc3339());
        items.push(ahead);

        let c = check_records(&raws(&items), &rules("K1", 1000)).unwrap();
        let stored: Vec<usize> = c.valid.iter().map(|(i, _)| *i).collect();
        assert_eq!(stored, vec![0, 4]);
        let reasons: Vec<(usize, &str, bool)> = c
            .rejected
            .iter()
            .map(|r| (r.index, r.reason.as_str(), r.is_retryable()))
            .collect();
        assert_eq!(
            reasons,
            vec![
                (1, "body-mismatch", false),
                (2, "body-mismatch", false),
                (3, "body-mismatch", false),
                (5, "clock-ahead", true),
            ]
        );
    }

    #[test]
    fn the_usual_record_is_stored_as_sent_and_odd_ones_are_judged_in_full() {
        let id = Uuid::now_v7();
        let text = format!(
            r#"{{"id":"{id}","kind":"declaration","kiosk_id":"K1","created_at":"2025-07-01T08:00:00Z","body":{{"z":1,"a":"Nguy\u1ec5n"}}}}"#
        );
        let item = RawValue::from_string(text).unwrap();
        let fast = fast_check(&item, &rules("K1", 1000)).expect("the usual shape");
        assert_eq!(fast.as_ref().unwrap().body, r#"{"z":1,"a":"Nguy\u1ec5n"}"#);
        assert!(same(&fast, &slow(&item, "K1", 1000)));
        // An extra field, a repeated field, a number id: the full parse decides.
        for odd in [
            format!(r#"{{"id":"{id}","kind":"report","kiosk_id":"K1","created_at":"2025-07-01T08:00:00Z","body":{{}},"x":1}}"#),
            format!(r#"{{"id":"{id}","id":"{id}","kind":"report","kiosk_id":"K1","created_at":"2025-07-01T08:00:00Z","body":{{}}}}"#),
            r#"{"id":7,"kind":"report","kiosk_id":"K1","created_at":"2025-07-01T08:00:00Z","body":{}}"#.to_owned(),
        ] {
            let item = RawValue::from_string(odd).unwrap();
            assert!(fast_check(&item, &rules("K1", 1000)).is_none());
            let c = check_records(std::slice::from_ref(&item), &rules("K1", 1000)).unwrap();
            assert_eq!(c.valid.len() + c.rejected.len(), 1);
        }
    }

    #[test]
    fn json_a_value_parse_refuses_makes_the_batch_malformed() {
        let id = Uuid::now_v7();
        for body in [r#"{"a":"\ud800"}"#, r#"{"a":1e400}"#] {
            let text = format!(
                r#"{{"id":"{id}","kind":"declaration","kiosk_id":"K1","created_at":"2025-07-01T08:00:00Z","body":{body}}}"#
            );
            let item = RawValue::from_string(text).unwrap();
            assert!(fast_check(&item, &rules("K1", 1000)).is_none(), "{body}");
            assert!(
                check_records(&[item], &rules("K1", 1000)).is_err(),
                "{body}"
            );
        }
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
                let _ = check_records(&b.records.items, &rules(&b.kiosk_id, 1000));
            }
            if let Ok(v) = serde_json::from_str::<Box<RawValue>>(&s) {
                let _ = check_records(std::slice::from_ref(&v), &rules("K", 1000));
            }
        }

        #[test]
        fn arbitrary_records_never_panic(
            id in ".{0,40}", kind in ".{0,12}", at in ".{0,30}", kiosk in ".{0,5}"
        ) {
            let v = json!({"id": id, "kind": kind, "kiosk_id": kiosk, "created_at": at, "body": {}});
            let c = check_records(&[raw(&v)], &rules("K", 1000)).unwrap();
            prop_assert_eq!(c.valid.len() + c.rejected.len(), 1);
        }

        #[test]
        fn the_fast_check_agrees_with_the_full_parse(
            v7 in any::<bool>(), kind in "declaration|report|photo", kiosk in "K1|K2",
            at in "2025-07-01T08:00:00Z|2025-07-01T08:00:00\\+07:00|yesterday",
            name in ".{0,60}", n in any::<i64>(), max in 10usize..80
        ) {
            let id = if v7 { Uuid::now_v7() } else { uuid::Builder::from_random_bytes([7u8; 16]).into_uuid() };
            let v = json!({"id": id, "kind": kind, "kiosk_id": kiosk, "created_at": at,
                           "body": {"full_name": name, "n": n, "list": [1, null, true]}});
            let item = raw(&v);
            let fast = fast_check(&item, &rules("K1", max));
            prop_assert!(fast.is_some());
            prop_assert!(same(&fast.unwrap(), &slow(&item, "K1", max)));
        }
    }
}
