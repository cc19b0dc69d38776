//! The database key: 32 random bytes, used as a raw SQLCipher key (`x'…'`) so
//! opening the database needs no slow key derivation.
//!
//! Where it comes from, first match wins: `store.plaintext = true` (no key at
//! all), `store.key` (64 hex digits, e.g. from `CK_STORE__KEY`), the key file
//! (`store.key_file`, default `kiosk.key` in the data folder). The default key
//! file is created on first run, owner-only; it is never re-created beside an
//! existing database, since a new key could not open the old data. On a
//! machine-wide Windows install the file holds the key encrypted with DPAPI
//! for the machine (`dpapi:` then hexadecimal) instead of the key itself.

use std::fmt;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rand::RngCore as _;

use super::error::StoreError;
use super::{KeyProtection, Location, StoreConfig};

/// What starts a key file holding a DPAPI-protected key.
const DPAPI_PREFIX: &str = "dpapi:";

/// How the database is opened.
#[derive(Clone, PartialEq, Eq)]
pub enum Key {
    /// SQLCipher with this raw 256-bit key.
    Raw([u8; 32]),
    /// No encryption: only when configured explicitly.
    Plaintext,
}

impl fmt::Debug for Key {
    // A key never reaches a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Raw(_) => f.write_str("Key::Raw(<hidden>)"),
            Key::Plaintext => f.write_str("Key::Plaintext"),
        }
    }
}

impl Key {
    /// A fresh random key from the operating system.
    pub fn random() -> Key {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Key::Raw(bytes)
    }

    /// 64 hexadecimal digits (surrounding white space ignored).
    pub fn from_hex(text: &str, origin: &str) -> Result<Key, StoreError> {
        let text = text.trim();
        let bad = || StoreError::KeyFormat {
            origin: origin.to_owned(),
        };
        let bytes: [u8; 32] = from_hex_digits(text)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(bad)?;
        Ok(Key::Raw(bytes))
    }

    pub(crate) fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The statements that key a fresh connection to a store file made by
    /// this build (`PRAGMA key` and the page layout), or `None` for plaintext.
    pub fn pragma(&self) -> Option<String> {
        self.pragma_for(Layout::Current)
    }

    /// The same for a file of the given layout.
    pub fn pragma_for(&self, layout: Layout) -> Option<String> {
        match self {
            // Only hex digits reach the SQL text: no quoting problem is possible.
            Key::Raw(bytes) => Some(format!(
                "PRAGMA key = \"x'{}'\";{}",
                Key::hex(bytes),
                layout.pragmas()
            )),
            Key::Plaintext => None,
        }
    }
}

/// How SQLCipher lays out the pages of an encrypted file. It cannot be read
/// from the file (the header is encrypted too), so a file of an older layout
/// is recognised by trying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Files made since schema version 4: 1 KiB pages, HMAC-SHA256. A commit
    /// encrypts and authenticates every page it touches, whole; an insert
    /// touches about six (row, overflow, indexes, audit entry), so small
    /// pages cut that work about threefold. SHA-256 is in hardware on
    /// current x86 and ARM CPUs, faster there than SHA-512, and its shorter
    /// tag leaves more of each page for data.
    Current,
    /// Files made before: SQLCipher 4's defaults (4 KiB pages, HMAC-SHA512).
    Legacy,
}

impl Layout {
    fn pragmas(self) -> &'static str {
        match self {
            Layout::Current => {
                " PRAGMA cipher_page_size = 1024; PRAGMA cipher_hmac_algorithm = HMAC_SHA256;"
            }
            Layout::Legacy => "",
        }
    }
}

/// Finds the key the configuration asks for, creating the default key file on
/// first run.
pub fn resolve(location: &Location, config: &StoreConfig) -> Result<Key, StoreError> {
    if config.plaintext {
        tracing::warn!("store.plaintext = true: the database is NOT encrypted");
        return Ok(Key::Plaintext);
    }
    if !config.key.trim().is_empty() {
        return Key::from_hex(&config.key, "store.key");
    }
    let (path, given) = match &config.key_file {
        Some(p) if !p.as_os_str().is_empty() => (p.clone(), true),
        _ => (location.key_file.clone(), false),
    };
    match fs::read_to_string(&path) {
        Ok(text) => match text.trim().strip_prefix(DPAPI_PREFIX) {
            Some(blob) => unprotect(blob, &path),
            None => {
                warn_if_shared(&path);
                Key::from_hex(&text, &path.display().to_string())
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let db = location.database.clone();
            let db_has_data = fs::metadata(&db).is_ok_and(|m| m.len() > 0);
            if given || db_has_data {
                return Err(StoreError::KeyMissing { path, db });
            }
            let protection = if given {
                KeyProtection::File
            } else {
                location.key_protection
            };
            match create_key_file(&path, protection)? {
                Some(key) => Ok(key),
                // Another process (the window and a CLI command started
                // together) made it first: use theirs, or the database one of
                // them creates could not be opened by the other.
                None => resolve(location, config),
            }
        }
        Err(e) => Err(StoreError::from_io(&path, e, true)),
    }
}

/// Writes a new key to `path` (0600), kept as `protection` says, or `None`
/// when a key file appeared there meanwhile. The key is written whole to a
/// file of this process's own first and then linked into place, which fails
/// rather than replaces: a crash never leaves a half-written key behind, and
/// of two processes creating a key at once exactly one key is kept.
pub fn create_key_file(path: &Path, protection: KeyProtection) -> Result<Option<Key>, StoreError> {
    let key = Key::random();
    let Key::Raw(bytes) = &key else {
        return Ok(Some(key));
    };
    let err = |e| StoreError::from_io(path, e, true);
    let text = match protection {
        KeyProtection::File => Key::hex(bytes),
        KeyProtection::Machine => protect(bytes).map_err(err)?,
    };
    let tmp = tmp_path(path);
    let written = write_new(&tmp, &text);
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(err(e));
    }
    let placed = match fs::hard_link(&tmp, path) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
            // A file system without links (FAT): create the key file itself,
            // which still fails if another process made one meanwhile.
            write_new(path, &text)
        }
        other => other,
    };
    let _ = fs::remove_file(&tmp);
    match placed {
        Ok(()) => {
            sync_dir(path);
            tracing::info!(path = %path.display(), "created a new database key");
            Ok(Some(key))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(None),
        Err(e) => Err(err(e)),
    }
}

