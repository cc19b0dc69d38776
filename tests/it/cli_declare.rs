//! `declare`: the template round-trips, and every kind of bad input (wrong
//! types, unknown fields, huge or non-UTF-8 input, a read-only or full data
//! folder) gives a clear, localised error, stores nothing and never panics.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::store_support;

use std::path::Path;
#[cfg(unix)]
use std::process::Command;

use checkpoint_domain::declaration::Declaration;
use store_support::*;

fn template() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["declare", "--template"], b"");
    assert_exit(&out, 0);
    out.stdout
}

/// How many declarations the folder holds, through the CLI.
fn stored(dir: &Path) -> u64 {
    let out = run(dir, &["queue", "stats", "--json"], b"");
    assert_exit(&out, 0);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    ["pending", "sent", "acknowledged"]
        .iter()
        .map(|k| v["declarations"][k].as_u64().unwrap())
        .sum()
}

fn declare_stdin(dir: &Path, lang: &str, input: &[u8]) -> std::process::Output {
    run(dir, &["--lang", lang, "declare", "--json", "-"], input)
}

#[test]
fn the_template_is_accepted_and_stored_as_given() {
    let json = template();
    let parsed: Declaration = serde_json::from_slice(&json).unwrap();
    assert_eq!(parsed, Declaration::example());

    let dir = tempfile::tempdir().unwrap();
    let out = declare_stdin(dir.path(), "en", &json);
    assert_exit(&out, 0);
    let id = stdout(&out).trim().to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
    assert_eq!(uuid::Uuid::parse_str(&id).unwrap().get_version_num(), 7);

    // From a file too.
    let file = dir.path().join("decl.json");
    std::fs::write(&file, &json).unwrap();
    let out = run(
        dir.path(),
        &["declare", "--json", file.to_str().unwrap()],
        b"",
    );
    assert_exit(&out, 0);

    let shown = run(dir.path(), &["queue", "show", &id], b"");
    assert_exit(&shown, 0);
    let v: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    let back: Declaration = serde_json::from_value(v["record"]["declaration"].clone()).unwrap();
    assert_eq!(back, Declaration::example());
    assert_eq!(stored(dir.path()), 2);
}

#[test]
fn an_invalid_declaration_lists_every_problem_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, required) in [
        ("en", "Please fill this in."),
        ("vi", "Vui lòng điền thông tin này."),
    ] {
        let out = declare_stdin(dir.path(), lang, b"{}");
        assert_exit(&out, 2);
        let err = stderr(&out);
        let problems: Vec<&str> = err.lines().filter(|l| l.starts_with("  ")).collect();
        assert_eq!(problems.len(), 10, "{err}");
        for field in ["full_name", "birth_year", "gender", "travel", "consent"] {
            assert!(
                problems.iter().any(|l| l.trim_start().starts_with(field)),
                "{field}: {err}"
            );
        }
        assert!(err.contains(required), "{err}");
    }
    assert_eq!(stored(dir.path()), 0);
}

#[test]
fn bad_input_gets_a_clear_error_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = String::from_utf8(template()).unwrap();
    let ten_mb = format!(
        "{{\"identity\": {{\"full_name\": \"{}\"}}}}",
        "A".repeat(10 * 1024 * 1024)
    );
    let long_name = good.replace("NGUYỄN VĂN A", &"Ă".repeat(1000));
    let mut not_utf8 = good.clone().into_bytes();
    let at = good.find("NGUYỄN").unwrap();
    not_utf8[at] = 0xff;
    not_utf8[at + 1] = 0xfe;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "wrong type",
            b"{\"consent\": \"yes\"}".to_vec(),
            "Wrong kind of value at line 1",
        ),
        (
            "wrong type, number as text",
            good.replace("1998,", "\"1998\",").into_bytes(),
            "Wrong kind of value",
        ),
        (
            "wrong type, list for object",
            b"[1, 2, 3]".to_vec(),
            "Wrong kind of value",
        ),
        (
            "unknown field",
            good.replacen('{', "{\"favourite_colour\": \"red\",", 1)
                .into_bytes(),
            "Unknown field \"favourite_colour\"",
        ),
        (
            "unknown nested field",
            good.replace("\"full_name\"", "\"nickname\": \"x\", \"full_name\"")
                .into_bytes(),
            "Unknown field \"nickname\"",
        ),
        (
            "unknown value",
            good.replace("\"cccd\"", "\"driving_licence\"").into_bytes(),
            "\"driving_licence\" is not one of the allowed values",
        ),
        (
            "10 MB string",
            ten_mb.into_bytes(),
            "The input is too large",
        ),
        (
            "name too long",
            long_name.into_bytes(),
            "A name can be at most 100 characters long.",
        ),
        ("invalid UTF-8", not_utf8, "The input is not UTF-8 text"),
        ("empty", Vec::new(), "The input is empty"),
        (
            "truncated",
            good.as_bytes()[..good.len() / 2].to_vec(),
            "Invalid JSON at line",
        ),
        ("binary", vec![0u8, 159, 146, 150, 0, 1], "not UTF-8"),
    ];
    for (what, input, expected) in &cases {
        let out = declare_stdin(dir.path(), "en", input);
        assert_exit(&out, 2);
        assert!(stderr(&out).contains(expected), "{what}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "{what}: nothing printed as stored");
    }
    // The same in Vietnamese.
    let out = declare_stdin(dir.path(), "vi", b"{\"consent\": \"yes\"}");
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("Sai kiểu giá trị"),
        "{}",
        stderr(&out)
    );

    let missing = run(
        dir.path(),
        &[
            "--lang",
            "en",
            "declare",
            "--json",
            "/nonexistent/decl.json",
        ],
        b"",
    );
    assert_exit(&missing, 2);
    assert!(stderr(&missing).contains("Cannot read the file /nonexistent/decl.json"));
    let none = run(dir.path(), &["--lang", "en", "declare"], b"");
    assert_exit(&none, 2);
    assert!(stderr(&none).contains("--json FILE"));

    assert_eq!(stored(dir.path()), 0);
}

