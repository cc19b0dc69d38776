//! The queue: what goes in comes out intact, in id order, with its sync state.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::store_support;

use checkpoint_domain::declaration::report::{Report, ReportKind, ReportRecord};
use checkpoint_domain::declaration::{Record, Symptom};
use checkpoint_kiosk::config::Config;
use checkpoint_kiosk::paths::DataDir;
use checkpoint_store::Mark;
use checkpoint_store::{Actor, DeliveryState, Settings, StoreError};
use chrono::Utc;
use proptest::prelude::*;
use store_support::*;

#[test]
fn a_stored_declaration_reads_back_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = open_encrypted(dir.path());
    let mut r = record(1);
    r.bluezone_nearby = Some(true);
    store.insert_declaration(&r, Actor::Visitor).unwrap();
    let q = store.declaration(&r.record_id).unwrap().unwrap();
    assert_eq!(q.record, r);
    assert_eq!(q.sync.state, DeliveryState::Pending);
    assert_eq!(q.sync.attempts, 0);
    assert!(store.declaration(&uuid::Uuid::now_v7()).unwrap().is_none());
}

#[test]
fn invalid_or_duplicate_records_store_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = open_encrypted(dir.path());
    let mut bad = record(1);
    bad.declaration.consent = false;
    bad.declaration.identity.phone = "12345".into();
    let err = store.insert_declaration(&bad, Actor::Visitor).unwrap_err();
    match &err {
        StoreError::Invalid(problems) => assert_eq!(problems.len(), 2, "{problems:?}"),
        other => panic!("{other:?}"),
    }
    // All or nothing: one bad record in a batch stores none of it.
    let good = record(2);
    let err = store
        .insert_declarations(&[good.clone(), bad], Actor::Visitor)
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)));
    assert_eq!(store.queue_stats().unwrap().declarations.total(), 0);

    store.insert_declaration(&good, Actor::Visitor).unwrap();
    let err = store.insert_declaration(&good, Actor::Visitor).unwrap_err();
    assert!(matches!(err, StoreError::Duplicate(_)), "{err:?}");
    let batch = [record(3), good.clone()];
    assert!(store.insert_declarations(&batch, Actor::Visitor).is_err());
    assert!(store.declaration(&batch[0].record_id).unwrap().is_none());
    assert_eq!(store.queue_stats().unwrap().declarations.total(), 1);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn pending_comes_in_id_order_with_a_limit() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = open_encrypted(dir.path());
    let records: Vec<Record> = (0..10).map(record).collect();
    // Stored in reverse: the queue still gives id (= creation) order.
    for r in records.iter().rev() {
        store.insert_declaration(r, Actor::Visitor).unwrap();
    }
    let ids: Vec<_> = store
        .pending_declarations(4)
        .unwrap()
        .into_iter()
        .map(|q| q.record.record_id)
        .collect();
    let expected: Vec<_> = records[..4].iter().map(|r| r.record_id).collect();
    assert_eq!(ids, expected);
}

