//! End to end through the binary, as staff would run it: declarations stored
//! with `declare --json`, a real hub (in-process, TLS with a throwaway CA),
//! `sync --once`, the hub's own CSV export checked by record
//! id, `queue stats`, a hub that goes away, and `purge` keeping what the hub
//! has not acknowledged unless forced.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::store_support;
use crate::support;

use std::collections::HashMap;
use std::path::Path;
use std::process::Output;

use checkpoint_hub::{ExportFilter, RunningHub, sheets};

use store_support::*;
use support::TestPki;

/// A real hub (TLS, SQLite) started in-process on its own runtime, stopped
/// when dropped. The kiosk is the real binary.
struct Hub {
    rt: tokio::runtime::Runtime,
    hub: Option<RunningHub>,
    port: u16,
}

impl Hub {
    fn start(dir: &Path, pki: &TestPki) -> (Hub, String) {
        std::fs::create_dir_all(dir).unwrap();
        let rt = tokio::runtime::Runtime::new().unwrap();
        let hub = rt.block_on(support::sqlite_hub(pki, dir));
        let token = rt.block_on(support::add_token(&hub, "K1"));
        assert!(token.len() >= 32, "{token}");
        let port = hub.addr().port();
        (
            Hub {
                rt,
                hub: Some(hub),
                port,
            },
            token,
        )
    }

    /// The hub's own CSV export: record id → how many rows carry it, and the text.
    fn export(&self, kiosk: Option<&str>) -> (HashMap<String, usize>, String) {
        let filter = ExportFilter {
            kiosk_id: kiosk.map(str::to_owned),
            from: None,
            to: None,
        };
        let hub = self.hub.as_ref().unwrap();
        let rows = self.rt.block_on(hub.db().export(&filter)).unwrap();
        let mut bytes = Vec::new();
        checkpoint_export::write_csv(&sheets::raw_sheet(rows), &mut bytes).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let body = text
            .strip_prefix('\u{feff}')
            .expect("CSV starts with a BOM");
        let mut lines = body.split("\r\n");
        assert_eq!(
            lines.next().unwrap(),
            "id,kiosk_id,kind,created_at,received_at,body"
        );
        let mut ids = HashMap::new();
        for line in lines.filter(|l| !l.is_empty()) {
            // The id never needs quoting; the body (with commas) comes last.
            let id = line.split(',').next().unwrap().to_owned();
            *ids.entry(id).or_insert(0) += 1;
        }
        (ids, text)
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        if let Some(hub) = self.hub.take() {
            self.rt.block_on(hub.stop());
        }
    }
}

/// The kiosk's config.toml: its id and the hub, trusting the test CA.
fn configure_kiosk(data: &Path, port: u16, token: &str, pki: &TestPki) {
    std::fs::create_dir_all(data).unwrap();
    let config = format!(
        "[kiosk]\nid = \"K1\"\n\n[sync]\nserver = \"https://localhost:{port}\"\ntoken = \"{token}\"\n\
         ca_file = {:?}\nconnect_timeout_secs = 2\nrequest_timeout_secs = 10\n",
        pki.ca_path.display().to_string()
    );
    std::fs::write(data.join("config.toml"), config).unwrap();
}

/// `declare --json -` of person `i`; returns the printed record id.
fn declare(data: &Path, i: usize, env: &[(&str, &str)]) -> String {
    let json = serde_json::to_vec(&declaration_of(&person(i))).unwrap();
    let mut cmd = bin();
    cmd.envs(env.iter().copied());
    let out = run_with(cmd, data, &["declare", "--json", "-"], &json);
    assert_exit(&out, 0);
    let id = stdout(&out).trim().to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
    id
}

