//! Sync throughput and recovery, measured end to end over TLS on 127.0.0.1:
//! 100,000 queued records (a durable SQLite queue on the kiosk side) sent to
//! a hub on SQLite and on PostgreSQL; records/s and bytes on the wire per
//! record (every TCP byte both ways, TLS and HTTP included, counted by a
//! proxy). Then the time from the network coming back to all records being
//! on the hub. `cargo bench --bench sync_throughput`; under `cargo test` it
//! runs a small smoke version.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use checkpoint_kiosk::sync::SyncConfig;
use checkpoint_kiosk::sync::hub::{DbTarget, Limits};
use checkpoint_kiosk::sync::worker::Worker;
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
        throughput("sqlite", sqlite, n).await;
        match pg::fresh_database("sync_throughput/postgresql").await {
            Some(url) => throughput("postgresql", DbTarget::Postgres(url), n).await,
            None => println!("sync_throughput/postgresql: skipped (no {})", pg::ENV),
        }
        recovery(rounds).await;
    });
}

async fn throughput(label: &str, db: DbTarget, n: usize) {
    let pki = TestPki::new(label);
    let hub = start_hub(&pki, db, Limits::default()).await;
    let token = add_token(&hub, KIOSK).await;
    let proxy = FaultProxy::start(hub.addr()).await;
    let dir = tempfile::tempdir().unwrap();
    let queue = Arc::new(TestQueue::open(&dir.path().join("kiosk.db")));
    let records = records::declarations(n, KIOSK, 2025);
    let json_bytes: usize = records.iter().map(|r| r.body.to_string().len()).sum();
    queue.insert(&records);
    let config = SyncConfig {
        server: format!("https://localhost:{}", proxy.addr.port()),
        token,
        ca_file: Some(pki.ca_path.clone()),
        ..SyncConfig::default()
    };
    let mut worker = Worker::new(queue.clone(), &config, KIOSK, None).unwrap();
    let cpu_before = process_cpu_secs();
    let started = Instant::now();
    let report = worker.drain().await.unwrap();
    let secs = started.elapsed().as_secs_f64();
    let cpu = process_cpu_secs() - cpu_before;
    let (up, down) = proxy.bytes();
    assert_eq!(report.stored as usize, n);
    let ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    assert_exactly_once(&hub, &ids).await;
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
}

/// The network drops, records queue up, the network returns: how long until
/// they are all on the hub, with the default retry settings.
async fn recovery(rounds: usize) {
    let pki = TestPki::new("recovery");
    let dir = tempfile::tempdir().unwrap();
    let hub = sqlite_hub(&pki, dir.path()).await;
    let token = add_token(&hub, KIOSK).await;
    let proxy = FaultProxy::start(hub.addr()).await;
    let queue = Arc::new(TestQueue::open(&dir.path().join("kiosk.db")));
    let config = SyncConfig {
        server: format!("https://localhost:{}", proxy.addr.port()),
        token,
        ca_file: Some(pki.ca_path.clone()),
        ..SyncConfig::default()
    };
    let handle = Worker::new(queue.clone(), &config, KIOSK, None)
        .unwrap()
        .spawn();
    let mut times = Vec::new();
    let mut expected = 0;
    for round in 0..rounds {
        proxy.set_mode(Mode::Refuse);
        let records = records::declarations(100, KIOSK, 7_000 + round as u64);
        queue.insert(&records);
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
        "sync_recovery: records on the hub after the network came back: mean {mean:.2} s, max {max:.2} s over {rounds} outages ({times:.2?})"
    );
    hub.stop().await;
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
