//! The demo frames shipped in `assets/demo` (replayed when there is no
//! camera): a fake CCCD code held up in some frames, nothing in the others.
//! `CK_WRITE_DEMO=1 cargo test --test it scan_demo_frames::` regenerates them;
//! every run checks that the shipped frames read as they should.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use checkpoint_kiosk::scan::engine::{Effort, Engine};
use checkpoint_kiosk::scan::files::load_grey;
use checkpoint_kiosk::scan::synthetic::{CodePlacement, scene, with_code};

/// A fake CCCD payload (the real layout, invented values).
const CCCD: &str = "001098012345||NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021";

/// (file, scene seed, code placement).
fn plan() -> Vec<(&'static str, u64, Option<CodePlacement>)> {
    let at = |x: f32, y: f32, module_px: f32, angle_deg: f32| {
        Some(CodePlacement {
            centre: (x, y),
            module_px,
            angle_deg,
        })
    };
    vec![
        ("00-empty.jpg", 11, None),
        ("01-empty.jpg", 12, None),
        ("02-cccd.jpg", 13, at(560.0, 380.0, 5.0, -8.0)),
        ("03-cccd-tilted.jpg", 14, at(700.0, 340.0, 6.0, 21.0)),
        ("04-cccd-close.jpg", 15, at(640.0, 360.0, 9.0, 4.0)),
        ("05-empty.jpg", 16, None),
    ]
}

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo")
}

fn write_frames() {
    std::fs::create_dir_all(demo_dir()).unwrap();
    for (name, seed, placement) in plan() {
        let mut img = scene(1280, 720, seed);
        if let Some(p) = &placement {
            img = with_code(img, CCCD.as_bytes(), p, seed);
        }
        let rgb = image::DynamicImage::ImageRgba8(img).to_rgb8();
        let file = std::fs::File::create(demo_dir().join(name)).unwrap();
        let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(file, 70);
        enc.encode_image(&rgb).unwrap();
    }
}

#[test]
fn demo_frames_read_as_planned() {
    if std::env::var_os("CK_WRITE_DEMO").is_some() {
        write_frames();
    }
    let engine = Engine::default();
    let mut total_bytes = 0;
    for (name, _, placement) in plan() {
        let path = demo_dir().join(name);
        total_bytes += std::fs::metadata(&path).unwrap().len();
        let grey = load_grey(&path).unwrap();
        assert_eq!((grey.width(), grey.height()), (1280, 720), "{name}");
        let decoded = engine.decode(&grey, Effort::Live);
        let texts: Vec<_> = decoded
            .codes
            .iter()
            .map(|c| c.text.clone().unwrap_or_default())
            .collect();
        if placement.is_some() {
            assert_eq!(texts, vec![CCCD.to_owned()], "{name}");
        } else {
            assert!(texts.is_empty(), "{name}: {texts:?}");
        }
    }
    assert!(
        total_bytes < 600_000,
        "demo frames weigh {total_bytes} bytes"
    );
    // Nothing else lies in the folder.
    assert_eq!(std::fs::read_dir(demo_dir()).unwrap().count(), plan().len());
}
