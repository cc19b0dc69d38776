//! The DCC trust list staff import from a file: kept in the store with its
//! date, used to verify certificates, and reported when missing or old.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::store_support::*;

use base64::Engine as _;
use checkpoint_domain::declaration::field;
use checkpoint_domain::payload::{self, ParseContext, ckd::CkdKeys, prefill::prefill};
use checkpoint_kiosk::config::Config;
use checkpoint_kiosk::paths::DataDir;
use checkpoint_store::{Actor, StoredTrustList};
use chrono::{DateTime, Duration, Utc};

/// The Austrian test vector: its HC1 text and its signer as a PEM file's text.
pub fn vector() -> (String, String) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/dcc/AT/2DCode/raw/1.json");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let b64 = v["TESTCTX"]["CERTIFICATE"].as_str().unwrap();
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    );
    (v["PREFIX"].as_str().unwrap().to_owned(), pem)
}

fn verified_with(list: &checkpoint_domain::payload::dcc::trust::TrustList, hc1: &str) -> bool {
    let keys = CkdKeys::default();
    let then: DateTime<Utc> = "2021-05-06T18:00:00Z".parse().unwrap();
    let ctx = ParseContext::new(list, &keys, then);
    let parsed = payload::parse(hc1.as_bytes(), &ctx).unwrap().payload;
    prefill(&parsed).sources[field::VACCINATION].signature_checked
}

#[test]
fn a_list_imported_from_a_file_verifies_a_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let usb = tempfile::tempdir().unwrap();
    let (hc1, pem) = vector();
    let file = usb.path().join("trust-list.pem");
    std::fs::write(&file, pem).unwrap();
    let data = DataDir::portable(dir.path());

    // Before: nothing verifies, and the kiosk says so.
    let out = run(dir.path(), &["--lang", "en", "trust", "show"], b"");
    assert_exit(&out, 3);
    assert!(stderr(&out).contains("No trust list"), "{}", stderr(&out));
    let before = checkpoint_kiosk::trust::load(&data, &Config::default(), None, None);
    assert!(!verified_with(&before.list, &hc1));

    let out = run(
        dir.path(),
        &["--lang", "en", "trust", "import", file.to_str().unwrap()],
        b"",
    );
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("1 certificate signers"),
        "{}",
        stdout(&out)
    );
    // The stick can go: the list is in the store.
    drop(usb);
    let store = open_data_dir(dir.path());
    let loaded = checkpoint_kiosk::trust::load(&data, &Config::default(), Some(&store), None);
    assert_eq!(loaded.origin, "trust-list.pem");
    assert!(verified_with(&loaded.list, &hc1));
    let audit = store.audit_log(5).unwrap();
    assert!(audit.iter().any(|a| a.action == "trust_list_imported"));
    let out = run(dir.path(), &["--lang", "en", "trust", "show"], b"");
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("Trust list: 1 signers"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_list_past_its_age_raises_the_warning() {
    let dir = tempfile::tempdir().unwrap();
    let (_, pem) = vector();
    let mut store = open_data_dir(dir.path());
    store
        .save_trust_list(
            &StoredTrustList {
                bytes: pem.into_bytes(),
                imported_at: Utc::now() - Duration::days(40),
                source: "trust-list.pem".into(),
            },
            Actor::Operator,
            "{}",
        )
        .unwrap();
    drop(store);
    let out = run(dir.path(), &["--lang", "en", "trust", "show"], b"");
    assert_exit(&out, 3);
    assert!(
        stderr(&out).contains("The trust list is 40 days old"),
        "{}",
        stderr(&out)
    );
    // A longer allowed age: no warning.
    std::fs::write(
        dir.path().join("config.toml"),
        "[payload]\ntrust_list_max_age_days = 60\n",
    )
    .unwrap();
    let out = run(dir.path(), &["--lang", "en", "trust", "show"], b"");
    assert_exit(&out, 0);
}

#[test]
fn files_that_are_not_trust_lists_are_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "notes.json",
            "{\"hello\": 1}",
            "holds no certificate signer",
        ),
        ("cut.json", "[{\"rawData\": \"MII", "not in a known format"),
        ("empty.json", "{\"dsc\": []}", "holds no certificate signer"),
        ("photo.pem", "\u{0}\u{1}binary", "not in a known format"),
    ];
    for (name, content, expected) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, content).unwrap();
        let out = run(
            dir.path(),
            &["--lang", "en", "trust", "import", file.to_str().unwrap()],
            b"",
        );
        assert_exit(&out, 1);
        assert!(stderr(&out).contains(expected), "{name}: {}", stderr(&out));
    }
    assert!(open_data_dir(dir.path()).trust_list().unwrap().is_none());
}
