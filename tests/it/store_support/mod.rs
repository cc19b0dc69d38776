//! Helpers shared by the store and CLI tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use checkpoint_domain::declaration::{Declaration, DocumentKind, Record};
use checkpoint_kiosk::config::Config;
use checkpoint_kiosk::paths::DataDir;
use checkpoint_store::{Key, Settings, Store};
use chrono::{DateTime, Duration, Utc};

/// A made-up visitor: name, CCCD number, phone. Distinct for each `i`.
pub struct Person {
    pub name: String,
    pub document: String,
    pub phone: String,
}

const FAMILY: [&str; 6] = ["NGUYỄN", "TRẦN", "LÊ", "PHẠM", "HOÀNG", "VŨ"];
const MIDDLE: [&str; 5] = ["VĂN", "THỊ", "HỮU", "ĐỨC", "NGỌC"];
const GIVEN: [&str; 8] = [
    "QUỲNH",
    "THƯỜNG",
    "KHOẢNG",
    "NGHIÊNG",
    "HUYỀN",
    "DƯƠNG",
    "TUYẾT",
    "LƯỢNG",
];

pub fn person(i: usize) -> Person {
    Person {
        name: format!(
            "{} {} {} {}",
            FAMILY[i % FAMILY.len()],
            MIDDLE[(i / 6) % MIDDLE.len()],
            GIVEN[(i / 30) % GIVEN.len()],
            // A syllable from the index makes every name unique.
            [
                "AN", "BÌNH", "CHÂU", "DIỆP", "GIANG", "KHÁNH", "LINH", "MINH", "NHI", "YẾN"
            ][i % 10]
                .to_owned()
                + &"Ơ".repeat(i / 240 % 3)
        ),
        document: format!("0010980{:05}", 10_000 + i),
        phone: format!("09{:08}", 12_340_000 + i),
    }
}

pub fn declaration_of(p: &Person) -> Declaration {
    let mut d = Declaration::example();
    d.identity.full_name = p.name.clone();
    d.identity.document.kind = DocumentKind::Cccd;
    d.identity.document.number = p.document.clone();
    d.identity.phone = p.phone.clone();
    d
}

/// A record of `person(i)` submitted at `at`.
pub fn record_at(i: usize, at: DateTime<Utc>) -> Record {
    Record::new(declaration_of(&person(i)), "kiosk-test", at, at)
}

pub fn record(i: usize) -> Record {
    record_at(i, Utc::now())
}

pub fn days_ago(days: i64) -> DateTime<Utc> {
    Utc::now() - Duration::days(days)
}

/// A fresh encrypted store in `dir` with the default settings.
pub fn open_encrypted(dir: &Path) -> (Store, Key) {
    let key = Key::random();
    let store = Store::open_with(&dir.join("kiosk.db"), &key, Settings::default()).unwrap();
    (store, key)
}

/// A plaintext store: only to prove what reaches the file.
pub fn open_plaintext(dir: &Path, settings: Settings) -> Store {
    Store::open_with(&dir.join("kiosk.db"), &Key::Plaintext, settings).unwrap()
}

pub fn open_data_dir(dir: &Path) -> Store {
    checkpoint_kiosk::storage::open_store(&DataDir::portable(dir), &Config::default()).unwrap()
}

/// A raw connection to the store's file with its key, for what the API
/// deliberately does not allow (tampering with the audit log).
pub fn raw_connection(path: &Path, key: &Key) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    if let Some(pragma) = key.pragma() {
        conn.execute_batch(&pragma).unwrap();
    }
    conn
}

/// The database file and its write-ahead log, as bytes.
pub fn raw_files(db: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        if let Ok(bytes) = std::fs::read(&p) {
            out.push((p, bytes));
        }
    }
    out
}

