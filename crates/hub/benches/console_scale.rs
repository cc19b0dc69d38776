//! The console at scale: N declarations over 30 days at 2,000 checkpoints
//! (one kiosk each, in 50 groups), stored through the hub's own insert path
//! (records/s measured), then a `checkpoint-hub` process serving the store,
//! asked over HTTP on 127.0.0.1 and timed by its own `Server-Timing` header
//! (p95 of 20 warm requests): the
//! overview in total, of a group and of a checkpoint; a trace of a case seen
//! at ten checkpoints; an XLSX export of up to 100,000 rows (seconds, and
//! the hub process's peak memory).
//!
//! `cargo bench -p checkpoint-hub --bench console_scale -- --rows 1000000`
//! (SQLite, and PostgreSQL where `CK_TEST_POSTGRES_URL` names a server:
//! `.ci/test` starts one; `--store sqlite|postgresql` runs one of them; the
//! PostgreSQL database is kept, named in the output, for EXPLAIN). Default 100,000 rows; under `cargo test` a
//! 5,000-row smoke run, or `CK_CONSOLE_SCALE_ROWS` (`.ci/test` runs 100,000).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use checkpoint_domain::declaration::{Declaration, Record, Symptom};
use checkpoint_hub::accounts::{self, Account, Role};
use checkpoint_hub::db::{Checkpoint, NewRecord};
use checkpoint_hub::{DbTarget, HubDb};
use checkpoint_wire::RecordKind;
use chrono::{DateTime, Utc};

const CHECKPOINTS: usize = 2_000;
const GROUPS: usize = 50;
const DAYS: i64 = 30;
const BATCH: usize = 100;
const PASSWORD: &str = "mật khẩu đủ dài";
/// The group of the district officer's account.
const OFFICER_GROUP: &str = "Nhóm 07";
/// The traced case's phone.
const CASE_PHONE: &str = "0912000999";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let full = args.iter().any(|a| a == "--bench");
    let rows = args
        .iter()
        .position(|a| a == "--rows")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .or_else(|| std::env::var("CK_CONSOLE_SCALE_ROWS").ok()?.parse().ok())
        .unwrap_or(if full { 100_000 } else { 5_000 });
    let only = args
        .iter()
        .position(|a| a == "--store")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let wanted = |store: &str| only.as_deref().is_none_or(|o| o == store);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hub.db");
        let key_file = dir.path().join("hub.db.key");
        let sqlite = DbTarget::Sqlite {
            path: path.clone(),
            key_file: key_file.clone(),
        };
        let store = vec![
            "--db".to_owned(),
            path.display().to_string(),
            "--key-file".to_owned(),
            key_file.display().to_string(),
        ];
        if wanted("sqlite") {
            run("sqlite", sqlite, store, rows).await;
        }
        match std::env::var("CK_TEST_POSTGRES_URL") {
            _ if !wanted("postgresql") => {}
            Ok(admin) => {
                let url = fresh_database(&admin).await;
                println!(
                    "console_scale/postgresql: database {}",
                    url.rsplit('/').next().unwrap_or("")
                );
                let store = vec!["--database-url".to_owned(), url.clone()];
                run("postgresql", DbTarget::Postgres(url), store, rows).await;
            }
            Err(_) => println!("console_scale/postgresql: skipped (no CK_TEST_POSTGRES_URL)"),
        }
    });
}

