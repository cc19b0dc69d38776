//! Flagged visitors at the desk: the red result waits for staff, the badge
//! stays on every screen, and only an acknowledgement takes a visitor off
//! the list (stored, audited, queued for the hub).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use checkpoint_kiosk::ui::app::{App, Message, Mode, Screen};
use checkpoint_kiosk::ui::services::Services;
use checkpoint_store::RecordKind;
use checkpoint_wire::FollowUpState;

use crate::ui_support::{CCCD, Kiosk};

const BADGE_ONE: &str = "1 người đang chờ nhân viên y tế";

/// A visitor who answers "yes" to a symptom: flagged, red result.
fn declare_red(k: &mut Kiosk) {
    k.declare(Some("symptom-fever"));
    assert!(matches!(k.app.screen(), Screen::Done(d) if d.flagged));
}

/// A visitor who answers "no" everywhere: green result, back to welcome.
fn declare_green(k: &mut Kiosk) {
    k.declare(None);
    assert!(matches!(k.app.screen(), Screen::Done(d) if !d.flagged));
    k.send(Message::Tick(Instant::now() + Duration::from_secs(9)));
    assert!(matches!(k.app.screen(), Screen::Welcome(_)));
}

fn enter_pin(k: &mut Kiosk) {
    assert!(matches!(k.app.screen(), Screen::Pin(_)));
    k.enter_default_pin();
}

#[test]
fn a_red_visitor_stays_listed_through_idle_timeouts_other_visitors_and_a_restart_until_acknowledged()
 {
    let mut k = Kiosk::new();
    declare_red(&mut k);
    let id = k.store().flagged_page(0, 10).unwrap().visitors[0]
        .record
        .record_id;

    // The red result outlasts the idle timeout, and a code shown meanwhile
    // does not push it away.
    let now = Instant::now();
    k.send(Message::Tick(now + Duration::from_secs(61)));
    k.scan(CCCD);
    assert!(matches!(k.app.screen(), Screen::Done(d) if d.flagged));
    assert!(k.shows("Vui lòng chờ nhân viên y tế"));
    // Unacknowledged, it gives way after `flag_hold_secs`; the badge stays.
    k.send(Message::Tick(now + Duration::from_secs(301)));
    assert!(matches!(k.app.screen(), Screen::Welcome(_)));
    assert!(k.shows(BADGE_ONE));

    // Other visitors and idle timeouts come and go.
    declare_green(&mut k);
    k.scan(CCCD);
    k.send(Message::Tick(Instant::now() + Duration::from_secs(61)));
    assert!(matches!(k.app.screen(), Screen::Welcome(_)));
    declare_green(&mut k);
    assert!(k.shows(BADGE_ONE));
    k.tap("lang-en");
    assert!(k.shows("1 visitor waiting for staff"));
    k.tap("lang-vi");

    // The window restarts: still there.
    k.app = App::new(
        Services::offline(k.data.clone(), k.config.clone()),
        Mode { kiosk: false },
    );
    assert!(k.shows(BADGE_ONE));

    // The badge opens the list behind the PIN.
    k.tap("waiting-badge");
    enter_pin(&mut k);
    assert!(matches!(k.app.screen(), Screen::Staff(_)));
    assert!(k.shows("Mới, chưa ai tiếp nhận"));
    let seen = format!("follow-up-seen-at-desk-{id}");
    // A step needs a name.
    k.tap(&seen);
    assert!(k.shows("Nhập tên hoặc chữ viết tắt của bạn."));
    assert_eq!(
        k.store().follow_up_state(&id).unwrap(),
        Some(FollowUpState::New)
    );
    k.type_into("follow-up-by", "Lan");
    k.tap(&seen);
    assert!(k.shows("Đã ghi: Đã gặp tại bàn."));
    assert!(!k.shows(BADGE_ONE), "attended to: no longer waiting");

    // Stored, audited, queued for the hub.
    let store = k.store();
    assert_eq!(
        store.follow_up_state(&id).unwrap(),
        Some(FollowUpState::SeenAtDesk)
    );
    let steps = store.follow_ups_of(&id).unwrap();
    assert_eq!(steps.len(), 1);
    assert_eq!(
        (steps[0].state, steps[0].by.as_str()),
        (FollowUpState::SeenAtDesk, "Lan")
    );
    let audit = store.audit_log(50).unwrap();
    let entry = audit
        .iter()
        .find(|a| a.action == "follow_up_recorded")
        .expect("audited");
    assert_eq!(entry.record_id.as_deref(), Some(id.to_string().as_str()));
    assert!(entry.detail.contains("seen-at-desk") && entry.detail.contains("Lan"));
    let mut store = store;
    let batch = store.sync_batch(100, 1 << 20, &RecordKind::ALL).unwrap();
    assert_eq!(
        batch
            .iter()
            .filter(|r| r.kind == RecordKind::FollowUp)
            .count(),
        1
    );

    // Seen, not cleared: still listed. Cleared: off the list.
    assert!(k.shows("NGUYỄN VĂN A"));
    k.tap(&format!("follow-up-cleared-{id}"));
    assert!(k.shows("Không có khách nào đang chờ nhân viên."));
    assert_eq!(k.store().open_flags().unwrap(), 0);
}

#[test]
fn the_red_result_is_acknowledged_with_the_pin_and_opens_the_list() {
    let mut k = Kiosk::new();
    declare_red(&mut k);
    assert!(!k.shows("Xong"), "only staff end a red result");
    k.tap("acknowledge");
    enter_pin(&mut k);
    assert!(matches!(k.app.screen(), Screen::Staff(_)));
    assert!(k.shows("NGUYỄN VĂN A"));
    assert!(k.shows("Sốt"), "the answer that flagged them");
    let audit = k.store().audit_log(20).unwrap();
    assert!(audit.iter().any(|a| a.action == "flagged_viewed"));
}