/// `needle` as UTF-8, UTF-16LE and UTF-16BE bytes.
pub fn encodings(needle: &str) -> Vec<(&'static str, Vec<u8>)> {
    let le: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = needle.encode_utf16().flat_map(u16::to_be_bytes).collect();
    vec![
        ("utf-8", needle.as_bytes().to_vec()),
        ("utf-16le", le),
        ("utf-16be", be),
    ]
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Every `(needle, file, encoding)` found: one pass over each file for all
/// needles (test code is unoptimised; a pass per needle over megabytes of
/// WAL would take minutes).
pub fn find_all(
    files: &[(PathBuf, Vec<u8>)],
    needles: &[String],
) -> std::collections::BTreeSet<(String, String, &'static str)> {
    const K: usize = 4;
    let mut patterns: Vec<(usize, &'static str, Vec<u8>)> = Vec::new();
    for (i, n) in needles.iter().enumerate() {
        for (enc, bytes) in encodings(n) {
            assert!(bytes.len() >= K, "needle too short: {n:?}");
            patterns.push((i, enc, bytes));
        }
    }
    let mut first = [false; 256];
    let mut by_prefix: std::collections::HashMap<[u8; K], Vec<usize>> =
        std::collections::HashMap::new();
    for (p, (_, _, bytes)) in patterns.iter().enumerate() {
        first[usize::from(bytes[0])] = true;
        let prefix: [u8; K] = bytes[..K].try_into().unwrap();
        by_prefix.entry(prefix).or_default().push(p);
    }
    let mut found = std::collections::BTreeSet::new();
    for (path, hay) in files {
        for i in 0..hay.len().saturating_sub(K - 1) {
            if !first[usize::from(hay[i])] {
                continue;
            }
            let prefix: [u8; K] = hay[i..i + K].try_into().unwrap();
            let Some(candidates) = by_prefix.get(&prefix) else {
                continue;
            };
            for &p in candidates {
                let (n, enc, bytes) = &patterns[p];
                if hay[i..].starts_with(bytes) {
                    found.insert((needles[*n].clone(), path.display().to_string(), *enc));
                }
            }
        }
    }
    found
}

/// Where `needle` appears in the files, in any encoding: `(file, encoding)`.
pub fn find_in_files(files: &[(PathBuf, Vec<u8>)], needle: &str) -> Vec<(String, &'static str)> {
    find_all(files, &[needle.to_owned()])
        .into_iter()
        .map(|(_, file, enc)| (file, enc))
        .collect()
}

// ---- the binary ----

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_checkpoint-kiosk"));
    // Hermetic: no configuration or data folder from the machine running the tests.
    c.env_clear().env("TZ", "UTC").env("CK_LOG", "warn");
    c
}

/// Runs the binary with `--data-dir dir` and the arguments, feeding `stdin`.
pub fn run(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    run_with(bin(), dir, args, stdin)
}

pub fn run_with(mut cmd: Command, dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write as _;
    cmd.arg("--data-dir").arg(dir).args(args);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    // A writer thread: the child may stop reading early (too-large input).
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    let _ = writer.join();
    out
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// No panic, and the exit code expected.
pub fn assert_exit(o: &Output, code: i32) {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "panic: {err}");
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout: {}\nstderr: {err}",
        stdout(o)
    );
}

/// Running as root (CI does): chmod does not stop root, mounts do.
#[cfg(unix)]
pub fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// A small tmpfs mounted at a fresh folder, unmounted on drop.
#[cfg(unix)]
pub struct Tmpfs {
    pub dir: tempfile::TempDir,
}

#[cfg(unix)]
impl Tmpfs {
    /// `None` when this machine does not allow mounting (not root, no capability).
    pub fn mount(size: &str) -> Option<Tmpfs> {
        if !is_root() {
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs { dir })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn remount(&self, opts: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,{opts}")])
            .arg(self.path())
            .status()
            .unwrap();
        assert!(ok.success(), "remount {opts}");
    }

    /// Fills the file system to the last byte.
    pub fn fill(&self) -> PathBuf {
        use std::io::Write as _;
        let path = self.path().join("filler");
        let mut f = std::fs::File::create(&path).unwrap();
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
        let small = [0u8; 1];
        while f.write_all(&small).is_ok() {}
        let _ = f.sync_all();
        path
    }
}

#[cfg(unix)]
impl Drop for Tmpfs {
    fn drop(&mut self) {
        let unmounted = Command::new("umount")
            .arg(self.dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if !unmounted {
            let _ = Command::new("umount")
                .arg("-l")
                .arg(self.dir.path())
                .status();
        }
    }
}
