//! Sync throughput and recovery, measured end to end over TLS on 127.0.0.1:
//! 100,000 complete declarations queued in the kiosk's real store (SQLCipher,
//! `synchronous = FULL`, in a data folder) sent to a hub on SQLite and on
//! PostgreSQL; records/s and bytes on the wire per record (every TCP byte
//! both ways, TLS and HTTP included, counted by a proxy). Then the time from
//! the network coming back to all records being on the hub, with records
//! stored meanwhile through a second connection, as the window does.
//! `cargo bench --bench sync_throughput`; under `cargo test` it runs a small
//! smoke version.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/it/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use checkpoint_domain::declaration::Record;
use checkpoint_hub::{DbTarget, Limits};
use checkpoint_kiosk::config::Config;
use checkpoint_kiosk::paths::DataDir;
use checkpoint_kiosk::sync::SyncConfig;
use checkpoint_kiosk::sync::store_queue::StoreQueue;
use checkpoint_kiosk::sync::worker::Worker;
use checkpoint_store::{Actor, Store};
use support::*;
use uuid::Uuid;

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let n = if full { 100_000 } else { 2_000 };
    let rounds = if full { 5 } else { 1 };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let sqlite = DbTarget::Sqlite {
            path: dir.path().join("hub.db"),
            key_file: dir.path().join("hub.db.key"),
        };
        let (rate, bytes) = throughput("sqlite", sqlite, n).await;
        if full && (rate < 5_000.0 || bytes > 300.0) {
            println!(
                "FAIL: the bar on SQLite is at least 5,000 records/s and at most 300 bytes per record"
            );
            std::process::exit(1);
        }
        match pg::fresh_database("sync_throughput/postgresql").await {
            Some(url) => {
                throughput("postgresql", DbTarget::Postgres(url), n).await;
            }
            None => println!("sync_throughput/postgresql: skipped (no {})", pg::ENV),
        }
        recovery(rounds).await;
    });
}

/// Records per second and bytes on the wire per record.
async fn throughput(label: &str, db: DbTarget, n: usize) -> (f64, f64) {
    let pki = TestPki::new(label);
    let hub = start_hub(&pki, db, Limits::default()).await;
    let token = add_token(&hub, KIOSK).await;
    let proxy = FaultProxy::start(hub.addr()).await;
    let dir = tempfile::tempdir().unwrap();
    let config = SyncConfig {
        server: format!("https://localhost:{}", proxy.addr.port()),
        token,
        ca_file: Some(pki.ca_path.clone()),
        ..SyncConfig::default()
    };
    let data = DataDir::portable(dir.path().join("kiosk"));
    let mut store = checkpoint_kiosk::storage::open_store(&data, &kiosk(&config)).unwrap();
    let records = records::kiosk_records(n, KIOSK, 2025);
    let json_bytes: usize = records
        .iter()
        .map(|r| serde_json::to_string(r).unwrap().len())
        .sum();
    let stored = Instant::now();
    insert(&mut store, &records);
    println!(
        "sync_throughput/{label}: {n} declarations stored in the kiosk's store in {:.1} s",
        stored.elapsed().as_secs_f64()
    );
    let queue = Arc::new(StoreQueue::new(store));
    let mut worker = Worker::new(queue.clone(), &config, KIOSK, None).unwrap();
    let cpu_before = process_cpu_secs();
    let started = Instant::now();
    let report = worker.drain().await.unwrap();
    let secs = started.elapsed().as_secs_f64();
    let cpu = process_cpu_secs() - cpu_before;
    let (up, down) = proxy.bytes();
    assert_eq!(report.stored as usize, n);
    let ids: Vec<Uuid> = records.iter().map(|r| r.record_id).collect();
    assert_exactly_once(&hub, &ids).await;
    let counts = queue.lock().sync_counts().unwrap();
    assert_eq!((counts.unsynced, counts.acknowledged), (0, n as u64));
    let per = |b: u64| b as f64 / n as f64;
    println!(
        "sync_throughput/{label}: {n} records in {secs:.2} s = {:.0} records/s; \
         {:.1} bytes/record on the wire (up {:.1}, down {:.1}; request bodies {:.1}, answers {:.1}); \
         record JSON {:.0} bytes; {} batches; kiosk+hub process CPU {cpu:.1} s = {:.0} records per CPU-second",
        n as f64 / secs,
        per(up + down),
        per(up),
        per(down),
        per(report.wire.request_body as u64),
        per(report.wire.answer_body as u64),
        json_bytes as f64 / n as f64,
        report.batches,
        n as f64 / cpu,
    );
    hub.stop().await;
    (n as f64 / secs, per(up + down))
}

