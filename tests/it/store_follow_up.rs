//! Flagged visitors in the store: listed whatever their day, paged without
//! a cap, followed up step by step, kept by retention until cleared.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::store_support::*;

use checkpoint_domain::declaration::{Contact, Record};
use checkpoint_store::{Actor, Mark, RecordKind, Settings, StoreError};
use checkpoint_wire::{FollowUp, FollowUpState};
use chrono::{DateTime, Duration, Utc};

/// `person(i)`, who answered "yes" to a contact question, at `at`.
fn flagged_at(i: usize, at: DateTime<Utc>) -> Record {
    let mut d = declaration_of(&person(i));
    d.contacts.insert(Contact::ALL[0], true);
    let r = Record::new(d, "kiosk-test", at, at);
    assert!(r.flagged);
    r
}

fn step(r: &Record, state: FollowUpState, by: &str) -> FollowUp {
    FollowUp {
        declaration_id: r.record_id,
        state,
        by: by.to_owned(),
        at: Utc::now(),
        note: String::new(),
    }
}

fn settings(days: u32) -> Settings {
    Settings {
        retention_days: days,
        keep_unacknowledged: false,
        kiosk_id: String::new(),
    }
}

#[test]
fn a_visitor_flagged_at_three_is_listed_at_eight_and_after_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let night = Utc::now() - Duration::hours(5);
    {
        let mut store = open_plaintext(dir.path(), settings(21));
        store
            .insert_declarations(&[flagged_at(1, night), record(2)], Actor::Visitor)
            .unwrap();
    }
    let store = open_plaintext(dir.path(), settings(21));
    let page = store.flagged_page(0, 10).unwrap();
    assert_eq!((page.total, page.waiting, page.visitors.len()), (1, 1, 1));
    assert_eq!(
        page.visitors[0].record.declaration.identity.full_name,
        person(1).name
    );
    assert_eq!(page.visitors[0].state, FollowUpState::New);
    assert_eq!(store.waiting_for_staff().unwrap(), 1);
}

#[test]
fn the_list_pages_every_open_visitor_with_the_unseen_first_and_no_cap() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_plaintext(dir.path(), settings(21));
    let records: Vec<Record> = (0..250)
        .map(|i| flagged_at(i, days_ago(3) + Duration::minutes(i as i64)))
        .collect();
    store.insert_declarations(&records, Actor::Visitor).unwrap();
    // One attended to: it goes behind every unseen visitor.
    store
        .record_follow_up(
            &step(&records[0], FollowUpState::Contacted, "Lan"),
            Actor::Staff,
        )
        .unwrap();
    let mut seen = Vec::new();
    for page in 0..32 {
        let p = store.flagged_page(page, 8).unwrap();
        assert_eq!((p.total, p.waiting), (250, 249));
        assert_eq!(p.visitors.len(), if page < 31 { 8 } else { 2 });
        seen.extend(
            p.visitors
                .into_iter()
                .map(|v| (v.record.record_id, v.state)),
        );
    }
    assert!(store.flagged_page(32, 8).unwrap().visitors.is_empty());
    assert_eq!(seen.len(), 250);
    // The unseen, oldest first (the one waiting longest at the top) …
    assert_eq!(seen[0].0, records[1].record_id);
    assert_eq!(seen[248].0, records[249].record_id);
    // … then the attended ones.
    assert_eq!(seen[249], (records[0].record_id, FollowUpState::Contacted));
}

