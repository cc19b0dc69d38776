//! The phone page's code endpoint keeps nothing: with every log level on,
//! rendering a visitor's code changes no byte of the hub's data folder (its
//! database included) and writes nothing of the visitor to the log. Also:
//! what the page refuses, and the poster.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use sha2::{Digest, Sha256};

struct Hub(Child);

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(data: &Path, log: &Path, port: u16) -> Hub {
    start_with(data, log, port, &[])
}

fn start_with(data: &Path, log: &Path, port: u16, extra: &[&str]) -> Hub {
    let log = std::fs::File::create(log).unwrap();
    // Owned by the guard at once: killed and waited for on every path.
    let hub = Hub(Command::new(env!("CARGO_BIN_EXE_checkpoint-hub"))
        .arg("--data-dir")
        .arg(data)
        .args(["--listen", &format!("127.0.0.1:{port}"), "--plain-http"])
        .args(extra)
        .env("CK_LOG", "trace")
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .stdin(Stdio::null())
        .spawn()
        .unwrap());
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return hub;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the hub did not start");
}

/// Every file of the folder with the SHA-256 of its bytes.
fn snapshot(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.push((
                    path.display().to_string(),
                    format!("{:x}", Sha256::digest(&bytes)),
                ));
            }
        }
    }
    out.sort();
    out
}

const NAME: &str = "PHẠM THỊ NGỌC ÁNH";
const PHONE: &str = "0933222111";
const DOCUMENT: &str = "079190001234";
const PLACES: &str = "Côn Đảo";

fn declaration() -> Vec<(&'static str, &'static str)> {
    vec![
        ("lang", "vi"),
        ("checkpoint", "moc-bai-1"),
        ("full_name", NAME),
        ("document_kind", "cccd"),
        ("document", DOCUMENT),
        ("birth_year", "1990"),
        ("gender", "female"),
        ("nationality", "VN"),
        ("phone", PHONE),
        ("address.province", "79"),
        ("travel", "yes"),
        ("travel.places", PLACES),
        ("contacts.contact_case", "no"),
        ("contacts.contact_from_country", "no"),
        ("contacts.contact_symptomatic", "no"),
        ("symptoms", "none"),
        ("conditions", "none"),
        ("consent", "yes"),
    ]
}

#[tokio::test]
async fn a_rendered_code_leaves_no_row_and_no_log_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let log = dir.path().join("hub.log");
    let port = free_port();
    let hub = start(&data, &log, port);
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();

    // The page once (the hub reads its checkpoints), then the snapshot.
    let page = http.get(format!("{base}/declare/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = snapshot(&data);
    assert!(
        before.iter().any(|(p, _)| p.ends_with("hub.db")),
        "{before:?}"
    );
    let logged_before = std::fs::read_to_string(&log).unwrap();

    let answer = http
        .post(format!("{base}/declare/"))
        .form(&declaration())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["cache-control"], "no-store");
    let html = answer.text().await.unwrap();
    assert!(html.contains("data-code=\"CKD:"), "{html}");

    // A form with problems comes back with them, kept nowhere either.
    let mut wrong = declaration();
    wrong.retain(|(k, _)| *k != "consent");
    let again = http
        .post(format!("{base}/declare/"))
        .form(&wrong)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 422);
    assert!(
        again.text().await.unwrap().contains(NAME),
        "the answers stay on the page"
    );

    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        snapshot(&data),
        before,
        "no byte of the data folder changed"
    );
    drop(hub);
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged_before.contains(&format!("127.0.0.1:{port}")),
        "the hub's output is in the file:\n{logged}"
    );
    for personal in [NAME, PHONE, DOCUMENT, PLACES, "NG%E1%BB%8CC", "0933222111"] {
        assert!(!logged.contains(personal), "{personal} in the log");
    }
}

