//! The audit log: written with every stored record and staff action,
//! impossible to rewrite, and free of personal data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::store_support;

use checkpoint_store::{Action, Actor};
use store_support::*;

#[test]
fn storing_and_viewing_are_logged_without_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = open_encrypted(dir.path());
    let r = record(5);
    store.insert_declaration(&r, Actor::Visitor).unwrap();
    let id = r.record_id.to_string();
    store
        .audit(Actor::Staff, Action::RecordViewed, Some(&id), "")
        .unwrap();
    let log = store.audit_log(10).unwrap();
    let actions: Vec<_> = log
        .iter()
        .map(|e| (e.actor.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        actions[..2],
        [
            ("staff", "record_viewed"),
            ("visitor", "declaration_stored")
        ]
    );
    assert!(
        log[..2]
            .iter()
            .all(|e| e.record_id.as_deref() == Some(id.as_str()))
    );
    let p = person(5);
    let text = format!("{log:?}");
    for secret in [&p.name, &p.document, &p.phone] {
        assert!(!text.contains(secret.as_str()), "{secret} in the audit log");
    }
}

#[test]
fn the_audit_log_cannot_be_changed_or_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, key) = open_encrypted(dir.path());
    store
        .insert_declaration(&record(1), Actor::Visitor)
        .unwrap();
    let before = store.audit_log(100).unwrap();
    assert!(!before.is_empty());

    // Even with the key and raw SQL, the triggers refuse.
    let conn = raw_connection(&dir.path().join("kiosk.db"), &key);
    let update = conn.execute("UPDATE audit_log SET actor = 'nobody'", []);
    let delete = conn.execute("DELETE FROM audit_log", []);
    for (what, result) in [("update", update), ("delete", delete)] {
        let err = result.expect_err(what).to_string();
        assert!(err.contains("append-only"), "{what}: {err}");
    }
    drop(conn);
    assert_eq!(store.audit_log(100).unwrap(), before);
    // Appending still works.
    store
        .audit(Actor::Operator, Action::Exported, None, "{\"count\":1}")
        .unwrap();
    assert_eq!(store.audit_log(100).unwrap().len(), before.len() + 1);
}
