//! Fault tests against a real hub on 127.0.0.1 over TLS, through a
//! fault-injecting TCP proxy (refused, reset) or the hub's hooks (500/503,
//! slow answers, lost answers), with the kiosk's real store (SQLCipher, in a
//! data folder) as the queue; the kiosk killed mid-batch is the real
//! `checkpoint-kiosk sync --once`. After each: every record on the hub
//! exactly once, counted by id, and every record still on the kiosk.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use checkpoint_hub::{RevokeSelector, RunningHub};
use checkpoint_kiosk::config::Config;
use checkpoint_kiosk::paths::DataDir;
use checkpoint_kiosk::sync::store_queue::StoreQueue;
use checkpoint_kiosk::sync::worker::Worker;
use checkpoint_kiosk::sync::{SyncConfig, SyncError};
use checkpoint_store::{Actor, Store, SyncInfo};
use support::*;
use uuid::Uuid;

struct Rig {
    pki: TestPki,
    /// Holds the hub's and the kiosk's files until the test ends.
    _dir: tempfile::TempDir,
    hub: RunningHub,
    proxy: FaultProxy,
    /// The kiosk's data folder: database, key file, config.toml.
    data: DataDir,
    queue: Arc<StoreQueue>,
    token: String,
    ids: Vec<Uuid>,
}

impl Rig {
    async fn new(name: &str, n: usize) -> Self {
        let pki = TestPki::new(name);
        let dir = tempfile::tempdir().unwrap();
        let hub = sqlite_hub(&pki, dir.path()).await;
        let token = add_token(&hub, KIOSK).await;
        let proxy = FaultProxy::start(hub.addr()).await;
        let data = DataDir::portable(dir.path().join("kiosk"));
        let config = kiosk_config(proxy.addr.port(), &token, &pki);
        let mut store =
            checkpoint_kiosk::storage::open_store(&data, &store_config(&config)).unwrap();
        let records = records::kiosk_records(n, KIOSK, n as u64);
        for chunk in records.chunks(1_000) {
            store.insert_declarations(chunk, Actor::Visitor).unwrap();
        }
        let ids = records.iter().map(|r| r.record_id).collect();
        Self {
            pki,
            _dir: dir,
            hub,
            proxy,
            data,
            queue: Arc::new(StoreQueue::new(store)),
            token,
            ids,
        }
    }

    fn config(&self) -> SyncConfig {
        kiosk_config(self.proxy.addr.port(), &self.token, &self.pki)
    }

    fn worker(&self, config: &SyncConfig) -> Worker {
        Worker::new(self.queue.clone(), config, KIOSK, None).unwrap()
    }

    /// Another connection to the kiosk's database, as a restarted kiosk would open it.
    fn reader(&self) -> Store {
        checkpoint_kiosk::storage::open_store(&self.data, &store_config(&self.config())).unwrap()
    }

    /// Declarations in one sync state, read back from the file.
    fn count(&self, state: &str) -> u64 {
        let c = self.reader().queue_stats().unwrap().declarations;
        match state {
            "pending" => c.pending,
            "sent" => c.sent,
            "acknowledged" => c.acknowledged,
            "rejected" => c.rejected,
            other => panic!("no state {other}"),
        }
    }

    fn total(&self) -> u64 {
        let s = self.reader().queue_stats().unwrap();
        s.declarations.total() + s.reports.total()
    }

    fn state(&self, id: Uuid) -> SyncInfo {
        self.reader().declaration(&id).unwrap().expect("kept").sync
    }

    /// Nothing lost on the kiosk: every record still there, intact, none synced.
    fn all_still_queued(&self) {
        assert_eq!(self.total(), self.ids.len() as u64);
        assert_eq!(self.count("acknowledged"), 0);
        assert_eq!(self.count("rejected"), 0);
        let reader = self.reader();
        for id in &self.ids {
            let q = reader.declaration(id).unwrap().expect("kept");
            assert_eq!(q.record.record_id, *id);
        }
        assert_eq!(reader.integrity_check().unwrap(), "ok");
    }

