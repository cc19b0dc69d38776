//! `cameras` and `scan-image` as a user runs them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

fn kiosk(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_checkpoint-kiosk"))
        .args(args)
        .env("CK_KIOSK__LANG", "vi")
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn cameras_without_a_camera_says_so_plainly() {
    // These machines have no V4L2 device; with a camera the list is printed.
    if Path::new("/dev/video0").exists() {
        return;
    }
    let (ok, out) = kiosk(&["--lang", "en", "cameras"]);
    assert!(ok);
    assert!(out.starts_with("No camera was found"), "{out}");
    let (ok, out) = kiosk(&["--lang", "vi", "cameras"]);
    assert!(ok);
    assert!(out.starts_with("Không tìm thấy camera"), "{out}");
}

#[test]
fn scan_image_json_shape() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("not-an-image.png");
    std::fs::write(&bad, "hello").unwrap();
    let code = demo.join("02-cccd.jpg");
    let empty = demo.join("00-empty.jpg");
    let (ok, out) = kiosk(&[
        "--lang",
        "en",
        "scan-image",
        "--json",
        code.to_str().unwrap(),
        empty.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert!(ok, "exit 0 even with no code and an unreadable file");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    let first = &lines[0];
    assert_eq!(first["path"], code.to_str().unwrap());
    assert_eq!(
        first["codes"][0]["text"],
        "001098012345||NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021"
    );
    assert_eq!(first["codes"][0]["engine"], "zxing-cpp");
    let hex = first["codes"][0]["bytes_hex"].as_str().unwrap();
    assert!(hex.starts_with("303031303938"), "{hex}");
    assert!(first["ms"].as_f64().unwrap() > 0.0);
    assert_eq!(lines[1]["codes"], serde_json::json!([]));
    assert!(lines[1].get("error").is_none());
    assert!(
        lines[2]["error"]
            .as_str()
            .unwrap()
            .starts_with("Cannot read the image")
    );
}

#[test]
fn scan_image_plain_lines_are_localised() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    let (ok, out) = kiosk(&["--lang", "vi", "scan-image", demo.to_str().unwrap()]);
    assert!(ok);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 6);
    assert!(lines[0].contains("không tìm thấy mã QR"), "{}", lines[0]);
    assert!(
        lines[2].contains("NGUYỄN VĂN A") && lines[2].contains("[zxing-cpp]"),
        "{}",
        lines[2]
    );
}

#[test]
fn scan_image_parse_explains_the_demo_id_card() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/02-cccd.jpg");
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().to_str().unwrap();
    let demo = demo.to_str().unwrap();
    let (ok, out) = kiosk(&[
        "--data-dir",
        data_dir,
        "--lang",
        "en",
        "scan-image",
        "--json",
        "--parse",
        demo,
    ]);
    assert!(ok, "{out}");
    let line: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let parsed = &line["codes"][0]["parsed"];
    assert_eq!(parsed["kind"], "id_card", "{line}");
    assert!(parsed.to_string().contains("NGUYỄN VĂN A"), "{parsed}");

    let (ok, out) = kiosk(&["--data-dir", data_dir, "scan-image", "--parse", demo]);
    assert!(ok);
    assert!(out.lines().count() > 2, "explanation lines expected: {out}");
    assert!(out.contains("NGUYỄN VĂN A"), "{out}");
}

#[test]
fn scan_image_into_a_reader_that_stops_early_exits_quietly() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::Stdio;
    // Far more output than a pipe holds (64 KiB), so the kiosk is still
    // writing when the reader goes away, as with `scan-image … | head -n 1`.
    let dir = tempfile::tempdir().unwrap();
    for i in 0..2000 {
        std::fs::write(dir.path().join(format!("not-an-image-{i:04}.png")), "x").unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_checkpoint-kiosk"))
        .args(["--lang", "en", "scan-image", dir.path().to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader (and with it the pipe) is gone here.
    assert!(first.contains("not-an-image-0000.png"), "{first}");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.is_empty(),
        "nothing to say on a closed pipe: {stderr}"
    );
}
