//! The protocol end to end over real TLS on 127.0.0.1: per-record answers,
//! idempotency, clock skew, trust (CA file, pin, wrong CA), health, export.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use std::sync::Arc;

use checkpoint_hub::{ExportFilter, sheets};
use checkpoint_kiosk::sync::SyncError;
use checkpoint_kiosk::sync::client::HubClient;
use checkpoint_kiosk::sync::tls::cert_sha256_hex;
use checkpoint_kiosk::sync::worker::Worker;
use checkpoint_wire::Outcome;
use chrono::{TimeZone, Utc};
use support::*;
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_record_gets_its_own_answer_and_resending_is_idempotent() {
    let pki = TestPki::new("proto");
    let dir = tempfile::tempdir().unwrap();
    let hub = sqlite_hub(&pki, dir.path()).await;
    let token = add_token(&hub, KIOSK).await;
    let client = HubClient::new(&kiosk_config(hub.addr().port(), &token, &pki)).unwrap();

    let good = records::declarations(50, KIOSK, 1);
    let mut v4 = good[0].clone();
    v4.id = uuid::Builder::from_random_bytes([7u8; 16]).into_uuid();
    let foreign = records::declarations(1, "K2", 2).remove(0);
    let mut batch = good.clone();
    batch.extend([v4, foreign, good[3].clone()]);

    let (answer, wire) = client.send(KIOSK, &batch).await.unwrap();
    assert!(answer.results[..50].iter().all(|o| *o == Outcome::Stored));
    assert_eq!(
        answer.results[50..],
        [Outcome::Rejected, Outcome::Rejected, Outcome::Duplicate]
    );
    let reasons: Vec<_> = answer
        .rejected
        .iter()
        .map(|r| (r.index, r.reason.as_str()))
        .collect();
    assert_eq!(reasons, vec![(50, "invalid-id"), (51, "kiosk-mismatch")]);
    assert!(
        answer.clock_skew_ms.abs() < 5_000,
        "skew {}",
        answer.clock_skew_ms
    );
    assert!(wire.request_body > 0 && wire.answer_body > 0);

    let (again, _) = client.send(KIOSK, &good).await.unwrap();
    assert!(again.results.iter().all(|o| *o == Outcome::Duplicate));
    let ids: Vec<Uuid> = good.iter().map(|r| r.id).collect();
    assert_exactly_once(&hub, &ids).await;
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_drains_the_queue_and_marks_only_answered_records() {
    let pki = TestPki::new("drain");
    let dir = tempfile::tempdir().unwrap();
    let hub = sqlite_hub(&pki, dir.path()).await;
    let token = add_token(&hub, KIOSK).await;
    let queue = Arc::new(TestQueue::open(&dir.path().join("kiosk.db")));
    let mut records = records::declarations(1_050, KIOSK, 3);
    let mut bad = records.pop().unwrap();
    bad.kiosk_id = "ELSEWHERE".into();
    queue.insert(&records);
    queue.insert(std::slice::from_ref(&bad));

    let status_file = dir.path().join("sync-status.json");
    let config = kiosk_config(hub.addr().port(), &token, &pki);
    let mut worker = Worker::new(queue.clone(), &config, KIOSK, Some(status_file.clone())).unwrap();
    let report = worker.drain().await.unwrap();
    assert_eq!(
        (report.stored, report.duplicate, report.rejected),
        (1_049, 0, 1)
    );
    assert_eq!(report.batches, 6, "1,050 records in batches of 200");
    assert_eq!(queue.count("acknowledged"), 1_049);
    let (state, attempts, reason) = queue.state(bad.id);
    assert_eq!((state.as_str(), attempts), ("rejected", 1));
    assert!(reason.unwrap().starts_with("kiosk-mismatch"));

    let status = worker.status().borrow().clone();
    assert_eq!(status.unsynced, 0);
    assert!(status.last_success.is_some());
    assert!(status.clock_skew_ms.is_some());
    let saved = checkpoint_kiosk::sync::status::load(&status_file).unwrap();
    assert_eq!(saved.last_success, status.last_success);

    let ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    assert_exactly_once(&hub, &ids).await;
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trust_by_ca_file_or_pin_and_refuse_anything_else() {
    let pki = TestPki::new("trust");
    let other = TestPki::new("impostor");
    let dir = tempfile::tempdir().unwrap();
    let hub = sqlite_hub(&pki, dir.path()).await;
    let token = add_token(&hub, KIOSK).await;
    let recs = records::declarations(3, KIOSK, 4);
    let base = kiosk_config(hub.addr().port(), &token, &pki);

    let pinned = checkpoint_kiosk::sync::SyncConfig {
        ca_file: None,
        pinned_cert_sha256: Some(cert_sha256_hex(&pki.leaf_der)),
        // The pin holds whatever name is used.
        server: format!("https://127.0.0.1:{}", hub.addr().port()),
        ..base.clone()
    };
    let (a, _) = HubClient::new(&pinned)
        .unwrap()
        .send(KIOSK, &recs)
        .await
        .unwrap();
    assert!(a.results.iter().all(|o| *o == Outcome::Stored));

    let wrong_pin = checkpoint_kiosk::sync::SyncConfig {
        pinned_cert_sha256: Some(cert_sha256_hex(&other.leaf_der)),
        ..pinned.clone()
    };
    let err = HubClient::new(&wrong_pin)
        .unwrap()
        .send(KIOSK, &recs)
        .await
        .unwrap_err();
    assert!(matches!(err, SyncError::Tls(_)), "{err:?}");

    for ca in [Some(other.ca_path.clone()), None] {
        let untrusted = checkpoint_kiosk::sync::SyncConfig {
            ca_file: ca,
            ..base.clone()
        };
        let err = HubClient::new(&untrusted)
            .unwrap()
            .send(KIOSK, &recs)
            .await
            .unwrap_err();
        assert!(matches!(err, SyncError::Tls(_)), "{err:?}");
        assert_eq!(err.message().id, "sync-tls");
    }

    let plain = checkpoint_kiosk::sync::SyncConfig {
        server: format!("http://localhost:{}", hub.addr().port()),
        ..base.clone()
    };
    assert!(matches!(
        HubClient::new(&plain),
        Err(SyncError::PlainHttp(_))
    ));
    let bad_pin = checkpoint_kiosk::sync::SyncConfig {
        pinned_cert_sha256: Some("12:34".into()),
        ..base.clone()
    };
    assert!(matches!(
        HubClient::new(&bad_pin),
        Err(SyncError::BadPin(_))
    ));
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_and_csv_export_by_kiosk_and_date() {
    let pki = TestPki::new("export");
    let dir = tempfile::tempdir().unwrap();
    let hub = sqlite_hub(&pki, dir.path()).await;
    let t1 = add_token(&hub, "K1").await;
    let t2 = add_token(&hub, "K2").await;
    let k1 = records::declarations(40, "K1", 5); // 2025-07-01 07:00 UTC, 2.5 s apart
    let k2 = records::declarations(10, "K2", 6);
    HubClient::new(&kiosk_config(hub.addr().port(), &t1, &pki))
        .unwrap()
        .send("K1", &k1)
        .await
        .unwrap();
    HubClient::new(&kiosk_config(hub.addr().port(), &t2, &pki))
        .unwrap()
        .send("K2", &k2)
        .await
        .unwrap();

    let pem = std::fs::read(&pki.ca_path).unwrap();
    let http = reqwest::Client::builder()
        .tls_certs_only(reqwest::Certificate::from_pem_bundle(&pem).unwrap())
        .build()
        .unwrap();
    let health = http
        .get(format!("https://localhost:{}/healthz", hub.addr().port()))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let body: serde_json::Value = health.json().await.unwrap();
    assert_eq!(body["status"], "ok");

    let all_k1 = hub
        .db()
        .export(&ExportFilter {
            kiosk_id: Some("K1".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all_k1.len(), 40);
    assert!(all_k1.iter().all(|r| r.kiosk_id == "K1"));
    let cut = k1[20].created_at;
    let window = ExportFilter {
        kiosk_id: Some("K1".into()),
        from: Some(k1[10].created_at),
        to: Some(cut),
    };
    let rows = hub.db().export(&window).await.unwrap();
    let expected: Vec<String> = k1[10..20].iter().map(|r| r.id.to_string()).collect();
    let got: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    assert_eq!(got, expected);
    let later = ExportFilter {
        from: Some(Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap()),
        ..Default::default()
    };
    assert!(hub.db().export(&later).await.unwrap().is_empty());

    let mut out = Vec::new();
    checkpoint_export::write_csv(&sheets::raw_sheet(rows), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 11);
    let body = records::body_value(&k1[10]);
    let name = body["full_name"].as_str().unwrap();
    assert!(
        text.contains(name),
        "the body travels intact, Vietnamese included"
    );
    hub.stop().await;
}

/// A hub that does not store reports yet (an older hub, as a newer kiosk
/// meets it): the kiosk sends its declarations, keeps its reports pending
/// (never rejected), and sends them once the hub accepts them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kind_the_hub_lacks_waits_on_the_kiosk_until_the_hub_accepts_it() {
    use checkpoint_domain::declaration::report::{Report, ReportKind, ReportRecord};
    use checkpoint_hub::{DbTarget, HubOptions, TlsFiles};
    use checkpoint_kiosk::sync::store_queue::StoreQueue;
    use checkpoint_store::{Actor, Key, Settings, Store};
    use checkpoint_wire::{Feature, HubInfo, RecordKind};

    let pki = TestPki::new("kinds");
    let dir = tempfile::tempdir().unwrap();
    let db = DbTarget::Sqlite {
        path: dir.path().join("hub.db"),
        key_file: dir.path().join("hub.db.key"),
    };
    let options = |kinds: &[RecordKind]| {
        let mut o = HubOptions::new(
            "127.0.0.1:0".parse().unwrap(),
            db.clone(),
            Some(TlsFiles {
                cert: pki.cert_path.clone(),
                key: pki.key_path.clone(),
            }),
        );
        o.accepted_kinds = kinds.to_vec();
        o
    };
    let old_hub = checkpoint_hub::RunningHub::start(options(&[RecordKind::Declaration]))
        .await
        .unwrap();
    let token = add_token(&old_hub, KIOSK).await;

    let settings = Settings {
        kiosk_id: KIOSK.into(),
        keep_unacknowledged: true,
        ..Settings::default()
    };
    let mut store =
        Store::open_with(&dir.path().join("kiosk.db"), &Key::random(), settings).unwrap();
    let declarations = records::kiosk_records(5, KIOSK, 9);
    store
        .insert_declarations(&declarations, Actor::Visitor)
        .unwrap();
    let mut report = Report::default();
    report.kinds.insert(ReportKind::IllegalEntry);
    report.details = "Hai người vượt biên lúc 5 giờ sáng".into();
    let report = ReportRecord::new(report, KIOSK, Utc::now());
    store.insert_report(&report, Actor::Visitor).unwrap();
    let queue = Arc::new(StoreQueue::new(store));

    // The hub says what it stores.
    let config = kiosk_config(old_hub.addr().port(), &token, &pki);
    let info = HubClient::new(&config).unwrap().info().await.unwrap();
    assert_eq!(
        info,
        HubInfo::new(&[RecordKind::Declaration]).with_features(&[Feature::Heartbeat])
    );
    assert!(info.has(Feature::Heartbeat));
    assert!(
        !info.has(Feature::Fleet),
        "a hub without a signing key offers no fleet configuration"
    );

    let mut worker = Worker::new(queue.clone(), &config, KIOSK, None).unwrap();
    let sent = worker.drain().await.unwrap();
    assert_eq!((sent.stored, sent.rejected), (5, 0));
    let stats = queue.lock().queue_stats().unwrap();
    assert_eq!(stats.declarations.acknowledged, 5);
    assert_eq!(
        (
            stats.reports.pending,
            stats.reports.sent,
            stats.reports.rejected
        ),
        (1, 0, 0),
        "the report waits, untouched: {stats:?}"
    );
    let ids: Vec<Uuid> = declarations.iter().map(|r| r.record_id).collect();
    assert_exactly_once(&old_hub, &ids).await;
    // Draining again sends nothing and still refuses nothing.
    assert_eq!(worker.drain().await.unwrap().batches, 0);
    assert_eq!(queue.lock().queue_stats().unwrap().reports.pending, 1);
    old_hub.stop().await;

    // The hub is upgraded (same database, every kind): the report goes.
    let new_hub = checkpoint_hub::RunningHub::start(options(&RecordKind::ALL))
        .await
        .unwrap();
    let config = kiosk_config(new_hub.addr().port(), &token, &pki);
    let mut worker = Worker::new(queue.clone(), &config, KIOSK, None).unwrap();
    let sent = worker.drain().await.unwrap();
    assert_eq!((sent.stored, sent.duplicate, sent.rejected), (1, 0, 0));
    let stats = queue.lock().queue_stats().unwrap();
    assert_eq!(stats.reports.acknowledged, 1);
    let mut all = ids;
    all.push(report.record_id);
    assert_exactly_once(&new_hub, &all).await;
    new_hub.stop().await;
}

/// A kiosk that sends a kind anyway (one that never asked) gets it refused
/// for good by position, with its reason, and the rest stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kind_the_hub_does_not_store_is_refused_with_its_reason() {
    use checkpoint_hub::{DbTarget, HubOptions, TlsFiles};
    use checkpoint_wire::RecordKind;

    let pki = TestPki::new("kind-refused");
    let dir = tempfile::tempdir().unwrap();
    let mut options = HubOptions::new(
        "127.0.0.1:0".parse().unwrap(),
        DbTarget::Sqlite {
            path: dir.path().join("hub.db"),
            key_file: dir.path().join("hub.db.key"),
        },
        Some(TlsFiles {
            cert: pki.cert_path.clone(),
            key: pki.key_path.clone(),
        }),
    );
    options.accepted_kinds = vec![RecordKind::Declaration];
    let hub = checkpoint_hub::RunningHub::start(options).await.unwrap();
    let token = add_token(&hub, KIOSK).await;
    let client = HubClient::new(&kiosk_config(hub.addr().port(), &token, &pki)).unwrap();
    let mut batch = records::declarations(3, KIOSK, 4);
    batch[1].kind = RecordKind::Report;
    let (answer, _) = client.send(KIOSK, &batch).await.unwrap();
    assert_eq!(
        answer.results,
        [Outcome::Stored, Outcome::Rejected, Outcome::Stored]
    );
    assert_eq!(answer.rejected.len(), 1);
    assert_eq!(
        (answer.rejected[0].index, answer.rejected[0].reason.as_str()),
        (1, "unsupported-kind")
    );
    hub.stop().await;
}

/// The kiosk's heartbeat reaches the hub over TLS: its version, queue depth,
/// camera and Bluetooth state and its own hourly counts, which add up to
/// the check-ins it stored; the hub's day counts of the records it received
/// agree. Not sent again before it is due.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_heartbeat_carries_health_and_hourly_counts() {
    use checkpoint_hub::accounts::Scope;
    use checkpoint_hub::stats::{Level, day_of};
    use checkpoint_kiosk::sync::heartbeat::DeviceStates;
    use checkpoint_kiosk::sync::store_queue::StoreQueue;
    use checkpoint_store::{Actor, Key, Settings, Store};

    let pki = TestPki::new("heartbeat");
    let dir = tempfile::tempdir().unwrap();
    let hub = sqlite_hub(&pki, dir.path()).await;
    let token = add_token(&hub, KIOSK).await;
    let settings = Settings {
        kiosk_id: KIOSK.into(),
        ..Settings::default()
    };
    let mut store =
        Store::open_with(&dir.path().join("kiosk.db"), &Key::random(), settings).unwrap();
    let declarations = records::kiosk_records(7, KIOSK, 21);
    // As the window stores them: each a check-in, counted by the hour.
    for r in &declarations {
        store.insert_checkin(r, Actor::Visitor).unwrap();
    }
    let queue = Arc::new(StoreQueue::new(store));
    let devices = Arc::new(DeviceStates::default());
    devices.set("working", "adapter-off");
    let config = kiosk_config(hub.addr().port(), &token, &pki);
    let mut worker = Worker::new(queue, &config, KIOSK, None)
        .unwrap()
        .with_devices(devices);
    assert_eq!(worker.drain().await.unwrap().stored, 7);
    assert!(worker.heartbeat_if_due().await, "sent");
    assert!(!worker.heartbeat_if_due().await, "not due again yet");

    let now = Utc::now();
    let (today, yesterday) = (day_of(now), day_of(now - chrono::Duration::days(1)));
    let mut counted = 0;
    for day in [yesterday, today] {
        let kiosks = hub.db().kiosk_health(&Scope::all(), day).await.unwrap();
        assert_eq!(kiosks.len(), 1);
        let k = &kiosks[0];
        assert_eq!(k.kiosk_id, KIOSK);
        assert_eq!(k.camera.as_deref(), Some("working"));
        assert_eq!(k.bluetooth.as_deref(), Some("adapter-off"));
        assert_eq!(k.queue_depth, Some(0));
        assert_eq!(
            k.software_version.as_deref(),
            Some(env!("CARGO_PKG_VERSION"))
        );
        assert!(k.heard_at.is_some() && k.last_batch_at.is_some());
        assert!(!k.is_silent(now, chrono::Duration::minutes(30)));
        counted += k.checkins_today;
    }
    assert_eq!(counted, 7, "the kiosk's hourly check-ins add up");
    let figures = hub
        .db()
        .daily_figures(&Scope::all(), &Level::All, (yesterday, today))
        .await
        .unwrap();
    let received: u64 = figures.iter().map(|(_, f)| f.declarations).sum();
    assert_eq!(received, 7);
    let with_bz = declarations
        .iter()
        .filter(|r| r.bluezone_nearby == Some(true))
        .count() as u64;
    let observed = declarations
        .iter()
        .filter(|r| r.bluezone_nearby.is_some())
        .count() as u64;
    assert_eq!(
        figures.iter().map(|(_, f)| f.with_bluezone).sum::<u64>(),
        with_bz
    );
    assert_eq!(
        figures.iter().map(|(_, f)| f.observed).sum::<u64>(),
        observed
    );
}

/// A kiosk whose clock runs 2 hours fast: the hub refuses its records as
/// retryable (`clock-ahead`), the kiosk keeps them pending, never rejected,
/// and sends them once time has caught up (stood in for by the same store
/// under a hub that allows 3 hours ahead): each stored once, none lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_two_hours_fast_loses_nothing() {
    let pki = TestPki::new("ahead");
    let dir = tempfile::tempdir().unwrap();
    let db = checkpoint_hub::DbTarget::Sqlite {
        path: dir.path().join("hub.db"),
        key_file: dir.path().join("hub.db.key"),
    };
    let hub = start_hub(&pki, db.clone(), checkpoint_hub::Limits::default()).await;
    let token = add_token(&hub, KIOSK).await;
    let fast = Utc::now() + chrono::Duration::hours(2);
    let mut records = records::declarations(5, KIOSK, 7);
    for (i, r) in records.iter_mut().enumerate() {
        r.created_at = fast + chrono::Duration::seconds(i as i64);
    }
    let queue = Arc::new(TestQueue::open(&dir.path().join("kiosk.db")));
    queue.insert(&records);

    let config = kiosk_config(hub.addr().port(), &token, &pki);
    let mut worker = Worker::new(queue.clone(), &config, KIOSK, None).unwrap();
    let report = worker.drain().await.unwrap();
    assert_eq!((report.stored, report.rejected), (0, 0));
    assert_eq!((queue.count("pending"), queue.count("rejected")), (5, 0));
    let (_, _, why) = queue.state(records[0].id);
    assert!(
        why.as_deref().unwrap_or("").starts_with("clock-ahead"),
        "{why:?}"
    );
    assert_eq!(worker.status().borrow().unsynced, 5);
    hub.stop().await;

    let limits = checkpoint_hub::Limits {
        max_ahead: chrono::Duration::hours(3),
        ..checkpoint_hub::Limits::default()
    };
    let caught_up = start_hub(&pki, db, limits).await;
    let config = kiosk_config(caught_up.addr().port(), &token, &pki);
    let mut worker = Worker::new(queue.clone(), &config, KIOSK, None).unwrap();
    assert_eq!(worker.drain().await.unwrap().stored, 5);
    assert_eq!(queue.count("acknowledged"), 5);
    let ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    assert_exactly_once(&caught_up, &ids).await;
    caught_up.stop().await;
}
