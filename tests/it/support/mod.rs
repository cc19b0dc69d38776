//! Shared by the sync tests and benches: a throwaway PKI, a durable test
//! queue, a fault-injecting TCP proxy, realistic records and a hub on 127.0.0.1.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

#[cfg(target_os = "linux")]
pub mod pg;
pub mod pki;
pub mod proxy;
pub mod queue;
pub mod records;

#[cfg(target_os = "linux")]
use std::path::Path;

#[cfg(target_os = "linux")]
use checkpoint_hub::{DbTarget, HubOptions, Limits, RunningHub, TlsFiles, auth};
use checkpoint_kiosk::sync::SyncConfig;

pub use pki::TestPki;
#[allow(unused_imports)]
pub use proxy::{FaultProxy, Mode};
#[allow(unused_imports)]
pub use queue::TestQueue;

pub const KIOSK: &str = "K1";

#[cfg(target_os = "linux")]
/// A hub with TLS on 127.0.0.1 (random port) on a SQLite file in `dir`.
pub async fn sqlite_hub(pki: &TestPki, dir: &Path) -> RunningHub {
    let db = DbTarget::Sqlite {
        path: dir.join("hub.db"),
        key_file: dir.join("hub.db.key"),
    };
    start_hub(pki, db, Limits::default()).await
}

#[cfg(target_os = "linux")]
pub async fn start_hub(pki: &TestPki, db: DbTarget, limits: Limits) -> RunningHub {
    let mut options = HubOptions::new(
        "127.0.0.1:0".parse().unwrap(),
        db,
        Some(TlsFiles {
            cert: pki.cert_path.clone(),
            key: pki.key_path.clone(),
        }),
    );
    options.limits = limits;
    RunningHub::start(options).await.expect("hub starts")
}

#[cfg(target_os = "linux")]
/// Registers a new token for `kiosk` and returns it.
pub async fn add_token(hub: &RunningHub, kiosk: &str) -> String {
    let token = auth::generate_token();
    hub.db()
        .add_token(&auth::hash_token(&token), kiosk, "test")
        .await
        .unwrap();
    token
}

/// A kiosk configuration that trusts the test CA and retries quickly.
pub fn kiosk_config(port: u16, token: &str, pki: &TestPki) -> SyncConfig {
    SyncConfig {
        server: format!("https://localhost:{port}"),
        token: token.to_owned(),
        ca_file: Some(pki.ca_path.clone()),
        request_timeout_secs: 5,
        connect_timeout_secs: 2,
        retry_base_ms: 50,
        offline_retry_max_ms: 500,
        retry_max_secs: 1,
        poll_interval_secs: 1,
        batch_max_records: 200,
        ..SyncConfig::default()
    }
}

#[cfg(target_os = "linux")]
/// Every id on the hub, counted: panics unless each expected id is there
/// exactly once and nothing else is.
pub async fn assert_exactly_once(hub: &RunningHub, expected: &[uuid::Uuid]) {
    let on_hub = hub.db().record_ids().await.unwrap();
    let mut counts = std::collections::HashMap::new();
    for id in &on_hub {
        *counts.entry(*id).or_insert(0u32) += 1;
    }
    let missing = expected
        .iter()
        .filter(|id| !counts.contains_key(id))
        .count();
    let duplicated = counts.values().filter(|&&c| c > 1).count();
    let expected_set: std::collections::HashSet<_> = expected.iter().collect();
    let foreign = on_hub
        .iter()
        .filter(|id| !expected_set.contains(id))
        .count();
    assert_eq!(
        (missing, duplicated, foreign),
        (0, 0, 0),
        "hub has {} rows for {} expected ids: missing {missing}, duplicated {duplicated}, unexpected {foreign}",
        on_hub.len(),
        expected.len()
    );
}
