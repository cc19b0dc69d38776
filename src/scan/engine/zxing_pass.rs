//! zxing-cpp through its official crate. The C++ call cannot be interrupted,
//! so its time is bounded by what it is given: a frame of bounded area, QR
//! only, at most a few symbols. Its panics (the wrapper's own assertions)
//! are caught by the caller.

use image::GrayImage;
use zxingcpp::{BarcodeFormat, BarcodeReader, Binarizer, ImageFormat, ImageView, TextMode};

use super::prepare::ToFrame;
use super::{Code, DecoderName, Point};

/// Symbols read, and symbols located but not readable (evidence of a code).
#[derive(Debug, Default)]
pub(crate) struct ZxingOutcome {
    pub codes: Vec<Code>,
    pub located: Vec<[Point; 4]>,
}

/// How to run zxing-cpp.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ZxingMode {
    pub binarizer: Binarizer,
    /// zxing-cpp's own extra effort (more scan lines, its own downscaling).
    pub try_harder: bool,
}

/// More than this many codes in one frame is not a visitor showing a code.
const MAX_SYMBOLS: i32 = 8;

pub(crate) fn read(
    img: &GrayImage,
    mode: ZxingMode,
    pass: &'static str,
    to_frame: ToFrame,
) -> Result<ZxingOutcome, zxingcpp::Error> {
    let view = ImageView::from_slice(img.as_raw(), img.width(), img.height(), ImageFormat::Lum)?;
    let reader = BarcodeReader::new()
        .formats([BarcodeFormat::QRCode])
        .binarizer(mode.binarizer)
        .try_harder(mode.try_harder)
        .try_downscale(mode.try_harder)
        .try_invert(true)
        .try_rotate(false)
        .text_mode(TextMode::Plain)
        .max_number_of_symbols(MAX_SYMBOLS)
        .return_errors(true);
    let mut outcome = ZxingOutcome::default();
    for barcode in reader.from(view)? {
        let p = barcode.position();
        let corners = [p.top_left, p.top_right, p.bottom_right, p.bottom_left].map(|c| {
            let (x, y) = to_frame.map(c.x as f32, c.y as f32);
            Point { x, y }
        });
        if barcode.is_valid() {
            let bytes = barcode.bytes();
            let text = barcode.text();
            outcome.codes.push(Code::from_bytes(
                bytes,
                Some(text),
                DecoderName::ZxingCpp,
                pass,
                corners,
            ));
        } else if plausible(&corners) {
            outcome.located.push(corners);
        }
    }
    Ok(outcome)
}

/// A located symbol worth a second look: at least 21 modules of one pixel
/// across (the smallest QR code), not a degenerate quad.
fn plausible(corners: &[Point; 4]) -> bool {
    let (x0, x1) = corners
        .iter()
        .fold((f32::MAX, f32::MIN), |(a, b), p| (a.min(p.x), b.max(p.x)));
    let (y0, y1) = corners
        .iter()
        .fold((f32::MAX, f32::MIN), |(a, b), p| (a.min(p.y), b.max(p.y)));
    x1 - x0 >= 21.0 && y1 - y0 >= 21.0
}
