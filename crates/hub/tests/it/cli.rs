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

/// Starts the hub, reads what it prints up to the fingerprint line, stops it.
fn first_lines(data: &Path, args: &[&str]) -> Vec<String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_checkpoint-hub"))
        .arg("--data-dir")
        .arg(data)
        .args(["--lang", "en", "--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        let last = line.starts_with("Certificate SHA-256") || line.contains("(http)");
        lines.push(line);
        if last {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    lines
}

#[test]
fn without_a_certificate_the_hub_makes_one_and_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let first = first_lines(dir.path(), &[]);
    assert!(
        first[0].starts_with("No certificate was configured"),
        "{first:?}"
    );
    assert!(first[1].contains("(https)"), "{first:?}");
    let sha = first[2].rsplit(' ').next().unwrap().to_owned();
    assert_eq!(sha.len(), 64, "{first:?}");

    let again = first_lines(dir.path(), &[]);
    assert_eq!(again.len(), 2, "made once: {again:?}");
    assert!(again[1].ends_with(&sha), "{again:?}");
    let printed = hub(dir.path(), &["certificate"]);
    assert!(text(&printed.stdout).contains(&sha), "{printed:?}");
}

#[test]
fn a_configuration_file_sets_options_and_the_command_line_wins() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("hub.toml");
    std::fs::write(
        &config,
        "listen = \"127.0.0.1:1\"\n[tls]\nplain_http = true\n",
    )
    .unwrap();
    // --listen 127.0.0.1:0 (first_lines) wins over the file's port 1.
    let lines = first_lines(dir.path(), &["--config", config.to_str().unwrap()]);
    assert!(
        lines[0].starts_with("Hub listening on 127.0.0.1:") && lines[0].contains("(http)"),
        "{lines:?}"
    );
    assert!(!lines[0].contains("127.0.0.1:1 "), "{lines:?}");

    std::fs::write(&config, "[retention]\ndays = \"thirty\"\n").unwrap();
    let out = hub(
        dir.path(),
        &["--config", config.to_str().unwrap(), "token", "list"],
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("hub.toml") && err.contains("days"), "{err}");
}

/// Plain HTTP carries sessions and kiosk tokens in clear: only on a loopback
/// address (a proxy on the same machine), refused in both languages elsewhere.
#[test]
fn plain_http_is_refused_off_loopback() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, says) in [("en", "is not one"), ("vi", "không phải địa chỉ đó")] {
        let out = hub(
            dir.path(),
            &["--lang", lang, "--listen", "0.0.0.0:0", "--plain-http"],
        );
        assert!(!out.status.success());
        let err = text(&out.stderr);
        assert!(err.contains("0.0.0.0:0") && err.contains(says), "{err}");
    }
}
