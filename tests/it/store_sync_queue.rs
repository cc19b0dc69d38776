//! The store as the sync worker's queue (`StoreQueue: SyncQueue`): batches
//! of declarations and reports oldest first, the four states, the hub's
//! refusals kept on the kiosk, damaged rows set aside, retention.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::store_support;
#[cfg(target_os = "linux")]
use crate::support;

use std::sync::Arc;

use checkpoint_domain::declaration::Record;
use checkpoint_domain::declaration::report::{Report, ReportKind, ReportRecord};
use checkpoint_kiosk::sync::queue::SyncQueue;
use checkpoint_kiosk::sync::store_queue::StoreQueue;
#[cfg(target_os = "linux")]
use checkpoint_kiosk::sync::worker::Worker;
#[cfg(target_os = "linux")]
use checkpoint_kiosk::sync_summary::SyncSummary;
use checkpoint_store::{Actor, DAMAGED_REASON, DeliveryState, Key, Settings, Store};
use checkpoint_wire::RecordKind as WireKind;
use chrono::{Duration, Utc};
use store_support::{days_ago, declaration_of, person, raw_connection, record};
use uuid::Uuid;

fn settings() -> Settings {
    Settings {
        retention_days: 21,
        keep_unacknowledged: true,
        kiosk_id: "K1".into(),
    }
}

fn open(dir: &std::path::Path, key: &Key) -> Store {
    Store::open_with(&dir.join("kiosk.db"), key, settings()).unwrap()
}

fn report(n: usize) -> ReportRecord {
    let mut r = Report::default();
    r.kinds.insert(ReportKind::IllegalEntry);
    r.details = format!("Hai người vượt biên lúc {n} giờ sáng");
    ReportRecord::new(r, "K1", Utc::now())
}

/// Declarations and reports interleaved in time: d0 r0 d1 d2 r1 d3 d4.
/// Returns the store and every id in creation order with its kind.
fn mixed(dir: &std::path::Path, key: &Key) -> (Store, Vec<(Uuid, WireKind)>) {
    let mut store = open(dir, key);
    let mut ids = Vec::new();
    for (i, is_report) in [false, true, false, false, true, false, false]
        .into_iter()
        .enumerate()
    {
        // Distinct milliseconds: creation order is id order.
        std::thread::sleep(std::time::Duration::from_millis(2));
        if is_report {
            let r = report(i);
            store.insert_report(&r, Actor::Visitor).unwrap();
            ids.push((r.record_id, WireKind::Report));
        } else {
            let r = Record::new(declaration_of(&person(i)), "K1", Utc::now(), Utc::now());
            store.insert_declaration(&r, Actor::Visitor).unwrap();
            ids.push((r.record_id, WireKind::Declaration));
        }
    }
    // Stored in another order than created: the batch still goes by id.
    (store, ids)
}

fn batch_ids(queue: &StoreQueue, max: usize) -> Vec<Uuid> {
    queue
        .pending_batch(max, usize::MAX, &WireKind::ALL)
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect()
}

#[test]
fn batches_take_declarations_and_reports_oldest_first() {
    let dir = tempfile::tempdir().unwrap();
    let key = Key::random();
    let (store, ids) = mixed(dir.path(), &key);
    let d0 = store.declaration(&ids[0].0).unwrap().unwrap().record;
    let queue = StoreQueue::new(store);
    let first = queue.pending_batch(3, usize::MAX, &WireKind::ALL).unwrap();
    let got: Vec<(Uuid, WireKind)> = first.iter().map(|r| (r.id, r.kind)).collect();
    assert_eq!(got, ids[..3].to_vec());
    // The body is the stored record itself, as JSON; created_at is its submission.
    let body = |i: usize| serde_json::from_str::<serde_json::Value>(first[i].body.get()).unwrap();
    assert_eq!(body(0), serde_json::to_value(&d0).unwrap());
    assert_eq!(first[0].kiosk_id, "K1");
    assert_eq!(
        first[0].created_at.timestamp_millis(),
        d0.submitted_at.timestamp_millis()
    );
    assert_eq!(
        body(1)["report"]["details"],
        "Hai người vượt biên lúc 1 giờ sáng"
    );
    let all: Vec<Uuid> = ids.iter().map(|(id, _)| *id).collect();
    assert_eq!(batch_ids(&queue, 100), all);
    let c = queue.counts().unwrap();
    assert_eq!(
        (c.unsynced, c.in_flight, c.acknowledged, c.rejected),
        (7, 0, 0, 0)
    );
}