async fn fresh_database(admin: &str) -> String {
    let (client, conn) = tokio_postgres::connect(admin, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let name = format!("ck_bench_{}", uuid::Uuid::now_v7().simple());
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    format!("{}/{name}", admin.rsplit_once('/').unwrap().0)
}

/// A visitor's declaration body, different for each `n` (name, phone,
/// document), flagged one time in twenty.
fn body(template: &Record, n: usize, at: DateTime<Utc>, phone: &str) -> NewRecord {
    let mut r = template.clone();
    // As a kiosk makes it: a UUIDv7 of the moment the visitor declared, so
    // the store keeps records of the same hours together, as it does in use
    // (an id of the loading time scattered each hour's records through the
    // whole table: an export then read one page per record).
    r.record_id = uuid::Uuid::new_v7(uuid::Timestamp::from_unix(
        uuid::NoContext,
        at.timestamp().max(0) as u64,
        at.timestamp_subsec_nanos(),
    ));
    r.submitted_at = at;
    r.started_at = at;
    r.flagged = n.is_multiple_of(20);
    r.bluezone_nearby = Some(!n.is_multiple_of(3));
    r.declaration.identity.full_name = format!("KHÁCH {n}");
    r.declaration.identity.phone = phone.to_owned();
    r.declaration.identity.document.number = format!("0010{n:08}");
    NewRecord {
        id: r.record_id,
        kind: RecordKind::Declaration,
        created_at: at,
        body: serde_json::to_string(&r).unwrap(),
    }
}

async fn load(db: &HubDb, rows: usize) -> f64 {
    for i in 0..CHECKPOINTS {
        let c = Checkpoint {
            id: format!("cp-{i:04}"),
            name: format!("Điểm kiểm soát {i:04}"),
            province: String::new(),
            ward: String::new(),
            group: format!("Nhóm {:02}", i % GROUPS),
            kiosks: vec![],
        };
        db.add_checkpoint(&c).await.unwrap();
        db.assign_kiosk(&format!("K{i:04}"), &c.id).await.unwrap();
    }
    let account = Account {
        name: "bench".into(),
        role: Role::Admin,
        groups: vec![],
        password_hash: accounts::hash_password(PASSWORD).unwrap(),
        created_at: String::new(),
        disabled_at: None,
    };
    db.add_account(&account).await.unwrap();
    // A district officer: the same console limited to one group.
    let officer = Account {
        name: "district".into(),
        role: Role::HealthOfficer,
        groups: vec![OFFICER_GROUP.into()],
        ..account
    };
    db.add_account(&officer).await.unwrap();
    let mut template = Record::new(Declaration::example(), "K", Utc::now(), Utc::now());
    template
        .declaration
        .symptoms
        .selected
        .insert(Symptom::Cough);
    let now = Utc::now();
    let span = chrono::Duration::days(DAYS).num_seconds();
    let started = Instant::now();
    let mut n = 0;
    while n < rows {
        // Records arrive as kiosks send them: in time order over the 30
        // days, a batch of consecutive visitors from one kiosk at a time,
        // the kiosks taking turns in a scattered order.
        let kiosk = (n / BATCH * 7_919) % CHECKPOINTS;
        let records: Vec<NewRecord> = (n..(n + BATCH).min(rows))
            .map(|i| {
                let ago = span - (i as i64 * span) / rows as i64;
                body(
                    &template,
                    i,
                    now - chrono::Duration::seconds(ago),
                    &format!("09{:08}", i % 90_000_000),
                )
            })
            .collect();
        n += records.len();
        db.insert(&format!("K{kiosk:04}"), records).await.unwrap();
    }
    let rate = rows as f64 / started.elapsed().as_secs_f64();
    // The case: seen at ten checkpoints in the last ten days.
    let case: Vec<NewRecord> = (0..10)
        .map(|d| {
            body(
                &template,
                rows + d,
                now - chrono::Duration::days(d as i64),
                CASE_PHONE,
            )
        })
        .collect();
    for (d, record) in case.into_iter().enumerate() {
        // At the kiosk that was sending then: the visitors of that batch
        // are the case's contacts.
        let at = (span - d as i64 * 86_400).max(0) as usize;
        let kiosk =
            (at * rows / span as usize).min(rows.saturating_sub(1)) / BATCH * 7_919 % CHECKPOINTS;
        db.insert(&format!("K{kiosk:04}"), vec![record])
            .await
            .unwrap();
    }
    rate
}

struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Served {
    /// The process's peak resident memory (VmHWM), in MB.
    fn peak_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.0.id())).unwrap();
        let kb: f64 = status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap();
        kb / 1024.0
    }
}

