//! The database key: created once, owner-only; a wrong or missing key is a
//! clear, localised error; plaintext only when configured.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::store_support;

use checkpoint_i18n::Lang;
use checkpoint_kiosk::config::Config;
use checkpoint_kiosk::paths::DataDir;
use checkpoint_store::{Actor, Key, Settings, Store, StoreError};
use store_support::*;

const SQLITE_HEADER: &[u8] = b"SQLite format 3\0";

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn first_run_creates_an_owner_only_key_file_and_reuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::portable(dir.path().join("kiosk"));
    let r = record(1);
    {
        let mut store = checkpoint_kiosk::storage::open_store(&data, &Config::default()).unwrap();
        store.insert_declaration(&r, Actor::Visitor).unwrap();
    }
    let key_text = std::fs::read_to_string(data.key_file()).unwrap();
    assert_eq!(key_text.trim().len(), 64);
    assert!(key_text.trim().bytes().all(|b| b.is_ascii_hexdigit()));
    #[cfg(unix)]
    {
        assert_eq!(mode(&data.key_file()), 0o600);
        assert_eq!(mode(&data.database()), 0o600);
        assert_eq!(mode(data.root()), 0o700);
    }
    assert!(!data.key_file().with_extension("key.tmp").exists());

    // The same key opens it again, and nothing re-creates the key.
    let store = checkpoint_kiosk::storage::open_store(&data, &Config::default()).unwrap();
    assert_eq!(std::fs::read_to_string(data.key_file()).unwrap(), key_text);
    let back = store.declaration(&r.record_id).unwrap().unwrap();
    assert_eq!(back.record, r);

    // Encrypted: not even the SQLite header is readable.
    let bytes = std::fs::read(data.database()).unwrap();
    assert!(!bytes.starts_with(SQLITE_HEADER));
}

/// A machine-wide install (Windows: `%ProgramData%`): the key file holds the
/// key encrypted with DPAPI for the machine, never the key itself; the store
/// opens again with it. Elsewhere the same request keeps the hex file.
#[test]
fn a_machine_wide_install_keeps_its_key_protected_for_the_machine() {
    use checkpoint_store::{KeyProtection, Location, StoreConfig};
    let dir = tempfile::tempdir().unwrap();
    let location = Location {
        database: dir.path().join("kiosk.db"),
        key_file: dir.path().join("kiosk.key"),
        key_protection: KeyProtection::Machine,
    };
    let settings = || Settings {
        retention_days: 21,
        keep_unacknowledged: false,
        kiosk_id: "K1".into(),
    };
    let r = record(7);
    {
        let mut store = Store::open(&location, &StoreConfig::default(), settings()).unwrap();
        store.insert_declaration(&r, Actor::Visitor).unwrap();
    }
    let text = std::fs::read_to_string(&location.key_file).unwrap();
    if cfg!(windows) {
        let blob = text
            .trim()
            .strip_prefix("dpapi:")
            .expect("a DPAPI key file");
        // DPAPI's envelope around 32 bytes: far longer than the bare key.
        assert!(blob.len() > 200, "{text}");
        assert!(Key::from_hex(blob, "t").is_err());
    } else {
        assert_eq!(text.trim().len(), 64);
    }
    let store = Store::open(&location, &StoreConfig::default(), settings()).unwrap();
    assert_eq!(store.declaration(&r.record_id).unwrap().unwrap().record, r);
    // A damaged protected key is a clear error, not a new key.
    if cfg!(windows) {
        drop(store);
        std::fs::write(&location.key_file, "dpapi:00ff00ff\n").unwrap();
        let err = Store::open(&location, &StoreConfig::default(), settings()).unwrap_err();
        assert!(matches!(err, StoreError::KeyIo { .. }), "{err:?}");
        assert!(location.database.exists());
    }
}

