//! Replayed camera sequences for the stream benchmark
//! (`benches/scan_streams.rs`): what a visitor does in front of the kiosk,
//! frame by frame, generated the same way every time from a seed (and, for
//! one kind, a photo of the corpus), so the engine before and after a
//! change and zxing-cpp alone see the same pixels.
//!
//! Each sequence is 30 fps: a few frames of the empty scene, then the code
//! (or it slides in), held with a little hand shake and sensor noise.
//! `appears` is the first frame with the whole code in view: the time to a
//! decoded event counts from there.

use image::{GrayImage, Luma, imageops};
use qrcode::{EcLevel, QrCode};

use super::frame::grey_of_rgba;
use super::synthetic::{Rng, scene};

/// Frames per second of every sequence.
pub const FPS: u32 = 30;
/// Frames per sequence (1.5 s).
pub const FRAMES: usize = 45;
/// The frame the code is shown at (kinds other than `Entering`).
const SHOWN_AT: usize = 9;
/// Blur radius of the frames after the code is shown, while the camera
/// refocuses.
const DEFOCUS: [u32; 6] = [4, 3, 3, 2, 1, 1];
/// Frames a card entering the view takes to stop.
const ENTERING_FRAMES: f32 = 9.0;

/// What happens in a sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The code slides in from the left edge and stops in the middle.
    Entering,
    /// Shown and held still.
    Steady,
    /// Held at 35° and turned away (foreshortened to 70 % across).
    Tilted,
    /// A lamp's reflection washes out one corner of it.
    Glare,
    /// On a phone's screen: dark body, dimmer contrast, the screen's lines.
    PhoneScreen,
    /// Light modules on a dark card.
    Inverted,
    /// A stain over part of its data (within what error correction repairs).
    Damaged,
    /// A photo of a printed code (from the corpus) held up.
    Photo,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Entering,
        Kind::Steady,
        Kind::Tilted,
        Kind::Glare,
        Kind::PhoneScreen,
        Kind::Inverted,
        Kind::Damaged,
        Kind::Photo,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Entering => "entering",
            Kind::Steady => "steady",
            Kind::Tilted => "tilted",
            Kind::Glare => "glare",
            Kind::PhoneScreen => "phone-screen",
            Kind::Inverted => "inverted",
            Kind::Damaged => "damaged",
            Kind::Photo => "photo",
        }
    }
}

/// One replayed sequence.
#[derive(Debug, Clone)]
pub struct Sequence {
    pub kind: Kind,
    pub seed: u64,
    pub frames: Vec<GrayImage>,
    /// The first frame with the whole code in view.
    pub appears: usize,
    /// What the code holds.
    pub payload: Vec<u8>,
}

/// A photo of a code and what it holds (for [`Kind::Photo`]).
#[derive(Debug, Clone)]
pub struct Photo {
    pub grey: GrayImage,
    pub payload: Vec<u8>,
}

/// How the code is drawn in one frame.
#[derive(Debug, Clone, Copy)]
struct Pose {
    centre: (f32, f32),
    module_px: f32,
    angle_deg: f32,
    /// Width across, as a share (a turned card looks narrower).
    squeeze: f32,
    ink: f32,
    paper: f32,
}

