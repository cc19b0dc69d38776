//! rqrr, the pure-Rust decoder. It sees only images of bounded side with few
//! finder-like patterns (see `finder`), and its panics (assertions in its
//! geometry code on some tilted codes) are caught by the caller.

use image::GrayImage;

use super::prepare::ToFrame;
use super::{Code, DecoderName, Point};

pub(crate) fn read(img: &GrayImage, pass: &'static str, to_frame: ToFrame) -> Vec<Code> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let raw = img.as_raw();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        raw.get(y * w + x).copied().unwrap_or(255)
    });
    let mut codes = Vec::new();
    for grid in prepared.detect_grids() {
        let mut bytes = Vec::new();
        if grid.decode_to(&mut bytes).is_err() {
            continue;
        }
        let corners = grid.bounds.map(|p| {
            let (x, y) = to_frame.map(p.x as f32, p.y as f32);
            Point { x, y }
        });
        codes.push(Code::from_bytes(
            bytes,
            None,
            DecoderName::Rqrr,
            pass,
            corners,
        ));
    }
    codes
}
