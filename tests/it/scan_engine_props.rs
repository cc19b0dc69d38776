//! Outside images never panic the engine: random pixels, random sizes,
//! truncated files, huge frames; and what is encoded is read back exactly.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use checkpoint_kiosk::scan::engine::{Effort, Engine, EngineConfig};
use checkpoint_kiosk::scan::files::load_grey;
use image::{GrayImage, Luma};
use proptest::prelude::*;
use qrcode::QrCode;

/// A code rendered as a clean image with a quiet zone.
fn render(payload: &[u8], module: u32) -> GrayImage {
    let code = QrCode::new(payload).unwrap();
    let n = code.width() as u32;
    let colours = code.to_colors();
    let side = (n + 8) * module;
    GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x / module, y / module);
        let dark = mx >= 4
            && my >= 4
            && mx < n + 4
            && my < n + 4
            && colours[((my - 4) * n + (mx - 4)) as usize] == qrcode::Color::Dark;
        Luma([if dark { 20 } else { 235 }])
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn random_pixels_of_any_size_never_panic(w in 0u32..300, h in 0u32..300, seed in any::<u64>()) {
        let mut state = seed | 1;
        let img = GrayImage::from_fn(w, h, |_, _| {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            Luma([(state >> 56) as u8])
        });
        let engine = Engine::default();
        let decoded = engine.decode(&img, Effort::Still);
        // Noise is not a QR code.
        prop_assert!(decoded.codes.is_empty());
        prop_assert_eq!(engine.panics().zxing_cpp, 0);
    }

    #[test]
    fn any_payload_reads_back_byte_for_byte(payload in proptest::collection::vec(any::<u8>(), 1..200)) {
        let img = render(&payload, 3);
        let decoded = Engine::default().decode(&img, Effort::Live);
        prop_assert_eq!(decoded.codes.len(), 1);
        let code = &decoded.codes[0];
        prop_assert_eq!(&code.bytes, &payload);
        prop_assert_eq!(code.utf8, std::str::from_utf8(&payload).is_ok());
        if code.utf8 {
            prop_assert_eq!(code.text.as_deref().map(str::as_bytes), Some(payload.as_slice()));
        }
    }

    #[test]
    fn truncated_or_garbled_files_are_errors_not_panics(cut in 0usize..2000, flip in any::<(usize, u8)>()) {
        let img = render(b"001098012345||NGUYEN VAN A", 4);
        let mut bytes = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
        let len = bytes.len();
        bytes.truncate(cut.min(len));
        if !bytes.is_empty() {
            let i = flip.0 % bytes.len();
            bytes[i] ^= flip.1;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cut.png");
        std::fs::write(&path, &bytes).unwrap();
        if let Ok(grey) = load_grey(&path) {
            let _ = Engine::default().decode(&grey, Effort::Still);
        }
    }
}

#[test]
fn a_huge_frame_is_bounded_and_still_read() {
    // 8000×6000 (48 MP): shrunk to the engine's pixel bound before decoding.
    let code = render(b"HC1:huge frame", 20);
    let mut big = GrayImage::from_pixel(8000, 6000, Luma([200]));
    image::imageops::replace(&mut big, &code, 3000, 2000);
    let engine = Engine::new(EngineConfig::default());
    let decoded = engine.decode(&big, Effort::Live);
    assert_eq!(decoded.codes.len(), 1);
    assert_eq!(decoded.codes[0].bytes, b"HC1:huge frame");
    // Corners come back in the frame's own coordinates.
    let c = decoded.codes[0].corners[0];
    assert!(
        (3000.0..3000.0 + code.width() as f32).contains(&c.x),
        "{c:?}"
    );
}

#[test]
fn non_utf8_payload_is_flagged() {
    let payload = [0x82u8, 0xa0, 0xff, 0x00, 0x41];
    let decoded = Engine::default().decode(&render(&payload, 4), Effort::Live);
    assert_eq!(decoded.codes.len(), 1);
    assert!(!decoded.codes[0].utf8);
    assert_eq!(decoded.codes[0].bytes, payload);
}
