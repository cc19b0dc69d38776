//! The engine's own local-average threshold and image pyramid
//! (`scan::engine::binarize`, done in Rust because the C++ as built here is
//! slow at it) read exactly what zxing-cpp's own does: the same codes, the
//! same symbols located but unreadable, the outlines within a pixel or two
//! (zxing-cpp scales a smaller layer's outline by a whole factor), on the
//! photo corpus under four rotations, synthetic camera frames with and
//! without a code, damaged codes and random scenes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use checkpoint_kiosk::scan::engine::{Decoded, Effort, Engine, EngineConfig, Pass};
use checkpoint_kiosk::scan::frame::grey_of_rgba;
use checkpoint_kiosk::scan::synthetic::{CodePlacement, Rng, scene, with_code};
use image::{GrayImage, Luma};
use proptest::prelude::*;

/// The first pass alone, thresholded by the engine or by zxing-cpp.
fn direct(own_threshold: bool) -> Engine {
    Engine::new(EngineConfig {
        plan: vec![Pass::Direct],
        own_threshold,
        ..EngineConfig::default()
    })
}

fn assert_same(name: &str, ours: &Decoded, theirs: &Decoded) {
    let bytes = |d: &Decoded| {
        let mut b: Vec<Vec<u8>> = d.codes.iter().map(|c| c.bytes.clone()).collect();
        b.sort();
        b
    };
    assert_eq!(bytes(ours), bytes(theirs), "{name}: codes read");
    assert_eq!(
        ours.stats.evidence, theirs.stats.evidence,
        "{name}: a symbol located but unreadable"
    );
    for (a, b) in ours.codes.iter().zip(&theirs.codes) {
        for (p, q) in a.corners.iter().zip(&b.corners) {
            // zxing-cpp maps a layer shrunk by 3 back by 3 whole pixels per
            // pixel; the engine by its exact factor.
            assert!(
                (p.x - q.x).abs() <= 3.0 && (p.y - q.y).abs() <= 3.0,
                "{name}: {:?} vs {:?}",
                a.corners,
                b.corners
            );
        }
    }
}

fn compare(name: &str, img: &GrayImage) -> bool {
    let ours = direct(true).decode(img, Effort::Still);
    let theirs = direct(false).decode(img, Effort::Still);
    assert_same(name, &ours, &theirs);
    !theirs.codes.is_empty()
}

fn rotate(img: &GrayImage, quarter: u32) -> GrayImage {
    match quarter {
        1 => image::imageops::rotate90(img),
        2 => image::imageops::rotate180(img),
        3 => image::imageops::rotate270(img),
        _ => img.clone(),
    }
}

#[test]
fn the_corpus_reads_the_same_with_either_threshold() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/qr/zxing");
    let mut pngs: Vec<_> = walkdir(&root);
    pngs.sort();
    let mut read = 0;
    // Every third photo, each under four rotations (the full corpus is the
    // benchmark's).
    for png in pngs.iter().step_by(3) {
        let img = checkpoint_kiosk::scan::files::load_grey(png).unwrap();
        for quarter in 0..4 {
            let name = format!("{}@{}", png.display(), quarter * 90);
            read += usize::from(compare(&name, &rotate(&img, quarter)));
        }
    }
    assert!(read > 150, "the comparison covered codes that read: {read}");
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else if path.extension().is_some_and(|e| e == "png") {
            out.push(path);
        }
    }
    out
}

/// A camera-like frame: a scene, maybe a code in it (tilted, at a size),
/// maybe a thumb over the code's middle.
fn frame(w: u32, h: u32, seed: u64, code: bool, thumb: bool) -> GrayImage {
    let mut rgba = scene(w, h, seed);
    if code {
        let mut rng = Rng::new(seed);
        let placement = CodePlacement {
            centre: (
                rng.range(0.3, 0.7) * w as f32,
                rng.range(0.3, 0.7) * h as f32,
            ),
            module_px: rng.range(1.6, 7.0) * w as f32 / 1280.0 + 1.0,
            angle_deg: rng.range(-30.0, 30.0),
        };
        let payload = format!("079203000{seed:03}||TRẦN THỊ B|01011990|Nữ|Hà Nội|01012021");
        rgba = with_code(rgba, payload.as_bytes(), &placement, seed);
    }
    let mut grey = grey_of_rgba(&rgba);
    if thumb {
        let (cx, cy) = (w / 2, h / 2);
        for y in cy - h / 10..cy + h / 10 {
            for x in cx - w / 16..cx + w / 16 {
                grey.put_pixel(x, y, Luma([90]));
            }
        }
    }
    grey
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, .. ProptestConfig::default() })]

    #[test]
    fn camera_frames_read_the_same_with_either_threshold(
        seed in 0u64..10_000,
        size in 0usize..3,
        code in any::<bool>(),
        thumb in any::<bool>(),
    ) {
        let (w, h) = [(640, 480), (1280, 720), (1920, 1080)][size];
        let img = frame(w, h, seed, code, thumb);
        compare(&format!("{w}x{h} seed {seed} code {code} thumb {thumb}"), &img);
    }
}
