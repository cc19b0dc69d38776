//! A frame as the sources deliver it: grey for the decoder, colour for the
//! preview, and the moment it arrived (for latency).

use std::sync::Arc;
use std::time::Instant;

use image::{GrayImage, RgbaImage};

/// One frame. Cloning is cheap: the pixels are shared.
#[derive(Debug, Clone)]
pub struct Frame {
    /// 8-bit grey, what the decoder reads.
    pub grey: Arc<GrayImage>,
    /// RGBA for the preview (the GUI shows it as is).
    pub rgba: Arc<RgbaImage>,
    /// Counts frames from one source, starting at 0.
    pub seq: u64,
    /// When the source delivered it.
    pub arrived: Instant,
}

impl Frame {
    /// A frame from RGBA pixels; the grey version uses BT.601 luma weights.
    pub fn from_rgba(rgba: RgbaImage, seq: u64) -> Self {
        let grey = grey_of_rgba(&rgba);
        Self {
            grey: Arc::new(grey),
            rgba: Arc::new(rgba),
            seq,
            arrived: Instant::now(),
        }
    }

    /// A frame from an image of any colour type.
    pub fn from_image(image: &image::DynamicImage, seq: u64) -> Self {
        Self::from_rgba(image.to_rgba8(), seq)
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.grey.width()
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.grey.height()
    }
}

/// Grey from RGBA with integer BT.601 weights (what zxing-cpp uses too).
pub fn grey_of_rgba(rgba: &RgbaImage) -> GrayImage {
    let out = rgba
        .as_raw()
        .chunks_exact(4)
        .map(|p| {
            ((306 * u32::from(p[0]) + 601 * u32::from(p[1]) + 117 * u32::from(p[2]) + 512) >> 10)
                as u8
        })
        .collect();
    GrayImage::from_raw(rgba.width(), rgba.height(), out)
        .unwrap_or_else(|| GrayImage::new(rgba.width(), rgba.height()))
}

/// RGBA from packed RGB (what nokhwa decodes webcam frames to).
pub fn rgba_of_rgb(width: u32, height: u32, rgb: &[u8]) -> Option<RgbaImage> {
    if rgb.len() != width as usize * height as usize * 3 {
        return None;
    }
    let mut out = Vec::with_capacity(rgb.len() / 3 * 4);
    for p in rgb.chunks_exact(3) {
        out.extend_from_slice(&[p[0], p[1], p[2], 255]);
    }
    RgbaImage::from_raw(width, height, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grey_weights_and_sizes() {
        let rgba = RgbaImage::from_fn(3, 1, |x, _| match x {
            0 => image::Rgba([255, 255, 255, 255]),
            1 => image::Rgba([255, 0, 0, 255]),
            _ => image::Rgba([0, 0, 0, 255]),
        });
        let f = Frame::from_rgba(rgba, 7);
        assert_eq!((f.width(), f.height(), f.seq), (3, 1, 7));
        assert_eq!(f.grey.as_raw(), &vec![255, 76, 0]);
    }

    #[test]
    fn rgb_of_wrong_length_is_refused() {
        assert!(rgba_of_rgb(2, 2, &[0; 11]).is_none());
        let ok = rgba_of_rgb(2, 1, &[1, 2, 3, 4, 5, 6]).map(|i| i.into_raw());
        assert_eq!(ok, Some(vec![1, 2, 3, 255, 4, 5, 6, 255]));
    }
}
