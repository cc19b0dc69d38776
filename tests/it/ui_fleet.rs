//! The hub's settings at the window: marked "set by the hub" on the staff
//! screen, never written to the kiosk's own file; the hub's triage rule (a
//! travel "yes" flags) used for the next visitor; a setting the hub stops
//! sending falls back to the kiosk's own without a restart.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use checkpoint_domain::declaration::field;
use checkpoint_domain::fleet::key_text;
use checkpoint_kiosk::config::Config;
use checkpoint_kiosk::ui::app::{Message, Screen};
use ed25519_dalek::SigningKey;

use crate::ui_support::{CCCD, Kiosk, keep_fleet};

/// A visitor who travelled and answers no to everything else.
fn travelled(k: &mut Kiosk) {
    k.scan(CCCD);
    k.tap("next");
    k.answer_all_no();
    k.tap("travel-yes");
    k.type_into(field::TRAVEL_PLACES, "Da Nang");
    k.tap("next");
}

fn staff_draft(k: &Kiosk) -> checkpoint_kiosk::ui::screen::staff::Draft {
    match k.app.screen() {
        Screen::Staff(s) => s.draft.clone(),
        other => panic!("not the staff screen: {other:?}"),
    }
}

#[test]
fn the_hubs_settings_are_marked_kept_out_of_the_file_and_given_back() {
    let hub = SigningKey::from_bytes(&[7; 32]);
    let mut config = Config::default();
    config.sync.hub_key = Some(key_text(&hub.verifying_key()));
    config.kiosk.idle_timeout_secs = 120;
    let mut k = Kiosk::with_config(config);

    // Without the hub's rule a travel "yes" alone does not flag.
    travelled(&mut k);
    assert!(!k.shows("Bạn đã trả lời \"Có\" với câu hỏi về đi lại"));
    k.tap("consent");
    k.tap("submit");
    assert!(matches!(k.app.screen(), Screen::Done(d) if !d.flagged));

    keep_fleet(
        &k,
        &hub,
        &[("idle_timeout_secs", "90"), ("travel_flags", "on")],
    );
    k.send(Message::StatusTick);
    k.tap("finish");
    travelled(&mut k);
    assert!(k.shows(
        "Bạn đã trả lời \"Có\" với câu hỏi về đi lại: tại điểm kiểm soát này, nhân viên y tế sẽ gặp bạn."
    ));
    k.tap("consent");
    k.tap("submit");
    assert!(matches!(k.app.screen(), Screen::Done(d) if d.flagged));
    let flagged = k.store().flagged_page(0, 10).unwrap();
    assert_eq!(flagged.total, 1, "only the visitor after the hub's rule");

    // Staff end the red result; their settings show the hub's values, marked,
    // and cannot change them.
    k.tap("acknowledge");
    k.enter_default_pin();
    k.tap("tab-settings");
    assert!(k.shows("Do máy chủ đặt"));
    let draft = staff_draft(&k);
    assert_eq!(draft.idle_secs, 90);
    assert!(draft.travel_flags);
    assert!(
        !k.answers_tap("set-idle-0"),
        "the hub's choice is not a button"
    );
    assert!(k.answers_tap("set-scale-0"), "the kiosk's own are");
    k.tap("set-sounds");
    k.tap("settings-save");
    let file = std::fs::read_to_string(k.data.config_file()).unwrap();
    assert!(
        !file.contains("idle_timeout_secs") && !file.contains("travel_flags"),
        "the hub's settings stay out of the kiosk's own file:\n{file}"
    );
    assert!(
        file.contains("sounds = false"),
        "staff's own change kept:\n{file}"
    );

    // The hub stops setting the idle timeout: the kiosk's own 120 s are back.
    keep_fleet(&k, &hub, &[("travel_flags", "on")]);
    k.send(Message::StatusTick);
    assert_eq!(k.app.config().kiosk.idle_timeout_secs, 120);
    assert!(k.app.config().triage.travel_flags);
    assert!(!k.app.config().kiosk.sounds, "staff's change stays");
}
