//! The hub under a flood of bad sign-ins: 20 clients sign in with wrong
//! passwords as fast as the hub answers, each attempt from another address
//! and name (as a botnet would, so neither throttle stops them before
//! argon2 runs), while a kiosk's probe alternates `GET /healthz` and
//! `POST /api/v1/records` (one new declaration per batch). The probe's
//! latencies, p50 / p99 / max, without and with the flood; over TLS, on a
//! SQLite store, the hub in this process on a runtime of its own (2 workers,
//! as the service runs on 2 cores).
//!
//! `cargo bench -p checkpoint-hub --bench signin_flood` (15 s per phase;
//! `-- --seconds N`); under `cargo test` a 2-second smoke run that checks
//! every answer, not the times.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use checkpoint_domain::declaration::{Declaration, Record};
use checkpoint_hub::accounts::{self, Account, Role};
use checkpoint_hub::{DbTarget, HubOptions, RunningHub};
use chrono::Utc;
use serde_json::json;

/// Concurrent bad sign-ins.
const ATTACKERS: usize = 20;
const KIOSK: &str = "K-PROBE";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let full = args.iter().any(|a| a == "--bench");
    let seconds = args
        .iter()
        .position(|a| a == "--seconds")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(if full { 15 } else { 2 });
    let phase = Duration::from_secs(seconds);

    let dir = tempfile::tempdir().unwrap();
    let hub_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (hub, token) = hub_rt.block_on(start_hub(dir.path()));
    let base = format!("https://localhost:{}", hub.addr().port());

    let clients = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    clients.block_on(async {
        let http = client();
        let quiet = probe(&http, &base, &token, phase).await;
        let stop = Arc::new(AtomicBool::new(false));
        let failures = Arc::new(AtomicU64::new(0));
        let mut flood = Vec::new();
        for n in 0..ATTACKERS {
            flood.push(tokio::spawn(attacker(
                base.clone(),
                n,
                stop.clone(),
                failures.clone(),
            )));
        }
        // Let every attacker have a sign-in in flight first.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let counted = failures.load(Ordering::Relaxed);
        let started = Instant::now();
        let flooded = probe(&http, &base, &token, phase).await;
        let bad = failures.load(Ordering::Relaxed) - counted;
        let spent = started.elapsed().as_secs_f64();
        stop.store(true, Ordering::Relaxed);
        for a in flood {
            a.await.unwrap();
        }
        println!("signin_flood: {ATTACKERS} concurrent bad sign-ins, over TLS, SQLite, {seconds} s per phase");
        quiet.print("without the flood");
        flooded.print("with the flood");
        println!(
            "  bad sign-ins answered (401) during the flood: {bad} ({:.1}/s)",
            bad as f64 / spent
        );
        assert!(bad > 0, "the flood reached the hub");
    });
    hub_rt.block_on(hub.stop());
}

async fn start_hub(dir: &std::path::Path) -> (RunningHub, String) {
    let db = DbTarget::Sqlite {
        path: dir.join("hub.db"),
        key_file: dir.join("hub.db.key"),
    };
    let files = checkpoint_hub::certificate::default_files(dir);
    checkpoint_hub::certificate::ensure(&files, &["localhost".to_owned()]).unwrap();
    let mut options = HubOptions::new("127.0.0.1:0".parse().unwrap(), db, Some(files));
    // The attackers' addresses come in X-Forwarded-For, as through nginx.
    options.trusted_proxy = Some("127.0.0.1".parse().unwrap());
    let hub = RunningHub::start(options).await.unwrap();
    let account = Account {
        name: "lan".into(),
        role: Role::HealthOfficer,
        groups: vec![],
        password_hash: accounts::hash_password("mật khẩu đủ dài của Lan").unwrap(),
        created_at: String::new(),
        disabled_at: None,
    };
    hub.db().add_account(&account).await.unwrap();
    let token = checkpoint_hub::auth::generate_token();
    hub.db()
        .add_token(&checkpoint_hub::auth::hash_token(&token), KIOSK, "probe")
        .await
        .unwrap();
    (hub, token)
}

/// The hub's certificate is its own (kiosks pin it): taken as it is here.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .redirect(reqwest::redirect::Policy::none())
        .resolve("localhost", "127.0.0.1:0".parse().unwrap())
        .build()
        .unwrap()
}

/// Signs in with wrong passwords until `stop`: the login page for its
/// token, then the form, each time as another address and name.
async fn attacker(base: String, n: usize, stop: Arc<AtomicBool>, failures: Arc<AtomicU64>) {
    let http = client();
    let mut i = 0u32;
    while !stop.load(Ordering::Relaxed) {
        i += 1;
        let address = format!("10.{}.{}.{}", n, i / 250 % 250, i % 250 + 1);
        let page = http.get(format!("{base}/login")).send().await.unwrap();
        let cookie = page
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.strip_prefix("ck_login="))
            .and_then(|c| c.split(';').next())
            .unwrap()
            .to_owned();
        let answer = http
            .post(format!("{base}/login"))
            .header("x-forwarded-for", &address)
            .header(reqwest::header::COOKIE, format!("ck_login={cookie}"))
            .form(&[
                ("name", format!("guess{n}x{i}").as_str()),
                ("password", "mat khau sai"),
                ("csrf", cookie.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 401, "a bad sign-in is refused as such");
        failures.fetch_add(1, Ordering::Relaxed);
    }
}

#[derive(Default)]
struct Latencies {
    health: Vec<f64>,
    records: Vec<f64>,
}

impl Latencies {
    fn print(&self, label: &str) {
        for (route, list) in [
            ("GET /healthz", &self.health),
            ("POST /api/v1/records", &self.records),
        ] {
            let mut sorted = list.clone();
            sorted.sort_by(f64::total_cmp);
            let at = |q: f64| sorted[((sorted.len() as f64 * q) as usize).min(sorted.len() - 1)];
            println!(
                "  {label}, {route}: {} requests, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
                sorted.len(),
                at(0.50),
                at(0.99),
                sorted[sorted.len() - 1]
            );
        }
    }
}

/// A kiosk's requests one after the other for `phase`, each timed.
async fn probe(http: &reqwest::Client, base: &str, token: &str, phase: Duration) -> Latencies {
    let mut out = Latencies::default();
    let end = Instant::now() + phase;
    while Instant::now() < end {
        let started = Instant::now();
        let r = http.get(format!("{base}/healthz")).send().await.unwrap();
        assert_eq!(r.status(), 200);
        r.bytes().await.unwrap();
        out.health.push(started.elapsed().as_secs_f64() * 1000.0);

        let record = Record::new(Declaration::example(), KIOSK, Utc::now(), Utc::now());
        let batch = json!({
            "protocol": 1,
            "kiosk_id": KIOSK,
            "sent_at": Utc::now(),
            "records": [{
                "id": record.record_id,
                "kind": "declaration",
                "kiosk_id": KIOSK,
                "created_at": record.submitted_at,
                "body": record,
            }],
        });
        let started = Instant::now();
        let r = http
            .post(format!("{base}/api/v1/records"))
            .bearer_auth(token)
            .header("ck-protocol", "1")
            .json(&batch)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let text = r.text().await.unwrap();
        assert_eq!(status, 200, "{text}");
        assert!(text.contains("stored"), "{text}");
        out.records.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    out
}