/// A read-only folder: root ignores permissions, so as root the folder is a
/// tmpfs remounted read-only.
// Unix permissions and mounts (a tmpfs remounted read-only); Windows has
// neither (docs/windows.md).
#[cfg(unix)]
#[test]
fn a_read_only_data_folder_is_a_clear_error() {
    let template = template();
    let mount = Tmpfs::mount("4m");
    let plain_dir = tempfile::tempdir().unwrap();
    let dir = mount
        .as_ref()
        .map_or(plain_dir.path(), Tmpfs::path)
        .join("kiosk");
    assert_exit(&declare_stdin(&dir, "en", &template), 0);

    let make_read_only = |ro: bool| match &mount {
        Some(m) => m.remount(if ro { "ro" } else { "rw" }),
        None => {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = if ro { 0o500 } else { 0o700 };
            for entry in std::fs::read_dir(&dir).unwrap() {
                let p = entry.unwrap().path();
                std::fs::set_permissions(
                    &p,
                    std::fs::Permissions::from_mode(if ro { 0o400 } else { 0o600 }),
                )
                .unwrap();
            }
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(mode)).unwrap();
        }
    };
    if mount.is_none() && is_root() {
        eprintln!("SKIPPED: read-only folder: running as root without permission to mount a tmpfs");
        return;
    }
    make_read_only(true);
    for (lang, text) in [("en", "Cannot write to"), ("vi", "Không ghi được")] {
        let out = declare_stdin(&dir, lang, &template);
        assert_exit(&out, 1);
        assert!(stderr(&out).contains(text), "{}", stderr(&out));
        assert!(stdout(&out).is_empty());
    }
    // A new folder inside a read-only one.
    if mount.is_some() {
        let out = declare_stdin(&dir.join("new"), "en", &template);
        assert_exit(&out, 1);
        assert!(stderr(&out).contains("Cannot write to"), "{}", stderr(&out));
    }
    make_read_only(false);
    assert_eq!(stored(&dir), 1);
    assert_exit(&declare_stdin(&dir, "en", &template), 0);
    assert_eq!(stored(&dir), 2);
}

/// A full disk: a small tmpfs filled to the last byte (as root), else a file
/// size limit (RLIMIT_FSIZE, with SIGXFSZ ignored so the write fails instead
/// of killing the process).
// A tmpfs or RLIMIT_FSIZE: Unix only (docs/windows.md).
#[cfg(unix)]
#[test]
fn a_full_data_folder_is_a_clear_error_and_loses_nothing() {
    let template = template();
    if let Some(mount) = Tmpfs::mount("2m") {
        let dir = mount.path().join("kiosk");
        assert_exit(&declare_stdin(&dir, "en", &template), 0);
        let filler = mount.fill();
        for (lang, text) in [("en", "The disk is full"), ("vi", "Ổ đĩa đã đầy")] {
            let out = declare_stdin(&dir, lang, &template);
            assert_exit(&out, 1);
            assert!(stderr(&out).contains(text), "{}", stderr(&out));
            assert!(stdout(&out).is_empty());
        }
        // First run on a full disk: no key, no database, a clear error.
        let fresh = mount.path().join("fresh");
        let out = declare_stdin(&fresh, "en", &template);
        assert_exit(&out, 1);
        assert!(
            stderr(&out).contains("The disk is full"),
            "{}",
            stderr(&out)
        );
        assert!(!fresh.join("kiosk.key").exists() && !fresh.join("kiosk.key.tmp").exists());

        std::fs::remove_file(filler).unwrap();
        assert_eq!(stored(&dir), 1);
        assert_exit(&declare_stdin(&dir, "en", &template), 0);
        assert_eq!(stored(&dir), 2);
        let store = open_data_dir(&dir);
        assert_eq!(store.integrity_check().unwrap(), "ok");
        return;
    }
    eprintln!("NOTE: no tmpfs (not root, or no mount permission): using RLIMIT_FSIZE instead");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("kiosk");
    assert_exit(&declare_stdin(&dir, "en", &template), 0);
    let mut limited = Command::new("/bin/sh");
    limited
        .args([
            "-c",
            "trap '' XFSZ; exec prlimit --fsize=2048 -- \"$@\"",
            "sh",
        ])
        .arg(env!("CARGO_BIN_EXE_checkpoint-kiosk"))
        .env_clear()
        .env("PATH", "/usr/bin:/bin:/usr/sbin:/sbin")
        .env("TZ", "UTC");
    let out = run_with(
        limited,
        &dir,
        &["--lang", "en", "declare", "--json", "-"],
        &template,
    );
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("The disk is full"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stored(&dir), 1);
    assert_eq!(open_data_dir(&dir).integrity_check().unwrap(), "ok");
}
