//! Where a finger taps in the real window at 1280×800 (the soak run's
//! xdotool clicks): the centres of the review's consent (with the page
//! scrolled to its end), its submit button and the result's finish button,
//! read from the same layout the window draws. Written by `.ci/soak` through
//! this ignored test; the test run checks they are on screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use iced_test::selector;

use crate::ui_support::{CCCD, Kiosk};

const SIZE: (f32, f32) = (1280.0, 800.0);

fn points() -> Vec<(&'static str, f32, f32)> {
    let mut k = Kiosk::new();
    k.scan(CCCD);
    k.tap("next");
    k.answer_all_no();
    k.tap("next");
    let mut out = Vec::new();
    {
        let mut ui = Kiosk::simulator_sized(&k.app, SIZE);
        let view = ui.find(selector::id("review")).unwrap().bounds();
        ui.point_at(view.center());
        // As the soak's mouse wheel does: far past the end.
        let _ = ui.simulate([iced::Event::Mouse(iced::mouse::Event::WheelScrolled {
            delta: iced::mouse::ScrollDelta::Pixels {
                x: 0.0,
                y: -20_000.0,
            },
        })]);
        for id in ["consent", "submit"] {
            let b = ui.find(selector::id(id)).unwrap().visible_bounds().unwrap();
            out.push((id, b.center().x, b.center().y));
        }
    }
    k.tap("consent");
    k.tap("submit");
    let mut ui = Kiosk::simulator_sized(&k.app, SIZE);
    let b = ui
        .find(selector::id("finish"))
        .unwrap()
        .visible_bounds()
        .unwrap();
    out.push(("finish", b.center().x, b.center().y));
    out
}

#[test]
fn the_soak_taps_land_on_screen() {
    for (id, x, y) in points() {
        assert!(
            (0.0..SIZE.0).contains(&x) && (0.0..SIZE.1).contains(&y),
            "{id} at {x},{y}"
        );
    }
}

/// Prints `id x y` lines for `.ci/soak`.
#[test]
#[ignore = "run by .ci/soak"]
fn print_tap_points() {
    for (id, x, y) in points() {
        println!("TAP {id} {} {}", x.round(), y.round());
    }
}
