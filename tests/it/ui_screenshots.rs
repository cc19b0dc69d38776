//! Every screen of the window, in both languages, at 1280×800, 1920×1080 and
//! 1080×1920 (portrait):
//! the main action of each screen must be on screen without scrolling (run
//! in every `cargo test`), and `.ci/screenshots` writes them all as PNG to
//! docs/screenshots/ (this file's ignored test) for people to look at.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::ui_support;

use std::path::{Path, PathBuf};
use std::time::Instant;

use checkpoint_i18n::Lang;
use checkpoint_kiosk::config::{Config, OnScreenKeyboard};
use checkpoint_kiosk::scan::Frame;
use checkpoint_kiosk::ui::app::Message;
use checkpoint_kiosk::ui::preview::Picture;
use checkpoint_kiosk::ui::scroll::offset_revealing;
use checkpoint_kiosk::ui::services::FrameOrigin;
use checkpoint_kiosk::ui::theme;
use iced_test::selector;
use ui_support::{CCCD, Kiosk};

/// Landscape screens, and the portrait kiosk (1080×1920) common at desks.
const SIZES: [(f32, f32); 3] = [(1280.0, 800.0), (1920.0, 1080.0), (1080.0, 1920.0)];

/// A screen to show: how to reach it, and the id of its main action.
struct Shot {
    name: &'static str,
    /// Runs on the demo frames (no camera), as a kiosk without one does.
    demo: bool,
    action: Option<&'static str>,
    reach: fn(&mut Kiosk),
    /// A touch kiosk (the on-screen keyboard on), and the field it types
    /// into with the scrollable holding it: the page is scrolled as the
    /// window scrolls it when the field is tapped.
    touch: Option<(&'static str, &'static str)>,
}

fn demo_picture() -> Picture {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/03-cccd-tilted.jpg");
    let img = image::open(path).unwrap();
    Picture::of(&Frame::from_image(&img, 1))
}

fn pin(k: &mut Kiosk) {
    k.enter_default_pin();
}

/// Taps keys of the on-screen keyboard: `vi` on the Vietnamese layout,
/// `en` on the English one (which has no tone keys).
fn press(k: &mut Kiosk, vi: &[&str], en: &[&str]) {
    let keys = if k.app.lang() == Lang::Vi { vi } else { en };
    k.press_keys(keys);
}

