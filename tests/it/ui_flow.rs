//! The kiosk window driven through `iced_test` (no display, no GPU): the real
//! app with a real encrypted store in a temporary data folder. Clicks go
//! through the widgets' own event handling; messages go through the app's
//! own `update`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::ui_support;

use std::time::{Duration, Instant};

use checkpoint_i18n::Lang;
use checkpoint_kiosk::ui::app::{Message, Screen};
use checkpoint_kiosk::ui::keys::Press;
use ui_support::{CCCD, Kiosk};

#[test]
fn a_cccd_scan_prefills_name_number_birth_gender_and_address() {
    let mut k = Kiosk::new();
    k.scan(CCCD);
    assert!(matches!(k.app.screen(), Screen::Declaration(_)));
    let d = k.form().clone();
    assert_eq!(d.identity.full_name, "NGUYỄN VĂN A");
    assert_eq!(d.identity.document.number, "001098012345");
    assert_eq!(d.identity.birth_year, Some(1998));
    assert_eq!(
        d.identity.gender,
        Some(checkpoint_domain::declaration::Gender::Male)
    );
    // The old address (Hai Bà Trưng district) is mapped onto the current list.
    assert_eq!(d.identity.address.province, "01");
    assert!(!d.identity.address.ward.is_empty() || !d.identity.address.printed.is_empty());
    assert_eq!(d.identity.address.street, "Số 1 Đại Cồ Việt");
    // On screen, locked, with the source shown.
    assert!(k.shows("NGUYỄN VĂN A"));
    assert!(k.shows("001098012345"));
    assert!(k.shows("1998"));
    assert!(k.shows("Thành phố Hà Nội"));
    // Locked, but never "verified": the code carries no signature.
    assert!(k.shows("Đọc từ thẻ căn cước · không có chữ ký số"));
    // Locked: typing into the name does nothing.
    k.type_into("full_name", "X");
    assert_eq!(k.form().identity.full_name, "NGUYỄN VĂN A");
}

#[test]
fn a_handheld_scanner_burst_prefills_even_with_a_field_focused() {
    use checkpoint_kiosk::ui::form::Edit;
    use checkpoint_kiosk::ui::screen::declaration::Message as Form;
    let mut k = Kiosk::new();
    k.tap("enter-by-hand");
    // The visitor is typing their phone number when staff scan the card.
    k.type_into("phone", "09");
    std::thread::sleep(Duration::from_millis(80));
    // The scanner types into the focused field like a keyboard: each key
    // reaches the field (an edit) and the app's key listener.
    let mut typed = k.form().identity.phone.clone();
    for c in CCCD.chars() {
        typed.push(c);
        k.send(Message::Declaration(Form::Edit(Edit::Phone(typed.clone()))));
        k.send(Message::Key(Press::Char(c)));
    }
    k.send(Message::Key(Press::Enter));
    let d = k.form().clone();
    assert_eq!(d.identity.full_name, "NGUYỄN VĂN A");
    assert_eq!(d.identity.document.number, "001098012345");
    // What the burst typed is undone; what the visitor typed stays.
    assert_eq!(d.identity.phone, "09");
    // The Enter suffix did not move the visitor to the next page.
    assert!(
        matches!(k.app.screen(), Screen::Declaration(s) if s.page == checkpoint_kiosk::ui::screen::declaration::Page::Identity)
    );
}

