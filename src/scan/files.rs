//! Image files as a scan source: read with limits, so a hostile or broken
//! file costs an error message, never the kiosk's memory.

use std::path::Path;

use image::{GrayImage, ImageReader, Limits};

use checkpoint_i18n::Message;
use checkpoint_i18n::fl;

/// Files wider or taller than this are refused.
pub const MAX_SIDE: u32 = 16_384;
/// Decoding may allocate at most this much.
pub const MAX_ALLOC: u64 = 512 << 20;

/// Why an image file gave no image.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct ImageFileError {
    pub path: String,
    pub reason: String,
}

impl ImageFileError {
    /// The localised explanation.
    pub fn message(&self) -> Message {
        Message::new(fl!("scan-error-image"))
            .arg("path", &self.path)
            .arg("reason", &self.reason)
    }
}

/// Reads an image file as 8-bit grey, whatever its format says it is.
pub fn load_grey(path: &Path) -> Result<GrayImage, ImageFileError> {
    let err = |reason: String| ImageFileError {
        path: path.display().to_string(),
        reason,
    };
    let mut reader = ImageReader::open(path)
        .map_err(|e| err(e.to_string()))?
        .with_guessed_format()
        .map_err(|e| err(e.to_string()))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| err(e.to_string()))?;
    Ok(img.into_luma8())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_png_and_refuses_others() {
        let dir = tempfile::tempdir().unwrap();
        let png = dir.path().join("a.png");
        image::RgbImage::from_pixel(5, 4, image::Rgb([255, 0, 0]))
            .save(&png)
            .unwrap();
        let g = load_grey(&png).unwrap();
        assert_eq!((g.width(), g.height()), (5, 4));
        let txt = dir.path().join("a.txt");
        std::fs::write(&txt, "hello").unwrap();
        let e = load_grey(&txt).unwrap_err();
        assert!(
            e.message()
                .render(checkpoint_i18n::Lang::En)
                .contains("a.txt")
        );
        assert!(load_grey(&dir.path().join("missing.png")).is_err());
    }
}
