//! zxing-cpp through its official crate. The C++ call cannot be interrupted,
//! so its time is bounded by what it is given: a frame of bounded area, QR
//! only, at most a few symbols. Its panics (the wrapper's own assertions)
//! are caught by the caller.
//!
//! With its local-average threshold, the engine does zxing-cpp's
//! thresholding and image pyramid itself (`checkpoint_qr_threshold`, the same
//! bits, several times faster as built here) and hands zxing-cpp each layer
//! already black and white; zxing-cpp still finds, samples, inverts and
//! decodes.

use image::GrayImage;
use zxingcpp::{BarcodeFormat, BarcodeReader, Binarizer, ImageFormat, ImageView, TextMode};

use super::prepare::ToFrame;
use super::{Code, DecoderName, Point};
use checkpoint_qr_threshold as binarize;

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
    /// Threshold and downscale here rather than in zxing-cpp (local
    /// average only; the result is the same).
    pub own_threshold: bool,
    /// Also look for light-on-dark codes.
    pub invert: bool,
}

/// More than this many codes in one frame is not a visitor showing a code.
const MAX_SYMBOLS: usize = 8;

pub(crate) fn read(
    img: &GrayImage,
    mode: ZxingMode,
    pass: &'static str,
    to_frame: ToFrame,
) -> Result<ZxingOutcome, zxingcpp::Error> {
    let mut outcome = ZxingOutcome::default();
    if !(mode.own_threshold && mode.try_harder && mode.binarizer == Binarizer::LocalAverage) {
        read_into(&mut outcome, img, mode, mode.try_harder, pass, to_frame)?;
        return Ok(outcome);
    }
    // zxing-cpp's own loop (ReadBarcodes): each layer of the pyramid,
    // largest first, until enough symbols are found.
    for (layer, factor) in binarize::pyramid(img) {
        let to_frame = to_frame.then_scale(1.0 / factor as f32);
        match binarize::local_average(&layer) {
            Some(bits) => {
                let cast = ZxingMode {
                    binarizer: Binarizer::BoolCast,
                    ..mode
                };
                read_into(&mut outcome, &bits, cast, false, pass, to_frame)?;
            }
            // No contrast, or too small: zxing-cpp's global histogram.
            None => read_into(&mut outcome, &layer, mode, false, pass, to_frame)?,
        }
        if outcome.codes.len() + outcome.located.len() >= MAX_SYMBOLS {
            break;
        }
    }
    // As zxing-cpp does: a located symbol overlapping one read is that one.
    outcome
        .located
        .retain(|l| !outcome.codes.iter().any(|c| intersect(l, &c.corners)));
    Ok(outcome)
}

/// Reads `img` and adds what is new to `outcome` (a symbol seen again in
/// another layer has the same bytes and its centre inside the first).
fn read_into(
    outcome: &mut ZxingOutcome,
    img: &GrayImage,
    mode: ZxingMode,
    downscale: bool,
    pass: &'static str,
    to_frame: ToFrame,
) -> Result<(), zxingcpp::Error> {
    let left = MAX_SYMBOLS.saturating_sub(outcome.codes.len() + outcome.located.len());
    let view = ImageView::from_slice(img.as_raw(), img.width(), img.height(), ImageFormat::Lum)?;
    let reader = BarcodeReader::new()
        .formats([BarcodeFormat::QRCode])
        .binarizer(mode.binarizer)
        .try_harder(mode.try_harder)
        .try_downscale(downscale)
        .try_invert(mode.invert)
        .try_rotate(false)
        .text_mode(TextMode::Plain)
        .max_number_of_symbols(left.max(1) as i32)
        .return_errors(true);
    for barcode in reader.from(view)? {
        let p = barcode.position();
        let corners = [p.top_left, p.top_right, p.bottom_right, p.bottom_left].map(|c| {
            let (x, y) = to_frame.map(c.x as f32, c.y as f32);
            Point { x, y }
        });
        if barcode.is_valid() {
            let bytes = barcode.bytes();
            if outcome
                .codes
                .iter()
                .any(|c| c.bytes == bytes && inside(centre(&corners), &c.corners))
            {
                continue;
            }
            let text = barcode.text();
            outcome.codes.push(Code::from_bytes(
                bytes,
                Some(text),
                DecoderName::ZxingCpp,
                pass,
                corners,
            ));
        } else if plausible(&corners)
            && !outcome.located.iter().any(|l| inside(centre(&corners), l))
        {
            outcome.located.push(corners);
        }
    }
    Ok(())
}

/// A located symbol worth a second look: at least 21 modules of one pixel
/// across (the smallest QR code), not a degenerate quad.
fn plausible(corners: &[Point; 4]) -> bool {
    let ((x0, y0), (x1, y1)) = bounds(corners);
    x1 - x0 >= 21.0 && y1 - y0 >= 21.0
}

fn bounds(q: &[Point; 4]) -> ((f32, f32), (f32, f32)) {
    q.iter().fold(
        ((f32::MAX, f32::MAX), (f32::MIN, f32::MIN)),
        |((x0, y0), (x1, y1)), p| ((x0.min(p.x), y0.min(p.y)), (x1.max(p.x), y1.max(p.y))),
    )
}

fn centre(q: &[Point; 4]) -> Point {
    let (x, y) = q
        .iter()
        .fold((0.0, 0.0), |(x, y), p| (x + p.x / 4.0, y + p.y / 4.0));
    Point { x, y }
}

/// Whether `p` lies inside the convex quad `q` (either winding).
fn inside(p: Point, q: &[Point; 4]) -> bool {
    let side = |a: Point, b: Point| (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
    let sides: Vec<f32> = (0..4).map(|i| side(q[i], q[(i + 1) % 4])).collect();
    sides.iter().all(|&s| s >= 0.0) || sides.iter().all(|&s| s <= 0.0)
}

/// Whether the bounding boxes of two quads overlap.
fn intersect(a: &[Point; 4], b: &[Point; 4]) -> bool {
    let ((ax0, ay0), (ax1, ay1)) = bounds(a);
    let ((bx0, by0), (bx1, by1)) = bounds(b);
    !(bx1 < ax0 || bx0 > ax1 || by1 < ay0 || by0 > ay1)
}