#[test]
fn answering_everything_and_consenting_stores_exactly_one_record_in_ten_taps() {
    let mut k = Kiosk::new();
    k.scan(CCCD);
    k.tap("next");
    assert!(
        matches!(k.app.screen(), Screen::Declaration(s) if s.page == checkpoint_kiosk::ui::screen::declaration::Page::Questions)
    );
    k.answer_all_no();
    k.tap("next");
    assert!(matches!(k.app.screen(), Screen::Review(_)));
    k.tap("consent");
    k.tap("submit");
    match k.app.screen() {
        Screen::Done(d) => assert!(!d.flagged),
        other => panic!("not done: {other:?}"),
    }
    assert!(k.shows("Cảm ơn bạn!"));
    // From the scan to submitted: the taps the issue counts.
    assert_eq!(k.taps, 10);
    let store = k.store();
    let stats = store.queue_stats().unwrap();
    assert_eq!(stats.declarations.total(), 1);
    assert_eq!(stats.flagged, 0);
    let list = store.list(None).unwrap();
    assert_eq!(list.len(), 1);
    let id = list[0].record_id.parse().unwrap();
    let stored = store.declaration(&id).unwrap().unwrap().record;
    assert_eq!(stored.declaration.identity.full_name, "NGUYỄN VĂN A");
    assert!(stored.declaration.consent);
    assert_eq!(stored.declaration.lang, Lang::Vi);
}

#[test]
fn any_contact_or_symptom_yes_ends_red_and_flags_the_record() {
    for yes in ["contact_from_country-yes", "symptom-fever"] {
        let mut k = Kiosk::new();
        k.declare(Some(yes));
        match k.app.screen() {
            Screen::Done(d) => assert!(d.flagged, "{yes}"),
            other => panic!("not done: {other:?}"),
        }
        assert!(k.shows("Vui lòng chờ nhân viên y tế"));
        let stats = k.store().queue_stats().unwrap();
        assert_eq!((stats.declarations.total(), stats.flagged), (1, 1), "{yes}");
    }
}

#[test]
fn switching_language_mid_form_keeps_every_answer() {
    let mut k = Kiosk::new();
    k.scan(CCCD);
    k.type_into("phone", "0912345678");
    k.tap("next");
    k.tap("travel-yes");
    k.type_into("travel.places", "Đà Nẵng");
    k.tap("contact_case-no");
    k.tap("symptom-cough");
    let before = k.form().clone();
    k.tap("lang-en");
    assert_eq!(k.app.lang(), Lang::En);
    assert!(k.shows("In the past 14 days, have you been in contact with"));
    let after = k.form().clone();
    assert_eq!(before.identity, after.identity);
    assert_eq!(before.travel, after.travel);
    assert_eq!(before.contacts, after.contacts);
    assert_eq!(before.symptoms, after.symptoms);
    assert_eq!(after.lang, Lang::En);
    assert!(k.shows("Đà Nẵng"));
    k.tap("back");
    assert!(k.shows("0912345678"));
    assert!(k.shows("Year of birth"));
}

#[test]
fn the_idle_timeout_clears_the_form() {
    let mut k = Kiosk::new();
    let frame = checkpoint_kiosk::scan::Frame::from_rgba(image::RgbaImage::new(64, 36), 1);
    k.send(Message::Picture(
        checkpoint_kiosk::ui::preview::Picture::of(&frame),
    ));
    assert!(!k.shows("Đang chờ hình ảnh từ camera…"));
    k.scan(CCCD);
    k.type_into("phone", "0912345678");
    let now = Instant::now();
    k.send(Message::Tick(now + Duration::from_secs(30)));
    assert!(matches!(k.app.screen(), Screen::Declaration(_)));
    k.send(Message::Tick(now + Duration::from_secs(61)));
    assert!(matches!(k.app.screen(), Screen::Welcome(_)));
    assert!(!k.shows("NGUYỄN VĂN A"));
    assert!(!k.shows("0912345678"));
    // Nor the last camera picture, which may show the visitor.
    assert!(k.shows("Đang chờ hình ảnh từ camera…"));
    assert_eq!(k.store().queue_stats().unwrap().declarations.total(), 0);
}

