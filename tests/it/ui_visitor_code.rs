//! A visitor who declared on the phone page shows the code the hub signed:
//! the kiosk opens the review with every answer filled, marked "declared by
//! the visitor" (a suggestion staff may correct, never "verified"), and the
//! visit ends in a stored record within four taps. Answers older than 24
//! hours are asked again; a code older than 30 days fills nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use checkpoint_domain::declaration::{Declarant, Declaration, SourceKind};
use checkpoint_domain::fleet::key_text;
use checkpoint_domain::payload::ckd::{declaration::visitor_record_of, encode_signed};
use checkpoint_kiosk::config::Config;
use checkpoint_kiosk::ui::app::Screen;
use chrono::{Duration, Utc};
use ed25519_dalek::SigningKey;

use crate::ui_support::Kiosk;

fn hub() -> SigningKey {
    SigningKey::from_bytes(&[21; 32])
}

/// A kiosk enrolled at the hub (it knows the hub's key).
fn enrolled_kiosk() -> Kiosk {
    let mut config = Config::default();
    config.sync.hub_key = Some(key_text(&hub().verifying_key()));
    Kiosk::with_config(config)
}

fn declared_at_home() -> Declaration {
    let mut d = Declaration::example();
    d.sources.clear();
    d.on_behalf = Some(Declarant {
        name: "Trần Thị Bình".into(),
        phone: "0987654321".into(),
    });
    d
}

fn code_made(hours_ago: i64, d: &Declaration) -> String {
    encode_signed(
        &visitor_record_of(d, Utc::now() - Duration::hours(hours_ago)),
        &hub(),
    )
}

#[test]
fn a_fresh_code_from_home_is_a_stored_record_in_at_most_four_taps() {
    let d = declared_at_home();
    let mut k = enrolled_kiosk();
    k.scan(&code_made(1, &d));
    assert!(
        matches!(k.app.screen(), Screen::Review(_)),
        "straight to the review: {:?}",
        checkpoint_domain::declaration::validate(k.form(), chrono::Local::now().date_naive())
    );
    let form = k.form().clone();
    assert_eq!(form.identity, d.identity);
    assert_eq!(form.on_behalf, d.on_behalf);
    assert_eq!(form.travel, d.travel);
    assert_eq!(form.contacts, d.contacts);
    assert_eq!(form.symptoms, d.symptoms);
    assert_eq!(form.conditions, d.conditions);
    assert!(!form.sources.is_empty());
    for (field, p) in &form.sources {
        assert_eq!(p.source, SourceKind::Visitor, "{field}");
        assert!(!p.locked && !p.signature_checked, "{field}: never verified");
    }
    assert!(!k.shows("đã xác minh chữ ký"));
    assert!(
        k.shows("Khách tự khai"),
        "marked as the visitor's own declaration"
    );

    let before = k.taps;
    k.tap("consent");
    k.tap("submit");
    assert!(matches!(k.app.screen(), Screen::Done(_)));
    let taps = k.taps - before;
    assert!(taps <= 4, "{taps} taps after the scan");
    let stored = k.store().list(Some(5)).unwrap();
    assert_eq!(stored.len(), 1, "one record stored");
}

/// A visitor who declared in English at home is answered in English; the
/// next visitor gets the kiosk's own language again.
#[test]
fn a_code_declared_in_english_turns_the_kiosk_to_english() {
    let mut d = declared_at_home();
    d.lang = checkpoint_i18n::Lang::En;
    let mut k = enrolled_kiosk();
    assert_eq!(k.app.lang(), checkpoint_i18n::Lang::Vi);
    k.scan(&code_made(1, &d));
    assert!(matches!(k.app.screen(), Screen::Review(_)));
    assert_eq!(k.app.lang(), checkpoint_i18n::Lang::En);
    assert!(k.shows("Declared by the visitor"));
    assert!(!k.shows("Khách tự khai"));
    k.tap("consent");
    k.tap("submit");
    let store = k.store();
    let id = store.list(None).unwrap()[0].record_id.parse().unwrap();
    let stored = store.declaration(&id).unwrap().unwrap().record;
    assert_eq!(stored.declaration.lang, checkpoint_i18n::Lang::En);
    k.tap("finish");
    assert_eq!(
        k.app.lang(),
        checkpoint_i18n::Lang::Vi,
        "the next visitor gets the kiosk's language"
    );
}

#[test]
fn answers_older_than_a_day_are_asked_again() {
    let d = declared_at_home();
    let mut k = enrolled_kiosk();
    k.scan(&code_made(25, &d));
    assert!(matches!(k.app.screen(), Screen::Declaration(_)));
    let form = k.form();
    assert_eq!(form.identity.full_name, d.identity.full_name);
    assert_eq!(form.travel.answer, None, "the questions are asked again");
    assert!(form.contacts.is_empty());
}

#[test]
fn a_code_older_than_thirty_days_fills_nothing() {
    let mut k = enrolled_kiosk();
    k.scan(&code_made(31 * 24, &declared_at_home()));
    assert!(matches!(k.app.screen(), Screen::Welcome(_)));
}

#[test]
fn a_code_signed_by_an_unknown_hub_fills_the_identity_only() {
    let d = declared_at_home();
    let mut k = Kiosk::with_config(Config::default());
    k.scan(&code_made(1, &d));
    assert!(matches!(k.app.screen(), Screen::Declaration(_)));
    let form = k.form();
    assert_eq!(form.identity.full_name, d.identity.full_name);
    assert_eq!(form.travel.answer, None);
}