#[test]
fn the_byte_budget_limits_a_batch_but_never_below_one_record() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = store_support::open_encrypted(dir.path());
    let records: Vec<Record> = (0..5).map(record).collect();
    store.insert_declarations(&records, Actor::Visitor).unwrap();
    let one = serde_json::to_string(&records[0]).unwrap().len();
    let queue = StoreQueue::new(store);
    assert_eq!(
        queue.pending_batch(100, 1, &WireKind::ALL).unwrap().len(),
        1
    );
    assert_eq!(
        queue
            .pending_batch(100, one * 5 / 2, &WireKind::ALL)
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        queue
            .pending_batch(100, usize::MAX, &WireKind::ALL)
            .unwrap()
            .len(),
        5
    );
    assert_eq!(
        queue
            .pending_batch(0, usize::MAX, &WireKind::ALL)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn sent_records_go_again_and_each_send_is_an_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let key = Key::random();
    let (store, ids) = mixed(dir.path(), &key);
    let queue = StoreQueue::new(store);
    let (a, b) = (ids[0].0, ids[1].0);
    queue.mark_sent(&[a, b]).unwrap();
    // No answer came (crash, lost answer): still offered, first.
    assert_eq!(batch_ids(&queue, 2), vec![a, b]);
    let c = queue.counts().unwrap();
    assert_eq!((c.unsynced, c.in_flight), (7, 2));
    queue.mark_sent(&[a, b]).unwrap();
    queue.mark_failed(&[a], "timeout after 30 s").unwrap();
    let store = queue.lock();
    let qa = store.declaration(&a).unwrap().unwrap().sync;
    assert_eq!(
        (qa.state, qa.attempts, qa.last_error.as_deref()),
        (DeliveryState::Pending, 2, Some("timeout after 30 s"))
    );
    let qb = store.report(&b).unwrap().unwrap().sync;
    assert_eq!((qb.state, qb.attempts), (DeliveryState::Sent, 2));
    let stats = store.queue_stats().unwrap();
    assert_eq!(stats, store.queue_stats_scanned().unwrap());
    assert_eq!(stats.last_error.as_deref(), Some("timeout after 30 s"));
    assert!(stats.last_error_at.is_some() && stats.last_success.is_none());
}

#[test]
fn acknowledged_is_final_and_leaves_the_batches() {
    let dir = tempfile::tempdir().unwrap();
    let key = Key::random();
    let (store, ids) = mixed(dir.path(), &key);
    let queue = StoreQueue::new(store);
    let all: Vec<Uuid> = ids.iter().map(|(id, _)| *id).collect();
    queue.mark_sent(&all[..4]).unwrap();
    queue.mark_acknowledged(&all[..4]).unwrap();
    // A late failure or a resend never undoes an acknowledgement.
    queue.mark_failed(&all[..1], "late").unwrap();
    queue.mark_sent(&all[..1]).unwrap();
    assert_eq!(batch_ids(&queue, 100), all[4..].to_vec());
    let c = queue.counts().unwrap();
    assert_eq!((c.unsynced, c.in_flight, c.acknowledged), (3, 0, 4));
    let store = queue.lock();
    let q0 = store.declaration(&all[0]).unwrap().unwrap().sync;
    assert_eq!(
        (q0.state, q0.attempts, q0.last_error),
        (DeliveryState::Acknowledged, 1, None)
    );
    assert!(store.queue_stats().unwrap().last_success.is_some());
}

