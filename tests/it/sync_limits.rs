//! Bad requests get a clear 4xx JSON answer, and the hub keeps serving the
//! other kiosks while they arrive.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use std::sync::Arc;

use checkpoint_kiosk::sync::worker::Worker;
use checkpoint_wire::{ErrorBody, gzip};
use support::*;
use uuid::Uuid;

struct Raw {
    http: reqwest::Client,
    url: String,
    token: String,
}

impl Raw {
    async fn post(&self, headers: &[(&str, &str)], body: Vec<u8>) -> (u16, ErrorBody) {
        let mut req = self.http.post(&self.url).body(body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = req.send().await.expect("the hub answers");
        let status = resp.status().as_u16();
        let body = resp.json::<ErrorBody>().await.expect("a JSON error body");
        (status, body)
    }

    async fn post_gz(&self, protocol: &str, json: &[u8]) -> (u16, ErrorBody) {
        let auth = format!("Bearer {}", self.token);
        let headers = [
            ("authorization", auth.as_str()),
            ("ck-protocol", protocol),
            ("content-encoding", "gzip"),
        ];
        self.post(&headers, gzip(json).unwrap()).await
    }
}

fn batch_json(records: &str) -> Vec<u8> {
    format!(
        r#"{{"protocol":1,"kiosk_id":"K1","sent_at":"2025-07-01T00:00:00Z","records":[{records}]}}"#
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_clear_4xx_and_others_are_still_served() {
    let pki = TestPki::new("limits");
    let dir = tempfile::tempdir().unwrap();
    let hub = sqlite_hub(&pki, dir.path()).await;
    let token = add_token(&hub, KIOSK).await;
    let pem = std::fs::read(&pki.ca_path).unwrap();
    let raw = Raw {
        http: reqwest::Client::builder()
            .tls_certs_only(reqwest::Certificate::from_pem_bundle(&pem).unwrap())
            .build()
            .unwrap(),
        url: format!("https://localhost:{}/api/v1/records", hub.addr().port()),
        token: token.clone(),
    };

    // A good kiosk syncs 3,000 records while the bad requests arrive.
    let good_queue = Arc::new(TestQueue::open(&dir.path().join("good.db")));
    let good = records::declarations(3_000, KIOSK, 9);
    good_queue.insert(&good);
    let config = kiosk_config(hub.addr().port(), &token, &pki);
    let mut worker = Worker::new(good_queue.clone(), &config, KIOSK, None).unwrap();
    let good_sync = tokio::spawn(async move { worker.drain().await });

    let (s, e) = raw
        .post_gz("1", b"{\"protocol\":1, \"records\": [tru")
        .await;
    assert_eq!((s, e.error.as_str()), (400, "malformed-json"), "{e:?}");
    assert!(e.detail.contains("line 1"), "{e:?}");

    let (s, e) = raw.post_gz("1", br#"{"protocol":1,"kiosk_id":"K1"}"#).await;
    assert_eq!((s, e.error.as_str()), (400, "malformed-json"), "{e:?}");

    let (s, e) = raw.post_gz("7", &batch_json("")).await;
    assert_eq!(
        (s, e.error.as_str()),
        (400, "unsupported-protocol"),
        "{e:?}"
    );
    let body_v2 = String::from_utf8(batch_json(""))
        .unwrap()
        .replace("\"protocol\":1", "\"protocol\":2");
    let (s, e) = raw.post_gz("1", body_v2.as_bytes()).await;
    assert_eq!(
        (s, e.error.as_str()),
        (400, "unsupported-protocol"),
        "{e:?}"
    );
    let (s, e) = raw
        .post(
            &[("authorization", &format!("Bearer {token}"))],
            batch_json(""),
        )
        .await;
    assert_eq!((s, e.error.as_str()), (400, "missing-protocol"), "{e:?}");

    let (s, e) = raw.post(&[("ck-protocol", "1")], batch_json("")).await;
    assert_eq!((s, e.error.as_str()), (401, "missing-token"), "{e:?}");
    let (s, e) = raw
        .post(
            &[
                ("ck-protocol", "1"),
                ("authorization", "Bearer ck_not-a-real-token"),
            ],
            batch_json(""),
        )
        .await;
    assert_eq!((s, e.error.as_str()), (401, "invalid-token"), "{e:?}");

    let auth = format!("Bearer {token}");
    let (s, e) = raw
        .post(
            &[
                ("ck-protocol", "1"),
                ("authorization", &auth),
                ("content-encoding", "br"),
            ],
            batch_json(""),
        )
        .await;
    assert_eq!(
        (s, e.error.as_str()),
        (415, "unsupported-encoding"),
        "{e:?}"
    );

    // 100 MB on the wire: refused from its Content-Length, before reading it.
    let (s, e) = raw
        .post(
            &[("ck-protocol", "1"), ("authorization", &auth)],
            vec![b' '; 100 * 1024 * 1024],
        )
        .await;
    assert_eq!((s, e.error.as_str()), (413, "body-too-large"), "{e:?}");

    // 100 MB once expanded, 100 KB on the wire (a zip bomb).
    let mut bomb = batch_json("");
    bomb.splice(1..1, std::iter::repeat_n(b' ', 100 * 1024 * 1024));
    let (s, e) = raw.post_gz("1", &bomb).await;
    assert_eq!((s, e.error.as_str()), (413, "body-too-large"), "{e:?}");

    // 1,000,000 records (small enough to fit the expanded-size limit).
    let one = r#"{"id":"0","kind":"report"}"#;
    let million = vec![one; 1_000_000].join(",");
    let (s, e) = raw.post_gz("1", &batch_json(&million)).await;
    assert_eq!((s, e.error.as_str()), (413, "too-many-records"), "{e:?}");
    assert!(e.detail.contains("1000000"), "{e:?}");

    let report = good_sync.await.unwrap().unwrap();
    assert_eq!(report.stored, 3_000);
    let ids: Vec<Uuid> = good.iter().map(|r| r.id).collect();
    assert_exactly_once(&hub, &ids).await;

    let health = raw
        .http
        .get(format!("https://localhost:{}/healthz", hub.addr().port()))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    hub.stop().await;
}