/// The network drops, records queue up, the network returns: how long until
/// they are all on the hub, with the default retry settings.
async fn recovery(rounds: usize) {
    let pki = TestPki::new("recovery");
    let dir = tempfile::tempdir().unwrap();
    let hub = sqlite_hub(&pki, dir.path()).await;
    let token = add_token(&hub, KIOSK).await;
    let proxy = FaultProxy::start(hub.addr()).await;
    let config = SyncConfig {
        server: format!("https://localhost:{}", proxy.addr.port()),
        token,
        ca_file: Some(pki.ca_path.clone()),
        ..SyncConfig::default()
    };
    let data = DataDir::portable(dir.path().join("kiosk"));
    // The worker's connection, and the window's for new records.
    let store = checkpoint_kiosk::storage::open_store(&data, &kiosk(&config)).unwrap();
    let queue = Arc::new(StoreQueue::new(store));
    let mut window = checkpoint_kiosk::storage::open_store(&data, &kiosk(&config)).unwrap();
    let handle = Worker::new(queue.clone(), &config, KIOSK, None)
        .unwrap()
        .spawn();
    let mut times = Vec::new();
    let mut expected = 0;
    for round in 0..rounds {
        proxy.set_mode(Mode::Refuse);
        let records = records::kiosk_records(100, KIOSK, 7_000 + round as u64);
        insert(&mut window, &records);
        handle.wake();
        expected += records.len();
        // Long enough for the worker's retry delay to reach its cap.
        tokio::time::sleep(Duration::from_secs(8)).await;
        assert!(hub.db().record_ids().await.unwrap().len() < expected);
        proxy.set_mode(Mode::Pass);
        let back = Instant::now();
        while hub.db().record_ids().await.unwrap().len() < expected {
            assert!(back.elapsed() < Duration::from_secs(60));
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        times.push(back.elapsed().as_secs_f64());
    }
    handle.stop().await;
    let max = times.iter().copied().fold(0.0, f64::max);
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    println!(
        "sync_recovery: records on the hub after the network came back: mean {mean:.2} s, max {max:.2} s over {rounds} outages ({times:.2?}) (must be < 5 s)"
    );
    hub.stop().await;
    if max >= 5.0 {
        println!("FAIL: records reached the hub 5 s or more after the network came back");
        std::process::exit(1);
    }
}

/// The kiosk's configuration: its id and a sync server (which also makes the
/// store keep what the hub has not acknowledged).
fn kiosk(sync: &SyncConfig) -> Config {
    let mut config = Config::default();
    config.kiosk.id = KIOSK.to_owned();
    config.sync = sync.clone();
    config
}

/// Stores declarations as the kiosk does (validated, audited, durable), a
/// thousand per transaction to keep the set-up short.
fn insert(store: &mut Store, records: &[Record]) {
    for chunk in records.chunks(1_000) {
        store.insert_declarations(chunk, Actor::Visitor).unwrap();
    }
}

/// User + system CPU time of this process (kiosk worker, proxy and hub all
/// run in it; PostgreSQL's own CPU is not included), from /proc.
fn process_cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line (11 and 12 here).
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}
