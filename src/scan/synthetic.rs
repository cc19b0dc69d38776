//! Synthetic camera frames: a plausible scene (uneven light, a desk, a hand-
//! held card, sensor noise) with or without a QR code on the card. Used for
//! the shipped demo frames, the benchmarks and the tests; nothing in the
//! kiosk's own path depends on it.

use image::{Rgba, RgbaImage};
use qrcode::{EcLevel, QrCode};

/// A small deterministic generator (xorshift), so frames are reproducible.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u32(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 32) as u32
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f32 {
        self.next_u32() as f32 / 4_294_967_296.0
    }
    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.unit()
    }
}

/// Where and how a code is held up to the camera.
#[derive(Debug, Clone, PartialEq)]
pub struct CodePlacement {
    /// Centre of the code in the frame.
    pub centre: (f32, f32),
    /// Side of one module in pixels.
    pub module_px: f32,
    /// Rotation in degrees.
    pub angle_deg: f32,
}

/// A scene without a code: a lit wall, a desk edge, a blank card, a few
/// objects, noise.
pub fn scene(width: u32, height: u32, seed: u64) -> RgbaImage {
    let mut rng = Rng::new(seed);
    let light = (
        rng.range(0.2, 0.8) * width as f32,
        rng.range(0.0, 0.5) * height as f32,
    );
    let desk_y = rng.range(0.6, 0.8) * height as f32;
    let tint = [
        rng.range(0.85, 1.0),
        rng.range(0.85, 1.0),
        rng.range(0.8, 0.95),
    ];
    let diag = ((width * width + height * height) as f32).sqrt();
    let mut img = RgbaImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let d = ((fx - light.0).powi(2) + (fy - light.1).powi(2)).sqrt() / diag;
        let base = if fy > desk_y { 95.0 } else { 190.0 };
        let v = base * (1.1 - d);
        Rgba([
            (v * tint[0]) as u8,
            (v * tint[1]) as u8,
            (v * tint[2]) as u8,
            255,
        ])
    });
    // A few dark and light objects: a pen, a cup, a box.
    for _ in 0..4 {
        let w = rng.range(0.05, 0.2) * width as f32;
        let h = rng.range(0.03, 0.25) * height as f32;
        let x = rng.range(0.0, width as f32 - w);
        let y = rng.range(0.0, height as f32 - h);
        let shade = rng.range(30.0, 230.0) as u8;
        fill_rect(
            &mut img,
            x,
            y,
            w,
            h,
            Rgba([shade, shade.saturating_sub(10), shade / 2 + 40, 255]),
        );
    }
    add_noise(&mut img, &mut rng, 6);
    img
}

/// The scene with a code on a white card held at `placement`.
pub fn with_code(
    mut img: RgbaImage,
    payload: &[u8],
    placement: &CodePlacement,
    seed: u64,
) -> RgbaImage {
    let Ok(code) = QrCode::with_error_correction_level(payload, EcLevel::M) else {
        return img;
    };
    let n = code.width();
    let modules = code.to_colors();
    let quiet = 4.0;
    let half = (n as f32 / 2.0 + quiet) * placement.module_px;
    let (sin, cos) = placement.angle_deg.to_radians().sin_cos();
    let (cx, cy) = placement.centre;
    let reach = half * 1.5;
    let x0 = (cx - reach).max(0.0) as u32;
    let y0 = (cy - reach).max(0.0) as u32;
    let x1 = ((cx + reach) as u32).min(img.width());
    let y1 = ((cy + reach) as u32).min(img.height());
    for y in y0..y1 {
        for x in x0..x1 {
            // Into the code's own frame: rotate back, in module units.
            let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
            let u = (dx * cos + dy * sin) / placement.module_px + n as f32 / 2.0;
            let v = (-dx * sin + dy * cos) / placement.module_px + n as f32 / 2.0;
            if u < -quiet || v < -quiet || u >= n as f32 + quiet || v >= n as f32 + quiet {
                continue;
            }
            // Coverage over a 2×2 subsample softens the edges like a lens.
            let mut dark = 0.0;
            for (ox, oy) in [(-0.25, -0.25), (0.25, -0.25), (-0.25, 0.25), (0.25, 0.25)] {
                let su = u + ox / placement.module_px;
                let sv = v + oy / placement.module_px;
                if su >= 0.0 && sv >= 0.0 && (su as usize) < n && (sv as usize) < n {
                    let idx = sv as usize * n + su as usize;
                    if modules.get(idx) == Some(&qrcode::Color::Dark) {
                        dark += 0.25;
                    }
                }
            }
            let paper = 235.0;
            let ink = 35.0;
            let v = (paper * (1.0 - dark) + ink * dark) as u8;
            img.put_pixel(x, y, Rgba([v, v, v.saturating_sub(5), 255]));
        }
    }
    let mut rng = Rng::new(seed ^ 0xC0DE);
    add_noise(&mut img, &mut rng, 5);
    img
}

fn fill_rect(img: &mut RgbaImage, x: f32, y: f32, w: f32, h: f32, colour: Rgba<u8>) {
    let (x0, y0) = (x.max(0.0) as u32, y.max(0.0) as u32);
    let x1 = ((x + w) as u32).min(img.width());
    let y1 = ((y + h) as u32).min(img.height());
    for yy in y0..y1 {
        for xx in x0..x1 {
            img.put_pixel(xx, yy, colour);
        }
    }
}

fn add_noise(img: &mut RgbaImage, rng: &mut Rng, amplitude: i32) {
    for p in img.pixels_mut() {
        let n = (rng.next_u32() % (2 * amplitude as u32 + 1)) as i32 - amplitude;
        for c in &mut p.0[..3] {
            *c = (i32::from(*c) + n).clamp(0, 255) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_reproducible_and_sized() {
        let a = scene(64, 48, 3);
        let b = scene(64, 48, 3);
        assert_eq!(a, b);
        assert_eq!((a.width(), a.height()), (64, 48));
        assert_ne!(a, scene(64, 48, 4));
    }

    #[test]
    fn a_code_changes_the_frame_where_it_is() {
        let base = scene(320, 240, 1);
        let placement = CodePlacement {
            centre: (160.0, 120.0),
            module_px: 3.0,
            angle_deg: 10.0,
        };
        let with = with_code(base.clone(), b"hello", &placement, 1);
        assert_ne!(with.get_pixel(160, 120), base.get_pixel(160, 120));
    }
}