fn stats(data: &Path) -> serde_json::Value {
    let out = run(data, &["queue", "stats", "--json"], b"");
    assert_exit(&out, 0);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn run_en(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = bin();
    cmd.envs(env.iter().copied());
    let mut all = vec!["--lang", "en"];
    all.extend_from_slice(args);
    run_with(cmd, data, &all, b"")
}

#[test]
fn declare_sync_verify_on_the_hub_and_purge() {
    let dir = tempfile::tempdir().unwrap();
    let pki = TestPki::new("e2e");
    let (hub, token) = Hub::start(&dir.path().join("hub"), &pki);
    let kiosk = dir.path().join("kiosk");
    configure_kiosk(&kiosk, hub.port, &token, &pki);

    // Three visitors, and one record left from when this kiosk had another id.
    let ids: Vec<String> = (0..3).map(|i| declare(&kiosk, i, &[])).collect();
    let foreign = declare(&kiosk, 3, &[("CK_KIOSK__ID", "K-OLD")]);
    let before = stats(&kiosk);
    assert_eq!(before["pending"], 4, "{before}");
    assert_eq!(before["sync"]["enabled"], true, "{before}");

    let synced = run_en(&kiosk, &["sync", "--once"], &[]);
    assert_exit(&synced, 0);
    assert!(
        stdout(&synced).contains("3 stored, 0 already on the hub, 1 refused. Still waiting: 0"),
        "{}",
        stdout(&synced)
    );

    // On the hub: each of this kiosk's records exactly once, intact; the
    // other kiosk's record refused, so nowhere.
    let (on_hub, csv) = hub.export(Some("K1"));
    assert_eq!(on_hub.len(), 3, "{on_hub:?}");
    for id in &ids {
        assert_eq!(on_hub.get(id), Some(&1), "{id} on the hub: {on_hub:?}");
    }
    assert!(
        csv.contains(&person(1).name),
        "the body travels intact, Vietnamese included"
    );
    let (everything, _) = hub.export(None);
    assert!(!everything.contains_key(&foreign));

    // Again: nothing left to send, nothing sent twice.
    let again = run_en(&kiosk, &["sync", "--once"], &[]);
    assert_exit(&again, 0);
    assert!(stdout(&again).contains("0 stored"), "{}", stdout(&again));
    assert_eq!(hub.export(None).0.values().sum::<usize>(), 3);

    let after = stats(&kiosk);
    assert_eq!(after["pending"], 0, "{after}");
    assert_eq!(after["rejected"], 1, "{after}");
    assert_eq!(after["declarations"]["acknowledged"], 3, "{after}");
    assert_eq!(after["sync"]["failing"], false, "{after}");
    assert!(after["sync"]["last_success"].is_string(), "{after}");
    let list = run(&kiosk, &["queue", "list", "--json"], b"");
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let refused = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["record_id"] == foreign.as_str())
        .unwrap();
    assert_eq!(refused["state"], "rejected");
    assert!(
        refused["last_error"]
            .as_str()
            .unwrap()
            .starts_with("kiosk-mismatch"),
        "{refused}"
    );

    // The hub goes away: the next record waits, and staff are told why.
    drop(hub);
    let waiting = declare(&kiosk, 4, &[]);
    let offline = run_en(&kiosk, &["sync", "--once"], &[]);
    assert_exit(&offline, 1);
    assert!(
        stderr(&offline).contains("cannot be reached"),
        "{}",
        stderr(&offline)
    );
    let s = stats(&kiosk);
    assert_eq!(s["pending"], 1, "{s}");
    assert_eq!(s["sync"]["failing"], true, "{s}");
    assert_eq!(
        s["sync"]["last_error"]["message"]["id"], "sync-offline",
        "{s}"
    );
    let text = run_en(&kiosk, &["queue", "stats"], &[]);
    assert!(
        stdout(&text).starts_with("Offline, will retry: 1 waiting"),
        "{}",
        stdout(&text)
    );

    // Retention of 0 days makes everything due. With a hub configured, only
    // what it acknowledged goes; the waiting and the refused records stay.
    let due = [("CK_STORE__RETENTION_DAYS", "0")];
    let purged = run_en(&kiosk, &["purge"], &due);
    assert_exit(&purged, 0);
    assert!(
        stdout(&purged).contains("Purged 3 declarations"),
        "{}",
        stdout(&purged)
    );
    assert!(stdout(&purged).contains("2 older records are kept"));
    let left = stats(&kiosk);
    assert_eq!(left["declarations"]["acknowledged"], 0, "{left}");
    assert_eq!(left["declarations"]["pending"], 1, "{left}");
    assert_eq!(left["declarations"]["rejected"], 1, "{left}");
    let show = run(&kiosk, &["queue", "show", &waiting], b"");
    assert_exit(&show, 0);
    // An operator can force it.
    let forced = run_en(&kiosk, &["purge", "--force"], &due);
    assert_exit(&forced, 0);
    assert!(
        stdout(&forced).contains("Purged 2 declarations"),
        "{}",
        stdout(&forced)
    );
    let none = stats(&kiosk);
    assert_eq!(none["declarations"]["pending"], 0, "{none}");
    assert_eq!(none["declarations"]["rejected"], 0, "{none}");
}

#[test]
fn the_hub_subcommand_names_the_hub_program_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--lang", "en", "hub"][..],
        &[
            "--lang",
            "en",
            "hub",
            "--listen",
            "127.0.0.1:0",
            "--db",
            "x.db",
        ][..],
        &["--lang", "vi", "hub", "token", "add", "--kiosk", "K1"][..],
    ] {
        let out = run(dir.path(), args, b"");
        assert_exit(&out, 2);
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("checkpoint-hub"), "{err}");
        assert!(out.stdout.is_empty());
    }
}
