//! Several hubs on one PostgreSQL: each record stored once, whoever sends it
//! to whichever hub, at the same time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use std::sync::Arc;

use checkpoint_hub::{DbTarget, ExportFilter, Limits};
use checkpoint_kiosk::sync::client::HubClient;
use checkpoint_kiosk::sync::worker::Worker;
use checkpoint_wire::Outcome;
use support::*;
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hubs_two_kiosks_same_records_each_stored_once() {
    let Some(url) = pg::fresh_database("two_hubs_two_kiosks_same_records_each_stored_once").await
    else {
        return;
    };
    let pki = TestPki::new("pg");
    // Both hubs start at once on an empty database (schema creation races).
    let (hub1, hub2) = tokio::join!(
        start_hub(&pki, DbTarget::Postgres(url.clone()), Limits::default()),
        start_hub(&pki, DbTarget::Postgres(url.clone()), Limits::default()),
    );
    // Two kiosks holding the same records (a kiosk and its restored clone,
    // each with its own token for the same kiosk id).
    let token_a = add_token(&hub1, KIOSK).await;
    let token_b = add_token(&hub2, KIOSK).await;
    let records = Arc::new(records::declarations(2_000, KIOSK, 11));

    let mut sends = Vec::new();
    for token in [&token_a, &token_b] {
        for hub in [&hub1, &hub2] {
            let config = kiosk_config(hub.addr().port(), token, &pki);
            let client = HubClient::new(&config).unwrap();
            let records = records.clone();
            sends.push(tokio::spawn(async move {
                let mut outcomes = Vec::new();
                for chunk in records.chunks(250) {
                    let (answer, _) = client.send(KIOSK, chunk).await.unwrap();
                    outcomes.extend(answer.results);
                }
                outcomes
            }));
        }
    }
    let mut stored = 0;
    let mut duplicate = 0;
    for send in sends {
        for o in send.await.unwrap() {
            match o {
                Outcome::Stored => stored += 1,
                Outcome::Duplicate => duplicate += 1,
                Outcome::Rejected => panic!("rejected"),
            }
        }
    }
    assert_eq!((stored, duplicate), (2_000, 6_000));
    let ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    assert_exactly_once(&hub1, &ids).await;
    assert_exactly_once(&hub2, &ids).await;
    hub1.stop().await;
    hub2.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_tokens_and_export_on_postgres() {
    let Some(url) = pg::fresh_database("worker_tokens_and_export_on_postgres").await else {
        return;
    };
    let pki = TestPki::new("pg2");
    let dir = tempfile::tempdir().unwrap();
    let hub = start_hub(&pki, DbTarget::Postgres(url), Limits::default()).await;
    let token = add_token(&hub, KIOSK).await;
    let queue = Arc::new(TestQueue::open(&dir.path().join("kiosk.db")));
    let records = records::declarations(700, KIOSK, 12);
    queue.insert(&records);
    let config = kiosk_config(hub.addr().port(), &token, &pki);
    let report = Worker::new(queue.clone(), &config, KIOSK, None)
        .unwrap()
        .drain()
        .await
        .unwrap();
    assert_eq!(report.stored, 700);
    assert_eq!(queue.count("acknowledged"), 700);

    let window = ExportFilter {
        kiosk_id: Some(KIOSK.into()),
        from: Some(records[100].created_at),
        to: Some(records[200].created_at),
    };
    let rows = hub.db().export(&window).await.unwrap();
    let expected: Vec<String> = records[100..200].iter().map(|r| r.id.to_string()).collect();
    assert_eq!(
        rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
        expected
    );
    let body: serde_json::Value = serde_json::from_str(&rows[0].body).unwrap();
    assert_eq!(body, records::body_value(&records[100]));
    assert_eq!(
        rows[0].created_at,
        checkpoint_hub::db::timestamp(records[100].created_at)
    );

    let tokens = hub.db().tokens().await.unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].hash, checkpoint_hub::auth::hash_token(&token));
    let id = checkpoint_hub::auth::token_id(&tokens[0].hash).to_owned();
    let n = hub
        .db()
        .revoke(&checkpoint_hub::RevokeSelector::Id(id))
        .await
        .unwrap();
    assert_eq!(n, 1);
    let err = HubClient::new(&config)
        .unwrap()
        .send(KIOSK, &records[..1])
        .await
        .unwrap_err();
    assert!(
        matches!(err, checkpoint_kiosk::sync::SyncError::Unauthorized { .. }),
        "{err:?}"
    );
    let ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    assert_exactly_once(&hub, &ids).await;
    hub.stop().await;
}
