//! The Windows kiosk against a real hub started apart (the hub is a Linux
//! server: `.ci/windows/test` starts `checkpoint-hub` on 127.0.0.1 over TLS,
//! gives a token for one kiosk id, runs this under Wine, then counts the
//! records on the hub with `checkpoint-hub export`). What this side proves:
//! records in the kiosk's encrypted store reach the hub through a connection
//! reset in the middle of a request, every one acknowledged, and sent again
//! each is a duplicate; the ids go to a file for the hub-side count. The
//! kiosk trusts the hub by its pinned certificate, as enrolment sets it up
//! (a CA file goes through Windows' own certificate engine, which Wine 8
//! refuses: docs/windows.md).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::{FaultProxy, Mode, records};

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use checkpoint_kiosk::sync::SyncConfig;
use checkpoint_kiosk::sync::client::HubClient;
use checkpoint_kiosk::sync::queue::SyncQueue as _;
use checkpoint_kiosk::sync::store_queue::StoreQueue;
use checkpoint_kiosk::sync::worker::Worker;
use checkpoint_store::{Actor, Key, Settings, Store};
use checkpoint_wire::{Outcome, RecordKind};

/// The hub the CI script started: every variable is required (a missing one
/// fails the test, never skips it).
struct RemoteHub {
    addr: SocketAddr,
    pin: String,
    token: String,
    kiosk: String,
    ids_out: PathBuf,
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: .ci/windows/test starts the hub and sets it")
    })
}

impl RemoteHub {
    fn from_env() -> Self {
        Self {
            addr: var("CK_TEST_REMOTE_HUB").parse().unwrap(),
            pin: var("CK_TEST_REMOTE_PIN"),
            token: var("CK_TEST_REMOTE_TOKEN"),
            kiosk: var("CK_TEST_REMOTE_KIOSK"),
            ids_out: PathBuf::from(var("CK_TEST_REMOTE_IDS")),
        }
    }

    /// The kiosk's settings for a hub at `addr` (the proxy in front of it).
    fn config(&self, addr: SocketAddr) -> SyncConfig {
        SyncConfig {
            server: format!("https://localhost:{}", addr.port()),
            token: self.token.clone(),
            pinned_cert_sha256: Some(self.pin.clone()),
            request_timeout_secs: 10,
            connect_timeout_secs: 5,
            retry_base_ms: 50,
            offline_retry_max_ms: 500,
            retry_max_secs: 1,
            poll_interval_secs: 1,
            batch_max_records: 100,
            ..SyncConfig::default()
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_from_the_windows_kiosk_reach_the_hub_exactly_once() {
    let hub = RemoteHub::from_env();
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        retention_days: 21,
        keep_unacknowledged: true,
        kiosk_id: hub.kiosk.clone(),
    };
    let mut store =
        Store::open_with(&dir.path().join("kiosk.db"), &Key::random(), settings).unwrap();
    let made = records::kiosk_records(300, &hub.kiosk, 26);
    store.insert_declarations(&made, Actor::Visitor).unwrap();
    let queue = Arc::new(StoreQueue::new(store));
    // As the worker will send them, kept to send again at the end.
    let outgoing = queue
        .pending_batch(1_000, usize::MAX, &[RecordKind::Declaration])
        .unwrap();
    assert_eq!(outgoing.len(), 300);

    let proxy = FaultProxy::start(hub.addr).await;
    proxy.wait_listening().await;
    // Past the TLS handshake and into the body of the first batch.
    proxy.set_mode(Mode::ResetAfter(12_000));
    let mut worker = Worker::new(queue.clone(), &hub.config(proxy.addr), &hub.kiosk, None).unwrap();
    let cut = worker.drain().await.unwrap_err();
    assert!(cut.is_offline(), "{cut:?}");
    assert_eq!(queue.lock().sync_counts().unwrap().unsynced, 300);

    proxy.set_mode(Mode::Pass);
    let report = worker.drain().await.unwrap();
    assert_eq!((report.stored, report.rejected), (300, 0), "{report:?}");
    let counts = queue.lock().sync_counts().unwrap();
    assert_eq!((counts.unsynced, counts.acknowledged), (0, 300));

    // Sent again straight to the hub: it has every one of them already.
    let client = HubClient::new(&hub.config(hub.addr)).unwrap();
    let (again, _) = client.send(&hub.kiosk, &outgoing).await.unwrap();
    assert!(again.results.iter().all(|o| *o == Outcome::Duplicate));

    let ids: Vec<String> = made.iter().map(|r| r.record_id.to_string()).collect();
    std::fs::write(&hub.ids_out, ids.join("\n") + "\n").unwrap();
}
