//! zxing-cpp's local-average threshold (its `HybridBinarizer`, 3.1.1) and
//! its image pyramid, computed in Rust, bit for bit, for the kiosk's QR
//! engine to hand zxing-cpp images already black and white.
//!
//! Why: built by Debian 12's GCC 12, the library's own version of these
//! loops is not vectorised and took about 60 % of an empty camera frame's
//! time (the kiosk's docs/scan.md, "Where an empty frame's time goes");
//! written as the plain loops below, rustc vectorises them. zxing-cpp then
//! reads the result with its `BoolCast` binarizer (0 is black), which costs
//! one pass. In a crate of its own so that it is optimised in debug builds
//! too.
//!
//! The algorithm, as zxing-cpp has it: the frame in 8×8 blocks; a block's
//! threshold is the mean of its darkest and lightest pixel when they differ
//! by more than 24, else 0 (no contrast); each threshold is smoothed over
//! the 5×5 blocks around it (blocks at the edges use the nearest full
//! window; zeros do not count), gaps of no contrast take the next
//! threshold in reading order; a pixel is black when it is at most its
//! block's threshold. The last block of a row or column is aligned to the
//! image's edge and overlaps the one before it, and wins where they overlap.

use std::borrow::Cow;

use image::GrayImage;

const BLOCK: usize = 8;
/// Smaller images are thresholded by zxing-cpp's global histogram.
const WINDOW: usize = 40;
const MIN_DYNAMIC_RANGE: u8 = 24;
/// Blocks on each side of the smoothing window.
const R: usize = 2;

/// zxing-cpp's `downscaleThreshold`: layers are added while the larger
/// side is above this.
const PYRAMID_THRESHOLD: u32 = 500;
/// zxing-cpp's `downscaleFactor`.
pub const PYRAMID_FACTOR: u32 = 3;

/// zxing-cpp's image pyramid: the image, then each layer shrunk by 3 while
/// its larger side exceeds 500 px; with each layer its factor (1, 3, 9 …).
pub fn pyramid(img: &GrayImage) -> Vec<(Cow<'_, GrayImage>, u32)> {
    let mut layers: Vec<(Cow<'_, GrayImage>, u32)> = vec![(Cow::Borrowed(img), 1)];
    loop {
        let (last, factor) = &layers[layers.len() - 1];
        let (w, h) = last.dimensions();
        if w.max(h) <= PYRAMID_THRESHOLD || w.min(h) < PYRAMID_FACTOR {
            break;
        }
        let next = (Cow::Owned(shrink3(last)), factor * PYRAMID_FACTOR);
        layers.push(next);
    }
    layers
}

/// Each 3×3 block's rounded mean (zxing-cpp's `addLayer<3>`: the remainder
/// rows and columns are dropped).
fn shrink3(src: &GrayImage) -> GrayImage {
    let (w, h) = (src.width() as usize, src.height() as usize);
    let (dw, dh) = (w / 3, h / 3);
    let px = src.as_raw();
    let mut out = vec![0u8; dw * dh];
    if dw == 0 {
        return GrayImage::from_raw(0, dh as u32, out).unwrap_or_default();
    }
    // Column sums of three lines, then each three columns: both loops
    // contiguous or of fixed shape, which rustc vectorises.
    let mut columns = vec![0u16; dw * 3];
    for (dy, out_row) in out.chunks_exact_mut(dw).enumerate() {
        let line = |k: usize| &px[(dy * 3 + k) * w..][..dw * 3];
        for (c, ((a, b), d)) in columns
            .iter_mut()
            .zip(line(0).iter().zip(line(1)).zip(line(2)))
        {
            *c = u16::from(*a) + u16::from(*b) + u16::from(*d);
        }
        let mut groups = out_row.chunks_exact_mut(16);
        let mut sums = columns.chunks_exact(48);
        for (o, c) in (&mut groups).zip(&mut sums) {
            for j in 0..16 {
                o[j] = ((c[3 * j] + c[3 * j + 1] + c[3 * j + 2] + 4) / 9) as u8;
            }
        }
        for (o, c) in groups
            .into_remainder()
            .iter_mut()
            .zip(sums.remainder().chunks_exact(3))
        {
            *o = ((c[0] + c[1] + c[2] + 4) / 9) as u8;
        }
    }
    GrayImage::from_raw(dw as u32, dh as u32, out).unwrap_or_default()
}

/// The image thresholded as zxing-cpp's local average does it: 0 where
/// black, 255 where white. `None` where zxing-cpp would use its global
/// histogram instead (an image under 40 px a side, or no contrast at all).
pub fn local_average(img: &GrayImage) -> Option<GrayImage> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    if w < WINDOW || h < WINDOW {
        return None;
    }
    let thresholds = smooth(&block_thresholds(img), w.div_ceil(BLOCK), h.div_ceil(BLOCK))?;
    Some(threshold_image(img, &thresholds))
}