#[test]
fn each_step_is_stored_audited_and_queued_and_needs_a_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_plaintext(dir.path(), settings(21));
    let r = flagged_at(1, Utc::now());
    let green = record(2);
    store
        .insert_declarations(&[r.clone(), green.clone()], Actor::Visitor)
        .unwrap();
    assert!(matches!(
        store.record_follow_up(&step(&r, FollowUpState::SeenAtDesk, "  "), Actor::Staff),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.record_follow_up(
            &step(&green, FollowUpState::SeenAtDesk, "Lan"),
            Actor::Staff
        ),
        Err(StoreError::BadRecord { .. })
    ));
    assert!(matches!(
        store.record_follow_up(
            &step(&r, FollowUpState::SeenAtDesk, &"x".repeat(61)),
            Actor::Staff
        ),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(
        store.follow_up_state(&r.record_id).unwrap(),
        Some(FollowUpState::New)
    );

    store
        .record_follow_up(&step(&r, FollowUpState::SeenAtDesk, " Lan "), Actor::Staff)
        .unwrap();
    store
        .record_follow_up(
            &step(&r, FollowUpState::ReferredForTesting, "BS. Hùng"),
            Actor::Staff,
        )
        .unwrap();
    let steps = store.follow_ups_of(&r.record_id).unwrap();
    let got: Vec<_> = steps.iter().map(|s| (s.state, s.by.as_str())).collect();
    assert_eq!(
        got,
        [
            (FollowUpState::SeenAtDesk, "Lan"),
            (FollowUpState::ReferredForTesting, "BS. Hùng")
        ]
    );
    assert_eq!(
        store.follow_up_state(&r.record_id).unwrap(),
        Some(FollowUpState::ReferredForTesting)
    );
    assert_eq!(store.waiting_for_staff().unwrap(), 0);
    assert_eq!(store.open_flags().unwrap(), 1);
    let audited = store
        .audit_log(20)
        .unwrap()
        .into_iter()
        .filter(|a| a.action == "follow_up_recorded")
        .count();
    assert_eq!(audited, 2);
    // Queued like any record, and only for a hub that takes the kind.
    let old_hub = store
        .sync_batch(100, 1 << 20, &[RecordKind::Declaration, RecordKind::Report])
        .unwrap();
    assert!(old_hub.iter().all(|o| o.kind != RecordKind::FollowUp));
    let batch = store.sync_batch(100, 1 << 20, &RecordKind::ALL).unwrap();
    let follow_ups: Vec<_> = batch
        .iter()
        .filter(|o| o.kind == RecordKind::FollowUp)
        .collect();
    assert_eq!(follow_ups.len(), 2);
    let body: FollowUp = serde_json::from_str(follow_ups[0].body.get()).unwrap();
    assert_eq!(body, steps[0]);
    let ids: Vec<_> = follow_ups.iter().map(|o| o.id).collect();
    store
        .sync_mark(Mark::Acknowledged, &ids, Utc::now())
        .unwrap();
    assert_eq!(store.queue_stats().unwrap().follow_ups.acknowledged, 2);
}

#[test]
fn retention_keeps_a_flagged_visitor_until_cleared_even_when_forced() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_plaintext(dir.path(), settings(21));
    let open = flagged_at(1, days_ago(40));
    let cleared = flagged_at(2, days_ago(40));
    let green = record_at(3, days_ago(40));
    store
        .insert_declarations(
            &[open.clone(), cleared.clone(), green.clone()],
            Actor::Visitor,
        )
        .unwrap();
    store
        .record_follow_up(&step(&cleared, FollowUpState::Cleared, "Lan"), Actor::Staff)
        .unwrap();
    let report = store.purge(Utc::now(), true, Actor::Operator).unwrap();
    assert_eq!((report.declarations, report.kept_open_flags), (2, 1));
    assert!(store.declaration(&open.record_id).unwrap().is_some());
    assert!(store.declaration(&cleared.record_id).unwrap().is_none());
    assert!(store.declaration(&green.record_id).unwrap().is_none());
    // The cleared visitor's step is recent: it stays its own time, then goes
    // because its declaration is gone.
    assert_eq!(store.follow_ups_of(&cleared.record_id).unwrap().len(), 1);
    let later = Utc::now() + Duration::days(22);
    let report = store.purge(later, true, Actor::Operator).unwrap();
    assert_eq!(report.follow_ups, 1);
    assert!(store.follow_ups_of(&cleared.record_id).unwrap().is_empty());
    // The open one, once cleared, goes at the next purge; its steps with it.
    store
        .record_follow_up(&step(&open, FollowUpState::Cleared, "Lan"), Actor::Staff)
        .unwrap();
    let report = store.purge(later, true, Actor::Operator).unwrap();
    assert_eq!(
        (
            report.declarations,
            report.follow_ups,
            report.kept_open_flags
        ),
        (1, 1, 0)
    );
    assert_eq!(store.open_flags().unwrap(), 0);
}

/// Every follow-up state, each on a visitor past retention: the store stores
/// it (the schema's CHECK admits it), lists and counts it, and retention
/// keeps or deletes it, as `FollowUpState` says. A state added without its
/// SQL (a migration of the CHECK and the partial index) fails here.
#[test]
fn every_state_is_stored_listed_counted_and_purged_as_its_rules_say() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_plaintext(dir.path(), settings(21));
    let visitors: Vec<Record> = (0..FollowUpState::ALL.len())
        .map(|i| flagged_at(i, days_ago(40)))
        .collect();
    store
        .insert_declarations(&visitors, Actor::Visitor)
        .unwrap();
    for (visitor, state) in visitors.iter().zip(FollowUpState::ALL) {
        store
            .record_follow_up(&step(visitor, state, "Lan"), Actor::Staff)
            .unwrap();
        assert_eq!(
            store.follow_up_state(&visitor.record_id).unwrap(),
            Some(state)
        );
    }
    let open = FollowUpState::ALL.iter().filter(|s| s.is_open()).count();
    let waiting = FollowUpState::ALL
        .iter()
        .filter(|s| !s.is_attended())
        .count();
    let page = store.flagged_page(0, 100).unwrap();
    assert_eq!(
        (page.total as usize, page.waiting as usize),
        (open, waiting)
    );
    assert!(page.visitors.iter().all(|v| v.state.is_open()));
    assert_eq!(store.open_flags().unwrap() as usize, open);
    assert_eq!(store.waiting_for_staff().unwrap() as usize, waiting);
    let report = store.purge(Utc::now(), true, Actor::Operator).unwrap();
    assert_eq!(report.kept_open_flags as usize, open);
    for (visitor, state) in visitors.iter().zip(FollowUpState::ALL) {
        assert_eq!(
            store.declaration(&visitor.record_id).unwrap().is_some(),
            state.is_open(),
            "{state:?}"
        );
    }
}
