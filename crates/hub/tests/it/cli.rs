//! `checkpoint-hub` as its own program: tokens, serving (what it accepts,
//! at `/api/v1/info`), a graceful stop on SIGTERM, export.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn hub(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_checkpoint-hub"))
        .arg("--data-dir")
        .arg(data)
        .args(["--lang", "en"])
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// One plain HTTP/1.1 GET on loopback; the whole answer as text.
fn get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn tokens_serve_info_sigterm_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();

    let added = hub(
        data,
        &["token", "add", "--kiosk", "K1", "--label", "desk 1"],
    );
    assert!(added.status.success(), "{}", text(&added.stderr));
    let out = text(&added.stdout);
    let token = out.lines().nth(1).unwrap().trim();
    assert!(token.len() >= 32, "{out}");
    assert!(
        data.join("hub.db").exists(),
        "the default database is in the data folder"
    );
    let listed = text(&hub(data, &["token", "list"]).stdout);
    assert!(
        listed.contains("K1") && listed.contains("desk 1"),
        "{listed}"
    );
    assert!(
        !listed.contains(token),
        "a token is shown once, never listed"
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_checkpoint-hub"))
        .arg("--data-dir")
        .arg(data)
        .args(["--lang", "en", "--listen", "127.0.0.1:0", "--plain-http"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    // "Hub listening on 127.0.0.1:PORT (http), store: SQLite …"
    let line = lines.next().unwrap().unwrap();
    assert!(line.starts_with("Hub listening on 127.0.0.1:"), "{line}");
    let port: u16 = line
        .split_whitespace()
        .nth(3)
        .unwrap()
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();

    let info = get(port, "/api/v1/info");
    assert!(info.starts_with("HTTP/1.1 200"), "{info}");
    let body = info.split("\r\n\r\n").nth(1).unwrap();
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["protocol"], 1, "{v}");
    assert_eq!(
        v["record_kinds"],
        serde_json::json!(["declaration", "report", "follow-up"]),
        "{v}"
    );
    assert!(get(port, "/healthz").starts_with("HTTP/1.1 200"));

    // SIGTERM, as systemd stops a service: a graceful stop, exit 0.
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the hub did not stop"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");

    let export = hub(data, &["export", "--format", "raw"]);
    assert!(export.status.success(), "{}", text(&export.stderr));
    assert_eq!(
        text(&export.stdout),
        "\u{feff}id,kiosk_id,kind,created_at,received_at,body\r\n"
    );
}

#[test]
fn serving_without_tls_or_plain_http_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let out = hub(dir.path(), &["--listen", "127.0.0.1:0"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("--tls-cert"),
        "{}",
        text(&out.stderr)
    );
}
