//! Every replayed sequence of the stream benchmark (`scan::streams`) is read
//! by the engine once the code is in view, byte for byte, and nothing is
//! read before. Times are the benchmark's (`benches/scan_streams.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use checkpoint_kiosk::scan::engine::{Effort, Engine};
use checkpoint_kiosk::scan::streams::{Kind, Photo, sequence};

#[test]
fn every_sequence_is_read_once_the_code_is_in_view() {
    let png = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/qr/zxing/qrcode-2/1.png");
    let text = std::fs::read_to_string(png.with_extension("txt")).unwrap();
    let photo = Photo {
        grey: image::open(&png).unwrap().to_luma8(),
        payload: text.trim_end_matches('\n').as_bytes().to_vec(),
    };
    let engine = Engine::default();
    for kind in Kind::ALL {
        let s = sequence(kind, 1280, 720, 1000, Some(&photo));
        let reads: Vec<usize> = s
            .frames
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                let codes = engine.decode(f, Effort::Live).codes;
                assert!(
                    codes.iter().all(|c| c.bytes == s.payload),
                    "{}: wrong text",
                    kind.name()
                );
                !codes.is_empty()
            })
            .map(|(i, _)| i)
            .collect();
        let first = reads.first().copied();
        assert!(
            first.is_some_and(|i| i >= s.appears),
            "{}: first read at {first:?}, the code in view at {}",
            kind.name(),
            s.appears
        );
        // Once read, held in view, it is read again and again (glare hides
        // it in some frames).
        assert!(
            reads.len() >= (s.frames.len() - s.appears) / 3,
            "{}: {reads:?}",
            kind.name()
        );
    }
}