fn serve(store: &[String]) -> (Served, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_checkpoint-hub"))
        .args(store)
        .args(["--listen", &format!("127.0.0.1:{port}"), "--plain-http"])
        .arg("--server-timing")
        // The records span 30 days: the retention timer (21 days by
        // default) would delete a third of them while the pages are timed.
        .args(["--retention-days", "35"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let served = Served(child);
    for _ in 0..600 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return (served, format!("http://127.0.0.1:{port}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the hub did not start");
}

fn cookie(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .unwrap()
        .to_owned()
}

fn csrf(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned()
}

async fn sign_in(http: &reqwest::Client, base: &str, name: &str) -> String {
    let form = http.get(format!("{base}/login")).send().await.unwrap();
    let login = cookie(&form, "ck_login");
    let token = csrf(&form.text().await.unwrap());
    let r = http
        .post(format!("{base}/login"))
        .header("cookie", login)
        .form(&[("name", name), ("password", PASSWORD), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    cookie(&r, "__Host-ck_session")
}

/// The server's own time of an answer (its `Server-Timing` header), in ms.
fn server_ms(r: &reqwest::Response) -> f64 {
    r.headers()
        .get("server-timing")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("app;dur="))
        .and_then(|v| v.parse().ok())
        .expect("a Server-Timing header")
}

/// p95 and median of the server's time for 20 requests after 3 warm-up
/// ones, in ms.
async fn p95<F, Fut>(mut request: F) -> (f64, f64)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = reqwest::Response>,
{
    for _ in 0..3 {
        assert!(request().await.status().is_success());
    }
    let mut times = Vec::with_capacity(20);
    for _ in 0..20 {
        let r = request().await;
        assert!(r.status().is_success(), "{}", r.status());
        times.push(server_ms(&r));
        r.bytes().await.unwrap();
    }
    times.sort_by(f64::total_cmp);
    (times[18], times[10])
}

async fn run(label: &str, db: DbTarget, store: Vec<String>, rows: usize) {
    let opened = HubDb::open(&db).await.unwrap();
    let ingest = load(&opened, rows).await;
    drop(opened);
    if let DbTarget::Postgres(url) = &db {
        // What autovacuum does in the background of a running hub, done
        // now: statistics for the planner, and a visibility map so counts
        // are answered from the indexes alone.
        let t = Instant::now();
        let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client.batch_execute("VACUUM (ANALYZE)").await.unwrap();
        println!(
            "console_scale/{label}/vacuum analyze: {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    println!("console_scale/{label}: {rows} declarations, {CHECKPOINTS} checkpoints, {DAYS} days");
    println!(
        "console_scale/{label}/ingest: {ingest:.0} records/s (store insert path, batches of {BATCH})"
    );
    let (served, base) = serve(&store);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(600))
        .build()
        .unwrap();
    let session = sign_in(&http, &base, "bench").await;
    let get = |path: String| {
        let (http, session, base) = (&http, session.clone(), base.clone());
        async move {
            http.get(format!("{base}{path}"))
                .header("cookie", session)
                .send()
                .await
                .unwrap()
        }
    };
    for (name, path) in [
        ("overview", "/".to_owned()),
        ("overview of a group", "/?group=Nh%C3%B3m%2007".to_owned()),
        (
            "overview of a checkpoint",
            "/?checkpoint=cp-0123".to_owned(),
        ),
    ] {
        let (p95, median) = p95(|| get(path.clone())).await;
        println!("console_scale/{label}/{name}: p95 {p95:.1} ms, median {median:.1} ms");
    }
    let token = csrf(&get("/tracing".into()).await.text().await.unwrap());
    let trace = || {
        let (http, session, base, token) = (&http, session.clone(), base.clone(), token.clone());
        async move {
            http.post(format!("{base}/tracing"))
                .header("cookie", session)
                .form(&[
                    ("csrf", token.as_str()),
                    ("case", CASE_PHONE),
                    ("window", "60"),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let page = trace().await.text().await.unwrap();
    let check_ins = page.matches("id=\"check-in-").count();
    let contacts = page.matches("id=\"contact-").count();
    assert_eq!(check_ins, 10, "the case's ten check-ins");
    let (p95_trace, median_trace) = p95(trace).await;
    println!(
        "console_scale/{label}/trace: p95 {p95_trace:.1} ms, median {median_trace:.1} ms ({check_ins} check-ins, {contacts} contacts)"
    );
    // An export of the newest days holding about 100,000 rows (or all),
    // by an admin (every checkpoint) and by the district officer (one group
    // of 40 checkpoints: at 10,000,000 records, 15 days).
    let per_day = rows as f64 / DAYS as f64;
    let days = (100_000.min(rows) as f64 / per_day).ceil() as i64;
    let (exported, seconds, mb) = export(&http, &base, &session, days).await;
    println!(
        "console_scale/{label}/xlsx export: {exported} rows ({days} days, every checkpoint), {mb:.1} MB in {seconds:.2} s; hub peak memory {:.0} MB",
        served.peak_mb()
    );
    let officer = sign_in(&http, &base, "district").await;
    let group_days = (100_000.min(rows) as f64 / (per_day / GROUPS as f64))
        .ceil()
        .min(DAYS as f64) as i64;
    let (exported, seconds, mb) = export(&http, &base, &officer, group_days).await;
    println!(
        "console_scale/{label}/xlsx export by a district officer: {exported} rows ({group_days} days, one group), {mb:.1} MB in {seconds:.2} s; hub peak memory {:.0} MB",
        served.peak_mb()
    );
}

/// An XLSX export of the newest `days`: rows read back, seconds, MB.
async fn export(http: &reqwest::Client, base: &str, session: &str, days: i64) -> (usize, f64, f64) {
    let today = checkpoint_hub::stats::day_of(Utc::now());
    let from = today - chrono::Duration::days(days.max(1) - 1);
    let page = http
        .get(format!("{base}/exports"))
        .header("cookie", session)
        .send()
        .await
        .unwrap();
    let token = csrf(&page.text().await.unwrap());
    let t = Instant::now();
    let r = http
        .post(format!("{base}/exports"))
        .header("cookie", session)
        .form(&[
            ("csrf", token.as_str()),
            ("from", &from.to_string()),
            ("to", &today.to_string()),
            ("checkpoint", ""),
            ("format", "xlsx"),
            ("sheet", "declarations"),
            ("headers", "vi"),
        ])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let body = r.bytes().await.unwrap();
    let seconds = t.elapsed().as_secs_f64();
    let exported = {
        use calamine::Reader as _;
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(body.to_vec())).unwrap();
        let first = book.sheet_names()[0].clone();
        book.worksheet_range(&first).unwrap().height() - 1
    };
    (exported, seconds, body.len() as f64 / 1e6)
}