#[test]
fn sent_acknowledged_and_failed_move_records_between_states() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = open_encrypted(dir.path());
    let records: Vec<Record> = (0..6).map(record).collect();
    store.insert_declarations(&records, Actor::Visitor).unwrap();
    let id = |i: usize| records[i].record_id;
    let t0 = Utc::now();

    assert_eq!(
        store
            .sync_mark(Mark::Sent, &[id(0), id(1), id(2)], t0)
            .unwrap(),
        3
    );
    assert_eq!(
        store.sync_mark(Mark::Acknowledged, &[id(0)], t0).unwrap(),
        1
    );
    assert_eq!(
        store
            .sync_mark(Mark::Failed("HTTP 503"), &[id(1), id(3)], t0)
            .unwrap(),
        2
    );
    // Sent again (attempts count sends), and failed again.
    assert_eq!(store.sync_mark(Mark::Sent, &[id(3)], t0).unwrap(), 1);
    assert_eq!(
        store
            .sync_mark(Mark::Failed("timeout"), &[id(3)], t0)
            .unwrap(),
        1
    );
    // Acknowledged is final: a late failure or send does not undo it.
    assert_eq!(
        store.sync_mark(Mark::Failed("late"), &[id(0)], t0).unwrap(),
        0
    );
    assert_eq!(store.sync_mark(Mark::Sent, &[id(0)], t0).unwrap(), 0);
    // Unknown ids change nothing.
    assert_eq!(
        store
            .sync_mark(Mark::Acknowledged, &[uuid::Uuid::now_v7()], t0)
            .unwrap(),
        0
    );

    let s = store.queue_stats().unwrap();
    assert_eq!(s, store.queue_stats_scanned().unwrap());
    assert_eq!(
        (
            s.declarations.pending,
            s.declarations.sent,
            s.declarations.acknowledged
        ),
        (4, 1, 1)
    );
    assert!(s.last_success.is_some());
    assert_eq!(s.last_error.as_deref(), Some("late"));

    let q3 = store.declaration(&id(3)).unwrap().unwrap();
    assert_eq!(q3.sync.attempts, 1, "one send; failures count no attempt");
    assert_eq!(q3.sync.last_error.as_deref(), Some("timeout"));
    assert_eq!(q3.sync.state, DeliveryState::Pending);
    let q0 = store.declaration(&id(0)).unwrap().unwrap();
    assert_eq!(
        (q0.sync.state, q0.sync.attempts),
        (DeliveryState::Acknowledged, 1)
    );

    // Pending: never sent or failed; unacknowledged adds what was sent.
    let pending: Vec<_> = store
        .pending_declarations(100)
        .unwrap()
        .iter()
        .map(|q| q.record.record_id)
        .collect();
    assert_eq!(pending, vec![id(1), id(3), id(4), id(5)]);
    let unacked: Vec<_> = store
        .unacknowledged_declarations(100)
        .unwrap()
        .iter()
        .map(|q| q.record.record_id)
        .collect();
    assert_eq!(unacked, vec![id(1), id(2), id(3), id(4), id(5)]);
    // The oldest waiting record is record 1 (record 0 is acknowledged).
    assert_eq!(
        s.oldest_unacknowledged.as_deref(),
        Some(
            records[1]
                .submitted_at
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
                .as_str()
        )
    );
}

#[test]
fn reports_queue_like_declarations() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = open_encrypted(dir.path());
    let mut report = Report::default();
    report.kinds.insert(ReportKind::IllegalEntry);
    report.details = "Hai người vượt biên lúc 5 giờ sáng".into();
    let r = ReportRecord::new(report.clone(), store.kiosk_id(), Utc::now());
    store.insert_report(&r, Actor::Visitor).unwrap();
    assert_eq!(store.report(&r.record_id).unwrap().unwrap().record, r);
    assert_eq!(store.pending_reports(10).unwrap().len(), 1);
    store
        .sync_mark(Mark::Acknowledged, &[r.record_id], Utc::now())
        .unwrap();
    assert!(store.pending_reports(10).unwrap().is_empty());
    assert_eq!(store.queue_stats().unwrap().reports.acknowledged, 1);
    // An empty report is refused.
    let empty = ReportRecord::new(Report::default(), "k", Utc::now());
    assert!(matches!(
        store.insert_report(&empty, Actor::Visitor),
        Err(StoreError::Invalid(_))
    ));
}

#[test]
fn list_is_newest_first_with_masked_names() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = open_encrypted(dir.path());
    let mut flagged = record(0);
    flagged.declaration.symptoms.choose_none();
    flagged.declaration.symptoms.toggle(Symptom::Fever);
    let flagged = Record::new(flagged.declaration, "k", Utc::now(), Utc::now());
    assert!(flagged.flagged);
    let second = record(1);
    store.insert_declaration(&flagged, Actor::Visitor).unwrap();
    store.insert_declaration(&second, Actor::Visitor).unwrap();
    let list = store.list(None).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].record_id, second.record_id.to_string());
    assert!(list[1].flagged && !list[0].flagged);
    let p = person(1);
    assert_eq!(list[0].masked_name, checkpoint_domain::mask::name(&p.name));
    assert!(!list[0].masked_name.contains(&p.name));
    assert_eq!(store.queue_stats().unwrap().flagged, 1);
    assert_eq!(store.list(Some(1)).unwrap().len(), 1);
}