    /// After recovery: on the hub exactly once, acknowledged on the kiosk.
    async fn all_synced_once(self) {
        assert_exactly_once(&self.hub, &self.ids).await;
        assert_eq!(self.count("acknowledged"), self.ids.len() as u64);
        assert_eq!(self.total(), self.ids.len() as u64);
        assert_eq!(self.reader().integrity_check().unwrap(), "ok");
        self.hub.stop().await;
    }
}

/// The kiosk's whole configuration: its id and the sync settings (a
/// configured server also makes the store keep what is unacknowledged).
fn store_config(sync: &SyncConfig) -> Config {
    let mut config = Config::default();
    config.kiosk.id = KIOSK.to_owned();
    config.sync = sync.clone();
    config
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_refused_then_recovers() {
    let rig = Rig::new("refused", 500).await;
    rig.proxy.set_mode(Mode::Refuse);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut worker = rig.worker(&rig.config());
    let err = worker.drain().await.unwrap_err();
    assert!(matches!(err, SyncError::Offline(_)), "{err:?}");
    assert_eq!(err.message().id, "sync-offline");
    rig.all_still_queued();
    assert!(rig.hub.db().record_ids().await.unwrap().is_empty());
    let status = worker.status().borrow().clone();
    assert_eq!(status.unsynced, 500);
    assert_eq!(status.last_error.unwrap().message.id, "sync-offline");
    let first = rig.state(rig.ids[0]);
    assert_eq!(first.attempts, 1);
    assert!(first.last_error.is_some());

    rig.proxy.set_mode(Mode::Pass);
    rig.proxy.wait_listening().await;
    let report = worker.drain().await.unwrap();
    assert_eq!((report.stored, report.duplicate), (500, 0));
    rig.all_synced_once().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_reset_in_the_middle_of_a_request() {
    let rig = Rig::new("reset", 400).await;
    // Past the TLS handshake (a few KB) and into the body of a ~50 KB batch.
    rig.proxy.set_mode(Mode::ResetAfter(12_000));
    let mut worker = rig.worker(&rig.config());
    let err = worker.drain().await.unwrap_err();
    assert!(err.is_offline(), "{err:?}");
    assert!(
        rig.proxy
            .counters
            .resets
            .load(std::sync::atomic::Ordering::SeqCst)
            >= 1
    );
    rig.all_still_queued();
    assert!(rig.hub.db().record_ids().await.unwrap().is_empty());

    rig.proxy.set_mode(Mode::Pass);
    let report = worker.drain().await.unwrap();
    assert_eq!(report.stored, 400);
    rig.all_synced_once().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_500_and_503_are_retried() {
    let rig = Rig::new("5xx", 300).await;
    rig.hub.faults().fail_next(&[500, 503]);
    let mut worker = rig.worker(&rig.config());
    let first = worker.drain().await.unwrap_err();
    assert!(
        matches!(first, SyncError::Server { status: 500, .. }),
        "{first:?}"
    );
    let second = worker.drain().await.unwrap_err();
    assert!(
        matches!(
            second,
            SyncError::Server {
                status: 503,
                retry_after_secs: Some(1),
                ..
            }
        ),
        "{second:?}"
    );
    rig.all_still_queued();
    let report = worker.drain().await.unwrap();
    assert_eq!(report.stored, 300);
    rig.all_synced_once().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answer_slower_than_the_client_timeout() {
    let rig = Rig::new("slow", 300).await;
    let config = SyncConfig {
        request_timeout_secs: 1,
        ..rig.config()
    };
    rig.hub
        .faults()
        .delay_before_store(Duration::from_millis(2_500));
    let mut worker = rig.worker(&config);
    let started = Instant::now();
    let err = worker.drain().await.unwrap_err();
    assert!(matches!(err, SyncError::Timeout(1)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    rig.all_still_queued();
    // The hub may still finish that request after the client gave up: then
    // the retry finds duplicates. Either way, exactly once.
    tokio::time::sleep(Duration::from_secs(2)).await;
    rig.hub.faults().delay_before_store(Duration::ZERO);
    let report = worker.drain().await.unwrap();
    assert_eq!(report.stored + report.duplicate, 300);
    rig.all_synced_once().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answer_lost_after_the_hub_stored_the_batch() {
    let rig = Rig::new("lost", 500).await;
    let config = SyncConfig {
        request_timeout_secs: 1,
        ..rig.config()
    };
    rig.hub.faults().hang_after_store(1);
    let mut worker = rig.worker(&config);
    let err = worker.drain().await.unwrap_err();
    assert!(matches!(err, SyncError::Timeout(_)), "{err:?}");
    // The classic duplicate maker: 200 stored on the hub, unconfirmed on the kiosk.
    assert_eq!(rig.hub.db().record_ids().await.unwrap().len(), 200);
    rig.all_still_queued();
    let report = worker.drain().await.unwrap();
    assert_eq!((report.duplicate, report.stored), (200, 300));
    rig.all_synced_once().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_ca_keeps_records_until_trust_is_fixed() {
    let rig = Rig::new("ca", 250).await;
    let impostor = TestPki::new("impostor");
    let wrong = SyncConfig {
        ca_file: Some(impostor.ca_path.clone()),
        ..rig.config()
    };
    let err = rig.worker(&wrong).drain().await.unwrap_err();
    assert!(matches!(err, SyncError::Tls(_)), "{err:?}");
    rig.all_still_queued();
    assert!(rig.hub.db().record_ids().await.unwrap().is_empty());
    rig.worker(&rig.config()).drain().await.unwrap();
    rig.all_synced_once().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_token_keeps_records_until_a_new_token() {
    let mut rig = Rig::new("revoked", 300).await;
    let n = rig
        .hub
        .db()
        .revoke(&RevokeSelector::Kiosk(KIOSK.into()))
        .await
        .unwrap();
    assert_eq!(n, 1);
    let err = rig.worker(&rig.config()).drain().await.unwrap_err();
    match &err {
        SyncError::Unauthorized { code, .. } => assert_eq!(code, "token-revoked"),
        other => panic!("{other:?}"),
    }
    assert_eq!(err.message().id, "sync-token-rejected");
    rig.all_still_queued();
    rig.token = add_token(&rig.hub, KIOSK).await;
    rig.worker(&rig.config()).drain().await.unwrap();
    rig.all_synced_once().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_go_out_once_the_network_comes_back() {
    let rig = Rig::new("back", 300).await;
    rig.proxy.set_mode(Mode::Refuse);
    let handle = rig.worker(&rig.config()).spawn();
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    rig.all_still_queued();
    rig.proxy.set_mode(Mode::Pass);
    let back = Instant::now();
    // The bar: every record on the hub within 5 s of the network coming back.
    while rig.hub.db().record_ids().await.unwrap().len() < 300 {
        assert!(
            back.elapsed() < Duration::from_secs(5),
            "records did not arrive within 5 s of the network coming back"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    eprintln!(
        "records on the hub {:?} after the network came back",
        back.elapsed()
    );
    for _ in 0..200 {
        if rig.count("acknowledged") == 300 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let status = handle.status().borrow().clone();
    handle.stop().await;
    assert!(status.last_success.is_some());
    rig.all_synced_once().await;
}

/// Starts the real `checkpoint-kiosk sync --once` on the kiosk's data folder
/// (its config.toml names the hub through the proxy), waits until it is in
/// the middle of a batch, and kills it with SIGKILL.
async fn kill_mid_batch(rig: &Rig, config: &SyncConfig, when_stored: bool) {
    std::fs::write(rig.data.config_file(), store_config(config).to_toml()).unwrap();
    let up_before = rig
        .proxy
        .counters
        .up
        .load(std::sync::atomic::Ordering::SeqCst);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_checkpoint-kiosk"))
        .env_clear()
        .env("CK_LOG", "warn")
        .arg("--data-dir")
        .arg(rig.data.root())
        .args(["sync", "--once"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let reader = rig.reader();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ready = if when_stored {
            rig.hub.faults().stored_batches() >= 1
        } else {
            // Marked sent, and well into the request body (past the TLS handshake).
            reader.queue_stats().unwrap().declarations.sent > 0
                && rig
                    .proxy
                    .counters
                    .up
                    .load(std::sync::atomic::Ordering::SeqCst)
                    > up_before + 20_000
        };
        if ready {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            panic!(
                "child ended early ({status}): {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert!(Instant::now() < deadline, "child never got mid-batch");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kiosk_killed_mid_batch_before_and_after_the_hub_stored_it() {
    let rig = Rig::new("killed", 600).await;
    let config = rig.config();

    // Killed while the hub is still reading/storing the first batch.
    rig.hub.faults().delay_before_store(Duration::from_secs(30));
    kill_mid_batch(&rig, &config, false).await;
    assert_eq!(rig.count("sent"), 200, "the batch in flight is marked sent");
    rig.all_still_queued();

    // Killed after the hub stored a batch, before the answer arrived.
    rig.hub.faults().delay_before_store(Duration::ZERO);
    rig.hub.faults().hang_after_store(1);
    kill_mid_batch(&rig, &config, true).await;
    let on_hub = rig.hub.db().record_ids().await.unwrap().len();
    assert!(on_hub >= 200, "{on_hub}");
    rig.all_still_queued();

    // A restarted kiosk resumes: sent-but-unconfirmed records go again.
    let report = rig.worker(&config).drain().await.unwrap();
    assert_eq!(report.stored + report.duplicate, 600);
    assert_eq!(report.duplicate as usize, on_hub);
    rig.all_synced_once().await;
}

/// The real `sync --once` killed at random moments, again and again (from
/// its start-up to the middle of its n-th batch): every kill leaves the
/// kiosk's file sound with every record, and the hub never holds a record
/// twice; a restarted kiosk then sends the rest exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kiosk_killed_at_random_moments_loses_and_duplicates_nothing() {
    use rand::Rng as _;
    const KILLS: usize = 10;
    let rig = Rig::new("random-kills", 6_000).await;
    let config = SyncConfig {
        batch_max_records: 100,
        ..rig.config()
    };
    std::fs::write(rig.data.config_file(), store_config(&config).to_toml()).unwrap();
    // Each batch takes a moment on the hub, so a run never finishes before
    // its kill (at most 3 batches of 60 per round).
    rig.hub
        .faults()
        .delay_before_store(Duration::from_millis(30));
    let mut rng = rand::thread_rng();
    for round in 0..KILLS {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_checkpoint-kiosk"))
            .env_clear()
            .env("CK_LOG", "error")
            .arg("--data-dir")
            .arg(rig.data.root())
            .args(["sync", "--once"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Anywhere from start-up to the middle of the third batch.
        let target = rig.hub.faults().stored_batches() + rng.gen_range(0..3);
        let deadline = Instant::now() + Duration::from_secs(60);
        while rig.hub.faults().stored_batches() < target {
            if child.try_wait().unwrap().is_some() {
                let out = child.wait_with_output().unwrap();
                panic!(
                    "round {round}: child ended early: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            assert!(Instant::now() < deadline, "round {round}: no progress");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        tokio::time::sleep(Duration::from_millis(rng.gen_range(0..40))).await;
        assert!(
            child.try_wait().unwrap().is_none(),
            "round {round}: the run finished before its kill"
        );
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        assert_eq!(rig.total(), rig.ids.len() as u64);
        assert_eq!(rig.reader().integrity_check().unwrap(), "ok");
        let on_hub = rig.hub.db().record_ids().await.unwrap();
        let distinct: std::collections::HashSet<_> = on_hub.iter().collect();
        assert_eq!(distinct.len(), on_hub.len(), "a record twice on the hub");
    }
    // A request the hub had fully received may still be stored after its
    // sender died: let the hub finish before counting.
    tokio::time::sleep(Duration::from_millis(300)).await;
    rig.hub.faults().delay_before_store(Duration::ZERO);
    let acked_before = rig.count("acknowledged");
    let on_hub_before = rig.hub.db().record_ids().await.unwrap().len() as u64;
    let report = rig.worker(&config).drain().await.unwrap();
    eprintln!(
        "{KILLS} kills: {on_hub_before} on the hub, {acked_before} acknowledged on the kiosk; \
         then {} stored, {} duplicate",
        report.stored, report.duplicate
    );
    assert_eq!(
        acked_before + report.stored + report.duplicate,
        rig.ids.len() as u64
    );
    // What the hub stored but the killed kiosk never heard of comes back as duplicate.
    assert_eq!(report.duplicate, on_hub_before - acked_before);
    rig.all_synced_once().await;
}
