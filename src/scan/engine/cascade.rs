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
    own_threshold: true,
    invert: true,
};
/// One threshold for the whole image, from its histogram.
const GLOBAL: ZxingMode = ZxingMode {
    binarizer: Binarizer::GlobalHistogram,
    try_harder: true,
    own_threshold: false,
    invert: true,
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

/// The plan's passes on `frame`; the first one looks for light-on-dark
/// codes only when `inverted_too` (the fallbacks always do).
pub(crate) fn run(
    frame: &GrayImage,
    effort: Effort,
    inverted_too: bool,
    config: &EngineConfig,
    counters: &DecoderCounters,
) -> Decoded {
    let plan = &config.plan;
    let start = Instant::now();
    let deadline = start + config.budget;
    let (image, to_frame) = bound_area(frame, config.max_pixels);
    let mut run = Run {
        image: &image,
        config,
        counters,
        stats: DecodeStats {
            inverted_too,
            ..DecodeStats::default()
        },
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
            Pass::Direct => {
                let mode = ZxingMode {
                    invert: self.stats.inverted_too,
                    ..self.local()
                };
                Some(self.zxing(img, mode, pass, base))
            }
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

    /// The local threshold, computed where the configuration says.
    fn local(&self) -> ZxingMode {
        ZxingMode {
            own_threshold: self.config.own_threshold,
            ..LOCAL
        }
    }

    /// A prepared image seen with a local threshold, then a global one.
    fn zxing_both(&mut self, img: &GrayImage, pass: Pass, to_frame: ToFrame) -> Vec<Code> {
        let codes = self.zxing(img, self.local(), pass, to_frame);
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use image::Luma;
    use qrcode::QrCode;

    use super::*;
    use crate::scan::engine::Engine;

    fn code_image(payload: &[u8], module: u32) -> GrayImage {
        let code = QrCode::new(payload).unwrap();
        let n = code.width() as u32;
        let colours = code.to_colors();
        GrayImage::from_fn((n + 8) * module, (n + 8) * module, |x, y| {
            let (mx, my) = (x / module, y / module);
            let inside = (4..n + 4).contains(&mx) && (4..n + 4).contains(&my);
            let dark = inside && colours[((my - 4) * n + mx - 4) as usize] == qrcode::Color::Dark;
            Luma([if dark { 30 } else { 220 }])
        })
    }

    /// A readable code with its middle wiped out: located, not readable.
    fn damaged(payload: &[u8]) -> GrayImage {
        let mut img = code_image(payload, 4);
        let (w, h) = (img.width(), img.height());
        for y in h * 3 / 8..h * 5 / 8 {
            for x in w / 4..w * 3 / 4 {
                img.put_pixel(x, y, Luma([30]));
            }
        }
        img
    }

    fn engine(plan: Vec<Pass>, budget: Duration) -> Engine {
        Engine::new(EngineConfig {
            plan,
            budget,
            ..EngineConfig::default()
        })
    }

    #[test]
    fn a_clean_code_stops_at_the_first_pass() {
        let d = Engine::default().decode(&code_image(b"hello", 4), Effort::Live);
        assert_eq!(d.codes.len(), 1);
        assert_eq!(d.codes[0].pass, "direct");
        assert_eq!(d.stats.passes, vec!["direct"]);
    }

    #[test]
    fn live_frames_without_evidence_cost_one_pass() {
        let rgba = crate::scan::synthetic::scene(640, 480, 5);
        let blank = crate::scan::frame::grey_of_rgba(&rgba);
        let live = Engine::default().decode(&blank, Effort::Live);
        assert_eq!(live.stats.passes, vec!["direct"]);
        assert!(!live.stats.evidence);
        let still =
            engine(DEFAULT_PLAN.to_vec(), Duration::from_secs(60)).decode(&blank, Effort::Still);
        assert!(still.stats.passes.len() > 3, "{:?}", still.stats.passes);
    }

    #[test]
    fn light_on_dark_codes_are_looked_for_on_every_other_camera_frame() {
        let dark_on_light = code_image(b"inverted", 4);
        let mut inverted = dark_on_light.clone();
        image::imageops::invert(&mut inverted);
        let engine = engine(vec![Pass::Direct], Duration::from_secs(1));
        let live: Vec<(bool, usize)> = (0..4)
            .map(|_| {
                let d = engine.decode(&inverted, Effort::Live);
                (d.stats.inverted_too, d.codes.len())
            })
            .collect();
        assert_eq!(live, [(true, 1), (false, 0), (true, 1), (false, 0)]);
        // Dark on light is read on every frame; still images always look.
        assert_eq!(engine.decode(&dark_on_light, Effort::Live).codes.len(), 1);
        assert_eq!(engine.decode(&inverted, Effort::Still).codes.len(), 1);
        let every = Engine::new(EngineConfig {
            invert_every: 1,
            plan: vec![Pass::Direct],
            ..EngineConfig::default()
        });
        assert!((0..3).all(|_| every.decode(&inverted, Effort::Live).codes.len() == 1));
    }

    #[test]
    fn evidence_opens_the_fallbacks_and_the_budget_closes_them() {
        let img = damaged(b"0123456789 a payload long enough to need version 3 or 4");
        let open = Engine::default().decode(&img, Effort::Live);
        assert!(
            open.stats.evidence,
            "the first pass locates the damaged code"
        );
        assert!(open.stats.passes.len() > 1, "{:?}", open.stats.passes);
        let closed = engine(DEFAULT_PLAN.to_vec(), Duration::ZERO).decode(&img, Effort::Live);
        assert_eq!(closed.stats.passes, vec!["direct"]);
        assert!(closed.stats.budget_exhausted);
    }

    #[test]
    fn corners_map_back_through_scaling() {
        let img = code_image(b"corner", 3);
        let direct = engine(vec![Pass::Direct], Duration::from_secs(1)).decode(&img, Effort::Still);
        let doubled =
            engine(vec![Pass::Double], Duration::from_secs(1)).decode(&img, Effort::Still);
        let (a, b) = (direct.codes[0].corners, doubled.codes[0].corners);
        for (p, q) in a.iter().zip(b.iter()) {
            assert!(
                (p.x - q.x).abs() < 3.0 && (p.y - q.y).abs() < 3.0,
                "{a:?} vs {b:?}"
            );
        }
    }

    #[test]
    fn rqrr_reads_alone_and_is_skipped_among_many_finders() {
        let one = engine(vec![Pass::Rqrr], Duration::from_secs(1))
            .decode(&code_image(b"rqrr", 4), Effort::Still);
        assert_eq!(one.codes.len(), 1);
        assert_eq!(one.codes[0].decoder, DecoderName::Rqrr);
        // Sixteen codes side by side: 48 finder patterns, over rqrr's limit.
        let tile = code_image(b"many", 3);
        let mut wall = GrayImage::from_pixel(tile.width() * 4, tile.height() * 4, Luma([220]));
        for i in 0..4 {
            for j in 0..4 {
                image::imageops::replace(
                    &mut wall,
                    &tile,
                    i64::from(i * tile.width()),
                    i64::from(j * tile.height()),
                );
            }
        }
        let many = engine(vec![Pass::Direct, Pass::Rqrr], Duration::from_secs(1))
            .decode(&wall, Effort::Still);
        // zxing-cpp reads up to its symbol limit; rqrr alone is refused.
        assert!(!many.codes.is_empty());
        let refused = engine(vec![Pass::Rqrr], Duration::from_secs(1)).decode(&wall, Effort::Still);
        assert!(refused.stats.passes.is_empty() && refused.codes.is_empty());
    }
}
