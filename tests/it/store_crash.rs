//! Crash safety: the real binary stores declarations in a loop and is killed
//! with SIGKILL at random moments, again and again. Every id it printed (it
//! prints an id only once the record is durable) must be present and intact,
//! and the file must pass `PRAGMA integrity_check`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::store_support;

use std::collections::BTreeSet;
use std::io::{BufRead as _, BufReader};
use std::process::Stdio;
use std::time::Duration;

use checkpoint_kiosk::config::Config;
use checkpoint_kiosk::paths::DataDir;
use rand::Rng as _;
use store_support::*;
use uuid::Uuid;

const KILLS: usize = 24;

#[test]
fn sigkill_at_random_moments_loses_no_acknowledged_record() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::portable(dir.path().join("kiosk"));
    let decl_file = dir.path().join("decl.json");
    let declaration = declaration_of(&person(7));
    std::fs::write(&decl_file, serde_json::to_vec(&declaration).unwrap()).unwrap();

    let mut rng = rand::thread_rng();
    let mut printed: BTreeSet<Uuid> = BTreeSet::new();
    let mut killed_mid_run = 0;
    for round in 0..KILLS {
        let mut child = bin()
            .arg("--data-dir")
            .arg(data.root())
            .args(["declare", "--repeat", "1000000", "--json"])
            .arg(&decl_file)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        // The first rounds die early (creating the key, the file, the schema),
        // later ones anywhere in the insert loop: timed from the first stored
        // record, as start-up (validation data, a loaded machine) varies a lot.
        if round < 4 {
            std::thread::sleep(Duration::from_millis(rng.gen_range(0..40)));
        } else {
            let first = rx.recv_timeout(Duration::from_secs(30));
            assert!(first.is_ok(), "round {round}: the child stored nothing");
            if let Ok(line) = first
                && let Ok(id) = Uuid::parse_str(line.trim())
            {
                printed.insert(id);
            }
            std::thread::sleep(Duration::from_millis(rng.gen_range(0..400)));
        }
        let still_running = child.try_wait().unwrap().is_none();
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        if still_running {
            killed_mid_run += 1;
        }
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt as _;
            assert!(
                status.signal() == Some(9) || !still_running,
                "round {round}: {status:?}"
            );
        }
        // TerminateProcess: exit code 1, as `kill` gives it.
        #[cfg(windows)]
        assert!(
            !status.success() || !still_running,
            "round {round}: {status:?}"
        );
        reader.join().unwrap();
        for line in rx.try_iter() {
            // A line cut by the kill has no newline and no full id: skipped.
            if let Ok(id) = Uuid::parse_str(line.trim()) {
                printed.insert(id);
            }
        }
    }
    assert!(
        killed_mid_run >= 20,
        "only {killed_mid_run} kills hit a running process"
    );
    assert!(
        printed.len() > 20,
        "too few records stored: {}",
        printed.len()
    );

    let store = checkpoint_kiosk::storage::open_store(&data, &Config::default()).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    for id in &printed {
        let q = store
            .declaration(id)
            .unwrap()
            .unwrap_or_else(|| panic!("printed id {id} lost"));
        assert_eq!(q.record.record_id, *id);
        assert_eq!(q.record.declaration, declaration, "record {id} damaged");
    }
    let stats = store.queue_stats().unwrap();
    assert_eq!(stats, store.queue_stats_scanned().unwrap());
    // At most one record per kill may be stored but not yet printed.
    let total = stats.declarations.total();
    assert!(total >= printed.len() as u64);
    assert!(
        total <= (printed.len() + KILLS) as u64,
        "{total} vs {}",
        printed.len()
    );
    eprintln!(
        "crash test: {KILLS} SIGKILLs ({killed_mid_run} mid-run), {} ids printed, {total} stored, integrity ok",
        printed.len()
    );
}
