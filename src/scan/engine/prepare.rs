//! Image preparations for the fallback passes: resizing, blurring, contrast,
//! local thresholding, cropping. All on 8-bit grey, all linear in the area.

use image::GrayImage;

/// Maps points of a prepared image back to the frame it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ToFrame {
    /// Prepared pixels per frame pixel.
    pub scale: f32,
    /// Offset of the prepared image's origin in frame pixels (after crops).
    pub offset: (f32, f32),
}

impl ToFrame {
    /// The identity.
    pub const IDENTITY: ToFrame = ToFrame {
        scale: 1.0,
        offset: (0.0, 0.0),
    };

    /// The frame coordinates of a prepared-image point.
    pub fn map(&self, x: f32, y: f32) -> (f32, f32) {
        (
            x / self.scale + self.offset.0,
            y / self.scale + self.offset.1,
        )
    }

    /// After also scaling the prepared image by `factor`.
    #[must_use]
    pub fn then_scale(self, factor: f32) -> ToFrame {
        ToFrame {
            scale: self.scale * factor,
            offset: self.offset,
        }
    }

    /// After also cropping the prepared image at (`x`, `y`).
    #[must_use]
    pub fn then_crop(self, x: u32, y: u32) -> ToFrame {
        ToFrame {
            scale: self.scale,
            offset: (
                self.offset.0 + x as f32 / self.scale,
                self.offset.1 + y as f32 / self.scale,
            ),
        }
    }
}

/// Resizes by `factor` (area average when shrinking, bilinear when growing).
pub fn scale(img: &GrayImage, factor: f32) -> GrayImage {
    let w = ((img.width() as f32 * factor).round() as u32).max(1);
    let h = ((img.height() as f32 * factor).round() as u32).max(1);
    resize(img, w, h)
}

/// Resizes to exactly `w`×`h`.
pub fn resize(img: &GrayImage, w: u32, h: u32) -> GrayImage {
    if img.width() == 0 || img.height() == 0 {
        return GrayImage::new(w, h);
    }
    // Shrink by an integer box first so every source pixel counts (a plain
    // bilinear shrink aliases fine modules into noise).
    let kx = (img.width() / w.max(1)).max(1);
    let ky = (img.height() / h.max(1)).max(1);
    let k = kx.min(ky);
    if k >= 2 {
        let boxed = box_shrink(img, k);
        if boxed.width() == w && boxed.height() == h {
            return boxed;
        }
        return bilinear(&boxed, w, h);
    }
    bilinear(img, w, h)
}

/// Shrinks by an integer factor `k`, averaging each k×k block.
pub fn box_shrink(img: &GrayImage, k: u32) -> GrayImage {
    let k = k.max(1);
    let (w, h) = (img.width() / k, img.height() / k);
    let (w, h) = (w.max(1), h.max(1));
    let src = img.as_raw();
    let sw = img.width() as usize;
    let mut out = vec![0u8; (w * h) as usize];
    let mut sums = vec![0u32; w as usize];
    let kk = k as usize;
    let rows = (h as usize * kk).min(img.height() as usize);
    for oy in 0..h as usize {
        sums.iter_mut().for_each(|s| *s = 0);
        let mut n_rows = 0;
        for y in oy * kk..((oy + 1) * kk).min(rows) {
            n_rows += 1;
            let row = &src[y * sw..y * sw + sw];
            for (ox, s) in sums.iter_mut().enumerate() {
                let start = ox * kk;
                let end = (start + kk).min(sw);
                *s += row[start..end].iter().map(|&p| u32::from(p)).sum::<u32>();
            }
        }
        let div = (n_rows * kk).max(1) as u32;
        for (ox, s) in sums.iter().enumerate() {
            out[oy * w as usize + ox] = (s / div) as u8;
        }
    }
    GrayImage::from_raw(w, h, out).unwrap_or_else(|| GrayImage::new(w, h))
}