#[test]
fn a_wrong_key_is_a_clear_error_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    let (mut store, _key) = open_encrypted(dir.path());
    store
        .insert_declaration(&record(1), Actor::Visitor)
        .unwrap();
    drop(store);
    let before = std::fs::read(&path).unwrap();

    let err = Store::open_with(&path, &Key::random(), Settings::default()).unwrap_err();
    assert!(matches!(err, StoreError::WrongKey { .. }), "{err:?}");
    let vi = err.message().render(Lang::Vi);
    let en = err.message().render(Lang::En);
    assert!(vi.contains("sai khoá") && vi.contains("kiosk.db"), "{vi}");
    assert!(
        en.contains("key is wrong") && en.contains("kiosk.db"),
        "{en}"
    );
    // Opening plaintext is just as wrong.
    let err = Store::open_with(&path, &Key::Plaintext, Settings::default()).unwrap_err();
    assert!(matches!(err, StoreError::WrongKey { .. }), "{err:?}");
    // A failed open changes nothing.
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_lost_key_file_is_not_silently_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::portable(dir.path());
    let mut store = checkpoint_kiosk::storage::open_store(&data, &Config::default()).unwrap();
    store
        .insert_declaration(&record(1), Actor::Visitor)
        .unwrap();
    drop(store);
    std::fs::remove_file(data.key_file()).unwrap();
    let err = checkpoint_kiosk::storage::open_store(&data, &Config::default()).unwrap_err();
    assert!(matches!(err, StoreError::KeyMissing { .. }), "{err:?}");
    assert!(
        !data.key_file().exists(),
        "a new key would lock the old data away"
    );
    let en = err.message().render(Lang::En);
    assert!(en.contains("kiosk.key") && en.contains("missing"), "{en}");
}

#[test]
fn the_operator_can_give_the_key_by_file_or_by_value() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::portable(dir.path().join("data"));
    let key_hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    let usb_key = dir.path().join("usb.key");
    std::fs::write(&usb_key, format!("{key_hex}\n")).unwrap();

    let mut by_file = Config::default();
    by_file.store.key_file = Some(usb_key.clone());
    let r = record(2);
    checkpoint_kiosk::storage::open_store(&data, &by_file)
        .unwrap()
        .insert_declaration(&r, Actor::Visitor)
        .unwrap();
    assert!(
        !data.key_file().exists(),
        "no default key file when one is given"
    );

    // The same key given as a value (as CK_STORE__KEY would) opens the same data.
    let env = vec![("CK_STORE__KEY".to_owned(), key_hex.to_owned())];
    let (by_value, err) = Config::load_with_env(&dir.path().join("none.toml"), env);
    assert!(err.is_none(), "{err:?}");
    let store = checkpoint_kiosk::storage::open_store(&data, &by_value).unwrap();
    assert_eq!(store.declaration(&r.record_id).unwrap().unwrap().record, r);
    // The key never appears in `config show`.
    assert!(!by_value.to_toml().contains(key_hex));

    // A missing operator key file is an error, not a new key.
    let mut missing = Config::default();
    missing.store.key_file = Some(dir.path().join("not-inserted.key"));
    let err = checkpoint_kiosk::storage::open_store(
        &DataDir::portable(dir.path().join("other")),
        &missing,
    )
    .unwrap_err();
    assert!(matches!(err, StoreError::KeyMissing { .. }), "{err:?}");

    // A malformed key is refused with where it came from.
    let mut bad = Config::default();
    bad.store.key = "not-a-key".into();
    let err = checkpoint_kiosk::storage::open_store(&data, &bad).unwrap_err();
    assert!(matches!(err, StoreError::KeyFormat { .. }), "{err:?}");
    assert!(err.message().render(Lang::En).contains("store.key"));
    std::fs::write(&usb_key, "short\n").unwrap();
    let err = checkpoint_kiosk::storage::open_store(&data, &by_file).unwrap_err();
    assert!(err.message().render(Lang::Vi).contains("usb.key"), "{err}");
}

#[test]
fn plaintext_only_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    config.store.plaintext = true;
    let data = DataDir::portable(dir.path());
    checkpoint_kiosk::storage::open_store(&data, &config)
        .unwrap()
        .insert_declaration(&record(3), Actor::Visitor)
        .unwrap();
    assert!(!data.key_file().exists());
    assert!(
        std::fs::read(data.database())
            .unwrap()
            .starts_with(SQLITE_HEADER)
    );
    // And the default configuration refuses to treat that file as encrypted
    // (there is a database but no key file).
    let err = checkpoint_kiosk::storage::open_store(&data, &Config::default()).unwrap_err();
    assert!(matches!(err, StoreError::KeyMissing { .. }), "{err:?}");
}
