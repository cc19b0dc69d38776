//! The on-screen keyboard of a touch kiosk, tapped key by key: a Vietnamese
//! name with its tone marks and a phone number fill the form with no
//! physical keyboard; the English form gets the English layout; the field
//! typed into stays in sight above the keys.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use checkpoint_domain::declaration::field;
use checkpoint_kiosk::config::{Config, OnScreenKeyboard};
use iced_test::selector;

use crate::ui_support::Kiosk;

fn touch_kiosk() -> Kiosk {
    let mut config = Config::default();
    config.kiosk.on_screen_keyboard = OnScreenKeyboard::On;
    Kiosk::with_config(config)
}

fn has(k: &Kiosk, id: &str) -> bool {
    let mut ui = Kiosk::simulator(&k.app);
    ui.find(selector::id(id.to_owned())).is_ok()
}

#[test]
fn a_vietnamese_name_and_a_phone_number_are_typed_by_taps_alone() {
    let mut k = touch_kiosk();
    k.tap("enter-by-hand");
    assert!(!has(&k, "osk-a"), "no keyboard before a field is tapped");
    k.tap(field::FULL_NAME);
    assert!(has(&k, "osk-tone-tilde"), "the Vietnamese row shows");
    let taps = k.taps;
    k.press_keys([
        "n",
        "g",
        "u",
        "y",
        "ê",
        "n",
        "tone-tilde",
        "space",
        "t",
        "h",
        "i",
        "tone-dot",
        "space",
        "a",
        "n",
        "h",
        "tone-acute",
    ]);
    assert_eq!(k.form().identity.full_name, "Nguyễn Thị Ánh");
    assert_eq!(k.taps - taps, 17, "capitals came without Shift");

    k.tap(field::PHONE);
    assert!(!has(&k, "osk-q"), "a phone field opens the number pad");
    k.press_keys("0912345678".chars().map(String::from));
    assert_eq!(k.form().identity.phone, "0912345678");
    assert_eq!(k.form().identity.full_name, "Nguyễn Thị Ánh");

    // Mistakes are undone key by key; Done puts the keyboard away.
    k.press_keys(["backspace", "backspace"]);
    assert_eq!(k.form().identity.phone, "09123456");
    k.press_keys(["hide"]);
    assert!(!has(&k, "osk-0"));
}

#[test]
fn the_english_form_gets_the_english_layout() {
    let mut k = touch_kiosk();
    k.tap("lang-en");
    k.tap("enter-by-hand");
    k.tap(field::STREET);
    assert!(has(&k, "osk-q") && has(&k, "osk-space"));
    assert!(!has(&k, "osk-tone-acute") && !has(&k, "osk-ê"));
    k.press_keys(["shift", "m", "a", "i", "n", "space", "s", "t"]);
    assert_eq!(k.form().identity.address.street, "Main st");
    // Back in Vietnamese, the same field gets the Vietnamese row.
    k.tap("lang-vi");
    assert!(has(&k, "osk-tone-acute"));
}

#[test]
fn a_physical_keyboard_still_types_with_the_keyboard_shown() {
    let mut k = touch_kiosk();
    k.tap("enter-by-hand");
    k.tap(field::FULL_NAME);
    k.type_into(field::FULL_NAME, "Trần");
    k.press_keys(["space", "b", "i", "n", "h", "tone-grave"]);
    assert_eq!(k.form().identity.full_name, "Trần Bình");
}

#[test]
fn the_keyboard_goes_with_the_page_and_stays_off_when_not_configured() {
    let mut k = touch_kiosk();
    k.tap("enter-by-hand");
    k.tap(field::FULL_NAME);
    assert!(has(&k, "osk-a"));
    k.tap("back");
    assert!(!has(&k, "osk-a"), "the welcome screen has no keyboard");

    let mut config = Config::default();
    config.kiosk.on_screen_keyboard = OnScreenKeyboard::Off;
    let mut k = Kiosk::with_config(config);
    k.tap("enter-by-hand");
    k.tap(field::FULL_NAME);
    assert!(!has(&k, "osk-a"));
}

#[test]
fn the_field_typed_into_shows_above_the_keys_at_every_kiosk_size() {
    for size in [(1280.0, 800.0), (1920.0, 1080.0), (1080.0, 1920.0)] {
        let mut k = touch_kiosk();
        k.tap("enter-by-hand");
        k.tap(field::FULL_NAME);
        let mut ui = Kiosk::simulator_sized(&k.app, size);
        let name = ui.find(selector::id(field::FULL_NAME.to_owned())).unwrap();
        let key = ui.find(selector::id("osk-q".to_owned())).unwrap();
        let name = name.visible_bounds().expect("the name field is in view");
        let key = key.visible_bounds().expect("the keys are in view");
        assert!(
            name.y + name.height <= key.y,
            "{size:?}: field {name:?} under the keys {key:?}"
        );
        assert!(name.height >= 40.0, "{size:?}: field squeezed to {name:?}");
    }
}

#[test]
fn staff_type_a_hub_address_in_the_settings() {
    let mut k = touch_kiosk();
    k.tap("open-staff");
    k.enter_default_pin();
    k.tap("tab-settings");
    k.tap("set-server");
    k.press_keys([
        "h", "t", "t", "p", "s", ":", "/", "/", "h", "u", "b", ":", "layout",
    ]);
    k.press_keys(["8", "4", "4", "3"]);
    match k.app.screen() {
        checkpoint_kiosk::ui::app::Screen::Staff(s) => {
            assert_eq!(s.draft.sync_server, "https://hub:8443");
        }
        other => panic!("not the staff screen: {other:?}"),
    }
}