fn bilinear(img: &GrayImage, w: u32, h: u32) -> GrayImage {
    let (sw, sh) = (img.width() as usize, img.height() as usize);
    let src = img.as_raw();
    let fx = sw as f32 / w as f32;
    let fy = sh as f32 / h as f32;
    let mut out = vec![0u8; (w * h) as usize];
    // Precompute the horizontal taps once per column.
    let cols: Vec<(usize, usize, u32)> = (0..w as usize)
        .map(|x| {
            let sx = ((x as f32 + 0.5) * fx - 0.5).clamp(0.0, (sw - 1) as f32);
            let x0 = sx.floor() as usize;
            let x1 = (x0 + 1).min(sw - 1);
            (x0, x1, ((sx - x0 as f32) * 256.0) as u32)
        })
        .collect();
    for y in 0..h as usize {
        let sy = ((y as f32 + 0.5) * fy - 0.5).clamp(0.0, (sh - 1) as f32);
        let y0 = sy.floor() as usize;
        let y1 = (y0 + 1).min(sh - 1);
        let wy = ((sy - y0 as f32) * 256.0) as u32;
        let r0 = &src[y0 * sw..y0 * sw + sw];
        let r1 = &src[y1 * sw..y1 * sw + sw];
        let dst = &mut out[y * w as usize..(y + 1) * w as usize];
        for (d, &(x0, x1, wx)) in dst.iter_mut().zip(&cols) {
            let top = u32::from(r0[x0]) * (256 - wx) + u32::from(r0[x1]) * wx;
            let bot = u32::from(r1[x0]) * (256 - wx) + u32::from(r1[x1]) * wx;
            *d = ((top * (256 - wy) + bot * wy) >> 16) as u8;
        }
    }
    GrayImage::from_raw(w, h, out).unwrap_or_else(|| GrayImage::new(w, h))
}

/// A 3×3 box blur: smooths sensor noise, moiré and print texture.
pub fn blur3(img: &GrayImage) -> GrayImage {
    let (w, h) = (img.width() as usize, img.height() as usize);
    if w < 3 || h < 3 {
        return img.clone();
    }
    let src = img.as_raw();
    // Horizontal then vertical sums, edges clamped.
    let mut horiz = vec![0u16; w * h];
    for y in 0..h {
        let row = &src[y * w..(y + 1) * w];
        for x in 0..w {
            let l = row[x.saturating_sub(1)];
            let r = row[(x + 1).min(w - 1)];
            horiz[y * w + x] = u16::from(l) + u16::from(row[x]) + u16::from(r);
        }
    }
    let mut out = vec![0u8; w * h];
    for y in 0..h {
        let (a, b, c) = (y.saturating_sub(1), y, (y + 1).min(h - 1));
        for x in 0..w {
            let s = u32::from(horiz[a * w + x])
                + u32::from(horiz[b * w + x])
                + u32::from(horiz[c * w + x]);
            out[y * w + x] = (s / 9) as u8;
        }
    }
    GrayImage::from_raw(img.width(), img.height(), out).unwrap_or_else(|| img.clone())
}

/// Stretches the histogram so the 1st and 99th percentiles become black and
/// white: lifts codes in dim, low-contrast or glare-washed frames.
pub fn stretch(img: &GrayImage) -> GrayImage {
    let mut hist = [0u32; 256];
    for &p in img.as_raw() {
        hist[p as usize] += 1;
    }
    let total: u32 = hist.iter().sum();
    let cut = total / 100;
    let (mut lo, mut acc) = (0usize, 0u32);
    while lo < 255 && acc + hist[lo] <= cut {
        acc += hist[lo];
        lo += 1;
    }
    let (mut hi, mut acc) = (255usize, 0u32);
    while hi > lo && acc + hist[hi] <= cut {
        acc += hist[hi];
        hi -= 1;
    }
    if hi <= lo + 1 {
        return img.clone();
    }
    let span = (hi - lo) as u32;
    let lut: Vec<u8> = (0..256u32)
        .map(|v| (v.saturating_sub(lo as u32) * 255 / span).min(255) as u8)
        .collect();
    let out = img.as_raw().iter().map(|&p| lut[p as usize]).collect();
    GrayImage::from_raw(img.width(), img.height(), out).unwrap_or_else(|| img.clone())
}