/// Creates `path` (owner-only), failing if it exists, with `text` and a line end, synced.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(format!("{text}\n").as_bytes())?;
    file.sync_all()
}

/// The key encrypted for this machine, as the file holds it.
#[cfg(windows)]
fn protect(bytes: &[u8; 32]) -> std::io::Result<String> {
    let blob = checkpoint_win32::protect_for_machine(bytes)?;
    Ok(format!("{DPAPI_PREFIX}{}", Key::hex(&blob)))
}

/// No DPAPI here: the key file is owner-only, as with `File`.
#[cfg(not(windows))]
fn protect(bytes: &[u8; 32]) -> std::io::Result<String> {
    Ok(Key::hex(bytes))
}

/// The key inside a `dpapi:` file.
fn unprotect(hex: &str, path: &Path) -> Result<Key, StoreError> {
    let bad = || StoreError::KeyFormat {
        origin: path.display().to_string(),
    };
    let blob = from_hex_digits(hex).ok_or_else(bad)?;
    let key = unprotect_blob(&blob).map_err(|source| StoreError::KeyIo {
        path: path.to_owned(),
        source,
    })?;
    let bytes: [u8; 32] = key.try_into().map_err(|_| bad())?;
    Ok(Key::Raw(bytes))
}

#[cfg(windows)]
fn unprotect_blob(blob: &[u8]) -> std::io::Result<Vec<u8>> {
    checkpoint_win32::unprotect(blob)
}

/// A DPAPI key can be opened only on the Windows machine that made it.
#[cfg(not(windows))]
fn unprotect_blob(_blob: &[u8]) -> std::io::Result<Vec<u8>> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "the key is protected by Windows DPAPI for the machine that made it",
    ))
}

/// Bytes from hexadecimal digits (either case), `None` for anything else.
fn from_hex_digits(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// A name beside `path` that no other process or thread uses.
fn tmp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_owned()).unwrap_or_default();
    name.push(format!(
        ".{}-{:016x}.tmp",
        std::process::id(),
        rand::random::<u64>()
    ));
    path.with_file_name(name)
}

/// Makes the new directory entry durable (best effort: not every platform allows it).
fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent()
        && let Ok(d) = fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
}

/// A key readable by others is still used (a FAT USB stick has no owners),
/// but staff are told.
fn warn_if_shared(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        if let Ok(m) = fs::metadata(path)
            && m.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(path = %path.display(), "the database key file is readable by other users");
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_rejects_garbage() {
        let Key::Raw(bytes) = Key::random() else {
            panic!("random gives a raw key")
        };
        let hex = Key::hex(&bytes);
        assert_eq!(Key::from_hex(&hex, "t").unwrap(), Key::Raw(bytes));
        assert_eq!(
            Key::from_hex(&format!("  {}\n", hex.to_uppercase()), "t").unwrap(),
            Key::Raw(bytes)
        );
        let bad_hex = format!("{}zz", &hex[..62]);
        let accented = "é".repeat(32);
        for bad in ["", "abc", &hex[..63], bad_hex.as_str(), accented.as_str()] {
            assert!(
                matches!(Key::from_hex(bad, "t"), Err(StoreError::KeyFormat { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn debug_never_shows_the_key() {
        let key = Key::Raw([0xab; 32]);
        assert!(!format!("{key:?}").contains("ab"));
    }

    #[test]
    fn pragma_uses_the_raw_key_form() {
        let key = Key::Raw([0x01; 32]);
        let p = key.pragma_for(Layout::Legacy).unwrap();
        assert!(p.starts_with("PRAGMA key = \"x'0101"), "{p}");
        assert!(p.ends_with("'\";"));
        let current = key.pragma().unwrap();
        assert!(current.starts_with(&p), "{current}");
        assert!(current.contains("cipher_page_size = 1024"), "{current}");
        assert_eq!(Key::Plaintext.pragma(), None);
    }

    #[test]
    fn processes_creating_the_key_at_once_all_get_the_one_kept() {
        let dir = tempfile::tempdir().unwrap();
        let location = Location {
            database: dir.path().join("kiosk.db"),
            key_file: dir.path().join("kiosk.key"),
            key_protection: KeyProtection::File,
        };
        let config = StoreConfig::default();
        for round in 0..20 {
            let _ = fs::remove_file(&location.key_file);
            let keys: Vec<Key> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..8)
                    .map(|_| s.spawn(|| resolve(&location, &config).unwrap()))
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            let on_disk = resolve(&location, &config).unwrap();
            assert!(keys.iter().all(|k| *k == on_disk), "round {round}");
        }
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, ["kiosk.key"], "no temporary file is left behind");
    }
}
