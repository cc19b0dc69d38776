//! Store benchmarks, plain harness.
//!
//! 1. The durable insert: a plain rusqlite insert with WAL + synchronous=FULL
//!    (the machine's fsync floor) against the store's own insert (SQLCipher,
//!    validation, JSON, indexes, audit entry), interleaved so disk noise hits
//!    both alike. The store's median must be within 1.5x of the floor. The
//!    same store without encryption is timed alongside, for information.
//! 2. `queue stats` over 100,000 records: the library call on a warm and a
//!    cold connection, and the whole `checkpoint-kiosk queue stats` command.
//!    Must be under 200 ms.
//!
//! `cargo bench --bench store_insert` runs it in full; under `cargo test`
//! (no `--bench` argument) it runs a small smoke version.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use checkpoint_domain::declaration::{Declaration, Record, Symptom};
use checkpoint_kiosk::config::Config;
use checkpoint_kiosk::paths::DataDir;
use checkpoint_store::Mark;
use checkpoint_store::{Actor, Key, Settings, Store};
use chrono::Utc;
use rusqlite::Connection;

struct Sizes {
    inserts: usize,
    warmup: usize,
    stats_records: usize,
}

fn record(i: usize) -> Record {
    let mut d = Declaration::example();
    // Some visitors are flagged, as in life.
    if i.is_multiple_of(17) {
        d.symptoms.toggle(Symptom::Fever);
    }
    Record::new(d, "kiosk-bench", Utc::now(), Utc::now())
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn percentile(v: &[Duration], p: f64) -> Duration {
    // `v` is sorted by `median` before this is called.
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Prints one series' median, p10 and p90; returns the median.
fn report(label: &str, times: &mut [Duration], note: &str) -> Duration {
    let m = median(times);
    println!(
        "{label}: median {:.3} ms, p10 {:.3}, p90 {:.3}  (n={}{note})",
        ms(m),
        ms(percentile(times, 0.1)),
        ms(percentile(times, 0.9)),
        times.len()
    );
    m
}

/// The floor: the same JSON row into a plain table, one fsync per commit.
fn floor_connection(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))
        .unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, record_id TEXT NOT NULL UNIQUE,
                                       body TEXT NOT NULL)",
    )
    .unwrap();
    conn
}

fn floor_insert(conn: &Connection, r: &Record) {
    let json = serde_json::to_string(r).unwrap();
    conn.prepare_cached("INSERT INTO t (record_id, body) VALUES (?1, ?2)")
        .unwrap()
        .execute((r.record_id.to_string(), json))
        .unwrap();
}

fn bench_insert(dir: &Path, sizes: &Sizes) -> (Duration, Duration) {
    let floor = floor_connection(&dir.join("floor.db"));
    let mut store = Store::open_with(&dir.join("store.db"), &Key::random(), Settings::default())
        .expect("open the store");
    // Not part of the bar: the same store without SQLCipher, to show what
    // the encryption of each written page costs.
    let mut plain = Store::open_with(&dir.join("plain.db"), &Key::Plaintext, Settings::default())
        .expect("open the plaintext store");
    let mut floor_times = Vec::with_capacity(sizes.inserts);
    let mut store_times = Vec::with_capacity(sizes.inserts);
    let mut plain_times = Vec::with_capacity(sizes.inserts);
    for i in 0..sizes.warmup + sizes.inserts {
        // Records are made outside the timed part for all; the store's
        // validation and serialisation are inside its insert.
        let (a, b, c) = (record(i), record(i), record(i));
        let mut t = [Duration::ZERO; 3];
        // Rotate who goes first, so none always follows another's fsync.
        for k in 0..3 {
            let which = (i + k) % 3;
            let start = Instant::now();
            match which {
                0 => floor_insert(&floor, &a),
                1 => store.insert_declaration(&b, Actor::Visitor).unwrap(),
                _ => plain.insert_declaration(&c, Actor::Visitor).unwrap(),
            }
            t[which] = start.elapsed();
        }
        if i >= sizes.warmup {
            floor_times.push(t[0]);
            store_times.push(t[1]);
            plain_times.push(t[2]);
        }
    }
    let fm = report(
        "insert floor (plain rusqlite, WAL, synchronous=FULL)",
        &mut floor_times,
        "",
    );
    let sm = report(
        "insert store (SQLCipher + validation + indexes + audit)",
        &mut store_times,
        "",
    );
    report(
        "  for comparison, the same store unencrypted",
        &mut plain_times,
        ", not part of the bar",
    );
    (fm, sm)
}

