//! QR codes the hub shows: enrolment codes as a PNG to print or as an SVG
//! inside a console page (drawn here, nothing loaded from elsewhere).

use qrcode::QrCode;
use qrcode::render::svg;

/// Writes `text` as a QR code PNG, at least 480 px wide with its quiet zone.
pub fn write_png(text: &str, path: &std::path::Path) -> anyhow::Result<()> {
    let code = QrCode::new(text.as_bytes())?;
    let image = code
        .render::<image::Luma<u8>>()
        .min_dimensions(480, 480)
        .build();
    image.save_with_format(path, image::ImageFormat::Png)?;
    Ok(())
}

/// `text` as an inline SVG QR code.
pub fn svg(text: &str) -> anyhow::Result<String> {
    let code = QrCode::new(text.as_bytes())?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(320, 320)
        .quiet_zone(true)
        .build())
}