#[test]
fn a_record_the_hub_refused_stays_on_the_kiosk_out_of_the_batches() {
    let dir = tempfile::tempdir().unwrap();
    let key = Key::random();
    let (store, ids) = mixed(dir.path(), &key);
    let queue = StoreQueue::new(store);
    let (d1, r0) = (ids[2].0, ids[1].0);
    queue.mark_sent(&[d1, r0]).unwrap();
    queue
        .mark_rejected(&[
            (d1, "kiosk-mismatch: record kiosk_id differs".into()),
            (r0, "invalid-body: body must be a JSON object".into()),
        ])
        .unwrap();
    // A retry of the batch must not bring them back.
    queue.mark_failed(&[d1, r0], "later failure").unwrap();
    let left = batch_ids(&queue, 100);
    assert_eq!(left.len(), 5);
    assert!(!left.contains(&d1) && !left.contains(&r0));
    let c = queue.counts().unwrap();
    assert_eq!((c.unsynced, c.rejected), (5, 2));

    let mut store = queue.lock();
    let q = store.declaration(&d1).unwrap().unwrap().sync;
    assert_eq!(q.state, DeliveryState::Rejected);
    assert!(q.last_error.unwrap().starts_with("kiosk-mismatch"));
    let listed = store.list(None).unwrap();
    let shown = listed
        .iter()
        .find(|s| s.record_id == d1.to_string())
        .unwrap();
    assert_eq!(shown.state, DeliveryState::Rejected);
    let stats = store.queue_stats().unwrap();
    assert_eq!(stats, store.queue_stats_scanned().unwrap());
    assert_eq!(
        (stats.declarations.rejected, stats.reports.rejected),
        (1, 1)
    );
    assert_eq!(stats.declarations.total() + stats.reports.total(), 7);

    // Retention: never acknowledged, so kept past its time while a server is
    // configured; an operator's forced purge deletes it.
    let later = Utc::now() + Duration::days(30);
    let kept = store.purge(later, false, Actor::Operator).unwrap();
    assert_eq!((kept.deleted(), kept.kept_unacknowledged), (0, 7));
    let forced = store.purge(later, true, Actor::Operator).unwrap();
    assert_eq!(forced.deleted(), 7);
    assert!(store.declaration(&d1).unwrap().is_none());
}

#[test]
fn marks_are_on_disk_for_the_next_process() {
    let dir = tempfile::tempdir().unwrap();
    let key = Key::random();
    let (store, ids) = mixed(dir.path(), &key);
    let queue: Arc<dyn SyncQueue> = Arc::new(StoreQueue::new(store));
    let all: Vec<Uuid> = ids.iter().map(|(id, _)| *id).collect();
    queue.mark_sent(&all).unwrap();
    queue.mark_acknowledged(&all[..3]).unwrap();
    queue
        .mark_rejected(&[(all[3], "invalid-id".into())])
        .unwrap();
    queue.mark_failed(&all[4..5], "503").unwrap();
    // Another connection, as the next process would open it.
    let other = open(dir.path(), &key);
    let states: Vec<DeliveryState> = ids
        .iter()
        .map(|(id, kind)| match kind {
            WireKind::Declaration => other.declaration(id).unwrap().unwrap().sync.state,
            WireKind::Report => other.report(id).unwrap().unwrap().sync.state,
            WireKind::FollowUp => unreachable!("this queue holds no follow-up step"),
        })
        .collect();
    use DeliveryState::*;
    assert_eq!(
        states,
        vec![
            Acknowledged,
            Acknowledged,
            Acknowledged,
            Rejected,
            Pending,
            Sent,
            Sent
        ]
    );
    assert_eq!(other.integrity_check().unwrap(), "ok");
}

#[test]
fn a_damaged_row_is_set_aside_and_does_not_block_the_queue() {
    let dir = tempfile::tempdir().unwrap();
    let key = Key::random();
    let mut store = open(dir.path(), &key);
    let records: Vec<Record> = (0..4)
        .map(|i| {
            std::thread::sleep(std::time::Duration::from_millis(2));
            let mut r = record(i);
            r.kiosk_id = "K1".into();
            r
        })
        .collect();
    store.insert_declarations(&records, Actor::Visitor).unwrap();
    let conn = raw_connection(&dir.path().join("kiosk.db"), &key);
    for r in &records[..2] {
        conn.execute(
            "UPDATE declarations SET record = '{\"secret\": \"NGUYỄN' WHERE record_id = ?1",
            [r.record_id.to_string()],
        )
        .unwrap();
    }
    drop(conn);
    let queue = StoreQueue::new(store);
    // The two damaged rows fill the first look: the batch looks behind them.
    let batch = batch_ids(&queue, 2);
    assert_eq!(batch, vec![records[2].record_id, records[3].record_id]);
    let store = queue.lock();
    for r in &records[..2] {
        let row = store
            .list(None)
            .unwrap()
            .into_iter()
            .find(|s| s.record_id == r.record_id.to_string())
            .unwrap();
        assert_eq!(row.state, DeliveryState::Rejected);
        let reason = row.last_error.unwrap();
        assert!(reason.starts_with(DAMAGED_REASON), "{reason}");
        assert!(!reason.contains("NGUYỄN"), "{reason}");
    }
    assert_eq!(store.sync_counts().unwrap().rejected, 2);
}