fn shots() -> Vec<Shot> {
    vec![
        Shot {
            name: "01-welcome",
            demo: true,
            action: Some("enter-by-hand"),
            reach: |k| k.send(Message::Picture(demo_picture())),
            touch: None,
        },
        Shot {
            name: "02-identity-from-id-card",
            demo: false,
            action: Some("next"),
            reach: |k| k.scan(CCCD),
            touch: None,
        },
        Shot {
            name: "03-identity-problems",
            demo: false,
            action: Some("next"),
            reach: |k| {
                k.tap("enter-by-hand");
                k.type_into("phone", "12345");
                k.type_into("province-search", "ha noi");
                k.tap("next");
            },
            touch: None,
        },
        Shot {
            name: "04-questions",
            demo: false,
            action: Some("next"),
            reach: |k| {
                k.scan(CCCD);
                k.tap("next");
                k.tap("travel-yes");
                k.type_into("travel.places", "Đà Nẵng, Huế");
                k.tap("contact_case-no");
                k.tap("symptom-cough");
            },
            touch: None,
        },
        Shot {
            name: "05-review",
            demo: false,
            action: Some("submit"),
            reach: |k| {
                k.scan(CCCD);
                k.tap("next");
                k.answer_all_no();
                k.tap("next");
                k.tap("consent");
            },
            touch: None,
        },
        Shot {
            name: "06-done-thank-you",
            demo: false,
            action: Some("finish"),
            reach: |k| {
                k.declare(None);
            },
            touch: None,
        },
        Shot {
            name: "07-done-wait-for-staff",
            demo: false,
            action: Some("acknowledge"),
            reach: |k| {
                k.declare(Some("symptom-fever"));
            },
            touch: None,
        },
        Shot {
            name: "08-report",
            demo: false,
            action: Some("submit-report"),
            reach: |k| {
                k.tap("open-report");
                k.tap("report-suspected_case");
                k.type_into("report-details", "Một người ho và sốt ở chợ");
                k.type_into("report-province-search", "lang son");
            },
            touch: None,
        },
        Shot {
            name: "09-staff-pin",
            demo: false,
            action: Some("pin-ok"),
            reach: |k| k.tap("open-staff"),
            touch: None,
        },
        Shot {
            name: "10-staff-overview",
            demo: false,
            action: Some("staff-back"),
            reach: |k| {
                k.tap("open-staff");
                pin(k);
            },
            touch: None,
        },
        Shot {
            name: "11-staff-flagged",
            demo: false,
            action: Some("staff-back"),
            reach: |k| {
                k.declare(Some("contact_case-yes"));
                k.tap("acknowledge");
                pin(k);
            },
            touch: None,
        },
        Shot {
            name: "13-staff-reports",
            demo: false,
            action: Some("staff-back"),
            reach: |k| {
                k.tap("open-report");
                k.tap("report-suspected_case");
                k.type_into("report-details", "Một người ho và sốt ở chợ Đồng Xuân");
                k.tap("submit-report");
                k.tap("open-staff");
                pin(k);
                k.tap("tab-reports");
            },
            touch: None,
        },
        Shot {
            name: "14-staff-export",
            demo: false,
            action: Some("export-go"),
            reach: |k| {
                k.tap("open-staff");
                pin(k);
                k.tap("tab-export");
            },
            touch: None,
        },
        Shot {
            name: "16-staff-hub",
            demo: false,
            action: Some("hub-connect"),
            reach: |k| {
                k.tap("open-staff");
                pin(k);
                k.tap("tab-hub");
            },
            touch: None,
        },
        Shot {
            name: "12-staff-settings",
            demo: false,
            action: Some("settings-save"),
            reach: |k| {
                k.tap("open-staff");
                pin(k);
                k.tap("tab-settings");
            },
            touch: None,
        },
        Shot {
            name: "19-staff-settings-hub",
            demo: false,
            action: Some("settings-save"),
            reach: |k| {
                ui_support::keep_fleet(
                    k,
                    &screenshot_hub(),
                    &[("idle_timeout_secs", "90"), ("travel_flags", "on")],
                );
                k.send(Message::StatusTick);
                k.tap("open-staff");
                pin(k);
                k.tap("tab-settings");
            },
            touch: None,
        },
        Shot {
            name: "20-review-visitor-code",
            demo: false,
            action: Some("submit"),
            reach: |k| {
                let mut d = checkpoint_domain::declaration::Declaration::example();
                d.sources.clear();
                let record = checkpoint_domain::payload::ckd::declaration::visitor_record_of(
                    &d,
                    chrono::Utc::now(),
                );
                k.scan(&checkpoint_domain::payload::ckd::encode_signed(
                    &record,
                    &screenshot_hub(),
                ));
            },
            touch: None,
        },
        Shot {
            name: "15-keyboard-name",
            demo: false,
            action: Some("next"),
            reach: |k| {
                k.tap("enter-by-hand");
                k.tap("full_name");
                press(
                    k,
                    &[
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
                    ],
                    &["j", "a", "n", "e", "space", "s", "m"],
                );
            },
            touch: Some(("full_name", "form-identity")),
        },
        Shot {
            name: "16-keyboard-phone",
            demo: false,
            action: Some("next"),
            reach: |k| {
                k.scan(CCCD);
                k.tap("phone");
                k.press_keys("091234".chars().map(String::from));
            },
            touch: Some(("phone", "form-identity")),
        },
        Shot {
            name: "17-keyboard-report",
            demo: false,
            action: Some("submit-report"),
            reach: |k| {
                k.tap("open-report");
                k.tap("report-suspected_case");
                k.tap("report-place");
                press(
                    k,
                    &["c", "h", "ơ", "tone-dot", "space"],
                    &["m", "a", "r", "k", "e", "t"],
                );
            },
            touch: Some(("report-place", "report")),
        },
        Shot {
            name: "18-keyboard-staff-flagged",
            demo: false,
            action: Some("staff-back"),
            reach: |k| {
                k.declare(Some("symptom-fever"));
                k.tap("acknowledge");
                pin(k);
                k.tap("follow-up-by");
                press(
                    k,
                    &["l", "a", "n", "space", "y", "space", "t", "a", "tone-acute"],
                    &["l", "a", "n", "space", "n", "u", "r", "s", "e"],
                );
            },
            touch: Some(("follow-up-by", "staff")),
        },
    ]
}

/// The window at `size`, scrolled as it scrolls to a tapped field.
fn window<'a>(k: &'a Kiosk, shot: &Shot, size: (f32, f32)) -> iced_test::Simulator<'a, Message> {
    let mut ui = Kiosk::simulator_sized(&k.app, size);
    let Some((field, page)) = shot.touch else {
        return ui;
    };
    let view = ui.find(selector::id(page)).unwrap().bounds();
    let target = ui.find(selector::id(field)).unwrap().bounds();
    if let Some(y) = offset_revealing(target.y - view.y, target.height, view.height, 0.0) {
        ui.point_at(view.center());
        let _ = ui.simulate([iced::Event::Mouse(iced::mouse::Event::WheelScrolled {
            delta: iced::mouse::ScrollDelta::Pixels { x: 0.0, y: -y },
        })]);
    }
    ui
}

