//! The first connections of a process, opened at the same moment from several
//! threads, all get a working encrypted store.
//!
//! SQLite marks itself initialised before SQLCipher's own set-up has run, so
//! a second thread could key a connection before SQLCipher was ready and get
//! "An error occurred with PRAGMA key". This must be the only test of its
//! binary: only the first opening of a process can show it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Barrier};

use checkpoint_domain::declaration::{Declaration, Record};
use checkpoint_store::{Actor, Key, Settings, Store};

fn record() -> Record {
    let now = chrono::Utc::now();
    Record::new(Declaration::example(), "kiosk-test", now, now)
}

#[test]
fn stores_opened_at_once_by_the_first_threads_of_a_process_all_work() {
    const THREADS: usize = 8;
    let dir = tempfile::tempdir().unwrap();
    let start = Arc::new(Barrier::new(THREADS));
    let opened: Vec<_> = (0..THREADS)
        .map(|i| {
            let path = dir.path().join(format!("kiosk-{i}.db"));
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                start.wait();
                let mut store = Store::open_with(&path, &Key::random(), Settings::default())
                    .map_err(|e| format!("{e:?}"))?;
                store
                    .insert_declaration(&record(), Actor::Visitor)
                    .map_err(|e| format!("{e:?}"))?;
                store.queue_stats().map_err(|e| format!("{e:?}"))
            })
        })
        .collect();
    for (i, thread) in opened.into_iter().enumerate() {
        let stats = thread.join().unwrap();
        let stats = stats.unwrap_or_else(|e| panic!("store {i} failed to open: {e}"));
        assert_eq!(stats.declarations.pending, 1, "store {i}");
    }
}