#[tokio::test]
async fn hostile_posts_are_refused_and_the_poster_names_its_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = free_port();
    // Behind a proxy on this machine, whose forwarded host names the page.
    let trusted = ["--trusted-proxy", "127.0.0.1"];
    let _hub = start_with(&data, &dir.path().join("hub.log"), port, &trusted);
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();

    let json = http
        .post(format!("{base}/declare/"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), 400);
    let huge = http
        .post(format!("{base}/declare/"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("full_name={}", "A".repeat(40_000)))
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), 400);
    let script = http
        .post(format!("{base}/declare/"))
        .form(&[("full_name", "<script>alert(1)</script>"), ("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(script.status(), 422);
    let page = script.text().await.unwrap();
    assert!(!page.contains("<script>alert"), "escaped");
    assert!(page.contains("&lt;script&gt;"));

    let unknown = http
        .get(format!("{base}/declare/poster?checkpoint=nowhere"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let add = Command::new(env!("CARGO_BIN_EXE_checkpoint-hub"))
        .arg("--data-dir")
        .arg(&data)
        .args([
            "checkpoint",
            "add",
            "moc-bai-1",
            "--name",
            "Cửa khẩu Mộc Bài",
        ])
        .output()
        .unwrap();
    assert!(add.status.success());
    let poster = http
        .get(format!("{base}/declare/poster?checkpoint=moc-bai-1"))
        .header("x-forwarded-host", "khaibao.example.vn")
        .send()
        .await
        .unwrap();
    assert_eq!(poster.status(), 200);
    let poster = poster.text().await.unwrap();
    assert!(poster.contains("Cửa khẩu Mộc Bài") && poster.contains("<svg"));
    assert!(poster.contains("https://khaibao.example.vn/declare/?checkpoint=moc-bai-1"));
}

/// A kiosk fetches the poster over the closed network: with `--phone-url`
/// the code on it is the public address all the same, whatever the request
/// says.
#[tokio::test]
async fn the_poster_shows_the_configured_public_address() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = free_port();
    let _hub = start_with(
        &data,
        &dir.path().join("hub.log"),
        port,
        &["--phone-url", "https://khaibao.example.vn/"],
    );
    let add = Command::new(env!("CARGO_BIN_EXE_checkpoint-hub"))
        .arg("--data-dir")
        .arg(&data)
        .args(["checkpoint", "add", "moc-bai-1", "--name", "Mộc Bài"])
        .output()
        .unwrap();
    assert!(add.status.success());
    let poster = reqwest::Client::new()
        .get(format!(
            "http://127.0.0.1:{port}/declare/poster?checkpoint=moc-bai-1"
        ))
        .header("x-forwarded-host", "elsewhere.example")
        .send()
        .await
        .unwrap();
    assert_eq!(poster.status(), 200);
    let poster = poster.text().await.unwrap();
    assert!(poster.contains(">https://khaibao.example.vn/declare/?checkpoint=moc-bai-1<"));
    assert!(!poster.contains("elsewhere") && !poster.contains("127.0.0.1"));
}

/// Forwarded headers count only from the trusted proxy, and code requests
/// are limited per client address: 10 at once, then 30 a minute.
#[tokio::test]
async fn forwarded_headers_count_from_the_trusted_proxy_only_and_posts_are_limited() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = free_port();
    let _hub = start(&data, &dir.path().join("hub.log"), port);
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let add = Command::new(env!("CARGO_BIN_EXE_checkpoint-hub"))
        .arg("--data-dir")
        .arg(&data)
        .args(["checkpoint", "add", "moc-bai-1", "--name", "Mộc Bài"])
        .output()
        .unwrap();
    assert!(add.status.success());
    let poster = http
        .get(format!("{base}/declare/poster?checkpoint=moc-bai-1"))
        .header("x-forwarded-host", "evil.example")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !poster.contains("evil.example"),
        "a stranger's forwarded host was used"
    );
    let post = |forwarded: Option<String>| {
        let mut request = http
            .post(format!("{base}/declare/"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("lang=vi");
        if let Some(f) = forwarded {
            request = request.header("x-forwarded-for", f);
        }
        async move { request.send().await.unwrap().status().as_u16() }
    };
    let mut statuses = Vec::new();
    for i in 0..15 {
        // A stranger's X-Forwarded-For changes nothing: one address.
        statuses.push(post(Some(format!("198.51.100.{i}"))).await);
    }
    assert!(statuses[..10].iter().all(|s| *s != 429), "{statuses:?}");
    assert!(statuses[10..].iter().all(|s| *s == 429), "{statuses:?}");
    drop(_hub);

    // Behind the trusted proxy, each client it names has its own bucket.
    let port = free_port();
    let trusted = ["--trusted-proxy", "127.0.0.1"];
    let _hub = start_with(&data, &dir.path().join("hub2.log"), port, &trusted);
    let base = format!("http://127.0.0.1:{port}");
    let mut statuses = Vec::new();
    for i in 0..15 {
        let status = http
            .post(format!("{base}/declare/"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", format!("198.51.100.{i}"))
            .body("lang=vi")
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        statuses.push(status);
    }
    assert!(statuses.iter().all(|s| *s != 429), "{statuses:?}");
}