/// Per 8×8 block: the mean of its extremes, or 0 without contrast.
fn block_thresholds(img: &GrayImage) -> Vec<u8> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let (bw, bh) = (w.div_ceil(BLOCK), h.div_ceil(BLOCK));
    let px = img.as_raw();
    let mut out = vec![0u8; bw * bh];
    let (mut lo, mut hi) = (vec![0u8; w], vec![0u8; w]);
    for (by, out_row) in out.chunks_exact_mut(bw).enumerate() {
        let y0 = (by * BLOCK).min(h - BLOCK);
        // Column extremes over the block row's 8 lines, then per block.
        lo.copy_from_slice(&px[y0 * w..][..w]);
        hi.copy_from_slice(&px[y0 * w..][..w]);
        for y in y0 + 1..y0 + BLOCK {
            let line = &px[y * w..][..w];
            for ((l, m), &p) in lo.iter_mut().zip(hi.iter_mut()).zip(line) {
                *l = (*l).min(p);
                *m = (*m).max(p);
            }
        }
        // Whole blocks from the left, then the last one aligned to the edge.
        let last = w - BLOCK;
        let blocks = lo
            .chunks_exact(BLOCK)
            .zip(hi.chunks_exact(BLOCK))
            .take(bw - 1)
            .chain(std::iter::once((&lo[last..], &hi[last..])));
        for (t, (l, m)) in out_row.iter_mut().zip(blocks) {
            let min = l.iter().fold(u8::MAX, |a, &b| a.min(b));
            let max = m.iter().fold(0, |a, &b| a.max(b));
            *t = if max - min > MIN_DYNAMIC_RANGE {
                ((u16::from(max) + u16::from(min)) / 2) as u8
            } else {
                0
            };
        }
    }
    out
}

/// Each threshold averaged with the 5×5 around it (its own counted twice,
/// zeros not at all), then the gaps filled; `None` when all are 0.
fn smooth(thresholds: &[u8], bw: usize, bh: usize) -> Option<Vec<u8>> {
    let mut out = vec![0u8; bw * bh];
    for y in 0..bh {
        let top = y.clamp(R, bh - R - 1);
        for x in 0..bw {
            let left = x.clamp(R, bw - R - 1);
            let own = u32::from(thresholds[y * bw + x]);
            let (mut sum, mut n) = (own * 2, if own > 0 { 2 } else { 0 });
            for row in thresholds[(top - R) * bw..]
                .chunks_exact(bw)
                .take(2 * R + 1)
            {
                for &t in &row[left - R..=left + R] {
                    sum += u32::from(t);
                    n += u32::from(t > 0);
                }
            }
            out[y * bw + x] = sum.checked_div(n).unwrap_or(0) as u8;
        }
    }
    // A run of zeros takes the next threshold after it; the zeros at the
    // end take the last one.
    let mut gap_start = 0;
    let mut last = None;
    for i in 0..out.len() {
        let t = out[i];
        if t != 0 {
            out[gap_start..i].fill(t);
            gap_start = i + 1;
            last = Some(t);
        }
    }
    let last = last?;
    out[gap_start..].fill(last);
    Some(out)
}

