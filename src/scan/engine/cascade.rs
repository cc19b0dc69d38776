//! The order of passes, the evidence gate and the time budget.

use std::borrow::Cow;
use std::time::Instant;

use image::GrayImage;
use zxingcpp::Binarizer;

use super::guard::{DecoderCounters, isolate};
use super::prepare::{self, ToFrame};
use super::zxing_pass::{self, ZxingMode};
use super::{
    Code, DecodeStats, Decoded, DecoderName, Effort, EngineConfig, Point, finder, rqrr_pass,
};

/// One way of looking at a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pass {
    /// zxing-cpp as it is: local-average threshold, its own extra effort.
    Direct,
    /// zxing-cpp with one global threshold: codes on textured backgrounds,
    /// where a local threshold picks up the texture.
    GlobalThreshold,
    /// zxing-cpp on a 3×3 blur: sensor noise, moiré of screens, print grain.
    Blurred,
    /// zxing-cpp on the frame at half size: blur and moiré vanish, big codes
    /// fit the detector's scale.
    Half,
    /// zxing-cpp at three quarters.
    ThreeQuarters,
    /// zxing-cpp at one and a half times (small frames only): tiny modules.
    OneAndHalf,
    /// zxing-cpp at double size (small frames only).
    Double,
    /// zxing-cpp on a contrast-stretched frame: dim light, washed-out glare.
    Stretched,
    /// zxing-cpp on the region where the first pass located a symbol it could
    /// not read, cut out and enlarged.
    EvidenceCrop,
    /// rqrr on the frame (bounded side, few finder-like patterns).
    Rqrr,
    /// rqrr on the frame at half size.
    RqrrHalf,
}

impl Pass {
    /// The pass name reported with a code.
    pub fn name(self) -> &'static str {
        match self {
            Pass::Direct => "direct",
            Pass::GlobalThreshold => "global-threshold",
            Pass::Blurred => "blurred",
            Pass::Half => "scaled-0.5",
            Pass::ThreeQuarters => "scaled-0.75",
            Pass::OneAndHalf => "scaled-1.5",
            Pass::Double => "scaled-2",
            Pass::Stretched => "stretched",
            Pass::EvidenceCrop => "evidence-crop",
            Pass::Rqrr => "rqrr",
            Pass::RqrrHalf => "rqrr-0.5",
        }
    }

    /// Every pass, for benchmarks that weigh each one.
    pub const ALL: [Pass; 11] = [
        Pass::Direct,
        Pass::GlobalThreshold,
        Pass::Blurred,
        Pass::Half,
        Pass::ThreeQuarters,
        Pass::OneAndHalf,
        Pass::Double,
        Pass::Stretched,
        Pass::EvidenceCrop,
        Pass::Rqrr,
        Pass::RqrrHalf,
    ];
}

/// The default order: cheapest and most often useful first.
pub const DEFAULT_PLAN: &[Pass] = &[
    Pass::Direct,
    Pass::GlobalThreshold,
    Pass::Blurred,
    Pass::Half,
    Pass::OneAndHalf,
    Pass::EvidenceCrop,
    Pass::Stretched,
    Pass::Rqrr,
    Pass::ThreeQuarters,
    Pass::Double,
    Pass::RqrrHalf,
];

/// zxing-cpp's usual threshold: the mean of the neighbourhood.
const LOCAL: ZxingMode = ZxingMode {
    binarizer: Binarizer::LocalAverage,
    try_harder: true,
};
/// One threshold for the whole image, from its histogram.
const GLOBAL: ZxingMode = ZxingMode {
    binarizer: Binarizer::GlobalHistogram,
    try_harder: true,
};

/// Frames up to this side may be enlarged.
const ENLARGE_MAX_SIDE: u32 = 1024;
/// Frames down to this side may be shrunk.
const SHRINK_MIN_SIDE: u32 = 240;

struct Run<'a> {
    image: &'a GrayImage,
    config: &'a EngineConfig,
    counters: &'a DecoderCounters,
    stats: DecodeStats,
    located: Vec<[Point; 4]>,
}

pub(crate) fn run(
    frame: &GrayImage,
    effort: Effort,
    plan: &[Pass],
    config: &EngineConfig,
    counters: &DecoderCounters,
) -> Decoded {
    let start = Instant::now();
    let deadline = start + config.budget;
    let (image, to_frame) = bound_area(frame, config.max_pixels);
    let mut run = Run {
        image: &image,
        config,
        counters,
        stats: DecodeStats::default(),
        located: Vec::new(),
    };
    let mut codes = Vec::new();
    for (i, &pass) in plan.iter().enumerate() {
        if i > 0 {
            if effort == Effort::Live && !run.stats.evidence {
                break;
            }
            if Instant::now() >= deadline {
                run.stats.budget_exhausted = true;
                break;
            }
        }
        let Some(found) = run.pass(pass, to_frame) else {
            continue;
        };
        run.stats.passes.push(pass.name());
        if !found.is_empty() {
            codes = found;
            break;
        }
    }
    let mut stats = run.stats;
    stats.elapsed = start.elapsed();
    Decoded { codes, stats }
}

/// Shrinks frames above `max_pixels` so no decoder sees more.
fn bound_area(frame: &GrayImage, max_pixels: u32) -> (Cow<'_, GrayImage>, ToFrame) {
    let area = u64::from(frame.width()) * u64::from(frame.height());
    if area <= u64::from(max_pixels) || area == 0 {
        return (Cow::Borrowed(frame), ToFrame::IDENTITY);
    }
    let factor = (f64::from(max_pixels) / area as f64).sqrt() as f32;
    (
        Cow::Owned(prepare::scale(frame, factor)),
        ToFrame::IDENTITY.then_scale(factor),
    )
}