/// The sequence of `kind` at `width`×`height` for `seed`; `photo` is used
/// by [`Kind::Photo`] only (without it, that kind shows a synthetic code).
pub fn sequence(kind: Kind, width: u32, height: u32, seed: u64, photo: Option<&Photo>) -> Sequence {
    let mut rng = Rng::new(seed.wrapping_mul(0x9E37_79B9) ^ kind as u64);
    let background = grey_of_rgba(&scene(width, height, seed));
    let payload = match (kind, photo) {
        (Kind::Photo, Some(p)) => p.payload.clone(),
        _ => format!(
            "0{:011}||NGUYỄN VĂN AN|{:02}0{}1990|Nam|Thôn 2, Xã Hòa Phú, Hà Nội|25052021",
            seed % 100_000_000_000,
            1 + seed % 28,
            1 + seed % 9
        )
        .into_bytes(),
    };
    let (w, h) = (width as f32, height as f32);
    let module_px = rng.range(3.0, 5.0) * w / 1280.0 + 1.0;
    let centre = (rng.range(0.4, 0.6) * w, rng.range(0.4, 0.6) * h);
    let mut pose = Pose {
        centre,
        module_px,
        angle_deg: rng.range(-12.0, 12.0),
        squeeze: 1.0,
        ink: 35.0,
        paper: 232.0,
    };
    match kind {
        Kind::Tilted => {
            pose.angle_deg = 35.0;
            pose.squeeze = 0.7;
        }
        Kind::Inverted => (pose.ink, pose.paper) = (225.0, 40.0),
        Kind::PhoneScreen => (pose.ink, pose.paper) = (45.0, 185.0),
        _ => {}
    }
    let code = QrCode::with_error_correction_level(&payload, EcLevel::M).ok();
    let modules = code.as_ref().map_or(0, QrCode::width) as f32;
    let half = (modules / 2.0 + 4.0) * pose.module_px;
    let mut frames = Vec::with_capacity(FRAMES);
    let mut appears = SHOWN_AT;
    for i in 0..FRAMES {
        let mut frame = background.clone();
        let mut p = pose;
        p.centre.0 += rng.range(-1.5, 1.5);
        p.centre.1 += rng.range(-1.5, 1.5);
        p.angle_deg += rng.range(-0.5, 0.5);
        let shown = match kind {
            Kind::Entering => {
                // From off the left edge to the middle in 0.3 s, slowing
                // down as a hand does.
                p.centre.0 = -half + entering(i) * (centre.0 + half);
                if p.centre.0 - half * 1.1 >= 0.0 && appears == SHOWN_AT {
                    appears = i;
                }
                true
            }
            _ => i >= SHOWN_AT,
        };
        if shown {
            match (kind, photo, &code) {
                (Kind::Photo, Some(photo), _) => paste_photo(&mut frame, photo, &p),
                (_, _, Some(code)) => {
                    if kind == Kind::PhoneScreen {
                        phone_body(&mut frame, &p, half);
                    }
                    draw_code(&mut frame, code, &p);
                    match kind {
                        Kind::Glare => glare(&mut frame, &p, half),
                        Kind::Damaged => stain(&mut frame, &p, modules),
                        Kind::PhoneScreen => screen_lines(&mut frame, &p, half),
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        // The camera refocuses on what came up (a few blurred frames); a
        // card moving across the view is smeared along its path.
        let region = (p.centre, half * 1.6);
        match kind {
            // Half the way it moved since the last frame (the exposure).
            Kind::Entering => smear(
                &mut frame,
                region,
                ((entering(i) - entering(i.saturating_sub(1))) * (centre.0 + half) * 0.25) as u32,
            ),
            _ if shown => blur(
                &mut frame,
                region,
                DEFOCUS.get(i - SHOWN_AT).copied().unwrap_or(0),
            ),
            _ => {}
        }
        noise(&mut frame, &mut rng, 4);
        frames.push(frame);
    }
    Sequence {
        kind,
        seed,
        frames,
        appears,
        payload,
    }
}

/// How far in a card entering the view is at frame `i` (0 to 1, easing out).
fn entering(i: usize) -> f32 {
    let t = (i as f32 / ENTERING_FRAMES).min(1.0);
    1.0 - (1.0 - t) * (1.0 - t)
}

/// The pixels of the pose's square of half-side `half` (rotated, squeezed),
/// with each one's position in the code's own units (modules from its
/// top-left corner).
fn each_pixel(frame: &mut GrayImage, p: &Pose, half: f32, mut f: impl FnMut(&mut u8, f32, f32)) {
    let (sin, cos) = p.angle_deg.to_radians().sin_cos();
    let reach = half * 1.5;
    let (cx, cy) = p.centre;
    let x0 = (cx - reach).max(0.0) as u32;
    let y0 = (cy - reach).max(0.0) as u32;
    let x1 = ((cx + reach).max(0.0) as u32).min(frame.width());
    let y1 = ((cy + reach).max(0.0) as u32).min(frame.height());
    for y in y0..y1 {
        for x in x0..x1 {
            let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
            let u = (dx * cos + dy * sin) / (p.module_px * p.squeeze);
            let v = (-dx * sin + dy * cos) / p.module_px;
            f(&mut frame.get_pixel_mut(x, y).0[0], u, v);
        }
    }
}

/// The code and its quiet zone, edges softened like a lens does.
fn draw_code(frame: &mut GrayImage, code: &QrCode, p: &Pose) {
    let n = code.width();
    let colours = code.to_colors();
    let half_modules = n as f32 / 2.0;
    let half = (half_modules + 4.0) * p.module_px;
    let dark_at = |u: f32, v: f32| {
        let (u, v) = (u + half_modules, v + half_modules);
        u >= 0.0
            && v >= 0.0
            && (u as usize) < n
            && (v as usize) < n
            && colours[v as usize * n + u as usize] == qrcode::Color::Dark
    };
    let step = 0.25 / p.module_px;
    each_pixel(frame, p, half, |px, u, v| {
        if u.abs() > half_modules + 4.0 || v.abs() > half_modules + 4.0 {
            return;
        }
        let dark = [(-step, -step), (step, -step), (-step, step), (step, step)]
            .iter()
            .filter(|(du, dv)| dark_at(u + du, v + dv))
            .count() as f32
            / 4.0;
        *px = (p.paper * (1.0 - dark) + p.ink * dark) as u8;
    });
}

/// A bright reflection over the code's top-left quarter.
fn glare(frame: &mut GrayImage, p: &Pose, half: f32) {
    let sigma = half * 0.3;
    let corner = half / p.module_px * 0.45;
    each_pixel(frame, p, half, |px, u, v| {
        let (du, dv) = ((u + corner) * p.module_px, (v + corner) * p.module_px);
        let g = (-(du * du + dv * dv) / (2.0 * sigma * sigma)).exp();
        *px = (f32::from(*px) + g * 0.92 * (255.0 - f32::from(*px))) as u8;
    });
}

/// A dark stain over part of the data, away from the finder patterns.
fn stain(frame: &mut GrayImage, p: &Pose, modules: f32) {
    let r = modules * 0.2;
    each_pixel(frame, p, (modules / 2.0 + 4.0) * p.module_px, |px, u, v| {
        let (du, dv) = (u - modules * 0.12, (v - modules * 0.15) * 1.6);
        if du * du + dv * dv < r * r {
            *px = 60;
        }
    });
}

/// The phone around the screen: a dark body taller than the code.
fn phone_body(frame: &mut GrayImage, p: &Pose, half: f32) {
    let body = (half + 3.0 * p.module_px) / p.module_px;
    each_pixel(frame, p, half * 2.2, |px, u, v| {
        if u.abs() < body && v.abs() < body * 1.9 {
            *px = 22;
        }
    });
}

/// A screen's pixel rows: every third line of the code a little darker.
fn screen_lines(frame: &mut GrayImage, p: &Pose, half: f32) {
    let (cx, cy) = p.centre;
    let y0 = (cy - half).max(0.0) as u32;
    let y1 = ((cy + half).max(0.0) as u32).min(frame.height());
    let x0 = (cx - half).max(0.0) as u32;
    let x1 = ((cx + half).max(0.0) as u32).min(frame.width());
    for y in (y0..y1).filter(|y| y % 3 == 0) {
        for x in x0..x1 {
            let px = &mut frame.get_pixel_mut(x, y).0[0];
            *px = px.saturating_sub(14);
        }
    }
}

/// The photo, scaled to the pose's size, pasted at its centre.
fn paste_photo(frame: &mut GrayImage, photo: &Photo, p: &Pose) {
    let side = (frame.height() as f32 * 0.55) as u32;
    let (pw, ph) = photo.grey.dimensions();
    let scale = side as f32 / pw.max(ph).max(1) as f32;
    let (w, h) = (
        ((pw as f32 * scale) as u32).max(1),
        ((ph as f32 * scale) as u32).max(1),
    );
    let small = imageops::resize(&photo.grey, w, h, imageops::FilterType::Triangle);
    let x = (p.centre.0 - w as f32 / 2.0) as i64;
    let y = (p.centre.1 - h as f32 / 2.0) as i64;
    imageops::replace(frame, &small, x, y);
}

/// The square `region` (centre, half side) blurred by a box of `radius`.
fn blur(frame: &mut GrayImage, region: ((f32, f32), f32), radius: u32) {
    if radius > 0 {
        box_filter(frame, region, radius, radius);
    }
}

/// The square `region` smeared sideways over `length` pixels.
fn smear(frame: &mut GrayImage, region: ((f32, f32), f32), length: u32) {
    if length > 0 {
        box_filter(frame, region, length, 0);
    }
}

/// A box mean of (2·rx+1)×(2·ry+1) over the square `region`.
fn box_filter(frame: &mut GrayImage, ((cx, cy), half): ((f32, f32), f32), rx: u32, ry: u32) {
    let (w, h) = frame.dimensions();
    let x0 = (cx - half).max(0.0) as u32;
    let y0 = (cy - half).max(0.0) as u32;
    let x1 = ((cx + half).max(0.0) as u32).min(w);
    let y1 = ((cy + half).max(0.0) as u32).min(h);
    if x0 >= x1 || y0 >= y1 {
        return;
    }
    let src = frame.clone();
    let at = |x: i64, y: i64| {
        u32::from(
            src.get_pixel(
                x.clamp(0, i64::from(w) - 1) as u32,
                y.clamp(0, i64::from(h) - 1) as u32,
            )
            .0[0],
        )
    };
    let n = (2 * rx + 1) * (2 * ry + 1);
    for y in y0..y1 {
        for x in x0..x1 {
            let mut sum = 0;
            for dy in -i64::from(ry)..=i64::from(ry) {
                for dx in -i64::from(rx)..=i64::from(rx) {
                    sum += at(i64::from(x) + dx, i64::from(y) + dy);
                }
            }
            frame.put_pixel(x, y, Luma([(sum / n) as u8]));
        }
    }
}

fn noise(frame: &mut GrayImage, rng: &mut Rng, amplitude: u32) {
    for px in frame.pixels_mut() {
        let n = (rng.next_u32() % (2 * amplitude + 1)) as i32 - amplitude as i32;
        *px = Luma([(i32::from(px.0[0]) + n).clamp(0, 255) as u8]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences_are_the_same_every_time() {
        for kind in Kind::ALL {
            let a = sequence(kind, 160, 120, 7, None);
            let b = sequence(kind, 160, 120, 7, None);
            assert_eq!(a.frames, b.frames, "{}", kind.name());
            assert_eq!(a.frames.len(), FRAMES);
            assert_ne!(a.frames[0], a.frames[FRAMES - 1], "{}", kind.name());
        }
    }

    #[test]
    fn the_code_enters_then_stays() {
        let s = sequence(Kind::Entering, 640, 360, 3, None);
        assert!(s.appears > 0 && s.appears < 9, "{}", s.appears);
        let s = sequence(Kind::Steady, 640, 360, 3, None);
        assert_eq!(s.appears, SHOWN_AT);
    }
}
