//! A CKD text as a QR image (PNG or SVG) for the receipt and the CLI.

use qrcode::{EcLevel, QrCode};

/// Why a code could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the text does not fit a QR code: {0}")]
pub struct RenderError(String);

/// The QR symbol at error-correction level M, as a saved declaration uses.
pub fn qr(text: &str) -> Result<QrCode, RenderError> {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| RenderError(e.to_string()))
}

/// The QR version (1–40) the text needs at level M.
pub fn version(code: &QrCode) -> i16 {
    match code.version() {
        qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
    }
}

/// PNG bytes, 8 pixels per module with the quiet zone.
pub fn png(code: &QrCode) -> Result<Vec<u8>, RenderError> {
    let image = code
        .render::<image::Luma<u8>>()
        .module_dimensions(8, 8)
        .build();
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| RenderError(e.to_string()))?;
    Ok(out.into_inner())
}

/// SVG text.
pub fn svg(code: &QrCode) -> String {
    code.render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .build()
}