/// Black where a pixel is darker than the mean of its (2r+1)² neighbourhood
/// by more than `offset`: the threshold follows uneven lighting.
pub fn local_threshold(img: &GrayImage, radius: u32, offset: i32) -> GrayImage {
    let (w, h) = (img.width() as usize, img.height() as usize);
    if w == 0 || h == 0 {
        return img.clone();
    }
    let src = img.as_raw();
    // Integral image with a zero row and column in front.
    let iw = w + 1;
    let mut integral = vec![0u32; iw * (h + 1)];
    for y in 0..h {
        let mut row_sum = 0u32;
        for x in 0..w {
            row_sum += u32::from(src[y * w + x]);
            integral[(y + 1) * iw + x + 1] = integral[y * iw + x + 1] + row_sum;
        }
    }
    let r = radius as usize;
    let mut out = vec![0u8; w * h];
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            let sum = integral[y1 * iw + x1] + integral[y0 * iw + x0]
                - integral[y0 * iw + x1]
                - integral[y1 * iw + x0];
            let n = ((y1 - y0) * (x1 - x0)) as u32;
            let mean = (sum / n.max(1)) as i32;
            out[y * w + x] = if i32::from(src[y * w + x]) < mean - offset {
                0
            } else {
                255
            };
        }
    }
    GrayImage::from_raw(img.width(), img.height(), out).unwrap_or_else(|| img.clone())
}

/// Cuts out a rectangle (clamped to the image).
pub fn crop(img: &GrayImage, x: u32, y: u32, w: u32, h: u32) -> GrayImage {
    let x = x.min(img.width());
    let y = y.min(img.height());
    let w = w.min(img.width() - x);
    let h = h.min(img.height() - y);
    image::imageops::crop_imm(img, x, y, w, h).to_image()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient(w: u32, h: u32) -> GrayImage {
        GrayImage::from_fn(w, h, |x, y| image::Luma([((x * 7 + y * 3) % 256) as u8]))
    }

    #[test]
    fn scale_gives_the_asked_size() {
        let img = gradient(641, 479);
        let half = scale(&img, 0.5);
        assert_eq!((half.width(), half.height()), (321, 240));
        let up = scale(&img, 1.5);
        assert_eq!((up.width(), up.height()), (962, 719));
        let tiny = scale(&GrayImage::new(1, 1), 0.1);
        assert_eq!((tiny.width(), tiny.height()), (1, 1));
    }

    #[test]
    fn box_shrink_averages() {
        let img = GrayImage::from_fn(4, 2, |x, _| image::Luma([if x % 2 == 0 { 0 } else { 200 }]));
        let out = box_shrink(&img, 2);
        assert_eq!(out.as_raw(), &vec![100, 100]);
    }

    #[test]
    fn local_threshold_follows_uneven_light() {
        // A dark dot on a bright left half and on a dim right half.
        let mut img =
            GrayImage::from_fn(40, 20, |x, _| image::Luma([if x < 20 { 220 } else { 90 }]));
        img.put_pixel(10, 10, image::Luma([150]));
        img.put_pixel(30, 10, image::Luma([30]));
        let bin = local_threshold(&img, 3, 10);
        assert_eq!(bin.get_pixel(10, 10)[0], 0);
        assert_eq!(bin.get_pixel(30, 10)[0], 0);
        assert_eq!(bin.get_pixel(5, 5)[0], 255);
        assert_eq!(bin.get_pixel(35, 5)[0], 255);
    }

    #[test]
    fn stretch_spreads_a_narrow_histogram() {
        let img = GrayImage::from_fn(100, 10, |x, _| image::Luma([100 + (x / 10) as u8]));
        let out = stretch(&img);
        let (min, max) = out
            .as_raw()
            .iter()
            .fold((255, 0), |(a, b), &p| (p.min(a), p.max(b)));
        assert!(min < 20 && max > 235, "{min}..{max}");
    }

    #[test]
    fn mapping_back_through_scale_and_crop() {
        let t = ToFrame::IDENTITY.then_scale(0.5).then_crop(10, 20);
        // Point (0,0) of the crop is (10,20) of the half-size image = (20,40) of the frame.
        assert_eq!(t.map(0.0, 0.0), (20.0, 40.0));
        assert_eq!(t.map(5.0, 5.0), (30.0, 50.0));
    }

    #[test]
    fn crop_is_clamped() {
        let img = gradient(10, 10);
        let c = crop(&img, 8, 8, 5, 5);
        assert_eq!((c.width(), c.height()), (2, 2));
    }
}