#[test]
fn kiosk_id_is_generated_once_unless_configured() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::portable(dir.path());
    let first = checkpoint_kiosk::storage::open_store(&data, &Config::default()).unwrap();
    let id = first.kiosk_id().to_owned();
    assert!(id.starts_with("kiosk-") && id.len() > 8, "{id}");
    let salted = first.pseudonym("001098012345").unwrap();
    drop(first);
    let again = checkpoint_kiosk::storage::open_store(&data, &Config::default()).unwrap();
    assert_eq!(again.kiosk_id(), id);
    assert_eq!(again.pseudonym("001098012345").unwrap(), salted);
    assert_ne!(again.pseudonym("001098012346").unwrap(), salted);
    drop(again);

    let mut config = Config::default();
    config.kiosk.id = "cua-khau-moc-bai-1".into();
    assert_eq!(
        checkpoint_kiosk::storage::open_store(&data, &config)
            .unwrap()
            .kiosk_id(),
        "cua-khau-moc-bai-1"
    );

    // Another installation: another id and another salt.
    let other = tempfile::tempdir().unwrap();
    let (o, _) = open_encrypted(other.path());
    assert_ne!(o.kiosk_id(), id);
    assert_ne!(o.pseudonym("001098012345").unwrap(), salted);
}

#[derive(Debug, Clone)]
enum Op {
    Insert,
    Sent(usize),
    Ack(usize),
    Fail(usize),
    Reject(usize),
    Purge(bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Insert),
        1 => (0usize..40).prop_map(Op::Sent),
        1 => (0usize..40).prop_map(Op::Ack),
        1 => (0usize..40).prop_map(Op::Fail),
        1 => (0usize..40).prop_map(Op::Reject),
        1 => any::<bool>().prop_map(Op::Purge),
    ]
}

fn pick(ids: &[uuid::Uuid], n: usize) -> Option<uuid::Uuid> {
    ids.get(n % ids.len().max(1)).copied()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// The counts read from the indexes always equal a full scan, whatever happens.
    #[test]
    fn counts_always_match_a_scan(ops in proptest::collection::vec(op(), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings { retention_days: 0, keep_unacknowledged: true, kiosk_id: String::new() };
        let mut store = open_plaintext(dir.path(), settings);
        let mut ids = Vec::new();
        for (i, op) in ops.into_iter().enumerate() {
            let now = Utc::now();
            match op {
                Op::Insert => {
                    let r = record_at(i, days_ago(1));
                    store.insert_declaration(&r, Actor::Visitor).unwrap();
                    ids.push(r.record_id);
                }
                Op::Sent(n) => { if let Some(id) = pick(&ids, n) { store.sync_mark(Mark::Sent, &[id], now).unwrap(); } }
                Op::Ack(n) => { if let Some(id) = pick(&ids, n) { store.sync_mark(Mark::Acknowledged, &[id], now).unwrap(); } }
                Op::Fail(n) => { if let Some(id) = pick(&ids, n) { store.sync_mark(Mark::Failed("x"), &[id], now).unwrap(); } }
                Op::Reject(n) => { if let Some(id) = pick(&ids, n) { store.sync_mark_rejected(&[(id, "invalid-body".into())], now).unwrap(); } }
                Op::Purge(force) => { store.purge(now, force, Actor::System).unwrap(); }
            }
            prop_assert_eq!(store.queue_stats().unwrap(), store.queue_stats_scanned().unwrap());
        }
    }
}

#[test]
fn a_damaged_row_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, key) = open_encrypted(dir.path());
    let r = record(1);
    store.insert_declaration(&r, Actor::Visitor).unwrap();
    let conn = raw_connection(&dir.path().join("kiosk.db"), &key);
    conn.execute(
        "UPDATE declarations SET record = '{\"record_id\": 42, \"secret\": \"NGUYỄN\"' WHERE record_id = ?1",
        [r.record_id.to_string()],
    )
    .unwrap();
    drop(conn);
    let err = store.declaration(&r.record_id).unwrap_err();
    assert!(matches!(err, StoreError::BadRecord { .. }), "{err:?}");
    assert!(!err.to_string().contains("NGUYỄN"), "{err}");
    assert!(store.pending_declarations(10).is_err());
    // Summaries do not decode the record: the list still works.
    assert_eq!(store.list(None).unwrap().len(), 1);
}
