//! Fault tests against a real hub on 127.0.0.1 over TLS, through a
//! fault-injecting TCP proxy (refused, reset) or the hub's hooks (500/503,
//! slow answers, lost answers). After each: every record on the hub exactly
//! once, counted by id, and every record still on the kiosk.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use checkpoint_kiosk::sync::hub::{RevokeSelector, RunningHub};
use checkpoint_kiosk::sync::worker::Worker;
use checkpoint_kiosk::sync::{SyncConfig, SyncError};
use support::*;
use uuid::Uuid;

struct Rig {
    pki: TestPki,
    dir: tempfile::TempDir,
    hub: RunningHub,
    proxy: FaultProxy,
    queue: Arc<TestQueue>,
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
        let queue = Arc::new(TestQueue::open(&dir.path().join("kiosk.db")));
        let records = records::declarations(n, KIOSK, n as u64);
        queue.insert(&records);
        let ids = records.iter().map(|r| r.id).collect();
        Self {
            pki,
            dir,
            hub,
            proxy,
            queue,
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

    /// Nothing lost on the kiosk: every record still there, none synced.
    fn all_still_queued(&self) {
        assert_eq!(self.queue.total(), self.ids.len() as u64);
        assert_eq!(self.queue.count("acknowledged"), 0);
    }

    /// After recovery: on the hub exactly once, acknowledged on the kiosk.
    async fn all_synced_once(self) {
        assert_exactly_once(&self.hub, &self.ids).await;
        assert_eq!(self.queue.count("acknowledged"), self.ids.len() as u64);
        assert_eq!(self.queue.total(), self.ids.len() as u64);
        self.hub.stop().await;
    }
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
    let (_, attempts, error) = rig.queue.state(rig.ids[0]);
    assert_eq!(attempts, 1);
    assert!(error.is_some());

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
    while rig.hub.db().record_ids().await.unwrap().len() < 300 {
        assert!(
            back.elapsed() < Duration::from_secs(30),
            "records did not arrive"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    eprintln!(
        "records on the hub {:?} after the network came back",
        back.elapsed()
    );
    for _ in 0..200 {
        if rig.queue.count("acknowledged") == 300 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let status = handle.status().borrow().clone();
    handle.stop().await;
    assert!(status.last_success.is_some());
    rig.all_synced_once().await;
}

/// The child of `kiosk_killed_mid_batch`: syncs the queue named by the
/// environment, until the parent kills it. Ignored in normal runs.
#[test]
#[ignore = "run only as the child process of kiosk_killed_mid_batch"]
fn child_sync_process() {
    let queue_path = std::env::var("CK_TEST_CHILD_QUEUE").expect("run by kiosk_killed_mid_batch");
    let config: SyncConfig =
        serde_json::from_str(&std::env::var("CK_TEST_CHILD_CONFIG").unwrap()).unwrap();
    let queue = Arc::new(TestQueue::open(std::path::Path::new(&queue_path)));
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let mut worker = Worker::new(queue, &config, KIOSK, None).unwrap();
        let _ = worker.drain().await;
    });
    panic!("the parent should have killed this process mid-batch");
}

async fn kill_mid_batch(rig: &Rig, config: &SyncConfig, when_stored: bool) {
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["child_sync_process", "--exact", "--ignored", "--nocapture"])
        .env("CK_TEST_CHILD_QUEUE", rig.dir.path().join("kiosk.db"))
        .env(
            "CK_TEST_CHILD_CONFIG",
            serde_json::to_string(config).unwrap(),
        )
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ready = if when_stored {
            rig.hub.faults().stored_batches() >= 1
        } else {
            rig.queue.count("sent") > 0
                && rig
                    .proxy
                    .counters
                    .up
                    .load(std::sync::atomic::Ordering::SeqCst)
                    > 20_000
        };
        if ready {
            break;
        }
        assert!(Instant::now() < deadline, "child never got mid-batch");
        assert!(child.try_wait().unwrap().is_none(), "child ended early");
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
    assert_eq!(
        rig.queue.count("sent"),
        200,
        "the batch in flight is marked sent"
    );
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