#[test]
fn old_unacknowledged_records_wait_for_the_hub() {
    let dir = tempfile::tempdir().unwrap();
    let key = Key::random();
    let mut store = open(dir.path(), &key);
    let old: Vec<Record> = (0..3)
        .map(|i| store_support::record_at(i, days_ago(30)))
        .collect();
    store.insert_declarations(&old, Actor::Visitor).unwrap();
    let queue = StoreQueue::new(store);
    queue
        .mark_sent(&[old[0].record_id, old[1].record_id])
        .unwrap();
    queue.mark_acknowledged(&[old[0].record_id]).unwrap();
    let mut store = queue.lock();
    let report = store.purge(Utc::now(), false, Actor::System).unwrap();
    assert_eq!((report.declarations, report.kept_unacknowledged), (1, 2));
    assert!(store.declaration(&old[0].record_id).unwrap().is_none());
    assert!(store.declaration(&old[1].record_id).unwrap().is_some());
}

/// Through a real hub: a record of another kiosk id is refused by the hub
/// and kept on the kiosk as rejected; the others are stored; nothing is sent twice.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hubs_refusal_is_kept_and_never_sent_again() {
    let pki = support::TestPki::new("rejected");
    let dir = tempfile::tempdir().unwrap();
    let hub = support::sqlite_hub(&pki, dir.path()).await;
    let token = support::add_token(&hub, support::KIOSK).await;
    let key = Key::random();
    let mut store = open(dir.path(), &key);
    let good: Vec<Record> = (0..3)
        .map(|i| Record::new(declaration_of(&person(i)), "K1", Utc::now(), Utc::now()))
        .collect();
    let foreign = Record::new(declaration_of(&person(9)), "K-OLD", Utc::now(), Utc::now());
    store.insert_declarations(&good, Actor::Visitor).unwrap();
    store.insert_declaration(&foreign, Actor::Visitor).unwrap();
    store.insert_report(&report(1), Actor::Visitor).unwrap();
    let queue = Arc::new(StoreQueue::new(store));
    let config = support::kiosk_config(hub.addr().port(), &token, &pki);
    let mut worker = Worker::new(queue.clone(), &config, "K1", None).unwrap();
    let first = worker.drain().await.unwrap();
    assert_eq!((first.stored, first.rejected), (4, 1));
    let again = worker.drain().await.unwrap();
    assert_eq!((again.batches, again.stored, again.rejected), (0, 0, 0));
    let on_hub = hub.db().record_ids().await.unwrap();
    assert_eq!(on_hub.len(), 4);
    assert!(!on_hub.contains(&foreign.record_id));
    {
        let store = queue.lock();
        let q = store.declaration(&foreign.record_id).unwrap().unwrap();
        assert_eq!(q.sync.state, DeliveryState::Rejected);
        assert!(q.sync.last_error.unwrap().starts_with("kiosk-mismatch"));
        assert_eq!(q.record, foreign);
        let c = store.sync_counts().unwrap();
        assert_eq!((c.unsynced, c.acknowledged, c.rejected), (0, 4, 1));
        // What the window's status bar shows, from the live worker status.
        let bar = SyncSummary::from_store(&store, &worker.status().borrow(), true).unwrap();
        assert_eq!((bar.pending, bar.rejected, bar.failing), (0, 1, false));
        assert!(bar.last_success.is_some() && bar.clock_skew_ms.is_some());
        assert_eq!(bar.message().id, "sync-status-idle");
    }
    assert_eq!(worker.status().borrow().unsynced, 0);
    hub.stop().await;
}