fn fill(data: &DataDir, n: usize) {
    let mut store = checkpoint_kiosk::storage::open_store(data, &Config::default()).unwrap();
    let batch = 1000;
    let mut done = 0;
    while done < n {
        let records: Vec<Record> = (done..(done + batch).min(n)).map(record).collect();
        store.insert_declarations(&records, Actor::Visitor).unwrap();
        // Half of them synced, a tenth sent, the rest waiting.
        let ids: Vec<_> = records.iter().map(|r| r.record_id).collect();
        let now = Utc::now();
        store
            .sync_mark(Mark::Acknowledged, &ids[..ids.len() / 2], now)
            .unwrap();
        store
            .sync_mark(Mark::Sent, &ids[ids.len() / 2..ids.len() * 6 / 10], now)
            .unwrap();
        done += records.len();
    }
    let s = store.queue_stats().unwrap();
    assert_eq!(s.declarations.total(), n as u64);
    assert_eq!(s, store.queue_stats_scanned().unwrap());
}

fn bench_stats(dir: &Path, sizes: &Sizes) -> Duration {
    let data = DataDir::portable(dir.join("stats"));
    let t = Instant::now();
    fill(&data, sizes.stats_records);
    println!(
        "filled {} records in {:.1} s",
        sizes.stats_records,
        t.elapsed().as_secs_f64()
    );

    let mut cold = Vec::new();
    let mut warm = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let store = checkpoint_kiosk::storage::open_store(&data, &Config::default()).unwrap();
        let s = store.queue_stats().unwrap();
        cold.push(t.elapsed());
        assert_eq!(s.declarations.total(), sizes.stats_records as u64);
        for _ in 0..5 {
            let t = Instant::now();
            store.queue_stats().unwrap();
            warm.push(t.elapsed());
        }
    }
    let mut cli = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_checkpoint-kiosk"))
            .arg("--data-dir")
            .arg(data.root())
            .args(["queue", "stats", "--json"])
            .output()
            .unwrap();
        cli.push(t.elapsed());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let total: u64 = ["pending", "sent", "acknowledged"]
            .iter()
            .map(|k| v["declarations"][k].as_u64().unwrap())
            .sum();
        assert_eq!(total, sizes.stats_records as u64);
    }
    let (w, c, p) = (median(&mut warm), median(&mut cold), median(&mut cli));
    println!(
        "queue stats over {} records: warm {:.2} ms, open+stats {:.2} ms, whole command {:.2} ms (medians)",
        sizes.stats_records,
        ms(w),
        ms(c),
        ms(p)
    );
    p
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let sizes = if full {
        Sizes {
            inserts: 1000,
            warmup: 50,
            stats_records: 100_000,
        }
    } else {
        Sizes {
            inserts: 20,
            warmup: 2,
            stats_records: 2_000,
        }
    };
    let dir = tempfile::tempdir_in(
        std::env::var_os("CK_BENCH_DIR").map_or_else(std::env::temp_dir, Into::into),
    )
    .unwrap();
    let (floor, store) = bench_insert(dir.path(), &sizes);
    let ratio = store.as_secs_f64() / floor.as_secs_f64();
    println!("store / floor = {ratio:.2} (must be <= 1.50)");
    let stats = bench_stats(dir.path(), &sizes);
    if full {
        let mut failed = false;
        if ratio > 1.5 {
            println!("FAIL: the store's durable insert is more than 1.5x the fsync floor");
            failed = true;
        }
        if stats > Duration::from_millis(200) {
            println!("FAIL: queue stats over 100,000 records took 200 ms or more");
            failed = true;
        }
        if failed {
            std::process::exit(1);
        }
    }
}