/// The hub the screenshots' kiosks belong to (its configuration shows only
/// where a shot keeps one).
fn screenshot_hub() -> ed25519_dalek::SigningKey {
    ed25519_dalek::SigningKey::from_bytes(&[11; 32])
}

fn kiosk(lang: Lang, shot: &Shot) -> Kiosk {
    let mut config = Config::default();
    config.kiosk.lang = lang;
    config.sync.hub_key = Some(checkpoint_domain::fleet::key_text(
        &screenshot_hub().verifying_key(),
    ));
    if shot.touch.is_some() {
        config.kiosk.on_screen_keyboard = OnScreenKeyboard::On;
    }
    if shot.name == "16-staff-hub" {
        // An enrolled kiosk: its hub, and the phone page of its checkpoint.
        config.sync.server = "https://hub.tayninh.example:8443".into();
        config.kiosk.checkpoint = "moc-bai-1".into();
    }
    let origin = if shot.demo {
        FrameOrigin::Demo
    } else {
        FrameOrigin::Camera
    };
    Kiosk::with_services(config, |s| s.origin = origin)
}

#[test]
fn every_screen_shows_its_main_action_without_scrolling() {
    for lang in Lang::ALL {
        for shot in shots() {
            let mut k = kiosk(lang, &shot);
            (shot.reach)(&mut k);
            let Some(action) = shot.action else { continue };
            for (w, h) in SIZES {
                let mut ui = window(&k, &shot, (w, h));
                if let Some((field, _)) = shot.touch {
                    let field = ui.find(selector::id(field)).unwrap();
                    let seen = field.visible_bounds().unwrap_or_else(|| {
                        panic!("{} {lang} {w}x{h}: {field:?} not in view", shot.name)
                    });
                    assert!(
                        seen.height >= 40.0 && seen.y + seen.height <= h,
                        "{} {lang} {w}x{h}: {field:?} hidden",
                        shot.name
                    );
                }
                let target = ui
                    .find(selector::id(action))
                    .unwrap_or_else(|e| panic!("{} {lang}: {action} missing: {e:?}", shot.name));
                let b = target.bounds();
                assert!(
                    b.x >= 0.0 && b.y >= 0.0 && b.x + b.width <= w && b.y + b.height <= h,
                    "{} {lang} {w}x{h}: {action} at {b:?} is off screen",
                    shot.name
                );
                assert!(
                    b.height >= 48.0,
                    "{} {lang}: {action} is {b:?}, under 48 px",
                    shot.name
                );
            }
        }
    }
}

/// Writes docs/screenshots/<screen>-<lang>-<w>x<h>.png (or into `$CK_SCREENSHOT_DIR`).
#[test]
#[ignore = "writes files; run by .ci/screenshots"]
fn write_screenshots() {
    let out = std::env::var_os("CK_SCREENSHOT_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&out).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let mut written = 0;
    for lang in Lang::ALL {
        for shot in shots() {
            let mut k = kiosk(lang, &shot);
            (shot.reach)(&mut k);
            for (w, h) in SIZES {
                let mut ui = window(&k, &shot, (w, h));
                let snapshot = ui.snapshot(&theme::theme()).unwrap();
                // The simulator draws at scale 2; the files are at scale 1.
                let raw = scratch.path().join(format!("{}-{lang}-{w}", shot.name));
                assert!(snapshot.matches_image(&raw).unwrap());
                let drawn = std::fs::read_dir(scratch.path())
                    .unwrap()
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .find(|p| {
                        p.file_name().is_some_and(|n| {
                            n.to_string_lossy()
                                .starts_with(&format!("{}-{lang}-{w}-", shot.name))
                        })
                    })
                    .unwrap();
                let img = image::open(&drawn).unwrap();
                let small =
                    img.resize_exact(w as u32, h as u32, image::imageops::FilterType::Triangle);
                let name = format!("{}-{lang}-{}x{}.png", shot.name, w as u32, h as u32);
                small.to_rgb8().save(out.join(&name)).unwrap();
                written += 1;
            }
        }
    }
    eprintln!(
        "{written} screenshots in {} ({:.1} s)",
        out.display(),
        started.elapsed().as_secs_f32()
    );
}