impl Run<'_> {
    /// Runs one pass; `None` when it does not apply to this frame.
    fn pass(&mut self, pass: Pass, base: ToFrame) -> Option<Vec<Code>> {
        let img = self.image;
        let (w, h) = (img.width(), img.height());
        match pass {
            Pass::Direct => Some(self.zxing(img, LOCAL, pass, base)),
            Pass::GlobalThreshold => Some(self.zxing(img, GLOBAL, pass, base)),
            Pass::Blurred => Some(self.zxing_both(&prepare::blur3(img), pass, base)),
            Pass::Stretched => Some(self.zxing_both(&prepare::stretch(img), pass, base)),
            Pass::Half | Pass::ThreeQuarters => {
                if w.min(h) < SHRINK_MIN_SIDE {
                    return None;
                }
                let f = if pass == Pass::Half { 0.5 } else { 0.75 };
                Some(self.zxing_both(&prepare::scale(img, f), pass, base.then_scale(f)))
            }
            Pass::OneAndHalf | Pass::Double => {
                if w.max(h) > ENLARGE_MAX_SIDE {
                    return None;
                }
                let f = if pass == Pass::OneAndHalf { 1.5 } else { 2.0 };
                Some(self.zxing_both(&prepare::scale(img, f), pass, base.then_scale(f)))
            }
            Pass::EvidenceCrop => self.evidence_crop(base),
            Pass::Rqrr => self.rqrr(img, pass, base),
            Pass::RqrrHalf => {
                if w.min(h) < SHRINK_MIN_SIDE {
                    return None;
                }
                self.rqrr(&prepare::scale(img, 0.5), pass, base.then_scale(0.5))
            }
        }
    }

    /// A prepared image seen with a local threshold, then a global one.
    fn zxing_both(&mut self, img: &GrayImage, pass: Pass, to_frame: ToFrame) -> Vec<Code> {
        let codes = self.zxing(img, LOCAL, pass, to_frame);
        if !codes.is_empty() {
            return codes;
        }
        self.zxing(img, GLOBAL, pass, to_frame)
    }

    fn zxing(
        &mut self,
        img: &GrayImage,
        mode: ZxingMode,
        pass: Pass,
        to_frame: ToFrame,
    ) -> Vec<Code> {
        let out = isolate(DecoderName::ZxingCpp, self.counters, || {
            zxing_pass::read(img, mode, pass.name(), to_frame)
        });
        match out {
            Some(Ok(outcome)) => {
                if pass == Pass::Direct && !outcome.located.is_empty() {
                    self.stats.evidence = true;
                    self.located = outcome.located;
                }
                outcome.codes
            }
            Some(Err(err)) => {
                tracing::debug!(pass = pass.name(), %err, "zxing-cpp refused the frame");
                Vec::new()
            }
            None => {
                self.stats.panics += 1;
                Vec::new()
            }
        }
    }

    /// The located symbols' bounding box (frame coordinates mapped back to
    /// this image), with a margin, enlarged to about 600 pixels.
    fn evidence_crop(&mut self, base: ToFrame) -> Option<Vec<Code>> {
        let img = self.image;
        let corners = self.located.first()?;
        let xs = corners.iter().map(|p| (p.x - base.offset.0) * base.scale);
        let ys = corners.iter().map(|p| (p.y - base.offset.1) * base.scale);
        let (x0, x1) = xs.fold((f32::MAX, f32::MIN), |(a, b), v| (a.min(v), b.max(v)));
        let (y0, y1) = ys.fold((f32::MAX, f32::MIN), |(a, b), v| (a.min(v), b.max(v)));
        let side = (x1 - x0).max(y1 - y0);
        if !(side.is_finite() && side >= 8.0) {
            return None;
        }
        let margin = side * 0.25;
        let cx = (x0 - margin).max(0.0) as u32;
        let cy = (y0 - margin).max(0.0) as u32;
        let cw = (side + 2.0 * margin) as u32;
        let crop = prepare::crop(img, cx, cy, cw, cw);
        let factor = (600.0 / crop.width().max(crop.height()).max(1) as f32).clamp(0.5, 3.0);
        let scaled = prepare::scale(&crop, factor);
        let to_frame = base.then_crop(cx, cy).then_scale(factor);
        Some(self.zxing_both(&scaled, Pass::EvidenceCrop, to_frame))
    }

    fn rqrr(&mut self, img: &GrayImage, pass: Pass, base: ToFrame) -> Option<Vec<Code>> {
        let (img, to_frame) = fit_side(img, self.config.rqrr_max_side, base);
        // Bound rqrr's grouping step by the number of finder-like patterns.
        let radius = (img.width().max(img.height()) / 32).max(4);
        let binary = prepare::local_threshold(&img, radius, 4);
        let cap = self.config.rqrr_max_finders + 1;
        if finder::count_finder_like(&binary, cap) > self.config.rqrr_max_finders {
            tracing::debug!(pass = pass.name(), "too many finder-like patterns for rqrr");
            return None;
        }
        match isolate(DecoderName::Rqrr, self.counters, || {
            rqrr_pass::read(&img, pass.name(), to_frame)
        }) {
            Some(codes) => Some(codes),
            None => {
                self.stats.panics += 1;
                Some(Vec::new())
            }
        }
    }
}

fn fit_side(img: &GrayImage, max_side: u32, base: ToFrame) -> (Cow<'_, GrayImage>, ToFrame) {
    let side = img.width().max(img.height());
    if side <= max_side || side == 0 {
        return (Cow::Borrowed(img), base);
    }
    let f = max_side as f32 / side as f32;
    (Cow::Owned(prepare::scale(img, f)), base.then_scale(f))
}