#[test]
fn an_invalid_field_blocks_submit_and_shows_its_message_in_the_current_language() {
    let mut k = Kiosk::new();
    k.scan(CCCD);
    k.type_into("phone", "12345");
    k.tap("next");
    assert!(
        matches!(k.app.screen(), Screen::Declaration(s) if s.page == checkpoint_kiosk::ui::screen::declaration::Page::Identity)
    );
    let vi = "Số điện thoại không hợp lệ: nhập 0 và 9 chữ số (hoặc +84 và 9 chữ số).";
    assert!(k.shows(vi));
    k.tap("lang-en");
    assert!(k.shows("Invalid phone number: enter 0 and 9 digits (or +84 and 9 digits)."));
    assert!(!k.shows(vi));
    // Fixed, the visitor moves on; unanswered questions then block the second page.
    k.type_into("phone", "678");
    assert_eq!(k.form().identity.phone, "12345678");
    k.tap("lang-vi");
    k.send(Message::Declaration(
        checkpoint_kiosk::ui::screen::declaration::Message::Edit(
            checkpoint_kiosk::ui::form::Edit::Phone("0912345678".into()),
        ),
    ));
    k.tap("next");
    k.tap("next");
    assert!(k.shows("Vui lòng chọn Có hoặc Không."));
    assert!(matches!(k.app.screen(), Screen::Declaration(_)));
    assert_eq!(k.store().queue_stats().unwrap().declarations.total(), 0);
}

#[test]
fn the_result_screen_returns_to_welcome_by_itself() {
    let mut k = Kiosk::new();
    k.declare(None);
    assert!(matches!(k.app.screen(), Screen::Done(_)));
    k.send(Message::Tick(Instant::now() + Duration::from_secs(9)));
    assert!(matches!(k.app.screen(), Screen::Welcome(_)));
}

#[test]
fn a_report_is_stored() {
    let mut k = Kiosk::new();
    k.tap("open-report");
    k.tap("submit-report");
    assert!(k.shows("Vui lòng chọn ít nhất một nội dung phản ánh."));
    k.tap("report-illegal_entry");
    k.type_into("report-details", "Hai người vượt biên lúc 5 giờ sáng");
    k.type_into("report-province-search", "lang son");
    k.tap("report-province-match-0");
    k.tap("submit-report");
    assert!(matches!(k.app.screen(), Screen::Welcome(_)));
    assert!(k.shows("Đã gửi phản ánh. Cảm ơn bạn!"));
    assert_eq!(k.store().queue_stats().unwrap().reports.total(), 1);
}

#[test]
fn the_province_picker_finds_ha_noi_from_ha_noi_without_diacritics() {
    let mut k = Kiosk::new();
    k.tap("enter-by-hand");
    k.type_into("province-search", "ha noi");
    assert!(k.shows("Thành phố Hà Nội"));
    k.tap("province-match-0");
    assert_eq!(k.form().identity.address.province, "01");
    // The ward picker opens next, within the province.
    k.type_into("ward-search", "hoan kiem");
    k.tap("ward-match-0");
    assert_eq!(k.form().identity.address.ward, "00070");
}

#[test]
fn staff_need_the_pin_and_a_wrong_pin_is_refused() {
    let mut k = Kiosk::new();
    k.tap("open-staff");
    assert!(matches!(k.app.screen(), Screen::Pin(_)));
    for d in ["9", "9", "9", "9", "ok"] {
        k.tap(&format!("pin-{d}"));
    }
    assert!(k.shows("Mã PIN không đúng."));
    k.enter_default_pin();
    assert!(matches!(k.app.screen(), Screen::Staff(_)));
    assert!(k.shows("Kiosk vẫn dùng mã PIN mặc định. Hãy đổi mã PIN trong mục Cài đặt."));
    let audit = k.store().audit_log(10).unwrap();
    assert!(audit.iter().any(|a| a.action == "staff_signed_in"));
}

#[test]
fn staff_unlock_lets_a_verified_field_be_corrected() {
    let mut k = Kiosk::new();
    k.scan(CCCD);
    k.tap("unlock");
    k.enter_default_pin();
    assert!(matches!(k.app.screen(), Screen::Declaration(_)));
    k.type_into("full_name", "Ư");
    assert_eq!(k.form().identity.full_name, "NGUYỄN VĂN AƯ");
    let audit = k.store().audit_log(10).unwrap();
    assert!(audit.iter().any(|a| a.action == "fields_unlocked"));
}