/// Black (0) where a pixel is at most its block's threshold, else white.
fn threshold_image(img: &GrayImage, thresholds: &[u8]) -> GrayImage {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let bw = w.div_ceil(BLOCK);
    let px = img.as_raw();
    let mut out = vec![0u8; w * h];
    // Each pixel's threshold along one line: the block's, the last block's
    // for the last 8 pixels (it is aligned to the edge and drawn last).
    let mut line_thresholds = vec![0u8; w];
    let mut built_for = usize::MAX;
    for (y, (dst, src)) in out.chunks_exact_mut(w).zip(px.chunks_exact(w)).enumerate() {
        let by = if y >= h - BLOCK {
            h.div_ceil(BLOCK) - 1
        } else {
            y / BLOCK
        };
        if by != built_for {
            let row = &thresholds[by * bw..][..bw];
            for (pixels, &t) in line_thresholds.chunks_mut(BLOCK).zip(row) {
                pixels.fill(t);
            }
            line_thresholds[w - BLOCK..].fill(row[bw - 1]);
            built_for = by;
        }
        for ((d, &p), &t) in dst.iter_mut().zip(src).zip(&line_thresholds) {
            *d = if p <= t { 0 } else { 255 };
        }
    }
    GrayImage::from_raw(w as u32, h as u32, out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pyramid_is_zxing_cpps() {
        let sizes = |w, h| {
            pyramid(&GrayImage::new(w, h))
                .iter()
                .map(|(l, f)| (l.width(), l.height(), *f))
                .collect::<Vec<_>>()
        };
        assert_eq!(sizes(1280, 720), [(1280, 720, 1), (426, 240, 3)]);
        assert_eq!(
            sizes(1920, 1080),
            [(1920, 1080, 1), (640, 360, 3), (213, 120, 9)]
        );
        assert_eq!(sizes(500, 2), [(500, 2, 1)]);
        assert_eq!(sizes(600, 2), [(600, 2, 1)]);
    }

    #[test]
    fn shrinking_rounds_each_block_mean() {
        let img = GrayImage::from_fn(7, 4, |x, y| image::Luma([(x * 10 + y) as u8]));
        let small = shrink3(&img);
        assert_eq!(small.dimensions(), (2, 1));
        // (0+1+2 + 10+11+12 + 20+21+22 + 4) / 9 = 11.4…
        assert_eq!(small.as_raw(), &[11, 41]);
    }

    #[test]
    fn no_contrast_or_too_small_is_left_to_the_global_histogram() {
        assert!(local_average(&GrayImage::from_pixel(64, 64, image::Luma([128]))).is_none());
        assert!(local_average(&GrayImage::new(39, 200)).is_none());
    }

    #[test]
    fn gaps_take_the_next_threshold_and_the_tail_the_last() {
        // 5×5 blocks: one contrasty block at (4, 0) only.
        let mut t = vec![0u8; 25];
        t[4] = 100;
        let out = smooth(&t, 5, 5).unwrap();
        // Every window around a centre clamped to (2, 2) holds the block;
        // its own cell counts twice where it is the block.
        assert!(out.iter().all(|&v| v == 100), "{out:?}");
    }

    #[test]
    fn a_dark_square_on_light_is_black_inside_only() {
        let img = GrayImage::from_fn(80, 80, |x, y| {
            let inside = (20..60).contains(&x) && (20..60).contains(&y);
            image::Luma([if inside { 30 } else { 220 }])
        });
        let bits = local_average(&img).unwrap();
        assert_eq!(bits.get_pixel(40, 40).0, [0]);
        assert_eq!(bits.get_pixel(5, 5).0, [255]);
        assert_eq!(bits.get_pixel(75, 75).0, [255]);
    }
}
